"""Which page templates may show other entries (gongkai_build.pagekeys.template_shows_other_entries)."""

from __future__ import annotations

import jinja2

from conftest import ROOT
from gongkai_build.pagekeys import template_shows_other_entries


def env(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_the_default_theme_entry_pages_show_only_their_own_entry() -> None:
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
    }
    for body, expected in cases.items():
        templates = {"base.html": base, "page.html": '{% extends "base.html" %}{% block content %}' + body
                     + "{% endblock %}"}
        assert template_shows_other_entries(env(templates), "page.html") is expected, body
    assert template_shows_other_entries(env({}), "missing.html") is True
