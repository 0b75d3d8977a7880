"""The compliance audit (`invoke audit`): the rules an office is assessed on, as pure functions.

Input: a `Site` (gongkai_core.site.load_site) and, optionally, the directory of a built site.
Output: an `AuditReport` — one `RuleResult` per rule, each with its id, whether it is binding,
its legal ground and its findings — plus the timeliness statistics and monthly trends.
No Pelican import: the CLI glue (gongkai_cli.audit) reads the settings and writes the files.

Working days come from `workdays` (the official holiday calendar as data). A year without a
calendar file is never guessed: entries that need it are reported as 无法判定 and the year is
named in the report.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from . import annual_report as annual_report_core
from . import urls, workdays, yamlload
from .annual_report import was_public
from .annual_report_block import title_year
from .dates import DateFormatError, parse_date
from .entry import Entry, split_front_matter
from .errors import ConfigError, ConfigProblem
from .links import check_links
from .site import Site

PASS, FAIL, UNKNOWN, INFO = "pass", "fail", "unknown", "info"
STATUS_ZH = {PASS: "通过", FAIL: "不通过", UNKNOWN: "无法判定", INFO: "统计"}

# Legal grounds, cited once and reused.
ART_12 = "《政府信息公开条例》第十二条（公开目录应包括索引、名称、内容概述、生成日期）"
ART_17 = "《政府信息公开条例》第十七条（公开前依法进行保密审查）"
ART_20 = "《政府信息公开条例》第二十条第（一）项（主动公开行政规范性文件）"
ART_26 = "《政府信息公开条例》第二十六条（自信息形成或者变更之日起20个工作日内予以公开）"
ART_49_50 = "《政府信息公开条例》第四十九条、第五十条（部门1月31日前、本级政府3月31日前公布上一年度年度报告）"
FORMAT_2021 = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
INSPECT = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
ART_20_21 = "《政府信息公开条例》第二十条、第二十一条（应当主动公开的政府信息）"
GUIDE_2017 = "《政府网站发展指引》（国办发〔2017〕47号）"
NORMATIVE_2018 = "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    binding: bool  # a failure of a binding rule fails `invoke audit`
    ground: str
    fix: str  # one line: how to fix a finding (the guide docs/audit.md says more)


RULES: tuple[Rule, ...] = (
    Rule(
        "timeliness.limit",
        "公开时效：20个工作日内公开",
        True,
        ART_26,
        "查明延误原因；今后在成文（或变更）后20个工作日内完成审核并发布",
    ),
    Rule(
        "inspection.home_stale",
        "网站首页更新",
        True,
        f"{INSPECT}；{GUIDE_2017}",
        "及时发布新信息，首页信息不得超过2周未更新",
    ),
    Rule(
        "inspection.column_stale",
        "栏目更新周期",
        False,
        INSPECT,
        "按栏目的更新周期发布信息；确无信息的，可调整栏目设置",
    ),
    Rule(
        "inspection.empty_column",
        "空白栏目",
        True,
        f"{INSPECT}；{GUIDE_2017}",
        "为栏目发布信息，或从 GONGKAI_COLUMNS 中删除不用的栏目",
    ),
    Rule(
        "inspection.required_column",
        "法定栏目不得空白",
        True,
        f"{ART_20_21}；{INSPECT}",
        "在栏目树（structure/tree.yaml）中标为 required 的栏目发布应主动公开的信息",
    ),
    Rule(
        "inspection.backdated",
        "发布日期不得倒填",
        True,
        f"{INSPECT}（伪造发稿日期为单项否决）",
        "发布日期写实际上网的日期；已倒填的改为该条目实际公开的日期，并在 changes 中说明",
    ),
    Rule(
        "inspection.interaction",
        "咨询建言渠道和办事入口",
        True,
        f"{INSPECT}（互动回应差、服务不实用为单项否决）；{GUIDE_2017}",
        "在 GONGKAI_SITE_ELEMENTS 中配置 consult（咨询建言）和 service（办事入口）",
    ),
    Rule(
        "inspection.site_marks",
        "党政机关网站标识、找错入口和网站工作年度报表",
        False,
        f"{INSPECT}；{GUIDE_2017}",
        "在 GONGKAI_SITE_ELEMENTS 中配置 party_mark、error_report，并发布 web_report 指向的年度报表页面",
    ),
    Rule(
        "inspection.dates",
        "日期真实合理",
        True,
        f"{GUIDE_2017}；{INSPECT}",
        "按实际日期填写成文日期、审核日期和变更日期",
    ),
    Rule(
        "inspection.broken_links",
        "站内链接可用",
        True,
        INSPECT,
        "修改正文或模板中的链接，使其指向存在的页面或文件，然后重新构建",
    ),
    Rule(
        "inspection.metadata",
        "公开目录必备信息",
        True,
        ART_12,
        "检查模板是否改动：条目页面须显示索引号、名称、发布机构、成文日期和发布日期",
    ),
    Rule(
        "inspection.metadata_recommended",
        "公开目录建议信息（内容概述、主题分类、有效性）",
        False,
        ART_12,
        "在条目中补写 summary（内容概述）、topic（主题分类）；规范性文件写明 validity（有效性）",
    ),
    Rule(
        "validity.past_end",
        "规范性文件有效期",
        True,
        f"{ART_20}；{NORMATIVE_2018}",
        "到期的文件把 validity 改为 expired（失效），或经评估延续后更新 valid_until",
    ),
    Rule(
        "validity.year_counts",
        "规范性文件制发、废止、失效统计",
        False,
        f"{FORMAT_2021}",
        "年度报告第二部分按此数字填写",
    ),
    Rule(
        "review.waiting", "审核环节积压", False, f"{ART_17}；{ART_26}", "提醒该环节的审核人签署，或退回修改"
    ),
    Rule(
        "review.embargo_passed",
        "已到发布日期未公开",
        True,
        ART_26,
        "补全审核信息后重新构建发布（invoke publish）",
    ),
    Rule(
        "annual_report.deadline",
        "年度报告按期公布",
        True,
        ART_49_50,
        "在 content/report/ 中发布上一年度的年度报告，并填写 annual_report 数据块",
    ),
    Rule(
        "annual_report.figures",
        "年度报告数字与条目一致",
        True,
        f"{ART_49_50}；{FORMAT_2021}",
        "核对年度报告的 annual_report 数据块与正文表格，改为系统统计的数字或补录遗漏的条目",
    ),
    Rule(
        "content.problems",
        "内容校验",
        False,
        "本系统发布规则：有错误的文件不会公开，影响按期公开",
        "运行 invoke check，按提示逐条修改",
    ),
)
RULES_BY_ID = {r.id: r for r in RULES}

STEP_ROLES = (
    ("drafted", "拟稿", "拟稿人"),
    ("section", "科室审核", "科室负责人"),
    ("secrecy", "保密审查", "保密审查人"),
    ("approved", "审定", "单位主要负责人"),
)
BUCKETS = ((0, 5, "0–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, None, "20以上"))


@dataclass(frozen=True)
class ExpectedReport:
    """An annual report the site must carry: whose, and at which level (deadline)."""

    publisher: str
    level: str = "government"  # government: 3月31日 · agency: 1月31日


@dataclass(frozen=True)
class AuditConfig:
    timeliness_limit: int = 20  # working days
    home_period: int = 14  # calendar days
    column_periods: tuple[tuple[str, int], ...] = ()  # days, for a column the indicators give no period
    # the kind of each column in the indicators' sense (COLUMN_KINDS): its update period comes from there
    column_kinds: tuple[tuple[str, str], ...] = (("policy", "policy"),)
    default_column_period: int = 366
    backdate_limit: int = 7  # days a 发布日期 may lie before the file's first commit
    imported_until: date | None = None  # files first committed by then were moved in from an older system
    review_wait: tuple[tuple[str, int], ...] = (
        ("drafted", 10),
        ("section", 5),
        ("secrecy", 5),
        ("approved", 5),
    )
    normative_columns: tuple[str, ...] = ("policy",)  # entries there with a 文号 are 规范性文件
    annual_reports: tuple[ExpectedReport, ...] = ()
    report_column: str = "report"
    future_limit: int = 366  # a 发布日期 further ahead than this is taken for a typo
    earliest: date = date(1949, 10, 1)

    def column_period(self, column: str) -> int:
        return dict(self.column_periods).get(column, self.default_column_period)

    def column_kind(self, column: str) -> str | None:
        """The indicators' kind of a column, unless a period in days is set for it."""
        if column in dict(self.column_periods):
            return None
        return dict(self.column_kinds).get(column)

    def wait_limit(self, step: str) -> int:
        return dict(self.review_wait).get(step, 5)


