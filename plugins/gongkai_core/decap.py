"""The Decap CMS `config.yml`, generated from the entry schema (never written by hand).

One collection per configured column plus the static pages; every field of `schema.ENTRY_FIELDS`
(with the review block and its four sign-offs, attachments, change notes) and, for the data
columns, every field of the column's own schema (`budget.FIELDS`, `sangong.FIELDS`,
`land.FIELDS`). Labels are the schema's Chinese labels, `choice` becomes a select, dates are
date widgets writing `YYYY-MM-DD`, and the patterns the reader enforces (索引号, 文号) are
checked in the form with a Chinese message.

Required flags: a field is required in the form when it is required in the schema *and* every
block above it is required. A required key inside an optional block (e.g. 批准文号 inside the
optional 批准情况 of a land notice) cannot be required in Decap, whose object widget has no
"leave the whole block out" switch; `invoke check` still requires it once the block is filled.

Pure: no Pelican, no I/O. `gongkai_cli.edit` writes the result as YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import annual_report_block, schema
from . import columns as data_columns
from . import requests_register
from .entry import DOC_NO, INDEX_NO
from .schema import Field

DATE_FORMAT = "YYYY-MM-DD"  # what dates.parse_date reads first; Decap's dayjs format
MEDIA_FOLDER = "content/files"
PUBLIC_FOLDER = "files"  # attachment paths are relative to content/, e.g. files/2025-budget.pdf
PAGES_FOLDER = "content/pages"
GEOJSON_WIDGET = "gk-geojson"  # registered by theme/admin/gongkai-cms.js
# A date as 2025-01-20 whatever the browser's language (Decap's datetime is the browser's own date
# input, shown as mm/dd/yyyy in an English browser); registered by admin/gongkai-cms.js.
DATE_WIDGET = "gk-date"
# 索引号 of a new entry: asks `invoke edit` for the next free number of the publisher's code as the
# 发布机构 is written (admin/gongkai-cms.js); elsewhere a plain text field with the default below.
INDEX_NO_WIDGET = "gk-index-no"
# Entry fields offered only on the form of one column (the reader accepts them anywhere).
ONLY_IN_COLUMN = {"annual_report": annual_report_block.REPORT_COLUMN}
# New files are named as the repository names them (`invoke new`: content/policy/2026-12-07-01.md):
# the day they are made; Decap adds -1, -2 … when that name is taken. Never from the title or 索引号.
ENTRY_SLUG = "{{year}}-{{month}}-{{day}}"
# Commit messages in Chinese ({{collection}} is the collection's label_singular, {{slug}} the file name).
COMMIT_MESSAGES = {
    "create": "新建{{collection}} {{slug}}（网页编辑器）",
    "update": "修改{{collection}} {{slug}}（网页编辑器）",
    "delete": "删除{{collection}} {{slug}}（网页编辑器）",
    "uploadMedia": "上传附件 {{path}}（网页编辑器）",
    "deleteMedia": "删除附件 {{path}}（网页编辑器）",
    "openAuthoring": "{{message}}",
}


def form_regex(compiled: re.Pattern[str]) -> str:
    """The reader's Python pattern as the JavaScript RegExp source Decap compiles (`RegExp(src)`, no
    flags). Python's whole-string anchors become JavaScript's (`\\A` → `^`, `\\Z` → `$`: without the
    m flag they are the start and the very end of the value); anything JavaScript would read otherwise
    (it takes an unknown escape such as `\\A` as the letter A, so the form would refuse every value) or
    not at all is a DecapConfigError, so a changed reader pattern cannot silently break the form."""
    flags = compiled.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.LOCALE)
    if flags:
        raise DecapConfigError(
            f"模式 {compiled.pattern!r} 带有 JavaScript 不支持的标志，请在 gongkai_core/decap.py 中补充"
        )
    src, out, i, in_class = compiled.pattern, [], 0, False
    while i < len(src):
        ch, nxt = src[i], src[i + 1 : i + 2]
        token = src[i : i + 2] if ch == "\\" else ch
        if ch == "\\" and nxt in ("A", "Z") and not in_class:
            token = "^" if nxt == "A" else "$"
        elif ch == "\\" and nxt in ("A", "Z", "N", "U", "a", ""):
            raise DecapConfigError(
                f"模式 {src!r} 中的 {token} 在 JavaScript 中含义不同，请在 gongkai_core/decap.py 中补充"
            )
        elif ch == "[" and not in_class:
            in_class = True
            if src.startswith(("[^]", "[]"), i):  # Python: a literal ] first; JavaScript: an empty class
                raise DecapConfigError(f"模式 {src!r} 中的 {src[i : i + 3]} 在 JavaScript 中含义不同")
        elif ch == "]" and in_class:
            in_class = False
        elif not in_class and (
            src.startswith(("(?P", "(?>", "{,"), i)
            or re.match(r"\(\?[aiLmsux-]", src[i:])
            or re.match(r"[*+?}]\+", src[i:])
        ):
            raise DecapConfigError(
                f"模式 {src!r} 用了 JavaScript 没有的写法（{src[i : i + 4]}），请在 gongkai_core/decap.py 中补充"
            )
        out.append(token)
        i += len(src[i : i + 2]) if ch == "\\" else 1
    return "".join(out)


# Patterns the form checks (JavaScript RegExp sources); the message completes Decap's
# “<label>”不满足模式<message>.
PATTERNS: dict[str, tuple[str, str]] = {
    "index_no": (form_regex(INDEX_NO), "“代码/年份-序号”：代码为4–18位字母或数字，如 SL0000001/2025-00012"),
    "doc_no": (form_regex(DOC_NO), "“机关代字〔年份〕序号号”，年份用六角括号〔〕，如 示财发〔2025〕3号"),
    "secrecy_level": ("^非密$", "“非密”：涉密信息不得进入本仓库，涉密文件请勿在此录入"),
    "code": (r"^\d{3}(\d{2}){0,2}$", "“3位、5位或7位数字”（类、款、项），如 2010601"),
    "slug": (r"^[a-z0-9][a-z0-9-]*$", "“小写字母、数字和连字符”，如 guide"),
    "order": (r"^\d+$", "“整数”，如 1"),
}

_NUMBER = {  # kind: (value_type, step, min)
    "money": ("float", 0.01, None),
    "area": ("float", 0.0001, 0),
    "price": ("float", 0.01, 0),
    "count": ("int", 1, 0),
    "year": ("int", 1, 1900),
}
_UNITS = {
    "money": "单位：万元，最多两位小数",
    "area": "单位：公顷，最多四位小数",
    "price": "单位：元/亩，最多两位小数",
}


class DecapConfigError(ValueError):
    """The schema has a field kind this generator cannot express (a bug to fix here)."""


def _hint(f: Field, extra: str = "") -> str:
    return "；".join(part for part in (f.hint, extra) if part)


def _options(choices: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [
        {"label": f"{label}（{value}）" if label != value else label, "value": value}
        for value, label in choices
    ]


def field_config(f: Field, required_above: bool = True, pattern_key: str | None = None) -> dict[str, Any]:
    """The Decap field of one schema field (recursively for blocks and lists)."""
    required = bool(f.required and required_above)
    out: dict[str, Any] = {"name": f.key, "label": f.label, "required": required}
    kind = f.kind
    extra_hint = ""
    if kind == "text":
        out["widget"] = "string"
    elif kind == "code":
        out["widget"] = "string"
        pattern_key = pattern_key or "code"
    elif kind == "markdown":
        out.update(widget="markdown", modes=["raw", "rich_text"])
    elif kind == "choice":
        out.update(widget="select", options=_options(f.choices))
        if len(f.choices) == 1 and required:
            out["default"] = f.choices[0][0]
    elif kind == "date":
        out.update(widget=DATE_WIDGET, format=DATE_FORMAT)
        extra_hint = "写成 年-月-日，如 2025-01-20"
    elif kind in _NUMBER:
        value_type, step, minimum = _NUMBER[kind]
        out.update(widget="number", value_type=value_type, step=step)
        if minimum is not None:
            out["min"] = minimum
        extra_hint = _UNITS.get(kind, "")
    elif kind == "mapping":
        out.update(
            widget="object", collapsed=not required, fields=[field_config(sub, required) for sub in f.fields]
        )
    elif kind == "list":
        out.update(
            widget="list",
            collapsed=False,
            add_to_top=False,
            fields=[field_config(sub, True) for sub in f.fields],
        )
        # An item's required keys are required once the item exists, so they stay required.
    elif kind == "geojson":
        out["widget"] = GEOJSON_WIDGET
    else:
        raise DecapConfigError(
            f"字段“{f.key}”的类型“{kind}”无法生成编辑器控件，请在 gongkai_core/decap.py 中补充"
        )
    hint = _hint(f, extra_hint)
    if hint:
        out["hint"] = hint
    if pattern_key in PATTERNS:
        regex, message = PATTERNS[pattern_key]
        out["pattern"] = [regex, message]
    return out


def _attachment_fields() -> list[dict[str, Any]]:
    fields = []
    for f in schema.ATTACHMENT_FIELDS:
        cfg = field_config(f)
        if f.key == "file":
            cfg.update(
                widget="file",
                media_folder=f"/{MEDIA_FOLDER}",
                public_folder=PUBLIC_FOLDER,
                choose_url=False,
                hint="上传的文件保存在 content/files/ 中",
            )
        fields.append(cfg)
    return fields


def offered(key: str, column: str) -> bool:
    """Whether the form of `column` offers the entry field `key` (ONLY_IN_COLUMN)."""
    return ONLY_IN_COLUMN.get(key, column) == column


def entry_fields(
    column: str,
    columns: Mapping[str, str],
    yaml_entry: bool,
    defaults: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every field of the entry schema offered for one column, then the column's data block if it
    has one; `defaults`: values a new entry starts with (the next free 索引号)."""
    out: list[dict[str, Any]] = []
    for f in schema.ENTRY_FIELDS:
        if not offered(f.key, column):
            continue
        if f.key == "column":
            out.append(
                {"name": "column", "label": f.label, "widget": "hidden", "default": column, "required": True}
            )
        elif f.key == "attachments":
            cfg = field_config(f)
            cfg["fields"] = _attachment_fields()
            out.append(cfg)
        elif f.key == "body":
            out.append(
                {
                    "name": "body",
                    "label": f.label,
                    "widget": "markdown",
                    "modes": ["raw", "rich_text"],
                    "required": False,
                    "hint": "YAML 条目的正文（可选）"
                    if yaml_entry
                    else "正文，可使用 Markdown；图片和文件请放在 content/files/",
                }
            )
        else:
            cfg = field_config(f, pattern_key=f.key)
            if f.key == "index_no":
                cfg["widget"] = INDEX_NO_WIDGET
            if defaults and defaults.get(f.key):
                cfg["default"] = defaults[f.key]
            out.append(cfg)
    module = data_columns.get(column)
    if module is not None:
        out.append(
            {
                "name": module.BLOCK,
                "label": f"{columns.get(column, column)}数据",
                "widget": "object",
                "required": True,
                "collapsed": False,
                "fields": [field_config(sub) for sub in module.FIELDS],
            }
        )
    return out


