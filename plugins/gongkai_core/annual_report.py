"""Figures of the 政府信息公开工作年度报告 (format of 国办公开办函〔2021〕30号, part 二, 主动公开)
computed from the entries published in one calendar year, and a draft entry for editors.

Only what the content can prove is computed; everything else is left as （请填写） for editors.
行政规范性文件 are counted as policy-column entries carrying a 文号 — editors confirm the count.

Run: `python -m gongkai_core.annual_report YEAR [--content content] [--force]` (what
`invoke annual-report YEAR` calls). Writes content/report/<YEAR+1>-annual-report-<YEAR>-draft.md
as a draft entry (review.status: draft), so the gate keeps it off the site until it is approved.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import clock
from .entry import Entry
from .errors import GongkaiError
from .site import DEFAULT_COLUMNS, Site, load_site

@dataclass(frozen=True)
class AnnualFigures:
    year: int
    total: int  # entries published proactively during the year
    by_column: tuple[tuple[str, int], ...]  # (column name, count), configured order
    by_publisher: tuple[tuple[str, int], ...]  # (publisher, count), most first then by name
    normative_issued: int  # 行政规范性文件 本年制发
    normative_repealed: int  # 本年废止 (repealed or expired, last changed this year)
    normative_current: int  # 现行有效 at the end of the year
    budget_documents: int
    sangong_documents: int
    land_notices: int


def _normative(entry: Entry) -> bool:
    return entry.column == "policy" and bool(entry.doc_no)


def figures(site: Site, year: int, columns: dict[str, str] | None = None) -> AnnualFigures:
    """Count what the gate publishes (as of the site's build date) with a publication date in `year`."""
    columns = columns or DEFAULT_COLUMNS
    published = site.published()
    this_year = [e for e in published if e.date_published.year == year]
    column_counts = Counter(e.column for e in this_year)
    publisher_counts = Counter(e.publisher for e in this_year)
    end = date(year, 12, 31)
    normative = [e for e in published if _normative(e)]
    return AnnualFigures(
        year=year,
        total=len(this_year),
        by_column=tuple((name, column_counts.get(key, 0)) for key, name in columns.items()),
        by_publisher=tuple(sorted(publisher_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        normative_issued=sum(1 for e in normative if e.date_written.year == year),
        normative_repealed=sum(1 for e in normative if e.validity in ("repealed", "expired")
                               and e.last_updated.year == year),
        normative_current=sum(1 for e in normative if e.validity == "current" and e.date_written <= end),
        budget_documents=column_counts.get("budget", 0),
        sangong_documents=column_counts.get("sangong", 0),
        land_notices=column_counts.get("land", 0),
    )


TODO = "（请填写）"


def draft_body(f: AnnualFigures, region: str) -> str:
    """The Markdown body: computed figures filled in, the rest marked for editors."""
    y = f.year
    lines = [
        f"本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为{y}年1月1日至12月31日。",
        "",
        "> 本稿由 `invoke annual-report` 根据本站已公开条目自动生成，标注“（请填写）”处须由编辑补充，"
        "数字请与各单位台账核对后再送审。",
        "",
        "## 一、总体情况",
        "",
        f"{y}年，{region}通过本站主动公开政府信息{f.total}条，其中预算决算{f.budget_documents}条、"
        f"“三公”经费{f.sangong_documents}条、征地信息{f.land_notices}条。{TODO}",
        "",
        "## 二、主动公开政府信息情况",
        "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| --- | --- | --- | --- |",
        f"| 规章 | {TODO} | {TODO} | {TODO} |",
        f"| 行政规范性文件 | {f.normative_issued} | {f.normative_repealed} | {f.normative_current} |",
        "",
        "| 信息内容 | 本年处理决定数量 |",
        "| --- | --- |",
        f"| 行政许可 | {TODO} |",
        f"| 行政处罚 | {TODO} |",
        f"| 行政强制 | {TODO} |",
        "",
        "| 信息内容 | 本年收费金额（单位：万元） |",
        "| --- | --- |",
        f"| 行政事业性收费 | {TODO} |",
        "",
        "本年主动公开信息按栏目统计：",
        "",
        "| 栏目 | 条数 |",
        "| --- | --- |",
        *(f"| {name} | {count} |" for name, count in f.by_column),
        f"| 合计 | {f.total} |",
        "",
        "按发布机构统计：",
        "",
        "| 发布机构 | 条数 |",
        "| --- | --- |",
        *(f"| {name} | {count} |" for name, count in f.by_publisher),
        "",
        "## 三、收到和处理政府信息公开申请情况",
        "",
        f"{TODO}（按依申请公开台账填写；各申请人类别须满足：本年新收 + 上年结转 = 办理结果总计 + 结转下年度）",
        "",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "",
        TODO,
        "",
        "## 五、存在的主要问题及改进情况",
        "",
        TODO,
        "",
        "## 六、其他需要报告的事项",
        "",
        TODO,
    ]
    return "\n".join(lines) + "\n"


def draft_entry(f: AnnualFigures, index_no: str, today: date, publisher: str, region: str) -> str:
    return (
        "---\n"
        f"title: {region}{f.year}年政府信息公开工作年度报告（草稿）\n"
        f"index_no: {index_no}\n"
        f"publisher: {publisher}\n"
        "column: report\n"
        "topic: 综合政务\n"
        f"date_written: {today.isoformat()}\n"
        f"date_published: {today.isoformat()}\n"
        "disclosure: proactive\n"
        "review:\n"
        "  status: draft\n"
        "  secrecy: pending\n"
        "---\n\n" + draft_body(f, region)
    )


class DraftExists(GongkaiError):
    """The draft file is there already; editors may have worked on it."""


def write_draft(content: Path, year: int, today: date, index_no: str, force: bool = False,
                publisher: str = "示例县人民政府办公室", region: str = "示例县人民政府",
                columns: dict[str, str] | None = None) -> tuple[Path, AnnualFigures]:
    target = content / "report" / f"{year + 1}-annual-report-{year}-draft.md"
    if target.exists() and not force:
        raise DraftExists(f"{target.as_posix()} 已存在（可能已有编辑修改）：如需重新生成，请加 --force")
    site = load_site(content, today, columns)
    f = figures(site, year, columns)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft_entry(f, index_no, today, publisher, region), encoding="utf-8")
    return target, f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="annual-report", description="生成政府信息公开工作年度报告草稿")
    parser.add_argument("year", type=int)
    parser.add_argument("--content", default="content")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    today = clock.build_date()
    if not 2000 <= args.year <= today.year:
        print(f"年度“{args.year}”无效：应为 2000 至 {today.year} 之间的年份", file=sys.stderr)
        return 1
    from gongkai_cli.new import DEFAULT_CODE, next_index_no  # the same unused-number rule as `invoke new`

    content = Path(args.content)
    try:
        target, f = write_draft(content, args.year, today, next_index_no(content, DEFAULT_CODE, today.year), args.force)
    except GongkaiError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已生成草稿：{target.as_posix()}")
    print(f"{f.year}年主动公开 {f.total} 条；行政规范性文件 制发 {f.normative_issued}、废止 {f.normative_repealed}、"
          f"现行有效 {f.normative_current}。请补充“（请填写）”处后送审。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