DEFAULTS = AuditConfig()

# The update periods of the inspection indicators (国办秘函〔2019〕19号, 单项否决 “栏目不更新”):
# kind -> (name, days, months); a period is either days or calendar months.
COLUMN_KINDS = {
    "news": ("动态、要闻类栏目", 14, 0),
    "notice": ("通知公告类栏目", 0, 6),
    "policy": ("政策文件类栏目", 0, 6),
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class Finding:
    path: str
    line: int
    message: str
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.path else self.message


@dataclass
class RuleResult:
    rule: Rule
    status: str
    summary: str
    findings: list[Finding] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @property
    def binding_failed(self) -> bool:
        return self.rule.binding and self.status == FAIL


@dataclass
class AuditReport:
    build_date: date
    site_dir: str | None
    results: list[RuleResult]
    timeliness: dict
    trends: list[dict]
    calendar: dict

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.rule.id == rule_id)

    @property
    def binding_failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.binding_failed]

    @property
    def binding_unknown(self) -> list[RuleResult]:
        return [r for r in self.results if r.rule.binding and r.status == UNKNOWN]

    def exit_code(self, strict: bool = False) -> int:
        if self.binding_failures or (strict and self.binding_unknown):
            return 1
        return 0

    def to_json(self) -> dict:
        counts = {s: sum(r.status == s for r in self.results) for s in (PASS, FAIL, UNKNOWN, INFO)}
        return {
            "build_date": self.build_date.isoformat(),
            "site_dir": self.site_dir,
            "summary": {
                **counts,
                "binding_failed": [r.rule.id for r in self.binding_failures],
                "binding_unknown": [r.rule.id for r in self.binding_unknown],
            },
            "calendar": self.calendar,
            "rules": [
                {
                    "id": r.rule.id,
                    "title": r.rule.title,
                    "binding": r.rule.binding,
                    "ground": r.rule.ground,
                    "fix": r.rule.fix,
                    "status": r.status,
                    "summary": r.summary,
                    "findings": [asdict(f) for f in r.findings],
                    "data": r.data,
                }
                for r in self.results
            ],
            "timeliness": self.timeliness,
            "trends": self.trends,
        }


# ---------------------------------------------------------------- helpers


def median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def publication_start(entry: Entry) -> date:
    """成文日期, or the latest change made before publication (信息变更之日)."""
    before = [c.date for c in entry.changes if c.date <= entry.date_published]
    return max([entry.date_written, *before])


