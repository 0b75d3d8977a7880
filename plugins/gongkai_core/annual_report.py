"""The 政府信息公开工作年度报告 (format of 国办公开办函〔2021〕30号): the proactive-disclosure
figures computed from the entries, the `annual_report:` block that states them, and a draft entry.

One definition of the figures, used by `invoke annual-report YEAR` (the draft) and by
`invoke audit` (which checks the block of the published report against it) — docs/audit.md:

- **本年主动公开信息条数** (`entries`): entries made public by the gate — published, or published
  and later withdrawn (they were disclosed that year; a withdrawal does not undo it) — whose
  发布日期 falls in the year. Embargoed, draft, withheld and invalid entries never count.
- **行政规范性文件**: such public entries in a normative column (default `policy`) carrying a 文号
  (an approximation: editors confirm the count against the office's register).
  - `normative_issued` 本年制发: 成文日期 in the year;
  - `normative_repealed` 本年废止 / `normative_expired` 本年失效: `validity: repealed` / `expired`
    with the repeal or lapse date in `valid_until` in the year. An entry marked repealed or
    expired without `valid_until` cannot be dated: it counts in no year (listed as `undated_ends`)
    and is not in force;
  - `normative_in_force` 现行有效: public by 31 December (written and published by then) and not
    ended by then — `valid_until` not before 31 December, and for a repealed or expired one after it.
- A government-level report (本级政府) counts the whole site; an agency report only its publisher's.

Only what the content can prove is computed; everything else in the draft is （请填写）.

The command is `invoke annual-report YEAR` (gongkai_cli.annual_report reads the settings and
calls `draft_options` and `write_draft`). It writes content/report/<YEAR+1>-annual-report-<YEAR>-draft.md
as a draft entry (review.status: draft), so the gate keeps it off the site until it is approved.
Its （请填写） marks, its note to editors and the （草稿） of its title come from the one table of
scaffold texts (gongkai_core.placeholder): each is an error of reading until replaced, so `invoke
check` lists what is left to do and a report half done is never published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import annual_report_tables as report_tables
from . import gate, placeholder
from . import requests_register as rr
from .annual_report_block import (  # noqa: F401 - the block's rules, re-exported for the audit
    FIRST_YEAR,
    PROACTIVE_KEYS,
    PROACTIVE_LABELS,
    ReportBlock,
    parse_block,
    validate,
)
from .entry import Entry
from .errors import GongkaiError
from .site import DEFAULT_COLUMNS, Site, load_site

if TYPE_CHECKING:
    from .audit import AuditConfig

LEVELS = {"government": ("本级政府", 3, 31), "agency": ("部门", 1, 31)}  # deadline of the report: month, day
NORMATIVE_COLUMNS = ("policy",)
DEFAULT_ISSUER = "示例县人民政府办公室"  # when the settings name no ISSUER


# ---------------------------------------------------------------- the `annual_report:` block
# (its schema and checks: gongkai_core.annual_report_block)


def block_yaml(f: AnnualFigures, level: str = "government") -> str:
    """The `annual_report:` block for an entry's front matter, stating the computed figures."""
    lines = ["annual_report:", f"  year: {f.year}", f"  level: {level}", "  proactive:"]
    lines += [f"    {k}: {v}" for k, v in f.proactive().items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the figures


def was_public(site: Site, entry: Entry) -> bool:
    """Published now, or published and since withdrawn."""
    return site.verdicts[entry.path].state in (gate.PUBLISHED, gate.WITHDRAWN)


def is_normative(entry: Entry, normative_columns: Iterable[str] = NORMATIVE_COLUMNS) -> bool:
    return entry.column in tuple(normative_columns) and bool(entry.doc_no)


def end_date(entry: Entry) -> date | None:
    """The day a document stopped being in force: the 废止日期 (`repealed_on`) of a repealed one that
    gives it, else 有效期至 (`valid_until`)."""
    relations = entry.relations
    if entry.validity == "repealed" and relations is not None and relations.repealed_on is not None:
        return relations.repealed_on
    return entry.valid_until


def _ended(entry: Entry, kind: str, year: int) -> bool:
    end = end_date(entry)
    return entry.validity == kind and end is not None and end.year == year


def _in_force(entry: Entry, year: int) -> bool:
    end = date(year, 12, 31)
    if entry.date_written > end or entry.date_published > end:
        return False
    until = end_date(entry)
    if until is not None and until < end:
        return False
    return not (entry.validity != "current" and (until is None or until <= end))


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    publisher: str | None  # None: the whole site (本级政府); else the agency's own entries
    entries: int  # 本年主动公开信息条数
    normative_issued: int  # 行政规范性文件 本年制发
    normative_repealed: int  # 本年废止
    normative_expired: int  # 本年失效
    normative_in_force: int  # 现行有效 at the end of the year
    by_column: tuple[tuple[str, int], ...]  # (column name, count), configured order
    by_publisher: tuple[tuple[str, int], ...]  # (publisher, count), most first then by name
    budget_documents: int
    sangong_documents: int
    land_notices: int
    undated_ends: tuple[str, ...]  # normative entries marked repealed/expired without valid_until

    @property
    def total(self) -> int:
        return self.entries

    def proactive(self) -> dict[str, int]:
        """The figures of the `annual_report.proactive` block, in schema order."""
        return {k: getattr(self, k) for k in PROACTIVE_KEYS}


def figures(
    site: Site,
    year: int,
    columns: dict[str, str] | None = None,
    *,
    publisher: str | None = None,
    normative_columns: Iterable[str] = NORMATIVE_COLUMNS,
) -> AnnualFigures:
    """The proactive-disclosure figures of `year` (the definition in this module's docstring),
    as of the site's build date; `publisher` limits them to one agency's entries."""
    columns = columns or DEFAULT_COLUMNS
    public = [
        e
        for e in sorted(site.entries, key=lambda e: e.path)
        if was_public(site, e) and (publisher is None or e.publisher == publisher)
    ]
    this_year = [e for e in public if e.date_published.year == year]
    column_counts = Counter(e.column for e in this_year)
    publisher_counts = Counter(e.publisher for e in this_year)
    normative = [e for e in public if is_normative(e, normative_columns)]
    return AnnualFigures(
        year=year,
        publisher=publisher,
        entries=len(this_year),
        normative_issued=sum(e.date_written.year == year for e in normative),
        normative_repealed=sum(_ended(e, "repealed", year) for e in normative),
        normative_expired=sum(_ended(e, "expired", year) for e in normative),
        normative_in_force=sum(_in_force(e, year) for e in normative),
        by_column=tuple((name, column_counts.get(key, 0)) for key, name in columns.items()),
        by_publisher=tuple(sorted(publisher_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        budget_documents=column_counts.get("budget", 0),
        sangong_documents=column_counts.get("sangong", 0),
        land_notices=column_counts.get("land", 0),
        undated_ends=tuple(e.path for e in normative if e.validity != "current" and e.valid_until is None),
    )


# ---------------------------------------------------------------- the draft

TODO = placeholder.TODO  # the scaffold texts come from the one table (gongkai_core.placeholder)


def _ended_cell(f: AnnualFigures) -> str:
    ended = f.normative_repealed + f.normative_expired
    return f"{ended}（含失效{f.normative_expired}件）" if f.normative_expired else str(ended)


def applications_sentence(requests: Sequence[rr.Request], year: int) -> str:
    """Part 三's opening figures from the register (table 三's 总计 column)."""
    by = {row.key: row.cells[-1] for row in rr.table_three(requests, year)}
    return (
        f"新收政府信息公开申请{by['new']}件，上年结转{by['carried_over']}件；"
        f"办结{by['outcome_total']}件，结转下年度继续办理{by['carried_forward']}件。"
    )


def draft_body(f: AnnualFigures, region: str, requests: Sequence[rr.Request] = ()) -> str:
    """The Markdown body: computed figures filled in (tables 二, 三 and 四 in the national format,
    gongkai_core.annual_report_tables; 三 and 四 from the register), the rest marked for editors."""
    y = f.year
    lines = [
        f"本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为{y}年1月1日至12月31日。",
        "",
        "> " + "".join(placeholder.REPORT_NOTE),
        "",
        "## 一、总体情况",
        "",
        (
            f"{y}年，{region}通过本站主动公开政府信息{f.entries}条，其中预算决算{f.budget_documents}条、"
            f"“三公”经费{f.sangong_documents}条、征地信息{f.land_notices}条。{TODO}"
        ),
        "",
        "## 二、主动公开政府信息情况",
        "",
        report_tables.table_two(
            (f.normative_issued, _ended_cell(f), f.normative_in_force)  # type: ignore[arg-type]
        ),
        "",
        "本年主动公开信息按栏目统计：",
        "",
        "| 栏目 | 条数 |",
        "| --- | --- |",
        *(f"| {name} | {count} |" for name, count in f.by_column),
        f"| 合计 | {f.entries} |",
        "",
        "按发布机构统计：",
        "",
        "| 发布机构 | 条数 |",
        "| --- | --- |",
        *(f"| {name} | {count} |" for name, count in f.by_publisher),
        "",
        "## 三、收到和处理政府信息公开申请情况",
        "",
        f"{y}年{applications_sentence(requests, y)}{placeholder.REPORT_APPLICATIONS}",
        "",
        report_tables.table_three(rr.table_three(requests, y)),
        "",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "",
        report_tables.table_four(rr.table_four(requests, y)),
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


def draft_entry(
    f: AnnualFigures,
    index_no: str,
    today: date,
    publisher: str,
    region: str,
    level: str = "government",
    requests: Sequence[rr.Request] = (),
) -> str:
    return (
        "---\n"
        f"title: {region}{f.year}年政府信息公开工作年度报告{placeholder.DRAFT}\n"
        f"index_no: {index_no}\n"
        f"publisher: {publisher}\n"
        "column: report\n"
        "topic: 综合政务\n"
        f"date_written: {today.isoformat()}\n"
        f"date_published: {today.isoformat()}\n"
        "disclosure: proactive\n"
        "review:\n"
        "  status: draft\n"
        "  secrecy: pending\n" + block_yaml(f, level) + "---\n\n" + draft_body(f, region, requests)
    )


class DraftExists(GongkaiError):
    """The draft file is there already; editors may have worked on it."""


def write_draft(
    content: Path,
    year: int,
    today: date,
    index_no: str,
    force: bool = False,
    publisher: str = "示例县人民政府办公室",
    region: str = "示例县人民政府",
    columns: dict[str, str] | None = None,
    level: str = "government",
    normative_columns: Iterable[str] = NORMATIVE_COLUMNS,
) -> tuple[Path, AnnualFigures]:
    """Write the draft of `year`'s report. A government-level report counts the whole site, an
    agency-level one (`level="agency"`) the entries of `publisher` only — as `invoke audit` does."""
    target = content / "report" / f"{year + 1}-annual-report-{year}-draft.md"
    if target.exists() and not force:
        raise DraftExists(f"{target.as_posix()} 已存在（可能已有编辑修改）：如需重新生成，请加 --force")
    site = load_site(content, today, columns)
    f = figures(
        site,
        year,
        columns,
        publisher=publisher if level == "agency" else None,
        normative_columns=normative_columns,
    )
    # tables 三 and 四 from the project's register (requests/ beside content/); a faulty one stops here
    register = rr.check_register(content.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        draft_entry(f, index_no, today, publisher, region, level, register.requests), encoding="utf-8"
    )
    return target, f


@dataclass(frozen=True)
class DraftOptions:
    """Whose report the draft is and what it counts, from the settings (pelicanconf.py)."""

    publisher: str  # the reporting office (发布机构 of the draft)
    region: str  # how the body names it
    level: str  # government (本级政府: the whole site) or agency (部门: its own entries)
    columns: dict[str, str] | None  # GONGKAI_COLUMNS
    normative_columns: tuple[str, ...]


def issuer(settings: Mapping) -> str:
    """The site's 主办单位 (ISSUER), the default reporting office."""
    return settings.get("ISSUER") or DEFAULT_ISSUER


def draft_options(settings: Mapping, config: AuditConfig, publisher: str | None = None) -> DraftOptions:
    """The draft's options from the settings as read (a dict) and their audit config
    (audit.config_from_settings(settings["GONGKAI_AUDIT"], issuer(settings))), so the draft is the
    report `invoke audit` expects: the level it lists for that office, else government for the
    issuer and agency for any other office."""
    office = issuer(settings)
    publisher = publisher or office
    level = next(
        (r.level for r in config.annual_reports if r.publisher == publisher),
        "government" if publisher == office else "agency",
    )
    region = publisher.removesuffix("办公室") if level == "government" else publisher  # 本级政府 reports
    return DraftOptions(
        publisher, region, level, settings.get("GONGKAI_COLUMNS") or None, tuple(config.normative_columns)
    )
