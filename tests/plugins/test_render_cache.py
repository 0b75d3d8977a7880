"""Rendering the site's chrome once (gk_fragment) and writing pages from a thread (BackgroundWrites)
change no byte of the site.

- the demo content published (relative addresses: SITEURL differs with a page's depth, so the
  navigation and footer come in several variants) with the fragment cache and the writer's thread,
  and again with every fragment rendered on its page and every page written at once, give the same
  files, byte for byte; the cache was used (navigation and footer rendered a few times, not per page);
- the writer's thread raises a failed write in the main thread, writes nothing after a failure,
  and a failed build stops it without a second error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, make_project
from gongkai_build import outfiles


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _publish(out: Path):
    from gongkai_cli.build import run_pelican

    return run_pelican("publishconf.py", out)


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("render-cache"), {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "requests", project / "requests")
    return project


def test_cached_chrome_and_threaded_writes_change_no_byte(demo_project, monkeypatch):
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

    # every fragment rendered on its own page, every page written at once
    monkeypatch.setattr(fragments, "gk_fragment", lambda *key, caller: caller())
    monkeypatch.setattr(outfiles.BackgroundWrites, "write", _write_at_once)
    _publish(demo_project / "plain")
    assert seen[-1].fragments.rendered == 0

    cached, plain = _tree(demo_project / "cached"), _tree(demo_project / "plain")
    assert sorted(cached) == sorted(plain)
    assert [name for name in cached if cached[name] != plain[name]] == []
    page = cached["index.html"].decode()
    assert page.count('<nav class="gk-nav"') == 1 and page.count('<footer class="gk-footer"') == 1


def _write_at_once(self, target, data, previous_root, output_root):
    outfiles.write_bytes(target, data, previous_root, output_root, self.stats)


def test_background_writes_raise_a_failed_write_and_stop(tmp_path):
    stats = outfiles.LinkStats()
    writes = outfiles.BackgroundWrites(stats)
    (tmp_path / "blocker").write_text("a file where a folder should be")
    writes.write(tmp_path / "a.html", b"a", None, tmp_path)
    writes.write(tmp_path / "blocker" / "b.html", b"b", None, tmp_path)
    writes.write(tmp_path / "c.html", b"c", None, tmp_path)
    with pytest.raises(OSError):
        writes.finish()
    assert (tmp_path / "a.html").read_bytes() == b"a"
    assert not (tmp_path / "c.html").exists()  # nothing after the failure
    assert stats.written == 1
    with pytest.raises(OSError):
        writes.write(tmp_path / "d.html", b"d", None, tmp_path)


def test_background_writes_finish_then_write_at_once(tmp_path):
    stats = outfiles.LinkStats()
    writes = outfiles.BackgroundWrites(stats)
    for n in range(50):
        writes.write(tmp_path / "p" / f"{n}.html", str(n).encode(), None, tmp_path)
    writes.write(tmp_path / "p" / "0.html", b"again", None, tmp_path)  # written twice: the last wins
    writes.finish()
    assert stats.written == 51 and (tmp_path / "p" / "0.html").read_bytes() == b"again"
    writes.write(tmp_path / "late.html", b"late", None, tmp_path)  # after finish: at once
    assert (tmp_path / "late.html").read_bytes() == b"late"

    failed = outfiles.BackgroundWrites(outfiles.LinkStats())
    failed.write(tmp_path / "late.html" / "x.html", b"x", None, tmp_path)  # under a file: fails
    failed.abandon()  # a failed build: no error of its own, nothing left running
    assert failed.synchronous