def working_days_to_publish(entry: Entry, directory: workdays.Directories = None) -> int:
    """Working days after the start day up to and including 发布日期 (the start day itself is
    not counted, as with every legal period); publishing on the start day is 0.
    Raises `workdays.CalendarMissing` when a year of the span has no calendar."""
    start = publication_start(entry)
    if entry.date_published <= start:
        return 0
    return workdays.count_workdays(start + timedelta(days=1), entry.date_published, directory)


def is_normative(entry: Entry, config: AuditConfig) -> bool:
    return annual_report_core.is_normative(entry, config.normative_columns)


# ---------------------------------------------------------------- timeliness and trends


def timeliness(
    site: Site, config: AuditConfig, directory: workdays.Directories
) -> tuple[RuleResult, dict, set[int]]:
    rule = RULES_BY_ID["timeliness.limit"]
    missing: set[int] = set()
    rows = []
    for entry in sorted(site.published(), key=lambda e: (e.date_published, e.path)):
        start = publication_start(entry)
        try:
            days = working_days_to_publish(entry, directory)
        except workdays.CalendarMissing as exc:
            missing.add(exc.year)
            days = None
        rows.append(
            {
                "path": entry.path,
                "line": entry.line_of("date_published"),
                "title": entry.title,
                "publisher": entry.publisher,
                "column": entry.column,
                "start": start.isoformat(),
                "start_kind": "变更日期" if start != entry.date_written else "成文日期",
                "date_published": entry.date_published.isoformat(),
                "workdays": days,
            }
        )
    late = [r for r in rows if r["workdays"] is not None and r["workdays"] > config.timeliness_limit]
    unknown = [r for r in rows if r["workdays"] is None]
    findings = [
        Finding(
            r["path"],
            r["line"],
            f"“{r['title']}”{r['start_kind']} {r['start']}，发布日期 {r['date_published']}，"
            f"用时 {r['workdays']} 个工作日，超过{config.timeliness_limit}个工作日",
            {"workdays": r["workdays"]},
        )
        for r in late
    ]
    findings += [
        Finding(
            r["path"],
            r["line"],
            f"“{r['title']}”无法计算工作日：缺少"
            f"{'、'.join(str(y) for y in _years_between(r['start'], r['date_published'], missing))}"
            "年的节假日安排",
            {"workdays": None},
        )
        for r in unknown
    ]
    if late:
        status = FAIL
    elif unknown:
        status = UNKNOWN
    else:
        status = PASS
    summary = f"已公开 {len(rows)} 条，超过{config.timeliness_limit}个工作日 {len(late)} 条" + (
        f"；{len(unknown)} 条因缺少{'、'.join(str(y) for y in sorted(missing))}年节假日安排无法判定"
        if unknown
        else ""
    )
    stats = {
        "limit": config.timeliness_limit,
        "entries": rows,
        "by_publisher": _distribution(rows, "publisher"),
        "by_column": _distribution(rows, "column"),
        "overall": _distribution(rows, None).get("", {}),
    }
    return (
        RuleResult(rule, status, summary, findings, {"late": len(late), "unknown": len(unknown)}),
        stats,
        missing,
    )


def _years_between(start: str, end: str, missing: set[int]) -> list[int]:
    years = range(int(start[:4]), int(end[:4]) + 1)
    return [y for y in years if y in missing] or sorted(missing)


def _distribution(rows: list[dict], key: str | None) -> dict:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r[key] if key else "", []).append(r)
    out = {}
    for name in sorted(groups):
        known = [r["workdays"] for r in groups[name] if r["workdays"] is not None]
        buckets = {
            label: sum(1 for d in known if d >= lo and (hi is None or d <= hi)) for lo, hi, label in BUCKETS
        }
        out[name] = {
            "count": len(groups[name]),
            "median": median(known),
            "max": max(known) if known else None,
            "unknown": len(groups[name]) - len(known),
            "buckets": buckets,
        }
    return out


def trends(rows: list[dict], build_date: date, months: int = 24) -> list[dict]:
    """Per month (the last `months` months up to the build date): entries published, median days."""
    keys = []
    y, m = build_date.year, build_date.month
    for _ in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    out = []
    for key in reversed(keys):
        month_rows = [r for r in rows if r["date_published"][:7] == key]
        known = [r["workdays"] for r in month_rows if r["workdays"] is not None]
        out.append({"month": key, "published": len(month_rows), "median_workdays": median(known)})
    return out


# ---------------------------------------------------------------- website inspection


def _last_update(entries: list[Entry], today: date) -> date:
    """The latest 发布日期 or change date that is not in the future (future ones are `inspection.dates`)."""
    return max(d for e in entries for d in (e.date_published, *(c.date for c in e.changes)) if d <= today)


def home_stale(site: Site, config: AuditConfig) -> RuleResult:
    rule = RULES_BY_ID["inspection.home_stale"]
    published = site.published()
    if not published:
        return RuleResult(
            rule, FAIL, "网站没有任何已公开的信息", [Finding("", 0, "网站没有任何已公开的信息")]
        )
    last = _last_update(published, site.build_date)
    age = (site.build_date - last).days
    data = {"last_updated": last.isoformat(), "days": age, "period": config.home_period}
    if age > config.home_period:
        msg = f"网站最近一次更新是 {last}，距今 {age} 天，超过 {config.home_period} 天"
        return RuleResult(rule, FAIL, msg, [Finding("", 0, msg, data)], data)
    return RuleResult(rule, PASS, f"最近一次更新 {last}（{age} 天前）", [], data)


