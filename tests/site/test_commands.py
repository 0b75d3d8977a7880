"""The commands as an editor types them: `.venv/bin/invoke …` in a project (issue 21).

Every argument mistake is told in Chinese with the usage line (exit 2); long output through invoke
is byte for byte what the command printed (no character split); a port in use is a sentence, not
an internal error; `invoke holidays` checks a year's calendar before putting it in the project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, entry, make_project, run_cli

INVOKE = Path(sys.executable).parent / "invoke"


def invoke(project: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
    return subprocess.run(
        [str(INVOKE), *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )


def project_with_tasks(base: Path, files: dict[str, str] | None = None) -> Path:
    project = make_project(base, files or {})
    shutil.copy(ROOT / "tasks.py", project / "tasks.py")
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return project_with_tasks(tmp_path_factory.mktemp("cmd"))


def english_words(text: str, allowed: set[str]) -> list[str]:
    """ASCII words of 4+ letters that are not a command, an option, a file name or what the user typed
    (quoted “…” in the messages)."""
    text = re.sub(r"--[a-z-]+|“[^”]*”|\S+\.(py|yaml|md)\b", "", text)
    return [w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in allowed]


def task_names(project: Path) -> set[str]:
    listed = invoke(project, "--list").stdout
    names = {w for line in listed.splitlines()[1:] for w in re.findall(r"^  ([a-z-]+)", line)}
    return names | {part for name in names for part in name.split("-")}


ALLOWED = {"invoke", "policy", "budget", "content"}


# ---- task 1: argument errors and help in Chinese ------------------------------------------------


@pytest.mark.parametrize(
    "args, first_line, usage",
    [
        (["new"], "invoke new：缺少栏目、标题。", "用法：invoke new 栏目 标题"),
        (["new", "policy"], "invoke new：缺少标题。", "用法：invoke new 栏目 标题"),
        (["new", "--bogus", "x", "y"], "invoke new：未知的选项“--bogus”。", "用法：invoke new 栏目 标题"),
        (["bogus"], "invoke：未知的命令“bogus”。", "用法：invoke 命令 [参数]……"),
        (["chek"], "invoke：未知的命令“chek”。是否想输入 invoke check？", "用法：invoke 命令 [参数]……"),
        (["--bogus"], "invoke：未知的选项“--bogus”。", "用法：invoke 命令 [参数]……"),
        (["check", "extra"], "invoke check：多余的参数“extra”。", "用法：invoke check [--quiet]"),
        (
            ["serve", "--port", "八千"],
            "invoke serve：--port 应为整数，“八千”不是整数。",
            "用法：invoke serve [--preview] [--no-watch] [--port 端口]",
        ),
        (["verify"], "invoke verify：缺少镜像目录。", "用法：invoke verify 镜像目录 [--pubkey 公钥文件]"),
        (
            ["annual-report", "去年"],
            "invoke annual-report：年度 应为整数，“去年”不是整数。",
            "用法：invoke annual-report 年度 [--force]",
        ),
    ],
)
def test_argument_mistakes_are_told_in_chinese_with_the_usage_line(project, args, first_line, usage):
    result = invoke(project, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == first_line
    assert usage in lines
    assert english_words(result.stdout + result.stderr, ALLOWED | task_names(project)) == []
    assert "Traceback" not in result.stderr


def test_a_title_with_spaces_is_taken_whole(project):
    result = invoke(project, "new", "policy", "关于", "某事", "的通知")
    assert result.returncode == 0, result.stderr
    created = result.stdout.splitlines()[0].removeprefix("已创建 ")
    text = (project / created).read_text(encoding="utf-8")
    assert 'title: "关于 某事 的通知"' in text


def test_help_is_chinese(project):
    names = task_names(project)
    assert {"new", "check", "serve", "holidays", "annual-report"} <= names
    for args in ([], ["--help"], ["-h"], ["--list"]):
        result = invoke(project, *args)
        assert result.returncode == 0
        assert "命令：" in result.stdout
        assert (
            english_words(
                result.stdout,
                ALLOWED
                | names
                # tools, formats and paths the descriptions name (`ruff format`, pre-commit, bench/results.md…)
                | {"ruff", "format", "commit", "chromium", "pelican", "kiwix", "json", "html", "readme"}
                | {"http", "admin", "docs", "results", "output", "list"},
            )
            == []
        ), args
    for args in (["new", "--help"], ["--help", "new"]):
        result = invoke(project, *args)
        assert result.returncode == 0
        assert result.stdout.startswith("用法：invoke new 栏目 标题\n")
        assert "参数：" in result.stdout and "选项：" in result.stdout
        assert english_words(result.stdout, ALLOWED) == []


def test_outside_a_project_invoke_says_where_to_run_it(tmp_path):
    result = invoke(tmp_path, "check")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "找不到 tasks.py：请在网站项目的目录（含 tasks.py、content/ 的目录）中运行 invoke。"
    )


# ---- task 3: long output through invoke is exactly the command's ---------------------------------


def test_long_chinese_output_through_invoke_is_byte_for_byte_the_commands(tmp_path):
    files = {
        # names of different lengths: lines of one length would put invoke's old 1,000-byte reads on
        # line starts every time and hide the split characters (the old tasks.py gave 105 U+FFFD here)
        f"policy/p{i}.md": entry(
            title=f"示例县关于第{i}项工作的通知",
            publisher="",
            date_written="2025-13-40",
            index_no=f"SL0000001/2025-{i:05d}",
        )
        for i in range(600)
    }
    project = project_with_tasks(tmp_path, files)
    direct = run_cli(project, "check")
    through = invoke(project, "check")
    assert direct.returncode == through.returncode == 1
    assert len(direct.stdout.splitlines()) >= 1000  # `path:line: 说明 (键)`, about 100 KB of Chinese
    assert "\ufffd" not in through.stdout + through.stderr
    assert through.stdout == direct.stdout
    took = re.compile(r"用时 [0-9.]+ 秒")
    assert took.sub("用时 … 秒", through.stderr) == took.sub("用时 … 秒", direct.stderr)


# ---- task 2: a port in use for edit, as for serve -------------------------------------------------


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield s.getsockname()[1]


def git_project(base: Path) -> Path:
    project = project_with_tasks(base, {"policy/a.md": entry()})
    git = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(git + ["add", "-A"], cwd=project, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "x"], cwd=project, check=True)
    return project


@pytest.mark.parametrize(
    "option, what",
    [("--port", "启动编辑器"), ("--preview-port", "提供预览站点"), ("--server-port", "启动 decap-server")],
)
def test_edit_on_a_port_in_use_says_so(tmp_path, taken_port, option, what):
    project = git_project(tmp_path)
    args = ["edit", "--port", "0", "--preview-port", "0", option, str(taken_port)]
    result = invoke(project, *args, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == (
        f"无法在 127.0.0.1:{taken_port} {what}：端口已被占用，例如已有一个 invoke serve 或 invoke edit 在运行。"
        f"请先按 Ctrl+C 关闭它，或用 {option} 换一个端口（如 {option} {taken_port + 10}）。"
    )
    assert "程序内部错误" not in result.stderr and not (project / ".gongkai" / "crash.log").exists()


def test_serve_on_a_port_in_use_says_so_through_invoke(tmp_path, taken_port):
    project = project_with_tasks(tmp_path)
    result = invoke(project, "serve", "--no-build", "--no-watch", "--port", str(taken_port), timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"无法在 127.0.0.1:{taken_port} 提供网站：端口已被占用")


# ---- task 5: invoke holidays ---------------------------------------------------------------------

CAL_2019 = """\
# 2019年法定节假日与调休上班日（测试用，按国务院办公厅2019年的通知）
year: 2019
source: 国务院办公厅关于2019年部分节假日安排的通知
holidays:
  - name: 元旦
    from: 2019-01-01
    to: 2019-01-01
  - name: 春节
    from: 2019-02-04
    to: 2019-02-10
  - name: 清明节
    from: 2019-04-05
    to: 2019-04-07
  - name: 劳动节
    from: 2019-05-01
    to: 2019-05-04
  - name: 端午节
    from: 2019-06-07
    to: 2019-06-09
  - name: 中秋节
    from: 2019-09-13
    to: 2019-09-15
  - name: 国庆节
    from: 2019-10-01
    to: 2019-10-07
