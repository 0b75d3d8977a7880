"""`invoke new COLUMN TITLE [--部门 …] [--年度 …]`: scaffold an entry with today's date and an unused
index_no.

What the editor still has to write is either empty (a required value: `invoke check` says it is
missing, at its line) or a placeholder from the one table of gongkai_core.placeholder (the
发布机构, the body): both are errors until replaced, so a half-done draft is never published.
A data entry (budget, sangong, land) starts from an empty block of its column's schema for the
chosen department and year, never from another entry's figures.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from gongkai_core import columns as data_columns
from gongkai_core import placeholder, policylinks, yamlload
from gongkai_core.errors import ConfigError, ConfigProblem
from gongkai_core.fieldspec import scaffold as block_scaffold
from gongkai_core.site import load_site

DEFAULT_CODE = "SL0000001"
MARKDOWN_TEMPLATE = """---
title: {title}
index_no: {index_no}
publisher: {publisher}
doc_no:
column: {column}
topic:
date_written: {today}
date_published: {today}
validity: current
disclosure: proactive
review:
  status: draft
  drafted_by:
  drafted_on:
  section_by:
  section_on:
  secrecy: pending
  secrecy_by:
  secrecy_on:
  approved_by:
  approved_on:
---

{body}
"""
# Optional parts of a column's block that a new entry of it still needs (dotted keys): a budget's
# 一般公共预算财政拨款支出表 is required, its rows and 合计行 are what it is made of.
SCAFFOLD_INCLUDE = {"budget": ("functional.totals", "functional.rows")}
_INDEX_NO = re.compile(r"^\s*index_no:\s*['\"]?([A-Za-z0-9]{4,18})/\d{4}-\d+", re.M)
_PUBLISHER = re.compile(r"^\s*publisher:\s*['\"]?(.+?)['\"]?\s*$", re.M)
_PLAIN = re.compile(r"[^\s:#'\"{}\[\],&*!|>%@`?\-][^:#{}\[\],]*")


def next_index_no(content: Path, code: str, year: int) -> str:
    used = 0
    pattern = re.compile(rf"^\s*index_no:\s*['\"]?{re.escape(code)}/{year}-(\d+)", re.M)
    for path in content.rglob("*"):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            for m in pattern.finditer(path.read_text(encoding="utf-8", errors="ignore")):
                used = max(used, int(m.group(1)))
    return f"{code}/{year}-{used + 1:05d}"


def publisher_code(content: Path, publisher: str | None) -> str:
    """The code of the index numbers the publisher's entries use most, else DEFAULT_CODE."""
    if not publisher:
        return DEFAULT_CODE
    codes: Counter[str] = Counter()
    for path in sorted(content.rglob("*")):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="ignore")
            named = _PUBLISHER.search(text)
            code = _INDEX_NO.search(text)
            if named and code and named.group(1).strip() == publisher:
                codes[code.group(1)] += 1
    return codes.most_common(1)[0][0] if codes else DEFAULT_CODE


def slug_for(title: str, today: date, folder: Path) -> str:
    base = today.isoformat()
    n = 1
    while any((folder / f"{base}-{n:02d}{ext}").exists() for ext in (".md", ".yaml")):
        n += 1
    return f"{base}-{n:02d}"


def _yaml_text(value: str) -> str:
    """A one-line text as a YAML value: plain when that reads back the same, else double-quoted."""
    value = " ".join(value.split())
    if _PLAIN.fullmatch(value) and value == value.strip():
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def kind_of(title: str) -> str | None:
    """budget or final_accounts as the title says (决算 before 预算: “预算执行情况和决算”), else None."""
    if "决算" in title:
        return "final_accounts"
    if "预算" in title:
        return "budget"
    return None