def column_stale(site: Site, config: AuditConfig, columns: dict[str, str]) -> RuleResult:
    rule = RULES_BY_ID["inspection.column_stale"]
    findings, data = [], {}
    for key in columns:
        items = [e for e in site.published() if e.column == key]
        if not items:
            continue  # an empty column is its own rule
        last = _last_update(items, site.build_date)
        age = (site.build_date - last).days
        kind = config.column_kind(key)
        if kind in COLUMN_KINDS:
            label, days, months = COLUMN_KINDS[kind]
            due = add_months(last, months) if months else last + timedelta(days=days)
            period, shown = (due - last).days, f"{months}个月" if months else f"{days}天"
            data[key] = {"last_updated": last.isoformat(), "days": age, "period": period, "kind": kind}
            late = site.build_date > due
            message = (
                f"栏目“{columns[key]}”最近更新 {last}，距今 {age} 天，超过{label}的更新周期{shown}"
                "（国办秘函〔2019〕19号）"
            )
        else:
            period = config.column_period(key)
            data[key] = {"last_updated": last.isoformat(), "days": age, "period": period}
            late = age > period
            message = f"栏目“{columns[key]}”最近更新 {last}，距今 {age} 天，超过更新周期 {period} 天"
        if late:
            findings.append(Finding("", 0, message, {"column": key, **data[key]}))
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"{len(findings)} 个栏目超过更新周期" if findings else "各栏目均在更新周期内",
        findings,
        data,
    )


def empty_columns(site: Site, columns: dict[str, str]) -> RuleResult:
    rule = RULES_BY_ID["inspection.empty_column"]
    used = {e.column for e in site.published()}
    empty = [k for k in columns if k not in used]
    findings = [
        Finding("", 0, f"栏目“{columns[k]}”（{k}）没有任何已公开的信息", {"column": k}) for k in empty
    ]
    summary = (
        (
            f"{len(empty)} 个空白栏目："
            + "、".join(columns[k] for k in empty)
            + ("（达到5个即为单项否决）" if len(empty) >= 5 else "")
        )
        if empty
        else "没有空白栏目"
    )
    return RuleResult(rule, FAIL if empty else PASS, summary, findings, {"empty": empty})


def required_columns(site: Site, structure) -> RuleResult:
    """Columns the tree marks `required` (条例 Art. 20/21) with nothing published."""
    rule = RULES_BY_ID["inspection.required_column"]
    nodes = structure.required if structure is not None else []
    if not nodes:
        return RuleResult(rule, INFO, "栏目树中没有标为法定（required）的栏目", [], {"required": []})
    used = {e.column for e in site.published()}
    empty = [n for n in nodes if n.key not in used]
    findings = [
        Finding(
            "",
            0,
            f"法定栏目“{n.title}”（{n.key}{'，' + n.basis if n.basis else ''}）没有任何已公开的信息",
            {"column": n.key, "basis": n.basis},
        )
        for n in empty
    ]
    data = {"required": [n.key for n in nodes], "empty": [n.key for n in empty]}
    if empty:
        return RuleResult(
            rule, FAIL, f"{len(empty)} 个法定栏目空白：" + "、".join(n.title for n in empty), findings, data
        )
    return RuleResult(rule, PASS, f"{len(nodes)} 个法定栏目都有已公开的信息", [], data)


def backdated(site: Site, config: AuditConfig, history) -> RuleResult:
    """A 发布日期 more than `backdate_limit` days before the entry's file first entered git."""
    rule = RULES_BY_ID["inspection.backdated"]
    if history is None or history.unavailable:
        why = history.unavailable if history is not None else "没有读取 git 历史"
        return RuleResult(rule, UNKNOWN, f"无法判定：{why}", [], {"limit": config.backdate_limit})
    findings, uncommitted, imported = [], [], 0
    for e in sorted(site.published(), key=lambda e: e.path):
        seen = history.first_seen.get(e.path)
        if seen is None:
            uncommitted.append(e.path)
            continue
        if config.imported_until is not None and seen <= config.imported_until:
            imported += 1
            continue
        gap = (seen - e.date_published).days
        if gap > config.backdate_limit:
            findings.append(
                Finding(
                    e.path,
                    e.line_of("date_published"),
                    f"发布日期 {e.date_published} 比该文件首次提交到仓库的日期 {seen} 早 {gap} 天"
                    f"（超过 {config.backdate_limit} 天）：发布日期应为实际公开的日期，倒填日期属伪造发稿日期",
                    {"first_seen": seen.isoformat(), "days": gap},
                )
            )
    data = {"limit": config.backdate_limit, "uncommitted": uncommitted, "imported": imported}
    note = f"；{len(uncommitted)} 个尚未提交的文件未核对" if uncommitted else ""
    if imported:
        note += f"；{imported} 条为 {config.imported_until} 及以前迁入的信息，未核对"
    if findings:
        return RuleResult(rule, FAIL, f"{len(findings)} 条信息的发布日期早于其首次提交{note}", findings, data)
    return RuleResult(rule, PASS, f"发布日期均不早于首次提交超过 {config.backdate_limit} 天{note}", [], data)


def interaction(elements) -> RuleResult:
    rule = RULES_BY_ID["inspection.interaction"]
    missing = [
        (key, label)
        for key, label in (("consult", "咨询建言渠道"), ("service", "办事入口"))
        if not elements.get(key)
    ]
    findings = [
        Finding(
            "",
            0,
            f"没有配置{label}（GONGKAI_SITE_ELEMENTS 的 {key}）：检查指标将其列为单项否决",
            {"key": key},
        )
        for key, label in missing
    ]
    if missing:
        return RuleResult(rule, FAIL, "缺少" + "、".join(label for _, label in missing), findings)
    return RuleResult(rule, PASS, "已配置咨询建言渠道和办事入口", [])


