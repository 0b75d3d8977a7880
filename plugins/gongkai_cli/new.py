"""`invoke new COLUMN TITLE`: scaffold an entry with today's date and an unused index_no."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from gongkai_core.errors import ConfigError, ConfigProblem
from gongkai_core import columns as data_columns
from gongkai_core.site import load_site

DEFAULT_CODE = "SL0000001"
MARKDOWN_TEMPLATE = """---
title: {title}
index_no: {index_no}
publisher: 请填写发布机构
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

请在这里撰写正文。
"""


def next_index_no(content: Path, code: str, year: int) -> str:
    used = 0
    pattern = re.compile(rf"^\s*index_no:\s*['\"]?{re.escape(code)}/{year}-(\d+)", re.M)
    for path in content.rglob("*"):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            for m in pattern.finditer(path.read_text(encoding="utf-8", errors="ignore")):
                used = max(used, int(m.group(1)))
    return f"{code}/{year}-{used + 1:05d}"


def slug_for(title: str, today: date, folder: Path) -> str:
    base = today.isoformat()
    n = 1
    while any((folder / f"{base}-{n:02d}{ext}").exists() for ext in (".md", ".yaml")):
        n += 1
    return f"{base}-{n:02d}"


def scaffold(
    content: Path, columns: dict[str, str], column: str, title: str, today: date, code: str = DEFAULT_CODE
) -> Path:
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
    folder = content / column
    folder.mkdir(parents=True, exist_ok=True)
    index_no = next_index_no(content, code, today.year)
    safe_title = title.replace('"', "“")
    text = MARKDOWN_TEMPLATE.format(
        title=f'"{safe_title}"', index_no=index_no, column=column, today=today.isoformat()
    )
    suffix = ".md"
    if data_columns.get(column) is not None:
        # Data entries are YAML: the metadata, then the column block of the newest entry as a starting point.
        meta = text.split("---\n")[1]
        suffix = ".yaml"
        text = meta + data_block_template(folder, column)
    path = folder / f"{slug_for(title, today, folder)}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def data_block_template(folder: Path, column: str) -> str:
    """The `<column>:` block of the newest entry in the folder, or an empty block with a pointer to the docs."""
    for path in sorted(folder.glob("*.yaml"), reverse=True):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        for i, line in enumerate(lines):
            if line.startswith(f"{column}:"):
                return (
                    f"# 以下数据复制自 {path.name}，请逐项改为本条目的数字\n"
                    + "\n".join(lines[i:]).rstrip()
                    + "\n"
                )
    return f"{column}:\n  # 请按 docs/editing.md 填写本栏目的数据\n"


__all__ = ["scaffold", "next_index_no", "load_site"]