def entry_collection(
    column: str, columns: Mapping[str, str], defaults: Mapping[str, str] | None = None
) -> dict[str, Any]:
    yaml_entry = data_columns.get(column) is not None
    label = columns.get(column, column)
    return {
        "name": column,
        "label": label,
        "label_singular": f"{label}条目",
        "description": f"content/{column}/ 中的条目。保存即提交到 git；审定并到发布日期后才会公开。",
        "folder": f"content/{column}",
        "create": True,
        "extension": "yaml" if yaml_entry else "md",
        "format": "yaml" if yaml_entry else "yaml-frontmatter",
        "slug": ENTRY_SLUG,
        "identifier_field": "title",
        "summary": "{{title}}（{{index_no}}，{{date_published}}）",
        "sortable_fields": ["date_published", "title", "index_no"],
        "editor": {"preview": True},
        "fields": entry_fields(column, columns, yaml_entry, defaults),
    }


def pages_collection() -> dict[str, Any]:
    fields = [field_config(f, pattern_key=f.key) for f in schema.PAGE_FIELDS]
    for cfg in fields:
        if cfg["name"] == "slug":  # the file name comes from it, so the form needs it
            cfg.update(required=True, hint="网址名，即 pages/<网址名>.html；只用小写字母、数字和连字符")
    fields.append(
        {
            "name": "body",
            "label": "正文",
            "widget": "markdown",
            "modes": ["raw", "rich_text"],
            "required": True,
        }
    )
    return {
        "name": "pages",
        "label": "静态页面",
        "label_singular": "页面",
        "description": "content/pages/ 中的公开指南、依申请公开指南、关于本站等页面。",
        "folder": PAGES_FOLDER,
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{fields.slug}}",
        "identifier_field": "title",
        "editor": {"preview": True},
        "fields": fields,
    }