workdays:
  - 2019-02-02
  - 2019-02-03
  - 2019-04-28
  - 2019-05-05
  - 2019-09-29
  - 2019-10-12
"""


# 2018 is a year the program does not ship (2019 is shipped, for 征地 batches approved before 2020)
CAL_2018 = """\
# 2018年法定节假日与调休上班日（测试用，按国务院办公厅2018年的通知）
year: 2018
source: 国务院办公厅关于2018年部分节假日安排的通知
holidays:
  - name: 元旦
    from: 2018-01-01
    to: 2018-01-01
  - name: 春节
    from: 2018-02-15
    to: 2018-02-21
  - name: 清明节
    from: 2018-04-05
    to: 2018-04-07
  - name: 劳动节
    from: 2018-04-29
    to: 2018-05-01
  - name: 端午节
    from: 2018-06-16
    to: 2018-06-18
  - name: 中秋节
    from: 2018-09-22
    to: 2018-09-24
  - name: 国庆节
    from: 2018-10-01
    to: 2018-10-07
  - name: 元旦
    from: 2018-12-30
    to: 2018-12-31
workdays:
  - 2018-02-11
  - 2018-02-24
  - 2018-04-08
  - 2018-04-28
  - 2018-09-29
  - 2018-09-30
  - 2018-12-29
