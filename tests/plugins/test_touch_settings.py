"""The touch-screen kiosk mode's settings (plugins/gongkai_touch): checked with every other
plugin's before anything is read, named in Chinese; off by default, so an ordinary build has no
keyboard and no kiosk script."""

from __future__ import annotations

from conftest import entry, make_project, run_cli


def test_bad_touch_settings_are_named_and_nothing_is_written(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县通知")})
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write('\nGONGKAI_TOUCH = "yes"\nGONGKAI_TOUCH_IDLE = 5\nGONGKAI_TOUCH_TERMS = 0\n')
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("配置项 ")]
    assert [line.split(" ")[1] for line in lines] == [
        "GONGKAI_TOUCH",
        "GONGKAI_TOUCH_IDLE",
        "GONGKAI_TOUCH_TERMS",
    ]
    assert "应为 True 或 False" in done.stderr
    assert "应为不小于 15 的整数（秒）" in done.stderr and "应为 1 到 60 的整数（个）" in done.stderr
    assert "Traceback" not in done.stderr and not (project / "output").exists()


def test_touch_mode_is_off_unless_asked_and_on_with_the_setting(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县耕地保护通知")})
    done = run_cli(project, "publish", "--output", "plain")
    assert done.returncode == 0, done.stderr
    page = (project / "plain" / "index.html").read_text(encoding="utf-8")
    assert "gk-touch" not in page and "kiosk.js" not in page and "gk-keyboard" not in page
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write("\nGONGKAI_TOUCH = True\nGONGKAI_TOUCH_IDLE = 60\n")
    done = run_cli(project, "publish", "--output", "touch")
    assert done.returncode == 0, done.stderr
    page = (project / "touch" / "policy" / "a.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN" class="gk-touch">' in page
    assert 'data-gk-idle="60" data-gk-home="../index.html"' in page
    assert '<script src="../theme/js/kiosk.js" defer></script>' in page
    assert 'data-module="gk-keyboard"' in page and 'data-key="0"' in page
