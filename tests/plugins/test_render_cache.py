"""Rendering the site's chrome once per distinct key (gk_fragment, gongkai_build.fragments) changes
no byte of the site.

- the demo content published (relative addresses: SITEURL differs with a page's depth, so the
  navigation and footer come in several variants) with the fragment cache, and again with every
  fragment rendered on its own page, give the same files, byte for byte; the cache was used
  (navigation and footer rendered a few times, not once per page).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EPOCH, make_demo_project


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _publish(out: Path):
    from gongkai_cli.build import run_pelican

    return run_pelican("publishconf.py", out)


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    return make_demo_project(tmp_path_factory.mktemp("render-cache"))


def test_cached_chrome_changes_no_byte(demo_project, monkeypatch):
    from gongkai_build import build as build_module
    from gongkai_build import fragments

    monkeypatch.chdir(demo_project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    seen = []
    original = build_module.Build.active

    def remember(self):
        seen.append(self)
        return original(self)

    monkeypatch.setattr(build_module.Build, "active", remember)
    _publish(demo_project / "cached")
    cached_build = seen[-1]
    assert 0 < 2 * cached_build.fragments.rendered < cached_build.fragments.reused

    # every fragment rendered on its own page
    monkeypatch.setattr(fragments, "gk_fragment", lambda *key, caller: caller())
    _publish(demo_project / "plain")
    assert seen[-1].fragments.rendered == 0

    cached, plain = _tree(demo_project / "cached"), _tree(demo_project / "plain")
    assert sorted(cached) == sorted(plain)
    assert [name for name in cached if cached[name] != plain[name]] == []
    page = cached["index.html"].decode()
    assert page.count('<nav class="gk-nav"') == 1 and page.count('<footer class="gk-footer"') == 1


def test_compiled_templates_are_kept_and_never_stale(tmp_path, monkeypatch):
    """Templates compiled by one build are reused by the next (.gongkai/cache/templates); a damaged
    cache file is compiled again, an edited template is compiled again: the pages say so."""
    import shutil

    project = make_demo_project(tmp_path)
    (project / "theme").unlink()  # a theme of its own, to edit
    shutil.copytree(Path(__file__).resolve().parents[2] / "theme", project / "theme")
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _publish(project / "first")
    kept = sorted((project / ".gongkai" / "cache" / "templates").glob("*.jinja"))
    assert len(kept) > 10
    for path in kept:
        path.write_bytes(path.read_bytes()[:40] + b"\x00garbage")
    _publish(project / "damaged")
    assert _tree(project / "first") == _tree(project / "damaged")
    index = project / "theme" / "templates" / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("<h1>", "<h1 data-edited>"), encoding="utf-8")
    _publish(project / "edited")
    assert "<h1 data-edited>" in (project / "edited" / "index.html").read_text(encoding="utf-8")
