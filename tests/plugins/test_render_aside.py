"""Entry pages rendered aside (gongkai_output: processes forked once Pelican moves on) change no byte.

- the demo published with its entry pages rendered aside equals the same publish rendered in the
  build's own process, file for file, and the aside processes were really started;
- a process that fails leaves its share to the build, which renders it itself: still the same site;
- what a page logs while rendered aside reaches the build's log: an error there fails the build.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import EPOCH, make_demo_project


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    return make_demo_project(tmp_path_factory.mktemp("render-aside"))


@pytest.fixture
def publish(demo_project, monkeypatch):
    """Publish the demo into `name`; `aside`: render entry pages aside (else in the build's process).
    Returns the names of the jobs the build started."""
    from gongkai_build import jobs
    from gongkai_output import glue

    monkeypatch.chdir(demo_project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    started: list[str] = []
    original = jobs.Jobs.start

    def start(self, name, *args, **kwargs):
        started.append(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(jobs.Jobs, "start", start)

    def run(name: str, aside: bool) -> list[str]:
        from gongkai_cli.build import run_pelican

        monkeypatch.setattr(glue, "ASIDE_MIN_PAGES", 1 if aside else 10**9)
        started.clear()
        run_pelican("publishconf.py", demo_project / name)
        return [n for n in started if n.startswith("entry-pages-")]

    return run


def test_entry_pages_rendered_aside_change_no_byte(demo_project, publish, monkeypatch):
    from gongkai_output import glue

    monkeypatch.setattr(glue, "ASIDE_CHUNK", 3)  # many chunks, shared by the processes
    assert publish("inline", aside=False) == []
    assert publish("aside", aside=True) == ["entry-pages-0", "entry-pages-1"]
    inline, aside = _tree(demo_project / "inline"), _tree(demo_project / "aside")
    assert sorted(inline) == sorted(aside)
    assert [name for name in inline if inline[name] != aside[name]] == []
    sitemap = aside["sitemap.xml"].decode()
    assert sitemap.count("<url>") > 50  # the pages written aside are in it


def _gives_up(writer, chunks, who):
    chunks.take(who)  # takes a chunk, renders nothing of it
    return None


def _dies(writer, chunks, who):
    import os

    k = chunks.take(who)
    if k is not None:
        writer._write_claimed(chunks.pages(k)[0])  # one page of it, then the process is gone
    os._exit(3)


@pytest.mark.parametrize("failure", [_gives_up, _dies])
def test_a_failed_aside_process_leaves_its_pages_to_the_build(demo_project, publish, monkeypatch, failure):
    from gongkai_output import glue

    monkeypatch.setattr(glue, "ASIDE_CHUNK", 4)
    monkeypatch.setattr(glue, "_render_aside", failure)  # every process fails
    assert publish("failed", aside=True) == ["entry-pages-0", "entry-pages-1"]
    if not (demo_project / "inline").is_dir():
        publish("inline", aside=False)
    inline, failed = _tree(demo_project / "inline"), _tree(demo_project / "failed")
    assert [name for name in inline if inline.get(name) != failed.get(name)] == []
    assert sorted(inline) == sorted(failed)


@pytest.mark.parametrize("aside", [False, True])
def test_an_error_logged_while_rendering_an_entry_page_fails_the_build(publish, monkeypatch, aside):
    from pelican.writers import Writer

    from gongkai_core.errors import GongkaiError

    original = Writer.write_file

    def write_file(self, name, template, context, *args, **kwargs):
        if kwargs.get("article") is not None and "water-price" in name:
            logging.getLogger("gongkai.test").error("渲染 %s 时出错", name)
        return original(self, name, template, context, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", write_file)
    with pytest.raises(GongkaiError) as failed:
        publish("logged-aside" if aside else "logged", aside=aside)
    assert "构建过程中出现错误" in str(failed.value) and "water-price.html 时出错" in str(failed.value)


def test_a_complete_rebuild_rendering_aside_links_unchanged_pages_as_the_build_does(
    demo_project, monkeypatch
):
    """A title changed: a complete build over the previous output, its pages rendered aside, links the
    same unchanged files (counted in the processes) and writes the same site as one rendering inline."""
    from gongkai_cli.build import publish
    from gongkai_output import glue

    monkeypatch.chdir(demo_project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    source = demo_project / "content" / "policy" / "2024-water-price.md"
    before = source.read_text(encoding="utf-8")
    title = next(line for line in before.splitlines() if line.startswith("title:"))
    results = {}
    for name, minimum in (("twice-inline", 10**9), ("twice-aside", 1)):
        monkeypatch.setattr(glue, "ASIDE_MIN_PAGES", minimum)
        source.write_text(before, encoding="utf-8")
        publish("publishconf.py", demo_project / name)
        source.write_text(before.replace(title, title + "（修订）", 1), encoding="utf-8")
        try:
            results[name] = publish("publishconf.py", demo_project / name)
        finally:
            source.write_text(before, encoding="utf-8")
    inline, aside = results["twice-inline"], results["twice-aside"]
    assert not aside.fast and aside.unchanged == inline.unchanged > 0
    assert aside.not_rendered == inline.not_rendered
    one, other = _tree(demo_project / "twice-inline"), _tree(demo_project / "twice-aside")
    assert sorted(one) == sorted(other)
    assert [name for name in one if one[name] != other[name]] == []
    page = next(n for n in other if "water-price" in n and n.endswith(".html"))
    assert "（修订）" in other[page].decode()


def test_pelican_lists_named_no_file_are_not_gathered():
    """CATEGORY/AUTHOR/TAG_SAVE_AS = "" (our settings): Pelican's methods that gather those pages are
    skipped; a list that names a file is still written by Pelican."""
    from types import SimpleNamespace

    from gongkai_catalog import glue

    def gather(write):
        raise AssertionError("gathered")

    generator = SimpleNamespace(
        settings={"CATEGORY_SAVE_AS": "", "AUTHOR_SAVE_AS": "", "TAG_SAVE_AS": "tag/{slug}.html"},
        generate_categories=gather,
        generate_authors=gather,
        generate_tags=gather,
    )
    glue.skip_unwritten_lists(generator)
    assert generator.generate_categories(print) is None and generator.generate_authors(print) is None
    assert generator.generate_tags is gather


def test_the_heap_frozen_for_jobs_stays_frozen_until_the_publish_is_done() -> None:
    """A build's end unfreezes the heap at once, except inside frozen_until_done (a publish: its check
    and record would otherwise pay a full collection of the build's heap), which unfreezes at its end."""
    import gc

    from gongkai_build.jobs import Jobs, frozen_until_done

    held = [object() for _ in range(1000)]  # something to freeze
    outer = Jobs()
    with frozen_until_done():
        gc.freeze()
        outer.frozen = True
        outer.release()
        assert gc.get_freeze_count() >= len(held)
        assert not outer.frozen
    assert gc.get_freeze_count() == 0
    gc.freeze()
    outer.frozen = True
    outer.release()
    assert gc.get_freeze_count() == 0
