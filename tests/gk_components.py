"""Render the theme's components from their examples.yaml, outside Pelican.

Used twice: tests/unit/test_components.py checks each rendered example (caption, scope, valid
HTML), tests/browser/test_theme.py puts them all on one gallery page and runs axe on it.
The filters are the real ones the plugins register. An example gives the macro's keyword arguments
as `params`; the objects a macro takes are built from YAML by the real code (BUILDERS): `paginate`
a Pelican Paginator, `datatable` a gongkai_core DataTable, `codetable` a budget CodeTable, `barchart`
charts.bar_chart, `downloads` gongkai_columns Download records, `outline` land.outline_svg_path of a
GeoJSON geometry, `timeline` the land notices of a batch in legal order.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "theme"
COMPONENTS = THEME / "templates" / "components"


@dataclass(frozen=True)
class Example:
    component: str
    name: str
    macro: str
    spec: dict

    @property
    def id(self) -> str:
        return f"{self.component}:{self.name}"


def _macro_name(component: str) -> str:
    text = (COMPONENTS / component / "macro.html").read_text(encoding="utf-8")
    names = [line.split()[2].split("(")[0] for line in text.splitlines() if line.startswith("{% macro ")]
    # the component's public macro is the one named after the folder (helpers come first)
    wanted = component.replace("-", "_")
    return wanted if wanted in names else names[-1]


def components() -> list[str]:
    """Every component: each folder of theme/templates/components."""
    return sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir())


def examples() -> list[Example]:
    """The examples of every component that has any (tests/unit/test_components.py fails for a
    component without; here it is left out, so the other components are still checked)."""
    found = []
    for name in components():
        path = COMPONENTS / name / "examples.yaml"
        if not path.exists():
            continue
        for spec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append(Example(name, spec["name"], _macro_name(name), spec))
    return found


def environment(site_url: str = "..") -> Environment:
    from gongkai_columns.glue import gk_num
    from gongkai_core.values import fmt_money
    from gongkai_gate.glue import human_size

    # as our build configures Pelican's: autoescape (gongkai_readers forces it), lenient Undefined
    # (optional fields are absent)
    env = Environment(
        loader=FileSystemLoader(str(THEME / "templates")), autoescape=True, extensions=["jinja2.ext.do"]
    )
    env.filters.update(
        gk_num=gk_num, gk_money=fmt_money, gk_filesize=lambda file: human_size(ROOT / "content" / file)
    )
    env.globals["SITEURL"] = site_url
    from gongkai_core import urls

    env.globals["gk_urls"] = urls  # as gongkai_readers gives every template
    from gongkai_build import fragments, listing

    env.globals.update(
        gk_by_column=listing.gk_by_column,
        gk_page_url=listing.gk_page_url,
        gk_page_names=listing.gk_page_names,
        gk_fragment=fragments.gk_fragment,  # outside a build: the part rendered each time
    )
    return env


def _decimal(value):
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", ""))
        except ArithmeticError:
            return value
    return value


def arguments(spec: dict) -> tuple[tuple, dict]:
    """The macro's arguments: the real object a builder key makes (positional), then `params`."""
    kwargs = dict(spec.get("params") or {})
    for key, build in BUILDERS.items():
        if key in spec:
            return build(spec[key]), kwargs
    return (), kwargs


def _paginate(p: dict) -> tuple:
    """articles_page, articles_paginator, articles_previous_page, articles_next_page (Pelican's)."""
    from pelican.paginator import Paginator
    from pelican.settings import read_settings

    settings = read_settings(None, override={"RELATIVE_URLS": True})
    paginator = Paginator(p["name"], p["url"], list(range(p["items"])), settings, p["per_page"])
    page = paginator.page(p["current"])
    prev = paginator.page(p["current"] - 1) if page.has_previous() else None
    nxt = paginator.page(p["current"] + 1) if page.has_next() else None
    return page, paginator, prev, nxt


def _data_table(d: dict):
    from gongkai_core.datatable import DataTable

    d = dict(d)
    rows = tuple(tuple(_decimal(v) if i else v for i, v in enumerate(r)) for r in d.pop("rows", ()))
    return DataTable(rows=rows, header=tuple(d.pop("header")), keys=tuple(d.pop("keys")), **d)


def _datatable(d: dict) -> tuple:
    return (_data_table(d),)


def _code_table(d: dict) -> tuple:
    """A gongkai_core.columns.budget.CodeTable from a table as the budget block writes it: `spec` (functional,
    economic …), `totals` by column, flat `rows` of code, name and one amount per column; 款 and 项
    nest under the 类 whose code they extend, as budget.parse nests them."""
    from gongkai_core.columns.budget import SPECS, CodeRow, CodeTable

    spec = SPECS[d["spec"]]
    keys = [k for k, _ in spec.columns]
    if d.get("empty"):
        return (CodeTable(spec, tuple(Decimal("0.00") for _ in keys), (), d["empty"]),)
    rows = sorted(d["rows"], key=lambda r: str(r["code"]))

    def level(prefix: str, depth: int) -> tuple:
        return tuple(
            CodeRow(
                str(r["code"]),
                r["name"],
                tuple(_decimal(str(r[k])) for k in keys),
                level(str(r["code"]), depth + 1) if depth + 1 < len(spec.levels) else (),
            )
            for r in rows
            if len(str(r["code"])) == spec.levels[depth] and str(r["code"]).startswith(prefix)
        )

    return (CodeTable(spec, tuple(_decimal(str(d["totals"][k])) for k in keys), level("", 0)),)


