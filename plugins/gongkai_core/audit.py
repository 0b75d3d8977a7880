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
from . import annual_report_tables as report_tables
from . import requests_register as rr
from . import budget_audit, urls, workdays, yamlload
from . import policylinks
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
ART_30 = "《政府信息公开条例》第三十条（申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正）"
ART_33 = (
    "《政府信息公开条例》第三十三条（自收到申请之日起20个工作日内答复；延长的须经负责人同意并告知申请人，"
    "延长最长不超过20个工作日；征求第三方意见所需时间不计算在内）"
)
ART_36 = "《政府信息公开条例》第三十六条（不予公开、无法提供、不予处理的，告知申请人并说明理由）"
BUDGET_LAW_14 = (
    "《预算法》第十四条（经人大批准的预算、决算在批准后二十日内由财政部门公开；"
    "各部门预算、决算在财政部门批复后二十日内由各部门公开）"
)
NORMATIVE_2018 = "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"
INTERPRET_2016 = (
    "政策解读与文件同步组织、同步审签、同步部署，最迟在文件公开后3个工作日内发布（国办发〔2016〕19号）"
)
DECISION_2019 = (
    "《重大行政决策程序暂行条例》（国务院令第713号）第十四条、第十五条（公开征求意见并反馈意见采纳情况）"
)


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
        "annual_report.tables",
        "年度报告表二、表三、表四（全国统一格式）",
        True,
        FORMAT_2021,
        "用 invoke annual-report 重新生成表格，或按条目和依申请公开登记簿改正数字（docs/requests.md）",
    ),
    Rule(
        "requests.overdue",
        "依申请公开：逾期未答复",
        True,
        ART_33,
        "立即答复申请人；今后在答复期限内答复，确需延长的在期限届满前决定并告知申请人",
    ),
    Rule(
        "requests.late",
        "依申请公开：按期答复、补正和延期",
        True,
        f"{ART_30}；{ART_33}",
        "查明原因；补正在7个工作日内一次性告知，延期在原期限届满前决定，答复在期限内作出",
    ),
    Rule(
        "requests.register",
        "依申请公开登记完整（含不予公开的理由）",
        True,
        f"{ART_36}；{FORMAT_2021}",
        "运行 invoke requests，按提示修改 requests/ 中的登记（文件:行号）",
    ),
    Rule(
        "budget.publication",
        "预决算批准、批复后20日内公开",
        True,
        BUDGET_LAW_14,
        "查明延误原因；今后本级预决算在人大批准后、部门预决算在财政部门批复后20日内公开（日期填在 approval_date）",
    ),
    Rule(
        "interpretation.sync",
        "政策解读三同步",
        True,
        f"{INTERPRET_2016}；{INSPECT}",
        "在政策解读栏目（interpretation）发布解读，用 interprets 写明文件的索引号，与文件同步发布",
    ),
    Rule(
        "consultation.feedback",
        "意见征集反馈采纳情况",
        True,
        f"{DECISION_2019}；{NORMATIVE_2018}",
        "在意见征集栏目（consultation）发布采纳情况，用 feedback_for 写明征求意见稿的索引号",
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
    interpretation_workdays: int = 3  # a 解读 at most this many working days after its 规范性文件
    feedback_days: int = 30  # a closed 意见征集's 采纳情况 due this many days after it closed
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


# ---------------------------------------------------------------- 依申请公开 (issue 17)


def _no(r: rr.Request) -> str:
    return f"{r.request_no}（{r.received_on} 收到）"


def request_rules(
    register: rr.Register | None, today: date, holiday_dir: workdays.Directories, missing: set[int]
) -> tuple[RuleResult, RuleResult, RuleResult]:
    """The register's rules: open requests past their deadline, replies, 补正 notices and extensions
    made too late, and the register's own problems (a withholding without its reason among them)."""
    overdue_rule, late_rule, register_rule = (
        RULES_BY_ID["requests.overdue"],
        RULES_BY_ID["requests.late"],
        RULES_BY_ID["requests.register"],
    )
    if register is None:
        none = "本项目没有依申请公开登记簿（requests/）"
        return (
            RuleResult(overdue_rule, PASS, none),
            RuleResult(late_rule, PASS, none),
            RuleResult(register_rule, PASS, none),
        )
    overdue, late, unknown = [], [], []
    for r in register.requests:
        try:
            d = rr.deadline(r, r.replied_on or today, holiday_dir)
        except workdays.CalendarMissing as exc:
            missing.add(exc.year)
            unknown.append(r.request_no)
            continue
        data = {"request_no": r.request_no, "due": d.due.isoformat() if d.due else None}
        if r.supplement_asked_on is not None and r.supplement_asked_on > d.supplement_due:
            late.append(
                Finding(
                    r.path,
                    r.line_of("supplement_asked_on"),
                    f"{_no(r)}：{r.supplement_asked_on} 才告知补正，应在收到申请后7个工作日内"
                    f"（{d.supplement_due} 前）一次性告知",
                    data,
                )
            )
        if r.extended_on is not None and r.extended_on > d.original:
            late.append(
                Finding(
                    r.path,
                    r.line_of("extended_on"),
                    f"{_no(r)}：{r.extended_on} 决定延长答复期限，晚于原答复期限 {d.original}，延期无效",
                    data,
                )
            )
        if d.due is None:
            continue  # waiting for the applicant's supplement: the clock is stopped
        if r.replied_on is not None and r.replied_on > d.due:
            days = workdays.count_workdays(d.due + timedelta(days=1), r.replied_on, holiday_dir)
            late.append(
                Finding(
                    r.path,
                    r.line_of("replied_on"),
                    f"{_no(r)}：{r.replied_on} 答复，晚于答复期限 {d.due}（逾期 {days} 个工作日）",
                    data,
                )
            )
        elif r.replied_on is None and today > d.due:
            days = workdays.count_workdays(d.due + timedelta(days=1), today, holiday_dir)
            overdue.append(
                Finding(
                    r.path,
                    r.line_of("received_on"),
                    f"{_no(r)} 尚未答复，答复期限 {d.due} 已过 {days} 个工作日",
                    data,
                )
            )
    open_count = sum(r.is_open for r in register.requests)

    def result(rule: Rule, findings: list[Finding], bad: str, good: str) -> RuleResult:
        if findings:
            return RuleResult(rule, FAIL, bad.format(len(findings)), findings)
        if unknown:
            return RuleResult(
                rule,
                UNKNOWN,
                f"缺少节假日安排，{'、'.join(unknown)} 的期限无法计算",
                [],
                {"requests": unknown},
            )
        return RuleResult(rule, PASS, good)

    problems = [Finding(p.path, p.line, f"{p.message} ({p.key})") for p in register.problems]
    return (
        result(overdue_rule, overdue, "{} 件申请逾期未答复", f"未答复的 {open_count} 件申请均未逾期"),
        result(
            late_rule, late, "{} 处答复、补正告知或延期晚于法定期限", "答复、补正告知和延期均在法定期限内"
        ),
        RuleResult(register_rule, FAIL, f"登记簿有 {len(problems)} 个问题", problems)
        if problems
        else RuleResult(register_rule, PASS, f"登记簿 {len(register.requests)} 件申请，登记完整"),
    )


def _the_report(site: Site, config: AuditConfig, expected: ExpectedReport, year: int) -> Entry | None:
    reports = []
    for e in site.entries:
        if e.column != config.report_column or not was_public(site, e) or e.publisher != expected.publisher:
            continue
        b = read_report_block(site, e)
        if (b.year if b and b.year else _report_title_year(e)) == year:
            reports.append(e)
    return min(reports, key=lambda e: (e.date_published, e.path)) if reports else None


def _stated_tables(
    e: Entry, year: int, normative: tuple[int, int, int], register: rr.Register | None
) -> tuple[list[Finding], dict]:
    """What the report's tables 二, 三 and 四 state against what they should (one report)."""
    findings: list[Finding] = []
    tables = report_tables.parse_tables(e.body)

    def at(line: int) -> int:
        return e.body_line + line - 1

    def add(line: int, message: str, **data) -> None:
        findings.append(Finding(e.path, at(line), message, data))

    for key, caption, name in (
        ("two", report_tables.CAPTION_TWO, "二"),
        ("three", report_tables.CAPTION_THREE, "三"),
        ("four", report_tables.CAPTION_FOUR, "四"),
    ):
        if key not in tables:
            findings.append(
                Finding(
                    e.path,
                    e.body_line,
                    f"{year}年度年度报告缺少表{name}（{caption}，全国统一格式）：可用 invoke annual-report 生成",
                )
            )
    if "two" in tables:
        for label, cells, line in tables["two"].rows:
            values = [report_tables.number(c) for c in cells]
            if any(v is None for v in values):
                add(line, f"表二“{label}”未填写数字（{'、'.join(cells)}）")
            elif report_tables.same_label(label, "行政规范性文件"):
                for header, value, computed in zip(
                    ("本年制发件数", "本年废止件数", "现行有效件数"), values, normative, strict=False
                ):
                    if value != computed:
                        add(
                            line,
                            f"表二“行政规范性文件”{header}写 {value}，按本站条目统计为 {computed}",
                            stated=str(value),
                            computed=computed,
                        )
    three = {}
    if "three" in tables:
        expected = rr.table_three(register.requests if register else (), year)
        stated = tables["three"].rows
        columns = [label for _, label in rr.APPLICANT_TYPES] + ["总计"]
        if len(stated) != len(expected):
            add(
                tables["three"].line,
                f"表三应有 {len(expected)} 行数字（全国统一格式的每一行），现有 {len(stated)} 行",
            )
        rows = []
        for (label, cells, line), want in zip(stated, expected, strict=False):
            if not report_tables.same_label(label, want.label):
                add(line, f"表三此行应为“{want.label}”，写的是“{label}”")
                continue
            values = [report_tables.number(c) for c in cells]
            if len(values) != len(columns) or any(v is None for v in values):
                add(line, f"表三“{want.label}”应有 {len(columns)} 个数字（{'、'.join(columns)}）")
                continue
            rows.append(rr.TableRow(want.key, want.label, tuple(int(v) for v in values)))
            if register is None:
                continue
            for name, value, computed in zip(columns, values, want.cells, strict=True):
                if value != computed:
                    add(
                        line,
                        f"表三“{want.label}”“{name}”写 {value}，按依申请公开登记簿统计为 {computed}",
                        stated=str(value),
                        computed=computed,
                    )
        if len(rows) == len(expected):
            for message in rr.balance_problems(rows):
                add(
                    tables["three"].line,
                    message + "：表三不平衡（第一项加第二项之和应等于第三项加第四项之和）",
                )
        three = {row.key: list(row.cells) for row in rows}
    if "four" in tables:
        stated_cells = [cell for _, cells, _ in tables["four"].rows for cell in cells]
        want = [
            v
            for kind, _ in rr.APPEAL_KINDS
            for v in rr.table_four(register.requests if register else (), year)[kind]
        ]
        line = tables["four"].rows[0][2] if tables["four"].rows else tables["four"].line
        values = [report_tables.number(c) for c in stated_cells]
        if len(values) != 15 or any(v is None for v in values):
            add(
                line,
                f"表四应有 15 个数字（行政复议、未经复议直接起诉、复议后起诉各 5 项），现有 {len(values)} 个",
            )
        elif register is not None:
            names = [
                f"{group}“{label}”"
                for group in ("行政复议", "未经复议直接起诉", "复议后起诉")
                for label in [label for _, label in rr.APPEAL_RESULTS] + ["总计"]
            ]
            for name, value, computed in zip(names, values, want, strict=True):
                if value != computed:
                    add(
                        line,
                        f"表四{name}写 {value}，按依申请公开登记簿统计为 {computed}",
                        stated=str(value),
                        computed=computed,
                    )
    return findings, {"entry": e.path, "tables": sorted(tables), "three": three}


def annual_report_tables(site: Site, config: AuditConfig, register: rr.Register | None) -> RuleResult:
    """The last year's report of each expected office has tables 二, 三 and 四 in the national format,
    and their figures are what the entries and the register give; table 三 balances."""
    rule = RULES_BY_ID["annual_report.tables"]
    year = site.build_date.year - 1
    if not config.annual_reports:
        return RuleResult(rule, UNKNOWN, "未配置应公布年度报告的机关（GONGKAI_AUDIT 的 annual_reports）")
    findings: list[Finding] = []
    data = []
    for expected in config.annual_reports:
        e = _the_report(site, config, expected, year)
        if e is None:
            continue
        scope = None if expected.level == "government" else expected.publisher
        f = annual_report_core.figures(
            site, year, publisher=scope, normative_columns=config.normative_columns
        )
        normative = (f.normative_issued, f.normative_repealed + f.normative_expired, f.normative_in_force)
        more, item = _stated_tables(e, year, normative, register)
        findings += more
        data.append(item)
    if findings:
        return RuleResult(rule, FAIL, f"{len(findings)} 处表格缺失或数字不符", findings, {"reports": data})
    if not data:
        return RuleResult(rule, UNKNOWN, f"尚无{year}年度年度报告，无法核对表格", [], {"reports": data})
    return RuleResult(rule, PASS, "表二、表三、表四齐全，数字与条目和登记簿一致", [], {"reports": data})


# ---------------------------------------------------------------- budgets (预算法 第十四条)


def budget_publication(site: Site, holiday_dir: workdays.Directories = None) -> RuleResult:
    """Each published 本级/部门 预算、决算 within 20 days of its 批准/批复 (budget_audit says how days count)."""
    rule = RULES_BY_ID["budget.publication"]
    late, unknown = budget_audit.late_budgets(site.published(), holiday_dir)
    findings = [Finding(f.path, f.line, f.message, f.data) for f in late]
    if findings:
        status, summary = FAIL, f"{len(findings)} 份预决算未在批准（批复）后20日内公开"
    elif unknown:
        status, summary = UNKNOWN, f"{len(unknown)} 份预决算缺少节假日安排，无法判定是否顺延"
    else:
        status, summary = PASS, "预决算均在批准（批复）后20日内公开"
    return RuleResult(rule, status, summary, findings, {"unknown": unknown})


# ---------------------------------------------------------------- 政策解读 and 意见征集 (policylinks)


def interpretation_sync(
    site: Site, config: AuditConfig, directory: workdays.Directories
) -> tuple[RuleResult, set[int]]:
    """三同步: every published 规范性文件 in force has a published 解读 (interprets: its 索引号), the
    first of them published at most `interpretation_workdays` working days after it."""
    rule = RULES_BY_ID["interpretation.sync"]
    limit = config.interpretation_workdays
    published = site.published()
    by_document: dict[str, list[Entry]] = {}
    for e in published:
        if e.column == policylinks.INTERPRETATION and e.relations is not None and e.relations.interprets:
            by_document.setdefault(e.relations.interprets, []).append(e)
    findings: list[Finding] = []
    missing: set[int] = set()
    checked = 0
    for doc in sorted(published, key=lambda e: e.path):
        if not is_normative(doc, config) or doc.validity != "current":
            continue
        checked += 1
        found = by_document.get(doc.index_no)
        if not found:
            findings.append(
                Finding(
                    doc.path,
                    doc.line_of("index_no"),
                    f"规范性文件“{doc.title}”（{doc.doc_no}）没有政策解读",
                    {"document": doc.index_no},
                )
            )
            continue
        first = min(found, key=lambda e: (e.date_published, e.path))
        if first.date_published <= doc.date_published:
            continue
        try:
            late = workdays.count_workdays(
                doc.date_published + timedelta(days=1), first.date_published, directory
            )
        except workdays.CalendarMissing as exc:
            missing.add(exc.year)
            continue
        if late > limit:
            findings.append(
                Finding(
                    first.path,
                    first.line_of("date_published"),
                    f"解读“{first.title}”在文件（{doc.doc_no}）公开 {late} 个工作日后才发布"
                    f"（{doc.date_published} → {first.date_published}），超过{limit}个工作日",
                    {"document": doc.index_no, "workdays": late},
                )
            )
    if findings:
        status = FAIL
        summary = f"现行有效的规范性文件 {checked} 件，{len(findings)} 项未做到三同步"
    elif missing:
        status = UNKNOWN
        summary = (
            "缺少" + "、".join(f"{y}年" for y in sorted(missing)) + "的节假日安排，部分解读的发布用时无法计算"
        )
    else:
        status = PASS
        summary = f"现行有效的规范性文件 {checked} 件均已同步发布政策解读"
    return RuleResult(rule, status, summary, findings), missing


def consultation_feedback(site: Site, config: AuditConfig) -> RuleResult:
    """A published 意见征集 closed more than `feedback_days` days before the build date has a published
    采纳情况 (feedback_for: its 索引号)."""
    rule = RULES_BY_ID["consultation.feedback"]
    days = config.feedback_days
    findings: list[Finding] = []
    closed = 0
    for e in sorted(site.published(), key=lambda e: e.path):
        rel = e.relations
        if rel is None or not rel.is_consultation or rel.closes is None or rel.closes >= site.build_date:
            continue
        closed += 1
        links = site.links.get(e.path)
        due = policylinks.feedback_due(rel.closes, days)
        if (links is None or not links.feedback) and site.build_date > due:
            findings.append(
                Finding(
                    e.path,
                    e.line_of("closes"),
                    f"意见征集“{e.title}”已于 {rel.closes} 截止，超过{days}天仍未公布意见采纳情况（应在 {due} 前公布）",
                    {"closes": rel.closes.isoformat(), "due": due.isoformat()},
                )
            )
    return RuleResult(
        rule,
        FAIL if findings else PASS,
        f"已截止的意见征集 {closed} 个，{len(findings)} 个超过{days}天未公布采纳情况"
        if findings
        else (
            f"已截止的意见征集 {closed} 个，均已按时公布采纳情况或未到期"
            if closed
            else "没有已截止的意见征集"
        ),
        findings,
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
    register: rr.Register | None = None,  # the project's requests/ (None: the project keeps none)
    structure=None,  # gongkai_core.tree.Structure: the required columns
    elements: dict | None = None,  # GONGKAI_SITE_ELEMENTS
    history=None,  # gongkai_core.git_history.History: when each file first entered git
) -> AuditReport:
    if site_dir is not None and not site_dir.is_dir():
        site_dir = None
    timely, stats, missing = timeliness(site, config, holiday_dir)
    deadline, figures = annual_report(site, config)
    sync, sync_missing = interpretation_sync(site, config, holiday_dir)
    missing |= sync_missing
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
        annual_report_tables(site, config, register),
        *request_rules(register, site.build_date, holiday_dir, missing),
        budget_publication(site, holiday_dir),
        sync,
        consultation_feedback(site, config),
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