REGISTER_COLLECTION = "request_register"  # the 依申请公开 register: offered by the local editor only


def register_collection() -> dict[str, Any]:
    """The register of 依申请公开 requests (`requests/`, gongkai_core.requests_register): only in the
    config `invoke edit` serves on this machine (`local_register=True`), never in a config written for
    a shared server (`invoke edit --write-config`). Nothing of it is published; no preview."""
    return {
        "name": REGISTER_COLLECTION,
        "label": "依申请公开登记",
        "label_singular": "申请",
        "description": f"{requests_register.FOLDER}/ 中的政府信息公开申请登记：只存于本机，不会公开（docs/requests.md）。",
        "folder": requests_register.FOLDER,
        "create": True,
        "extension": "yaml",
        "format": "yaml",
        "slug": "{{fields.request_no}}",
        "identifier_field": "request_no",
        "summary": "{{request_no}}（{{received_on}} 收到）",
        "sortable_fields": ["received_on", "request_no"],
        "editor": {"preview": False},
        "fields": [field_config(f) for f in requests_register.REQUEST_FIELDS],
    }


def proxy_backend(branch: str, proxy_url: str) -> dict[str, Any]:
    """decap-server on this machine (git mode): every save is a commit in the local repository."""
    return {"name": "proxy", "proxy_url": proxy_url, "branch": branch}


def config(
    columns: Mapping[str, str],
    backend: Mapping[str, Any],
    *,
    site_url: str = "",
    editorial_workflow: bool = True,
    locale: str = "zh_Hans",
    local_register: bool = False,
    defaults: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The whole Decap config for these columns (key -> 中文名, as GONGKAI_COLUMNS) and backend;
    `defaults`: by column, the values a new entry starts with (edit.py: the next free 索引号)."""
    out: dict[str, Any] = {
        "backend": {"commit_messages": dict(COMMIT_MESSAGES), **backend},
        "locale": locale,
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if editorial_workflow:
        out["publish_mode"] = "editorial_workflow"
    if site_url:
        out["site_url"] = out["display_url"] = site_url
    out["collections"] = [
        entry_collection(column, columns, (defaults or {}).get(column)) for column in sorted_columns(columns)
    ]
    out["collections"].append(pages_collection())
    if local_register:
        out["collections"].append(register_collection())
    return out


def sorted_columns(columns: Mapping[str, str]) -> list[str]:
    """Columns in their configured order (the order editors see in the site's navigation)."""
    return list(columns)
