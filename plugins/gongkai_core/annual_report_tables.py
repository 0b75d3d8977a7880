"""Tables 二, 三 and 四 of the 年度报告 in the national format (国办公开办函〔2021〕30号): written
into the draft's body as HTML tables (caption, scoped headers, the format's merged cells and its
labels), and read back from a report's body by the audit, which compares them with what the
entries and the register give (gongkai_core.audit, rule annual_report.tables).

Table 二 (主动公开): 第二十条第（一）项 规章 and 行政规范性文件 (本年制发件数, 本年废止件数,
现行有效件数); 第（五）项 行政许可, 第（六）项 行政处罚 and 行政强制 (本年处理决定数量); 第（八）项
行政事业性收费 (本年收费金额, 万元). The site counts 行政规范性文件; the others are the office's own
records, written in by editors.
Table 三 (依申请): gongkai_core.requests_register.table_three, every row, six applicant columns and
the total. Table 四 (复议、诉讼): fifteen cells, three groups of 维持, 纠正, 其他, 尚未审结, 总计.

A table is found by its caption; each body row by its order, its label checked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from html.parser import HTMLParser

from . import placeholder
from . import requests_register as rr

CAPTION_TWO = "二、主动公开政府信息情况"
CAPTION_THREE = "三、收到和处理政府信息公开申请情况"
CAPTION_FOUR = "四、政府信息公开行政复议、行政诉讼情况"
TODO = placeholder.TODO

# table 二: (section, column headers, rows); a row is (key, label)
TWO_SECTIONS = (
    (
        "第二十条第（一）项",
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("licences", "行政许可"),)),
    (
        "第二十条第（六）项",
        ("信息内容", "本年处理决定数量"),
        (("penalties", "行政处罚"), ("enforcement", "行政强制")),
    ),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (("fees", "行政事业性收费"),)),
)


def _cells(values) -> str:
    return "".join(f"<td>{escape(str(v))}</td>" for v in values)


def table_two(normative: tuple[int, int, int]) -> str:
    """Table 二: the 行政规范性文件 row from the entries, every other cell （请填写）."""
    lines = ["<table>", f"<caption>{CAPTION_TWO}</caption>"]
    for section, headers, rows in TWO_SECTIONS:
        lines.append("<tbody>")
        lines.append(f'<tr><th colspan="4" scope="colgroup">{section}</th></tr>')
        span = 4 - len(headers) + 1  # the last header spans what is left of the four columns
        head = "".join(f'<th scope="col">{h}</th>' for h in headers[:-1])
        tail = (
            f'<th scope="col" colspan="{span}">{headers[-1]}</th>'
            if span > 1
            else f'<th scope="col">{headers[-1]}</th>'
        )
        lines.append(f"<tr>{head}{tail}</tr>")
        for key, label in rows:
            if key == "normative":
                values = normative
            else:
                values = (TODO,) * (len(headers) - 1)
            if span > 1:
                cells = f'<td colspan="{span}">{escape(str(values[0]))}</td>'
            else:
                cells = _cells(values)
            lines.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
        lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def table_three(rows: tuple[rr.TableRow, ...]) -> str:
    """Table 三 with the format's header (申请人情况: 自然人, 法人或其他组织 by kind, 总计) and its
    row groups (三、本年度办理结果 → （三）不予公开 → 1…8)."""
    by = {r.key: r for r in rows}
    out = [
        "<table>",
        f"<caption>{CAPTION_THREE}</caption>",
        "<thead>",
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<th colspan="7" scope="colgroup">申请人情况</th></tr>',
        '<tr><th rowspan="2" scope="col">自然人</th><th colspan="5" scope="colgroup">法人或其他组织</th>'
        '<th rowspan="2" scope="col">总计</th></tr>',
        "<tr>" + "".join(f'<th scope="col">{label}</th>' for _, label in rr.APPLICANT_TYPES[1:]) + "</tr>",
        "</thead>",
        "<tbody>",
    ]

    def row(key: str, heads: str) -> None:
        out.append(f"<tr>{heads}{_cells(by[key].cells)}</tr>")

    row("new", f'<th colspan="3" scope="row">{by["new"].label}</th>')
    row("carried_over", f'<th colspan="3" scope="row">{by["carried_over"].label}</th>')
    results = sum(max(len(items), 1) for _, _, items in rr.OUTCOME_GROUPS) + 1  # + （七）总计
    first = True
    for key, label, items in rr.OUTCOME_GROUPS:
        lead = f'<th rowspan="{results}" scope="rowgroup">三、本年度办理结果</th>' if first else ""
        first = False
        if not items:
            row(key, f'{lead}<th colspan="2" scope="row">{label}</th>')
            continue
        for i, (n, _text) in enumerate(items):
            group = f'<th rowspan="{len(items)}" scope="rowgroup">{label}</th>' if i == 0 else ""
            row(f"{key}:{n}", f'{lead if i == 0 else ""}{group}<th scope="row">{by[f"{key}:{n}"].label}</th>')
    row("outcome_total", f'<th colspan="2" scope="row">{by["outcome_total"].label}</th>')
    row("carried_forward", f'<th colspan="3" scope="row">{by["carried_forward"].label}</th>')
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def table_four(cells: dict[str, tuple[int, ...]]) -> str:
    results = (
        "".join(f'<th scope="col">{label}</th>' for _, label in rr.APPEAL_RESULTS)
        + '<th scope="col">总计</th>'
    )
    values = [v for kind, _ in rr.APPEAL_KINDS for v in cells[kind]]
    return "\n".join(
        [
            "<table>",
            f"<caption>{CAPTION_FOUR}</caption>",
            "<thead>",
            '<tr><th colspan="5" rowspan="2" scope="colgroup">行政复议</th>'
            '<th colspan="10" scope="colgroup">行政诉讼</th></tr>',
            '<tr><th colspan="5" scope="colgroup">未经复议直接起诉</th>'
            '<th colspan="5" scope="colgroup">复议后起诉</th></tr>',
            f"<tr>{results * 3}</tr>",
            "</thead>",
            "<tbody>",
            f"<tr>{_cells(values)}</tr>",
            "</tbody>",
            "</table>",
        ]
    )


# ---------------------------------------------------------------- reading a report's tables back


@dataclass
class ParsedTable:
    caption: str
    line: int = 1  # of the caption, in the parsed text
    rows: list[tuple[str, list[str], int]] = field(
        default_factory=list
    )  # (last row header, data cells, line)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ParsedTable] = []
        self._in: str | None = None  # caption | th | td
        self._text: list[str] = []
        self._row: tuple[list[str], list[str]] | None = None
        self._row_line = 1
        self._body = False  # inside a tbody: rows of figures (thead rows are headers only)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append(ParsedTable(""))
        elif self._depth == 1 and tag == "tbody":
            self._body = True
        elif self._depth == 1 and tag == "tr" and self._body:
            self._row, self._row_line = ([], []), self.getpos()[0]
        elif self._depth == 1 and tag in ("caption", "th", "td"):
            self._in, self._text = tag, []
            if tag == "caption":
                self.tables[-1].line = self.getpos()[0]

    def handle_endtag(self, tag):
        if tag == "table":
            self._depth -= 1
        elif self._depth == 1 and tag == "tbody":
            self._body = False
        elif self._depth == 1 and tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "caption":
                self.tables[-1].caption = text
            elif self._row is not None:
                self._row[0 if tag == "th" else 1].append(text)
            self._in = None
        elif self._depth == 1 and tag == "tr" and self._row is not None:
            heads, cells = self._row
            if cells:
                self.tables[-1].rows.append((heads[-1] if heads else "", cells, self._row_line))
            self._row = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def parse_tables(html: str) -> dict[str, ParsedTable]:
    """The report's tables 二, 三, 四 found by caption: {"two"|"three"|"four": table}."""
    parser = _Tables()
    parser.feed(html)
    found = {}
    for t in parser.tables:
        for key, caption in (("two", CAPTION_TWO), ("three", CAPTION_THREE), ("four", CAPTION_FOUR)):
            if caption[2:] in t.caption and key not in found:
                found[key] = t
    return found


_LEADING = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")


def number(cell: str) -> Decimal | None:
    """The figure a cell states (“3（含失效1件）” → 3), None when it states none."""
    m = _LEADING.match(cell.replace(",", ""))
    if not m:
        return None
    try:
        return Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def same_label(written: str, expected: str) -> bool:
    def squeeze(s: str) -> str:
        return re.sub(r"[\s.．、]", "", s)

    return squeeze(written) == squeeze(expected)