def site_marks(site: Site, elements) -> RuleResult:
    rule = RULES_BY_ID["inspection.site_marks"]
    findings = []
    for key, label in (("party_mark", "党政机关网站标识"), ("error_report", "找错入口")):
        if not elements.get(key):
            findings.append(
                Finding("", 0, f"没有配置{label}（GONGKAI_SITE_ELEMENTS 的 {key}）", {"key": key})
            )
    slug = elements.get("web_report")
    if not slug:
        findings.append(
            Finding(
                "",
                0,
                "没有配置政府网站工作年度报表页面（GONGKAI_SITE_ELEMENTS 的 web_report）",
                {"key": "web_report"},
            )
        )
    elif not any(p.slug == slug and p.status == "published" for p in site.pages):
        findings.append(
            Finding(
                "",
                0,
                f"政府网站工作年度报表页面“{slug}”不存在或未发布（应为 content/pages/ 中网址名为 {slug} 的页面）",
                {"key": "web_report"},
            )
        )
    if findings:
        return RuleResult(rule, FAIL, f"{len(findings)} 项网站要素缺失", findings)
    return RuleResult(rule, PASS, "党政机关网站标识、找错入口和年度报表均已配置", [])


def bad_dates(site: Site, config: AuditConfig) -> RuleResult:
    """Future or impossible dates on any valid entry (published or waiting)."""
    rule = RULES_BY_ID["inspection.dates"]
    today = site.build_date
    findings = []
    for e in sorted(site.entries, key=lambda e: e.path):

        def add(key: str, message: str, e=e) -> None:
            findings.append(Finding(e.path, e.line_of(key), message, {"key": key}))

        if e.date_written > today:
            add("date_written", f"成文日期 {e.date_written} 晚于今天（{today}）")
        if e.date_written < config.earliest:
            add("date_written", f"成文日期 {e.date_written} 早于 {config.earliest}，不可能是本机关的文件日期")
        if (e.date_published - today).days > config.future_limit:
            add("date_published", f"发布日期 {e.date_published} 在一年以后，可能是笔误")
        for key, zh, so in e.review.steps():
            if so is not None and so.on > today:
                add(f"review.{key}_on", f"{zh}日期 {so.on} 晚于今天（{today}）")
        for c in e.changes:
            if c.date > today:
                add("changes", f"变更日期 {c.date} 晚于今天（{today}）")
            if c.date < e.date_written:
                add("changes", f"变更日期 {c.date} 早于成文日期 {e.date_written}")
        if e.valid_until and e.valid_until < e.date_written:
            add("valid_until", f"有效期至 {e.valid_until} 早于成文日期 {e.date_written}")
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"{len(findings)} 处日期不合理" if findings else "没有未来或不合理的日期",
        findings,
    )


