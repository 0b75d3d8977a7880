"""Settings checked whole: a misspelt key is an error, not silently ignored (a publishconf with
GONGKAI_STRIKT = True would otherwise build leniently with exit 0); every problem is listed at once."""

from __future__ import annotations

from conftest import entry, make_project, run_cli


def test_unknown_gongkai_settings_are_errors_with_the_nearest_name(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县通知")})
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write(
            "\nGONGKAI_STRIKT = True\nGONGKAI_SEARCH_BODY_CHAR = 80\nGONGKAI_WHATEVER = 1\n"
            'STATIC_PATHS = ["policy"]\nARTICLE_SAVE_AS = "{slug}.html"\n'
        )
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 1
    err = done.stderr
    assert "GONGKAI_STRIKT" in err and "GONGKAI_STRICT" in err
    assert "GONGKAI_SEARCH_BODY_CHAR " in err and "GONGKAI_SEARCH_BODY_CHARS" in err
    assert "GONGKAI_WHATEVER" in err and "STATIC_PATHS" in err and "ARTICLE_SAVE_AS" in err
    assert "Traceback" not in err
    assert not (project / "output").exists()


def test_known_settings_of_every_plugin_are_accepted(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县通知")})
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write(
            "\nGONGKAI_SEARCH_BODY_CHARS = 200\nGONGKAI_COLUMNS_CSV_BOM = False\nGONGKAI_CACHE = False\n"
        )
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 0, done.stderr
    assert (project / "output/policy/a.html").exists()


def test_settings_that_would_copy_content_through_the_theme_or_templates_are_refused(tmp_path):
    project = make_project(
        tmp_path,
        {
            "policy/a.md": entry(title="示例县通知"),
            "policy/draft.md": entry(
                title="草稿CANARYTHEME", status="draft", secrecy="pending", secrecy_on=None, approved=None
            ),
        },
    )
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write(
            '\nTHEME_STATIC_PATHS = ["static", "../content"]\n'
            'TEMPLATE_PAGES = {"content/policy/draft.md": "search/draft.js"}\n'
        )
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 1
    assert "THEME_STATIC_PATHS" in done.stderr and "TEMPLATE_PAGES" in done.stderr
    assert not (project / "output").exists()


def test_every_plugins_problems_are_listed_in_one_run(tmp_path):
    """The gate's, search's and the columns' checks all run before anything is read: fixing one
    problem never reveals the next only on the following run."""
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县通知")})
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write(
            '\nGONGKAI_PREVIEW = "yes"\nGONGKAI_SEARCH_BODY_CHARS = -1\nGONGKAI_COLUMNS_CHART_WIDTH = 10\n'
            "GONGKAI_SEARCH_TITLE_BOOST = 0\nGONGKAI_CACH = False\n"
        )
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("配置项 ")]
    assert [line.split(" ")[1] for line in lines] == [
        "GONGKAI_CACH",
        "GONGKAI_COLUMNS_CHART_WIDTH",
        "GONGKAI_PREVIEW",
        "GONGKAI_PREVIEW",  # not a choice; not in publish
        "GONGKAI_SEARCH_BODY_CHARS",
        "GONGKAI_SEARCH_TITLE_BOOST",
    ]
    assert "是否应为 GONGKAI_CACHE？" in done.stderr and "应为正整数" in done.stderr
    assert "应为不小于 320 的整数（像素）" in done.stderr
    assert "Traceback" not in done.stderr and not (project / "output").exists()