def data_block(
    column: str, title: str, today: date, department: str | None, year: int | None, content: Path
) -> str:
    """The empty `<column>:` block of a new data entry: the schema's required keys, the department,
    year and kind filled in where the column has them, every other value to be written."""
    module = data_columns.get(column)
    keys = {f.key for f in module.FIELDS}
    values: dict[str, str] = {}
    kind = kind_of(title) if "kind" in keys else None
    if kind:
        values["kind"] = kind
    if "fiscal_year" in keys:  # a budget is of the coming year, final accounts of the last one
        values["fiscal_year"] = str(year or (today.year - 1 if kind == "final_accounts" else today.year))
    if "department" in keys:
        values["department"] = _yaml_text(department) if department else placeholder.DEPARTMENT
    include = SCAFFOLD_INCLUDE.get(column, ())
    source = None
    if column == "sangong" and department and kind:  # 上年金额: this department's figures of last year
        source, last_year = last_year_figures(content, department, int(values["fiscal_year"]) - 1, kind)
        values.update(last_year)
        include += tuple(k for k in last_year if k.startswith("previous_counts."))
    lines = block_scaffold(module.FIELDS, values, include, indent="  ")
    note = f"# 上年金额和上年数量取自 {source}（本部门上年同口径的本年数），请核对\n" if source else ""
    return (
        f"# {module.BLOCK} 数据块：空着的值和“请填写…”都须填写（invoke check 会逐项列出），写法见 docs/columns.md\n"
        + note
        + f"{module.BLOCK}:\n"
        + "\n".join(lines)
        + "\n"
    )


def last_year_figures(
    content: Path, department: str, year: int, kind: str
) -> tuple[str | None, dict[str, str]]:
    """The 本年金额 and 本年数量 of the department's 三公经费 entry of `year` and `kind`, as the new
    entry's 上年金额 and 上年数量 (dotted keys), and that entry's path; (None, {}) when there is none."""
    for path in sorted((content / "sangong").glob("*.yaml")):
        data, issues = yamlload.load(path.read_text(encoding="utf-8", errors="replace"))
        block = data.get("sangong") if isinstance(data, yamlload.LineDict) and not issues else None
        if not isinstance(block, yamlload.LineDict):
            continue
        if (block.get("department"), block.get("fiscal_year"), block.get("kind")) != (
            department,
            str(year),
            kind,
        ):
            continue
        found: dict[str, str] = {}
        for mine, theirs in (("previous", "current"), ("previous_counts", "counts")):
            figures = block.get(theirs)
            if isinstance(figures, yamlload.LineDict):
                found.update(
                    {f"{mine}.{k}": v for k, v in figures.items() if isinstance(v, str) and v.strip()}
                )
        return path.relative_to(content.parent).as_posix(), found
    return None, {}


def scaffold(
    content: Path,
    columns: dict[str, str],
    column: str,
    title: str,
    today: date,
    code: str | None = None,
    department: str | None = None,
    year: int | None = None,
) -> Path:
    """Write a new entry; `department` is its 发布机构 (and a data block's 部门), `year` a data
    block's 年度."""
    if column not in columns:
        raise ConfigError(
            [
                ConfigProblem(
                    "column", column, "可选栏目：" + "、".join(f"{k}（{v}）" for k, v in columns.items())
                )
            ]
        )
    if not title.strip():
        raise ConfigError([ConfigProblem("title", title, "标题不能为空")])
    department = department.strip() if department and department.strip() else None
    if year is not None and not 2000 <= year <= today.year + 1:
        raise ConfigError([ConfigProblem("年度", year, f"应为 2000 至 {today.year + 1} 之间的年份")])
    folder = content / column
    folder.mkdir(parents=True, exist_ok=True)
    index_no = next_index_no(content, code or publisher_code(content, department), today.year)
    safe_title = title.replace('"', "“")
    text = MARKDOWN_TEMPLATE.format(
        title=f'"{safe_title}"',
        index_no=index_no,
        publisher=_yaml_text(department) if department else placeholder.PUBLISHER,
        column=column,
        today=today.isoformat(),
        body=placeholder.BODY,
    )
    if column in policylinks.SCAFFOLD:  # a 解读's interprets, a consultation's dates and ways to comment
        text = text.replace(f"column: {column}\n", f"column: {column}\n{policylinks.SCAFFOLD[column]}", 1)
    suffix = ".md"
    if data_columns.get(column) is not None:  # a data entry is YAML: the metadata, then its block
        suffix = ".yaml"
        text = text.split("---\n")[1] + data_block(column, title, today, department, year, content)
    path = folder / f"{slug_for(title, today, folder)}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["scaffold", "next_index_no", "load_site"]