class _Text(HTMLParser):
    """The text of a page (what `metadata` looks for)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data):
        self.text.append(data)


def _parse_html(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def broken_links(site_dir: Path | None) -> RuleResult:
    """Internal links of the built site, checked by links.check_links as a web server serves the
    site (the kiosk mirror checks its copy with the same function in offline mode)."""
    rule = RULES_BY_ID["inspection.broken_links"]
    if site_dir is None or not site_dir.is_dir():
        return RuleResult(
            rule, UNKNOWN, "未检查：没有可供检查的构建输出（先运行 invoke build，或用 --site 指定目录）"
        )
    report = check_links(site_dir.resolve(), web=True)
    findings = []
    for b in report.broken:
        message = (
            f"链接“{b.url}”指向的页面或文件不存在"
            if b.kind == "missing"
            else f"链接“{b.url}”{b.reason}"
            if b.kind in ("outside", "directory")
            else f"链接“{b.url}”：{b.reason}"
        )
        findings.append(
            Finding(f"{site_dir.name}/{b.page}", b.line or 1, message, {"href": b.url, "kind": b.kind})
        )
    pages, links = report.pages, report.links - len(report.external)
    data = {"pages": pages, "links": links, "broken": len(findings)}
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"检查 {pages} 个页面、{links} 个站内链接，{len(findings)} 个失效"
        if findings
        else f"检查 {pages} 个页面、{links} 个站内链接，全部可用",
        findings,
        data,
    )


def default_page_path(entry: Entry) -> str:
    return urls.entry_page(entry.column, entry.slug)


def metadata(
    site: Site, config: AuditConfig, site_dir: Path | None, page_path: Callable[[Entry], str]
) -> RuleResult:
    """Art. 12: every published item shows 索引号, 名称, 发布机构 and its dates; 规范性文件 state 有效性."""
    rule = RULES_BY_ID["inspection.metadata"]
    findings = []
    checked = site_dir is not None and site_dir.is_dir()
    if checked:
        labels = ("索引号", "发布机构", "成文日期", "发布日期")
        for e in sorted(site.published(), key=lambda e: e.path):
            rel = page_path(e)
            page = site_dir / rel
            if not page.is_file():
                continue  # the embargo rule reports pages that are missing
            text = re.sub(r"\s+", " ", " ".join(_parse_html(page).text))
            wanted = [
                *labels,
                e.index_no,
                e.title,
                e.publisher,
                e.date_written.isoformat(),
                e.date_published.isoformat(),
            ]
            gone = [w for w in wanted if w not in text]
            if gone:
                findings.append(
                    Finding(
                        f"{site_dir.name}/{rel}",
                        1,
                        f"页面缺少公开目录信息：{'、'.join(gone)}",
                        {"missing": gone},
                    )
                )
    status = FAIL if findings else (PASS if checked else UNKNOWN)
    summary = (
        f"{len(findings)} 处缺少必备信息"
        if findings
        else "已公开条目的页面均有索引号、名称、发布机构、成文日期、发布日期"
        if checked
        else "条目元数据齐全；未检查页面（没有构建输出）"
    )
    return RuleResult(rule, status, summary, findings)


def metadata_recommended(site: Site, config: AuditConfig) -> RuleResult:
    rule = RULES_BY_ID["inspection.metadata_recommended"]
    findings = []
    for e in sorted(site.published(), key=lambda e: e.path):
        gone = [
            zh
            for key, zh in (("summary", "内容概述（summary）"), ("topic", "主题分类（topic）"))
            if not getattr(e, key)
        ]
        if is_normative(e, config) and "validity" not in (e.lines or {}):
            gone.append("有效性（validity，有文号的政策文件按规范性文件统计）")
        if gone:
            findings.append(Finding(e.path, 1, f"“{e.title}”未填写{'、'.join(gone)}", {"missing": gone}))
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"{len(findings)} 条缺少内容概述、主题分类或有效性"
        if findings
        else "均已填写内容概述、主题分类和有效性",
        findings,
    )


# ---------------------------------------------------------------- validity


def validity_past_end(site: Site, config: AuditConfig) -> RuleResult:
    rule = RULES_BY_ID["validity.past_end"]
    findings = []
    for e in sorted(site.published(), key=lambda e: e.path):
        if e.validity == "current" and e.valid_until and e.valid_until < site.build_date:
            kind = "规范性文件" if is_normative(e, config) else "文件"
            findings.append(
                Finding(
                    e.path,
                    e.line_of("valid_until"),
                    f"{kind}“{e.title}”有效期至 {e.valid_until}，已过期，但仍标为“有效”",
                    {"valid_until": e.valid_until.isoformat()},
                )
            )
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"{len(findings)} 件已过有效期仍标为有效" if findings else "没有过期仍标为有效的文件",
        findings,
    )


def normative_counts(site: Site, config: AuditConfig, year: int, publisher: str | None = None) -> dict:
    """规范性文件 of one year: 本年制发, 本年废止, 本年失效, 年末现行有效 (annual_report.figures)."""
    f = annual_report_core.figures(
        site, year, publisher=publisher, normative_columns=config.normative_columns
    )
    return {
        "issued": f.normative_issued,
        "repealed": f.normative_repealed,
        "expired": f.normative_expired,
        "in_force": f.normative_in_force,
    }


def year_counts(site: Site, config: AuditConfig) -> RuleResult:
    rule = RULES_BY_ID["validity.year_counts"]
    years = (site.build_date.year - 1, site.build_date.year)
    data = {str(y): normative_counts(site, config, y) for y in years}
    parts = [
        f"{y}年：制发 {d['issued']} 件、废止 {d['repealed']} 件、失效 {d['expired']} 件、年末现行有效 {d['in_force']} 件"
        for y, d in data.items()
    ]
    return RuleResult(rule, INFO, "；".join(parts), [], data)


# ---------------------------------------------------------------- review health


def waiting_step(entry: Entry) -> str | None:
    return entry.review.waiting_step()


def review_waiting(site: Site, config: AuditConfig) -> RuleResult:
    rule = RULES_BY_ID["review.waiting"]
    findings = []
    per_step = {
        key: {"role": role, "waiting": 0, "overdue": 0, "limit": config.wait_limit(key)}
        for key, _zh, role in STEP_ROLES
    }
    for e in sorted(site.entries, key=lambda e: e.path):
        if e.disclosure != "proactive":
            continue
        step = waiting_step(e)
        if step is None:
            continue
        prior = [so.on for _k, _z, so in e.review.steps() if so is not None]
        since = max(prior, default=e.date_written)
        days = (site.build_date - since).days
        per_step[step]["waiting"] += 1
        limit = config.wait_limit(step)
        if days > limit:
            per_step[step]["overdue"] += 1
            zh, role = next((z, r) for k, z, r in STEP_ROLES if k == step)
            findings.append(
                Finding(
                    e.path,
                    e.line_of("review"),
                    f"“{e.title}”自 {since} 起等待{zh}（{role}）已 {days} 天，超过 {limit} 天",
                    {"step": step, "role": role, "since": since.isoformat(), "days": days},
                )
            )
    waiting = sum(s["waiting"] for s in per_step.values())
    summary = "；".join(
        f"待{zh}（{role}）{per_step[k]['waiting']} 条，超期 {per_step[k]['overdue']} 条"
        for k, zh, role in STEP_ROLES
    )
    return RuleResult(
        rule, FAIL if findings else PASS, summary if waiting else "没有等待审核的条目", findings, per_step
    )


def embargo_passed(site: Site, site_dir: Path | None, page_path: Callable[[Entry], str]) -> RuleResult:
    """Approved entries whose 发布日期 has come but which are not public (or not on the built site)."""
    rule = RULES_BY_ID["review.embargo_passed"]
    findings = []
    for e in sorted(site.entries, key=lambda e: e.path):
        r = e.review
        if e.disclosure != "proactive" or r.status != "approved" or r.secrecy != "passed":
            continue
        if e.date_published > site.build_date:
            continue
        verdict = site.verdicts[e.path]
        if not verdict.published:
            findings.append(
                Finding(
                    e.path,
                    e.line_of("date_published"),
                    f"“{e.title}”已审定，发布日期 {e.date_published} 已到，但未能公开："
                    + "；".join(verdict.reasons),
                    {"reasons": list(verdict.reasons)},
                )
            )
        elif site_dir is not None and site_dir.is_dir() and not (site_dir / page_path(e)).is_file():
            findings.append(
                Finding(
                    e.path,
                    e.line_of("date_published"),
                    f"“{e.title}”发布日期 {e.date_published} 已到，但网站（{site_dir.name}/）上还没有"
                    f" {page_path(e)}：请重新构建发布",
                    {"page": page_path(e)},
                )
            )
    checked = site_dir is not None and site_dir.is_dir()
    if findings:
        return RuleResult(rule, FAIL, f"{len(findings)} 条已到发布日期却未公开", findings)
    return RuleResult(
        rule, PASS, "已到发布日期的已审定条目均已公开" + ("" if checked else "（未对照构建输出）")
    )


# ---------------------------------------------------------------- annual report

REPORT_KEYS = annual_report_core.PROACTIVE_LABELS
LEVELS = annual_report_core.LEVELS


@dataclass
class ReportBlock:
    entry: Entry
    year: int | None
    level: str | None
    figures: dict[str, tuple[int, int]]  # key -> (value, line)
    problems: list[Finding]


def _source_file(site: Site, entry: Entry) -> Path:
    for base in (site.root.parent, Path.cwd()):
        if (base / entry.path).is_file():
            return base / entry.path
    return Path(entry.path)


def read_report_block(site: Site, entry: Entry) -> ReportBlock | None:
    """The `annual_report:` block of a report entry (None when the entry has none), read with
    annual_report.parse_block — the check `invoke check` runs, so a public entry's block is valid."""
    path = _source_file(site, entry)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix.lower() in (".md", ".markdown"):
        front, _body, _line = split_front_matter(text)
        data, _issues = yamlload.load(front or "", line_offset=1)
    else:
        data, _issues = yamlload.load(text)
    if not isinstance(data, yamlload.LineDict) or not isinstance(
        data.get("annual_report"), yamlload.LineDict
    ):
        return None
    block, problems = annual_report_core.parse_block(
        data["annual_report"], entry.path, data.line_of("annual_report")
    )
    findings = [Finding(p.path, p.line, f"{p.message} ({p.key})") for p in problems]
    if block is None:
        return ReportBlock(entry, None, None, {}, findings)
    return ReportBlock(
        entry, block.year, block.level, {k: (v, block.lines[k]) for k, v in block.proactive.items()}, findings
    )


