"""Which page templates may show other entries (gongkai_build.pagekeys.template_shows_other_entries), and when
the record of the output (gongkai_build.record) trusts a page of the previous output."""

from __future__ import annotations

import jinja2

from conftest import ROOT
from gongkai_build.pagekeys import template_shows_other_entries


def env(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_the_default_theme_entry_pages_show_only_their_own_entry() -> None:
    """Own entry only, or what the page key covers exactly: the entries an entry links to
    (`article.gk_links`, in its page key) and the kiosk keyboard (`gk_touch`, in every page key);
    tests/plugins/test_fast_rebuild.py renames a linked entry and a title of a touch build."""
    theme = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "theme/templates")))
    for name in ("article.html", "withdrawn.html", "budget.html", "sangong.html", "land.html", "page.html"):
        assert template_shows_other_entries(theme, name) is False, name
    for name in ("catalog.html", "column.html", "index.html"):
        assert template_shows_other_entries(theme, name) is True, name


def test_names_that_may_carry_other_entries() -> None:
    base = "<title>{{ SITENAME }}</title>{% block content %}{% endblock %}"
    cases = {
        "{% for a in articles %}{{ a.title }}{% endfor %}": True,
        "{{ gk_by_column['policy'] | length }}": True,
        "{{ dates[0].title }}": True,
        "{% include some_variable %}": True,
        "{% for x in article.entry.attachments %}{{ x.title }}{% endfor %}{{ loop }}": False,
        "{% set n = 3 %}{% macro m(v) %}{{ v }}{% endmacro %}{{ m(n) }}{{ pages|length }}": False,
        "{{ gk_touch.terms | join(' ') }}": False,  # every title's words, but hashed into every page key
        '{% include "own.html" if article.x else "lists.html" %}': True,
        '{% include "own.html" if article.x else "own.html" %}': False,
        '{% include ["own.html", "lists.html"] %}': True,
        '{% include "own.html" if article.x else some_variable %}': True,
    }
    for body, expected in cases.items():
        templates = {
            "base.html": base,
            "page.html": '{% extends "base.html" %}{% block content %}' + body + "{% endblock %}",
            "own.html": "{{ article.title }}",
            "lists.html": "{{ articles | length }}",
        }
        assert template_shows_other_entries(env(templates), "page.html") is expected, body
    assert template_shows_other_entries(env({}), "missing.html") is True


def test_the_output_record_trusts_a_page_only_as_recorded(tmp_path):
    import os

    from gongkai_build import record

    output = tmp_path / "output"
    (output / "policy").mkdir(parents=True)
    page = output / "policy/a.html"
    page.write_bytes(b"<p>A</p>")
    rec = record.BuildRecord(
        "frame", root=str(output.resolve()), pages={"policy/a.html": "K"}, output=record.output_stats(output)
    )
    path = tmp_path / "cache" / "build.pickle"
    record.save(rec, path)
    loaded = record.load(path, output)
    assert loaded is not None and loaded.page_unchanged("policy/a.html", "K", page)
    assert not loaded.page_unchanged("policy/a.html", "other key", page)
    assert not loaded.page_unchanged("policy/b.html", "K", output / "policy/b.html")
    assert record.load(path, tmp_path / "elsewhere") is None  # the record of another output
    st = page.stat()
    page.write_bytes(b"<p>B</p>")  # same size, same inode, other bytes
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert not loaded.page_unchanged("policy/a.html", "K", page)
    path.write_bytes(b"\x80garbage")
    assert record.load(path, output) is None
