"""One typed Build per run: what the plugins share lives there, never in Pelican's settings.

- a real build, run in this process, hands back its Build: what was read and decided, the page
  each entry got, the pages written (the sitemap's list), what search indexed, and where its
  addresses come from (gongkai_core.urls, handed to Pelican as each page's url/save_as);
- a plugin run outside a build (Pelican started by hand) stops with a Chinese message;
- no glue writes a GONGKAI_* key into the settings: only a settings file sets those.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, entry, make_project


@pytest.fixture()
def built(tmp_path, monkeypatch):
    from gongkai_cli.build import run_pelican

    project = make_project(
        tmp_path,
        {
            "policy/a.md": entry(
                title="示例县甲文件", body="甲正文，含水费一项。", index_no="SL0000001/2025-90001"
            ),
            "policy/b.md": entry(
                title="示例县乙文件", index_no="SL0000001/2025-90002", date_published="2026-12-01"
            ),  # embargoed: read, decided, not shown
        },
    )
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return project, run_pelican("pelicanconf.py", project / "out")


def test_a_run_hands_back_its_build(built):
    from gongkai_core import urls

    project, result = built
    build = result.build
    assert build.output == project / "out"
    shown = [e.path for e in build.shown_entries()]
    assert shown == ["content/policy/a.md"], [str(p) for p in build.site.problems]
    assert {e.path for e in build.site.entries} == {"content/policy/a.md", "content/policy/b.md"}
    assert build.site.verdicts["content/policy/b.md"].state == "withheld"
    entry_a = build.site.entries[[e.path for e in build.site.entries].index("content/policy/a.md")]
    page = urls.entry_page(entry_a.column, entry_a.slug)
    assert build.entry_pages == {"content/policy/a.md": page}
    assert (project / "out" / page).is_file() and page in build.written
    assert "甲正文" in (project / "out" / page).read_text(encoding="utf-8")
    assert set(build.search.digests) == {"content/policy/a.md"} and build.search.state is not None
    assert build.jobs.running == {}  # every background job was waited for


def test_the_sitemap_dates_every_entry_page_it_lists(built):
    project, result = built
    sitemap = (project / "out" / "sitemap.xml").read_text(encoding="utf-8")
    page = result.build.entry_pages["content/policy/a.md"]
    block = sitemap[sitemap.index(page) :]
    assert "<lastmod>" in block[: block.index("</url>")]


def test_a_plugin_outside_a_build_refuses(tmp_path):
    from gongkai_build.build import NoBuild, current

    with pytest.raises(NoBuild, match="没有正在进行的 Gongkai 构建"):
        current()


def _declared() -> set[str]:
    declared = set()
    for path in (ROOT / "plugins").glob("gongkai_*/settings.py"):
        declared |= set(re.findall(r'"(GONGKAI_[A-Z_]+)"\s*:', path.read_text(encoding="utf-8")))
    from gongkai_gate.glue import OTHER_SETTINGS

    return declared | set(OTHER_SETTINGS)


def test_no_glue_puts_build_state_into_the_settings():
    """settings["GONGKAI_X"] = … in a plugin or command sets a user setting (a command may choose
    one, as `preview` does), never a value of its own: those live in the Build."""
    declared, found = _declared(), []
    for path in sorted((ROOT / "plugins").glob("gongkai_*/**/*.py")):
        if path.parts[-2] == "gongkai_core":
            continue
        tree = ast.parse(path.read_bytes(), str(path))
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and isinstance(target.slice.value, str)
                    and target.slice.value.startswith("GONGKAI_")
                    and target.slice.value not in declared
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {target.slice.value}")
    assert found == []


def test_no_runtime_value_is_declared_as_a_setting():
    """Every GONGKAI_* default a plugin declares is one a settings file may set (documented)."""
    docs = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [*(ROOT / "plugins").glob("*/README.md"), *(ROOT / "docs").glob("*.md")]
    )
    declared = _declared()
    assert declared and all(os.environ.get(k) is None for k in declared)
    undocumented = sorted(k for k in declared if k not in docs)
    assert undocumented == []
    assert not {"GONGKAI_STATE", "GONGKAI_ONLY", "GONGKAI_PREVIOUS_OUTPUT", "GONGKAI_BUILD_DATE"} & declared


def test_entry_addresses_reach_pelican_as_metadata(built):
    """Pelican takes url/save_as from the reader (its public override): no URL setting decides."""
    project, result = built
    from gongkai_core import urls

    entry_a = next(e for e in result.build.shown_entries())
    page = urls.entry_page(entry_a.column, entry_a.slug)
    catalog = (project / "out" / "catalog" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{page}"' in catalog or f'href="/{page}"' in catalog or page in catalog
    assert Path(project / "out" / page).is_file()


def test_content_rel_is_the_path_without_its_first_part() -> None:
    """Build.content_rel takes a plain shown path apart as a string: the same as pathlib does."""
    import random
    from pathlib import Path

    from gongkai_build.build import Build

    def by_pathlib(shown: str) -> str:
        parts = Path(shown).parts
        return Path(str(Path(*parts[1:])) if len(parts) > 1 else shown).as_posix()

    build = Build(Path("out"))
    rng = random.Random(9)
    pieces = ["content", "policy", "x.md", ".", "..", "", "a b", "示例.md", ".hidden"]
    for _ in range(5000):
        shown = "/".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        assert build.content_rel(shown) == by_pathlib(shown), repr(shown)