def _report_title_year(entry: Entry) -> int | None:
    return title_year(entry.title)


def computed_figures(site: Site, config: AuditConfig, year: int, publisher: str | None) -> dict[str, int]:
    """What the report should state: annual_report.figures, the one definition (docs/audit.md)."""
    return annual_report_core.figures(
        site, year, publisher=publisher, normative_columns=config.normative_columns
    ).proactive()


def annual_report(site: Site, config: AuditConfig) -> tuple[RuleResult, RuleResult]:
    deadline_rule, figures_rule = RULES_BY_ID["annual_report.deadline"], RULES_BY_ID["annual_report.figures"]
    year = site.build_date.year - 1
    reports = [e for e in site.entries if e.column == config.report_column and was_public(site, e)]
    blocks = {e.path: read_report_block(site, e) for e in sorted(reports, key=lambda e: e.path)}
    d_findings, f_findings, d_data, f_data = [], [], [], []
    for expected in config.annual_reports:
        zh, month, day = LEVELS.get(expected.level, LEVELS["government"])
        deadline = date(year + 1, month, day)
        mine = []
        for e in reports:
            b = blocks[e.path]
            e_year = b.year if b and b.year else _report_title_year(e)
            if e.publisher == expected.publisher and e_year == year:
                mine.append(e)
        item = {
            "publisher": expected.publisher,
            "level": expected.level,
            "year": year,
            "deadline": deadline.isoformat(),
            "entry": mine[0].path if mine else None,
        }
        d_data.append(item)
        if not mine:
            if site.build_date > deadline:
                d_findings.append(
                    Finding(
                        "",
                        0,
                        f"{expected.publisher}{year}年度政府信息公开工作年度报告"
                        f"（{zh}，应于 {deadline} 前公布）至今未公布",
                        item,
                    )
                )
            else:
                item["pending"] = (deadline - site.build_date).days
            continue
        e = min(mine, key=lambda e: e.date_published)
        if e.date_published > deadline:
            d_findings.append(
                Finding(
                    e.path,
                    e.line_of("date_published"),
                    f"{year}年度年度报告于 {e.date_published} 公布，晚于 {deadline}（{zh}的期限）",
                    item,
                )
            )
        b = blocks[e.path]
        if b is None:
            f_findings.append(
                Finding(e.path, 1, f"年度报告“{e.title}”没有 annual_report 数据块，无法核对数字")
            )
            continue
        f_findings.extend(b.problems)
        scope = None if expected.level == "government" else expected.publisher
        computed = computed_figures(site, config, year, scope)
        compare = {}
        for key, (value, line) in sorted(b.figures.items()):
            compare[key] = {"stated": value, "computed": computed[key]}
            if value != computed[key]:
                f_findings.append(
                    Finding(
                        e.path,
                        line,
                        f"年度报告写{REPORT_KEYS[key]} {value}，按本站条目统计为 {computed[key]}",
                        compare[key],
                    )
                )
        f_data.append({"entry": e.path, "year": year, "figures": compare})
    if not config.annual_reports:
        none = "未配置应公布年度报告的机关（GONGKAI_AUDIT 的 annual_reports）"
        return RuleResult(deadline_rule, UNKNOWN, none), RuleResult(figures_rule, UNKNOWN, none)
    d_status = FAIL if d_findings else PASS
    pending = [i for i in d_data if "pending" in i]
    d_summary = (
        f"{len(d_findings)} 份年度报告未按期公布"
        if d_findings
        else "；".join(
            f"{i['publisher']}{year}年度报告未公布，距截止日 {i['deadline']} 还有 {i['pending']} 天"
            for i in pending
        )
        or f"{year}年度年度报告已按期公布"
    )
    if f_findings:
        f_status, f_summary = FAIL, f"{len(f_findings)} 处数字与条目不符或无法核对"
    elif f_data:
        f_status, f_summary = PASS, "年度报告数字与本站条目统计一致"
    else:
        f_status, f_summary = UNKNOWN, f"尚无{year}年度年度报告，无法核对数字"
    return (
        RuleResult(deadline_rule, d_status, d_summary, d_findings, {"reports": d_data}),
        RuleResult(figures_rule, f_status, f_summary, f_findings, {"reports": f_data}),
    )