"""


def test_holidays_add_checks_the_file_then_puts_it_in_the_project(tmp_path):
    project = project_with_tasks(tmp_path)
    bad = CAL_2019.replace("to: 2019-02-10", "to: 2020-02-10").replace("from: 2019-10-01", "from: 2019-09-15")
    (project / "2019.yaml").write_text(bad.replace("  - 2019-05-05\n", "  - 2019-05-06\n"), encoding="utf-8")
    result = invoke(project, "holidays", "add", "2019", "--from", "2019.yaml")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "2019.yaml:10: 日期 2020-02-10 不在2019年内 (holidays.to)",
        "2019.yaml:24: 假期“国庆节”（2019-09-15 至 2019-10-07）与“中秋节”重叠（2019-09-15）：每天只能属于一个假期 (holidays.from)",
        "2019.yaml:30: 调休上班日 2019-05-06 不是周末：只需列出需要上班的周六、周日 (holidays.workdays)",
        "共 3 个问题，未录入；改正后再运行一次。",
    ]
    assert not (project / "holidays").exists()

    (project / "2019.yaml").write_text(CAL_2019, encoding="utf-8")
    added = invoke(project, "holidays", "add", "2019", "--from", "2019.yaml")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        "已录入2019年的节假日安排：holidays/2019.yaml（7 个假期共放假 28 天，6 个调休上班日），代替随程序提供的这一年。"
        "请把它和内容一起提交到 git；invoke holidays list 2019 可逐日核对。"
    )
    assert (project / "holidays" / "2019.yaml").read_text(encoding="utf-8") == CAL_2019
    again = invoke(project, "holidays", "add", "2019", "--from", "2019.yaml")
    assert again.returncode == 1
    assert "要替换它请加 --force" in again.stderr
    listed = invoke(project, "holidays", "list")
    assert (
        "  2019年  本项目 holidays/2019.yaml  7 个假期共放假 28 天，6 个调休上班日  国务院办公厅关于2019年部分节假日安排的通知"
        in listed.stdout.splitlines()
    )
    one = invoke(project, "holidays", "list", "2019")
    assert "  中秋节  2019-09-13 至 2019-09-15（3 天）" in one.stdout.splitlines()
    assert "  2019-10-12（星期六）" in one.stdout.splitlines()


def test_holidays_add_without_a_file_shows_the_format(tmp_path):
    project = project_with_tasks(tmp_path)
    result = invoke(project, "holidays", "add", "2027")
    assert result.returncode == 1
    assert "再运行 invoke holidays add 2027 --from 该文件" in result.stderr
    assert "year: 2027\n" in result.stderr
    assert not (project / "holidays").exists()


def test_the_audit_tells_the_command_and_reads_the_project_calendar(tmp_path):
    signed = {k: "2018-09-03" for k in ("drafted", "section", "secrecy_on", "approved")}
    old = entry(title="示例县旧办法", date_written="2018-09-03", date_published="2018-09-11", **signed)
    project = project_with_tasks(tmp_path, {"policy/old.md": old})
    before = invoke(project, "audit", "--report", "report", "--no-site")
    html = (project / "report" / "index.html").read_text(encoding="utf-8")
    assert "invoke holidays add 2018 --from 2018.yaml" in html
    assert "plugins/" not in html
    assert (
        "注意：缺少2018年的节假日安排，相关条目的工作日未计算。请按国务院办公厅当年的通知录入：invoke holidays add 2018 --from 文件"
        in before.stdout
    )
    (project / "2018.yaml").write_text(CAL_2018, encoding="utf-8")
    assert invoke(project, "holidays", "add", "2018", "--from", "2018.yaml").returncode == 0
    invoke(project, "audit", "--report", "report", "--no-site")
    data = json.loads((project / "report" / "audit.json").read_text(encoding="utf-8"))
    row = next(r for r in data["timeliness"]["entries"] if r["path"] == "content/policy/old.md")
    assert row["workdays"] == 6  # 9月4日至11日：中秋节在其后
    assert data["calendar"]["missing"] == []
    assert 2018 in data["calendar"]["available"]


def test_stopping_invoke_stops_the_command(tmp_path):
    """SIGTERM to invoke reaches the command it runs: no server is left behind on its port."""
    project = project_with_tasks(tmp_path)
    (project / "output").mkdir()
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.Popen(
        [str(INVOKE), "serve", "--no-build", "--no-watch", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        if proc.poll() is None:
            proc.kill()