def _bar_chart(d: dict) -> tuple:
    """gongkai_core.charts.bar_chart of (label, amount) pairs, as gongkai_columns makes the budget's."""
    from gongkai_core.charts import bar_chart

    return (bar_chart([(label, _decimal(str(v))) for label, v in d["items"]], width=d.get("width", 640)),)


def _downloads(d: dict) -> tuple:
    """gongkai_columns Download records of an entry's tables, at the addresses gongkai_core.urls gives."""
    from gongkai_core.columns import Download
    from gongkai_core.urls import entry_download

    return (
        [
            Download(
                _data_table(t),
                entry_download(d["column"], d["slug"], t["key"], "csv"),
                entry_download(d["column"], d["slug"], t["key"], "json"),
            )
            for t in d["tables"]
        ],
    )


def _outline(d: dict) -> tuple:
    """The (d, width, height) of gongkai_core.columns.land.outline_svg_path, the GeoJSON geometry read as an
    entry's `outline` is read (land.read_outline; a problem with the example's geometry fails)."""
    from gongkai_core import yamlload
    from gongkai_core.columns import land

    outline: tuple = ()
    if d.get("geometry") is not None:  # an entry without `outline` draws nothing
        geometry, issues = yamlload.load(yaml.safe_dump(d["geometry"], allow_unicode=True))
        outline, problems = land.read_outline(geometry, "examples.yaml", 1)
        assert not issues and not problems, [*issues, *problems]
    width, height = d.get("size", (320, 240))
    return (land.outline_svg_path(outline, width, height),)


@dataclass(frozen=True)
class _Titled:
    title: str
    path: str = ""


def _timeline(d: dict) -> tuple:
    """The notices of one batch as the land column shows them (gongkai_core.columns.ShownEntry, in
    legal order by land.timelines), and the one whose page this is (`current`, its url)."""
    from datetime import date

    from gongkai_core.columns import ShownEntry, land

    shown = []
    for n in d["notices"]:
        approval = n.get("approval")
        model = land.Land(
            n["notice_type"],
            d["batch"],
            (),
            land.Areas(_decimal(str(d["area"]))),
            issued_on=date.fromisoformat(str(n["issued_on"])) if n.get("issued_on") else None,
            approval=land.Approval(
                approval["authority"], approval["number"], date.fromisoformat(str(approval["date"]))
            )
            if approval
            else None,
        )
        entry = _Titled(n["title"], path=n["url"])
        shown.append(ShownEntry(entry, n["url"].rsplit("/", 1)[-1].removesuffix(".html"), n["url"], model))
    (notices,) = set(land.timelines(shown).values())
    return land.timeline_parts(land.timeline_items(notices)), next(
        a for a in notices if a.url == d["current"]
    )


BUILDERS = {
    "paginate": _paginate,
    "datatable": _datatable,
    "codetable": _code_table,
    "barchart": _bar_chart,
    "downloads": _downloads,
    "outline": _outline,
    "timeline": _timeline,
}


def render(example: Example, env: Environment | None = None) -> str:
    env = env or environment()
    module = env.get_template(f"components/{example.component}/macro.html").make_module(
        {"SITEURL": env.globals["SITEURL"]}
    )
    args, kwargs = arguments(example.spec)
    return str(getattr(module, example.macro)(*args, **kwargs))


def gallery(out_dir: Path) -> Path:
    """A gallery page of every example with the site's CSS and JS, written into out_dir
    (theme/static copied to out_dir/theme, as Pelican does). Returns the page's path."""
    import shutil

    shutil.copytree(THEME / "static", out_dir / "theme", dirs_exist_ok=True)
    (out_dir / "files").mkdir(exist_ok=True)
    env = environment(".")
    sections = []
    for i, ex in enumerate(examples(), 1):
        sections.append(
            f'<section class="gk-gallery__example" data-component="{html.escape(ex.component)}" '
            f'aria-labelledby="gk-gallery-{i}">\n'
            f'<h2 id="gk-gallery-{i}">{html.escape(ex.component)}：{html.escape(ex.name)}</h2>\n'
            f'<div id="gk-gallery-example-{i}">{_unique_ids(render(ex, env), i)}</div>\n</section>'
        )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>组件示例 - Gongkai</title>
<link rel="stylesheet" href="theme/css/site.css">
<script src="theme/js/prefs.js"></script>
</head>
<body>
<main id="main" class="gk-main gk-wrap">
<h1>组件示例</h1>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
    target = out_dir / "gallery.html"
    target.write_text(page, encoding="utf-8")
    return target


def _unique_ids(fragment: str, n: int) -> str:
    """Two examples of one component would repeat its ids; suffix them per example."""
    import re

    return re.sub(
        r'\b(id|aria-labelledby|for)="([^"]+)"',
        lambda m: f'{m.group(1)}="' + " ".join(f"{v}-{n}" for v in m.group(2).split()) + '"',
        fragment,
    )