# ---------------------------------------------------------------- content problems


def content_problems(site: Site) -> RuleResult:
    rule = RULES_BY_ID["content.problems"]
    findings = [Finding(p.path, p.line, f"{p.message} ({p.key})") for p in site.problems]
    files = len({p.path for p in site.problems})
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"{files} 个文件有 {len(findings)} 个问题，这些文件不会公开" if findings else "全部内容校验通过",
        findings,
    )


# ---------------------------------------------------------------- the whole audit


def run_audit(
    site: Site,
    columns: dict[str, str],
    config: AuditConfig = DEFAULTS,
    site_dir: Path | None = None,
    page_path: Callable[[Entry], str] = default_page_path,
    holiday_dir: workdays.Directories = None,  # None: the project's holidays/, then the shipped calendar
    structure=None,  # gongkai_core.tree.Structure: the required columns
    elements: dict | None = None,  # GONGKAI_SITE_ELEMENTS
    history=None,  # gongkai_core.git_history.History: when each file first entered git
) -> AuditReport:
    if site_dir is not None and not site_dir.is_dir():
        site_dir = None
    timely, stats, missing = timeliness(site, config, holiday_dir)
    deadline, figures = annual_report(site, config)
    results = [
        timely,
        home_stale(site, config),
        column_stale(site, config, columns),
        empty_columns(site, columns),
        required_columns(site, structure),
        backdated(site, config, history),
        interaction(elements or {}),
        site_marks(site, elements or {}),
        bad_dates(site, config),
        broken_links(site_dir),
        metadata(site, config, site_dir, page_path),
        metadata_recommended(site, config),
        validity_past_end(site, config),
        year_counts(site, config),
        review_waiting(site, config),
        embargo_passed(site, site_dir, page_path),
        deadline,
        figures,
        content_problems(site),
    ]
    calendar = {"available": workdays.available_years(holiday_dir), "missing": sorted(missing)}
    return AuditReport(
        site.build_date,
        site_dir.as_posix() if site_dir else None,
        results,
        stats,
        trends(stats["entries"], site.build_date),
        calendar,
    )


def config_from_settings(settings: dict | None, issuer: str | None = None) -> AuditConfig:
    """Build the config from GONGKAI_AUDIT (a dict in pelicanconf.py); every bad key is reported."""
    raw = dict(settings or {})
    known = sorted(AuditConfig.__dataclass_fields__)
    problems = [
        ConfigProblem(f"GONGKAI_AUDIT[{k!r}]", v, "未知配置项，可用：" + "、".join(known))
        for k, v in sorted(raw.items())
        if k not in known
    ]
    kw: dict = {}
    for key, value in sorted(raw.items()):
        if key not in known:
            continue
        try:
            if key in ("column_periods", "review_wait"):
                kw[key] = tuple(sorted((str(k), int(v)) for k, v in dict(value).items()))
            elif key == "annual_reports":
                kw[key] = tuple(
                    ExpectedReport(str(r["publisher"]), str(r.get("level", "government"))) for r in value
                )
                bad = [r.level for r in kw[key] if r.level not in LEVELS]
                if bad:
                    problems.append(
                        ConfigProblem(
                            f"GONGKAI_AUDIT[{key!r}]",
                            value,
                            "level 可选 government（本级政府）、agency（部门）",
                        )
                    )
            elif key == "normative_columns":
                kw[key] = tuple(str(v) for v in value)
            elif key == "column_kinds":
                kw[key] = tuple(sorted((str(k), str(v)) for k, v in dict(value).items()))
                bad = sorted(v for _, v in kw[key] if v not in COLUMN_KINDS)
                if bad:
                    problems.append(
                        ConfigProblem(
                            f"GONGKAI_AUDIT[{key!r}]",
                            value,
                            "栏目类型可选 news（动态、要闻，2周）、notice（通知公告，6个月）、policy（政策文件，6个月）",
                        )
                    )
            elif key in ("earliest", "imported_until"):
                kw[key] = value if isinstance(value, date) else parse_date(str(value))
            elif key == "report_column":
                kw[key] = str(value)
            else:
                kw[key] = int(value)
        except (TypeError, ValueError, KeyError, AttributeError, DateFormatError) as exc:
            problems.append(ConfigProblem(f"GONGKAI_AUDIT[{key!r}]", value, f"格式不对：{exc}"))
    if problems:
        raise ConfigError(problems)
    if "annual_reports" not in kw and issuer:
        kw["annual_reports"] = (ExpectedReport(issuer, "government"),)
    return AuditConfig(**kw)
