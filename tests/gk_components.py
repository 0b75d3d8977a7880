"""Render the theme's components from their examples.yaml, outside Pelican.

Used twice: tests/unit/test_components.py checks each rendered example (caption, scope, valid
HTML), tests/browser/test_theme.py puts them all on one gallery page and runs axe on it.
The filters are the real ones the plugins register; `paginate` and `datatable` examples build
real Pelican Paginator and gongkai_core DataTable objects.
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


def examples() -> list[Example]:
    found = []
    for folder in sorted(p for p in COMPONENTS.iterdir() if p.is_dir()):
        path = folder / "examples.yaml"
        if not path.exists():
            continue
        for spec in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(Example(folder.name, spec["name"], _macro_name(folder.name), spec))
    return found


def environment(site_url: str = "..") -> Environment:
    from gongkai_columns.glue import gk_num
    from gongkai_core.values import fmt_money
    from gongkai_gate.glue import human_size

    # as our build configures Pelican's: autoescape (gongkai_readers forces it), lenient Undefined
    # (optional fields are absent)
    env = Environment(loader=FileSystemLoader(str(THEME / "templates")), autoescape=True,
                      extensions=["jinja2.ext.do"])
    env.filters.update(gk_num=gk_num, gk_money=fmt_money,
                       gk_filesize=lambda file: human_size(ROOT / "content" / file))
    env.globals["SITEURL"] = site_url
    return env


def _decimal(value):
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", ""))
        except ArithmeticError:
            return value
    return value


def _params(spec: dict) -> tuple[tuple, dict]:
    if "paginate" in spec:
        from pelican.paginator import Paginator
        from pelican.settings import read_settings

        p = spec["paginate"]
        settings = read_settings(None, override={"RELATIVE_URLS": True})
        paginator = Paginator(p["name"], p["url"], list(range(p["items"])), settings, p["per_page"])
        page = paginator.page(p["current"])
        prev = paginator.page(p["current"] - 1) if page.has_previous() else None
        nxt = paginator.page(p["current"] + 1) if page.has_next() else None
        return (page, paginator, prev, nxt), {}
    if "datatable" in spec:
        from gongkai_core.datatable import DataTable

        d = dict(spec["datatable"])
        rows = tuple(tuple(_decimal(v) if i else v for i, v in enumerate(r)) for r in d.pop("rows"))
        table = DataTable(rows=rows, header=tuple(d.pop("header")), keys=tuple(d.pop("keys")), **d)
        return (table,), {}
    return (), dict(spec.get("params") or {})


def render(example: Example, env: Environment | None = None) -> str:
    env = env or environment()
    module = env.get_template(f"components/{example.component}/macro.html").make_module(
        {"SITEURL": env.globals["SITEURL"]})
    args, kwargs = _params(example.spec)
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
            f'<section class="gk-gallery__example" aria-labelledby="gk-gallery-{i}">\n'
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

    return re.sub(r'\b(id|aria-labelledby|for)="([^"]+)"',
                  lambda m: f'{m.group(1)}="' + " ".join(f"{v}-{n}" for v in m.group(2).split()) + '"',
                  fragment)
