"""征地信息 (land column): every notice of one expropriation batch, their schema, the statutory
periods, the batch order (the 2020 one, or the one before 2020 for older batches), and the
optional parcel outline.

Order under the 2020 《土地管理法》 (Art. 47) and its 实施条例 (2021, Art. 26–32): 征收土地预公告
(≥ 10 working days) → 土地现状调查结果 · 社会稳定风险评估结果 → 征地补偿安置方案公告 (≥ 30 days) →
听证 (notice, result, revised plan) where asked for → 补偿登记和协议签订情况 (征地补偿安置决定 for
owners without agreement) → 批复 → 征收土地公告 (within 15 working days of receiving the 批复) →
费用到位. A batch whose 批复 is dated before 2020-01-01 (or, without one, whose notices are) follows
the order before 2020 (《征用土地公告办法》 2001): 批复 → 征收土地公告 (10 working days) → 补偿登记
→ 补偿安置方案公告 → 费用到位.

Periods are counted as the law counts them (《民法典》 Art. 201): the day a period starts from (the
day a notice is published, the day the 批复 is received) is not counted; counting begins the next
day. Working days follow the state holiday calendar (`workdays`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from .. import urls
from ..datatable import DataTable
from ..errors import Problem
from ..fieldspec import check_data_block
from ..namemask import DEFAULT_RULE, mask_name
from ..schema import Field
from ..values import AREA_PLACES, fmt_area, fmt_money
from ..workdays import CalendarMissing, count_workdays, nth_workday
from ..yamlload import LineDict, LineList
from .base import BlockReader, ColumnViews, EntryView, GeneratedPage, ShownEntry, entry_downloads

KEY = "land"  # the column (gongkai_core.columns.base.DataColumn)
BLOCK = "land"  # its entries' data block
TEMPLATE = "land"  # theme/templates/land.html
PLACES_TEMPLATE = "land_places"  # theme/templates/land_places.html: the notices by 乡镇 and year
_PLACES = "places"
GENERATED = (re.escape(_PLACES),)  # what it generates in land/: the places index (places_page)
PRIVATE = ("households",)  # keys of the block never shown as written: names only masked (namemask)
MASK_SETTING = "GONGKAI_COLUMNS_LAND_NAME_MASK"


def places_page() -> str:
    """The 征地 notices by 乡镇 and year."""
    return urls.generated_page(KEY, _PLACES)


NOTICE_TYPES = (
    ("pre_notice", "征收土地预公告"),
    ("survey", "土地现状调查结果"),
    ("risk_assessment", "社会稳定风险评估结果"),
    ("compensation_plan", "征地补偿安置方案公告"),
    ("hearing_notice", "听证公告"),
    ("hearing_result", "听证结果"),
    ("revised_plan", "修改后的征地补偿安置方案公告"),
    ("registration", "补偿登记和协议签订情况"),
    ("decision", "征地补偿安置决定"),
    ("approval", "批复"),
    ("expropriation", "征收土地公告"),
    ("payment", "征地补偿费用到位情况"),
)
TYPE_LABEL = dict(NOTICE_TYPES)
STAGE = {key: i for i, (key, _) in enumerate(NOTICE_TYPES)}  # the 2020 order
# The order before 2020 (《征用土地公告办法》): only these notices, in this order.
LEGACY_ORDER = ("approval", "expropriation", "registration", "compensation_plan", "payment")
LEGACY_STAGE = {key: i for i, key in enumerate(LEGACY_ORDER)}
NEW_LAW = date(2020, 1, 1)  # 《土地管理法》 as amended in 2019 in force
# The notices a later one needs in its batch (the statutory ones), by order.
REQUIRED_STAGES = {
    "current": ("pre_notice", "compensation_plan", "approval", "expropriation"),
    "legacy": ("approval", "expropriation"),
}
# A notice that only follows another one of the batch.
NEEDS = {"hearing_result": "hearing_notice", "revised_plan": "hearing_result", "decision": "registration"}
PRE_NOTICE_MIN_WORKDAYS = 10
PLAN_MIN_DAYS = 30
EXPROPRIATION_WORKDAYS = {"current": 15, "legacy": 10}
AREA_PARTS = (("farmland", "农用地"), ("construction", "建设用地"), ("unused", "未利用地"))
YES_NO = (("yes", "是"), ("no", "否"))
RISK_LEVELS = (("low", "低风险"), ("medium", "中风险"), ("high", "高风险"))

# How each period is counted, as the messages and docs/columns.md say it.
RULE_NOTICE_DAYS = "发布当日不计入，自次日起算，《民法典》第二百零一条"
RULE_WORKDAYS = "工作日按国务院办公厅公布的节假日和调休安排计算"

_PLACE_FIELDS = (
    Field("township", "乡镇（街道）", "text", True),
    Field("village", "村（社区）", "text", True),
    Field("groups", "村民小组", "text"),
)

FIELDS: tuple[Field, ...] = (
    Field("notice_type", "公告类型", "choice", True, NOTICE_TYPES),
    Field("batch", "批次", "text", True, hint="如“2025年度第1批次城镇建设用地”，同一批次各公告须一字不差"),
    Field("project", "项目名称", "text"),
    Field("purpose", "征收目的和用途", "text"),
    Field("issued_on", "公告日期", "date", hint="公告落款日期（批复以外的公告都须填写）"),
    Field(
        "places",
        "征收范围（乡镇、村）",
        "list",
        True,
        fields=(*_PLACE_FIELDS, Field("area", "面积（公顷）", "area")),
    ),
    Field(
        "area",
        "征收面积（公顷）",
        "mapping",
        True,
        fields=(
            Field("total", "总面积", "area", True),
            Field("farmland", "农用地", "area"),
            Field("cultivated", "其中：耕地", "area"),
            Field("construction", "建设用地", "area"),
            Field("unused", "未利用地", "area"),
        ),
    ),
    Field(
        "approval",
        "批准情况",
        "mapping",
        fields=(
            Field("authority", "批准机关", "text", True),
            Field("number", "批准文号", "text", True),
            Field("date", "批准日期", "date", True),
            Field("received", "收到批准文件日期", "date", hint="征收土地公告期限由此起算；不填按批准日期"),
        ),
    ),
    Field(
        "period",
        "公告期",
        "mapping",
        fields=(
            Field("start", "开始日期", "date", True),
            Field("end", "结束日期", "date", True),
        ),
    ),
    Field("posted_at", "张贴地点", "text", hint="纸质公告张贴的地点，如各村村务公开栏"),
    Field("restrictions", "预公告期间禁止事项", "markdown", hint="须写明禁止抢栽抢建，抢栽抢建部分不予补偿"),
    Field("survey", "土地现状调查安排", "markdown"),
    Field(
        "findings",
        "土地现状调查结果（按村、组）",
        "list",
        fields=(
            *_PLACE_FIELDS,
            Field("area", "面积（公顷）", "area", True),
            Field("households", "涉及户数", "count", True),
            Field("attachments", "地上附着物和青苗", "text"),
        ),
    ),
    Field("confirmation", "调查结果确认情况", "markdown"),
    Field(
        "risk",
        "社会稳定风险评估",
        "mapping",
        fields=(
            Field("level", "风险等级", "choice", True, RISK_LEVELS),
            Field("assessed_by", "评估主体", "text", True),
            Field("conclusion", "评估结论和防控措施", "markdown", True),
        ),
    ),
    Field(
        "compensation",
        "补偿标准",
        "list",
        fields=(
            Field("zone", "区片编号", "text", True),
            Field("price", "区片综合地价（元/亩）", "price", True),
            Field("villages", "适用村", "text"),
        ),
    ),
    Field("resettlement", "安置方式", "markdown"),
    Field("social_security", "社会保障", "markdown"),
    Field(
        "registration",
        "补偿登记",
        "mapping",
        fields=(
            Field("start", "登记开始日期", "date", True),
            Field("end", "登记截止日期", "date", True),
            Field("place", "登记地点和方式", "text", True),
        ),
    ),
    Field("hearing", "听证权利告知", "markdown"),
    Field(
        "session",
        "听证会",
        "mapping",
        fields=(
            Field("date", "听证日期", "date", True),
            Field("place", "听证地点", "text", True),
            Field("applicants", "申请人", "text", hint="如“东风村集体经济组织成员62人”，不写个人姓名"),
        ),
    ),
    Field("result", "听证结果", "markdown"),
    Field("revised", "是否修改方案", "choice", choices=YES_NO),
    Field(
        "signing",
        "补偿登记和协议签订情况（按村、组）",
        "list",
        fields=(
            *_PLACE_FIELDS,
            Field("households", "应登记户数", "count", True),
            Field("registered", "已登记户数", "count", True),
            Field("signed", "已签协议户数", "count", True),
        ),
    ),
    Field(
        "households",
        "户名单",
        "list",
        hint="姓名在网站上按隐名规则显示（如 张某某），不显示身份证号、银行账号",
        fields=(
            Field("name", "户主姓名", "text", True),
            Field("village", "村（社区）", "text", True),
            Field("groups", "村民小组", "text"),
            Field("area", "被征收面积（公顷）", "area", True),
            Field("amount", "补偿金额（万元）", "money", True),
        ),
    ),
    Field(
        "payments",
        "征地补偿费用到位（按村、组）",
        "list",
        fields=(
            *_PLACE_FIELDS,
            Field("land_compensation", "土地补偿费（万元）", "money", True),
            Field("resettlement", "安置补助费（万元）", "money", True),
            Field("attachments", "地上附着物和青苗补偿费（万元）", "money", True),
            Field("social_security", "社会保障费用（万元）", "money", True),
        ),
    ),
    Field("paid_total", "到位资金合计（万元）", "money", hint="填写时须与各村、组之和一致"),
    Field("objection", "异议反映渠道", "text"),
    Field("outline", "地块范围（GeoJSON）", "geojson", hint="Polygon 或 MultiPolygon，坐标为经度、纬度"),
)

# Keys each notice type must carry beyond the always-required ones, whatever the batch's order.
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "pre_notice": ("purpose", "issued_on", "period", "posted_at", "survey", "restrictions"),
    "survey": ("issued_on", "findings"),
    "risk_assessment": ("issued_on", "risk"),
    "compensation_plan": (
        "issued_on",
        "period",
        "posted_at",
        "compensation",
        "resettlement",
        "social_security",
        "hearing",
    ),
    "hearing_notice": ("issued_on", "session", "posted_at"),
    "hearing_result": ("issued_on", "session", "result", "revised"),
    "revised_plan": (
        "issued_on",
        "posted_at",
        "compensation",
        "resettlement",
        "social_security",
        "objection",
    ),
    "registration": ("issued_on", "signing"),
    "decision": ("issued_on", "households", "objection"),
    "approval": ("approval",),
    "expropriation": ("issued_on", "approval", "posted_at"),
    "payment": ("issued_on", "payments"),
}
# What a 补偿安置方案公告 must also say from 2020 on (实施条例 Art. 27): how and by when to register,
# and where to object. Checked across the batch, which knows its order.
PLAN_REQUIRED_2020 = ("registration", "objection")
LABEL = {f.key: f.label for f in FIELDS}


# ---------------------------------------------------------------- the parsed model


@dataclass(frozen=True)
class Place:
    township: str
    village: str
    groups: str = ""
    area: Decimal | None = None


@dataclass(frozen=True)
class Areas:
    total: Decimal
    farmland: Decimal | None = None
    cultivated: Decimal | None = None
    construction: Decimal | None = None
    unused: Decimal | None = None

    def parts(self) -> list[tuple[str, Decimal]]:
        """The land-type rows to show, in the order of the 地类 list, 耕地 after 农用地."""
        out = []
        for key, label in (
            ("farmland", "农用地"),
            ("cultivated", "其中：耕地"),
            ("construction", "建设用地"),
            ("unused", "未利用地"),
        ):
            value = getattr(self, key)
            if value is not None:
                out.append((label, value))
        return out


@dataclass(frozen=True)
class Approval:
    authority: str
    number: str
    date: date
    received: date | None = None

    @property
    def start(self) -> date:
        """The day the 征收土地公告 period runs from (not counted): the 批复 received, else its date."""
        return self.received or self.date


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def first_counted(period: Period, issued: date | None) -> date:
    """The first day a notice period counts (《民法典》 Art. 201): the day after publication at the
    earliest — a period that starts on the day of publication counts from the next day."""
    if issued is None:
        return period.start
    return max(period.start, issued + timedelta(days=1))


@dataclass(frozen=True)
class Standard:
    zone: str
    price: Decimal  # 元/亩
    villages: str = ""


@dataclass(frozen=True)
class Registration:
    start: date
    end: date
    place: str


@dataclass(frozen=True)
class Finding:
    township: str
    village: str
    groups: str
    area: Decimal
    households: int
    attachments: str = ""


@dataclass(frozen=True)
class Risk:
    level: str
    assessed_by: str
    conclusion: str

    @property
    def level_label(self) -> str:
        return dict(RISK_LEVELS)[self.level]


@dataclass(frozen=True)
class Session:
    date: date
    place: str
    applicants: str = ""


@dataclass(frozen=True)
class Signing:
    township: str
    village: str
    groups: str
    households: int
    registered: int
    signed: int

    @property
    def unsigned(self) -> int:
        return self.households - self.signed


@dataclass(frozen=True)
class Household:
    """One household of a list; `name` is never shown as written (masked by namemask)."""

    name: str = field(repr=False)
    village: str
    groups: str
    area: Decimal
    amount: Decimal  # 万元


@dataclass(frozen=True)
class Payment:
    township: str
    village: str
    groups: str
    land_compensation: Decimal
    resettlement: Decimal
    attachments: Decimal
    social_security: Decimal

    @property
    def total(self) -> Decimal:
        return self.land_compensation + self.resettlement + self.attachments + self.social_security


Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Land:
    notice_type: str
    batch: str
    places: tuple[Place, ...]
    area: Areas
    project: str = ""
    purpose: str = ""
    issued_on: date | None = None
    approval: Approval | None = None
    period: Period | None = None
    posted_at: str = ""
    restrictions: str = ""
    survey: str = ""
    findings: tuple[Finding, ...] = ()
    confirmation: str = ""
    risk: Risk | None = None
    compensation: tuple[Standard, ...] = ()
    resettlement: str = ""
    social_security: str = ""
    registration: Registration | None = None
    hearing: str = ""
    session: Session | None = None
    result: str = ""
    revised: str = ""
    signing: tuple[Signing, ...] = ()
    households: tuple[Household, ...] = ()
    payments: tuple[Payment, ...] = ()
    paid_total: Decimal | None = None
    objection: str = ""
    outline: tuple[tuple[Ring, ...], ...] = ()  # polygons, each an outer ring then holes
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)  # key -> line, for set checks

    @property
    def type_label(self) -> str:
        return TYPE_LABEL[self.notice_type]

    @property
    def stage(self) -> int:
        return STAGE[self.notice_type]

    @property
    def date(self) -> date:
        """The date that orders the batch: the approval date for a 批复, else the notice date."""
        if self.notice_type == "approval" and self.approval is not None:
            return self.approval.date
        assert self.issued_on is not None
        return self.issued_on

    @property
    def townships(self) -> tuple[str, ...]:
        return tuple(sorted({p.township for p in self.places}))

    def line_of(self, key: str) -> int:
        lines = dict(self.lines)
        return lines.get(key, lines.get(key.split(".")[0], lines.get("", 1)))

    @property
    def period_text(self) -> str:
        """公告期 as shown: both dates and the statutory count (working days for a 预公告), the day of
        publication not counted."""
        if self.period is None:
            return ""
        p = self.period
        first = first_counted(p, self.issued_on)
        note = "，发布当日不计入" if first > p.start else ""
        if self.notice_type == "pre_notice":
            try:
                n = count_workdays(first, p.end)
            except CalendarMissing:
                return f"{p.start} 至 {p.end}"
            return f"{p.start} 至 {p.end}（计 {n} 个工作日{note}）"
        return f"{p.start} 至 {p.end}（计 {(p.end - first).days + 1} 日{note}）"

    @property
    def unsigned(self) -> int:
        return sum(s.unsigned for s in self.signing)

    def data_tables(self, mask: str = DEFAULT_RULE) -> list[DataTable]:
        """The tables of the notice; household names masked by `mask` (namemask.RULES)."""
        places = tuple((p.township, p.village, p.groups, p.area) for p in self.places)
        if self.places and all(p.area is not None for p in self.places):
            places += (
                ("合计", "", "", sum((p.area for p in self.places if p.area is not None), Decimal(0))),
            )
        out = [
            DataTable(
                "places",
                "征收范围（乡镇、村）",
                "公顷",
                ("乡镇（街道）", "村（社区）", "村民小组", "面积"),
                ("township", "village", "groups", "area"),
                places,
            ),
            DataTable(
                "areas",
                "征收面积（按地类）",
                "",
                ("地类", "面积（公顷）", "折合（亩）"),
                ("land_type", "hectares", "mu"),
                (
                    ("总面积", self.area.total, area_in_mu(self.area.total)),
                    *((label, v, area_in_mu(v)) for label, v in self.area.parts()),
                ),
            ),
        ]
        if self.compensation:
            out.append(
                DataTable(
                    "compensation",
                    "征地补偿标准（区片综合地价）",
                    "元/亩",
                    ("区片", "区片综合地价", "适用村"),
                    ("zone", "price", "villages"),
                    tuple((s.zone, s.price, s.villages) for s in self.compensation),
                )
            )
        return out + self._stage_tables(mask)

    def _stage_tables(self, mask: str) -> list[DataTable]:
        """The tables by 村/组 of the later stages, each with its 合计 row."""
        out = []
        place_columns = (("township", "乡镇（街道）"), ("village", "村（社区）"), ("groups", "村民小组"))
        if self.findings:
            rows = [
                (r.township, r.village, r.groups, r.area, area_in_mu(r.area), r.households, r.attachments)
                for r in self.findings
            ]
            out.append(
                _by_village(
                    "findings",
                    "土地现状调查结果（按村、组）",
                    "",
                    (
                        *place_columns,
                        ("hectares", "面积（公顷）"),
                        ("mu", "折合（亩）"),
                        ("households", "涉及户数"),
                        ("attachments", "地上附着物和青苗"),
                    ),
                    rows,
                    summed=(3, 4, 5),
                )
            )
        if self.signing:
            rows = [
                (r.township, r.village, r.groups, r.households, r.registered, r.signed, r.unsigned)
                for r in self.signing
            ]
            out.append(
                _by_village(
                    "signing",
                    "补偿登记和协议签订情况（按村、组）",
                    "户",
                    (
                        *place_columns,
                        ("households", "应登记户数"),
                        ("registered", "已登记户数"),
                        ("signed", "已签协议户数"),
                        ("unsigned", "未签协议户数"),
                    ),
                    rows,
                    summed=(3, 4, 5, 6),
                )
            )
        if self.households:
            title = "未签订补偿安置协议的户" if self.notice_type == "decision" else "户补偿情况"
            rows = [
                (mask_name(r.name, mask), r.village, r.groups, r.area, area_in_mu(r.area), r.amount)
                for r in self.households
            ]
            table = _by_village(
                "households",
                f"{title}（姓名已隐去）",
                "",
                (
                    ("name", "户主"),
                    ("village", "村（社区）"),
                    ("groups", "村民小组"),
                    ("hectares", "被征收面积（公顷）"),
                    ("mu", "折合（亩）"),
                    ("amount", "补偿金额（万元）"),
                ),
                rows,
                summed=(3, 4, 5),
            )
            total = table.rows[-1]
            out.append(replace(table, rows=(*table.rows[:-1], (total[0], f"{len(rows)}户", *total[2:]))))
        if self.payments:
            rows = [
                (r.township, r.village, r.groups, *(getattr(r, k) for k in PAYMENT_PARTS), r.total)
                for r in self.payments
            ]
            out.append(
                _by_village(
                    "payments",
                    "征地补偿费用到位情况（按村、组）",
                    "万元",
                    (*place_columns, *PAYMENT_COLUMNS, ("total", "合计")),
                    rows,
                    summed=(3, 4, 5, 6, 7),
                )
            )
        return out


def _by_village(
    key: str,
    title: str,
    unit: str,
    columns: tuple[tuple[str, str], ...],
    rows: Sequence[tuple[Any, ...]],
    summed: tuple[int, ...],
) -> DataTable:
    """A table by 村/组 (`columns`: machine name and heading of each) closed by its 合计 row, which sums
    the columns at `summed` and leaves the others empty; a 折合（亩） column's total is the total
    hectares converted (as in the areas table), not the sum of rounded rows."""
    total: list[Any] = ["合计"] + [""] * (len(columns) - 1)
    for i in summed:
        total[i] = sum((r[i] for r in rows), Decimal(0) if isinstance(rows[0][i], Decimal) else 0)
    keys = [k for k, _ in columns]
    if "mu" in keys and "hectares" in keys:
        total[keys.index("mu")] = area_in_mu(total[keys.index("hectares")])
    return DataTable(
        key,
        title,
        unit,
        tuple(h for _, h in columns),
        tuple(k for k, _ in columns),
        (*(tuple(r) for r in rows), tuple(total)),
    )


PAYMENT_PARTS = ("land_compensation", "resettlement", "attachments", "social_security")
PAYMENT_COLUMNS = (
    ("land_compensation", "土地补偿费"),
    ("resettlement", "安置补助费"),
    ("attachments", "地上附着物和青苗补偿费"),
    ("social_security", "社会保障费用"),
)


# ---------------------------------------------------------------- validation


def _problem(path: str, line: int, message: str, key: str) -> Problem:
    return Problem(path, line, message, key)


def _check_required(typed: LineDict, data: LineDict, path: str) -> list[Problem]:
    kind = typed.get("notice_type")
    if kind is None:
        return []
    out = []
    for key in REQUIRED_BY_TYPE[kind]:
        if data.get(key) is None:
            out.append(
                _problem(path, data.line, f"{TYPE_LABEL[kind]}须填写“{key}”（{LABEL[key]}）", f"land.{key}")
            )
    restrictions = typed.get("restrictions")
    if kind == "pre_notice" and restrictions and "抢栽抢建" not in restrictions:
        out.append(
            _problem(
                path,
                typed.line_of("restrictions"),
                "预公告的禁止事项须写明：预公告发布后在拟征收范围内抢栽抢建的，对抢栽抢建部分不予补偿"
                "（《土地管理法实施条例》第二十六条），文中应有“抢栽抢建”",
                "land.restrictions",
            )
        )
    return out


def _check_period(typed: LineDict, path: str) -> list[Problem]:
    period, kind, issued = typed.get("period"), typed.get("notice_type"), typed.get("issued_on")
    if not isinstance(period, LineDict) or period.get("start") is None or period.get("end") is None:
        return []
    start, end = period["start"], period["end"]
    line = period.line_of("end")
    if end < start:
        return [_problem(path, line, f"公告期结束日 {end} 早于开始日 {start}，请核对", "land.period_order")]
    out = []
    if issued is not None and start < issued:
        out.append(
            _problem(
                path,
                period.line_of("start"),
                f"公告期开始日 {start} 早于公告日期 {issued}：公告发布后才能起算，请核对",
                "land.period_start",
            )
        )
    if kind == "pre_notice":
        first = first_counted(Period(start, end), issued)
        try:
            n = count_workdays(first, end)
            if n < PRE_NOTICE_MIN_WORKDAYS:
                earliest = nth_workday(first, PRE_NOTICE_MIN_WORKDAYS)
                out.append(
                    _problem(
                        path,
                        line,
                        f"预公告期 {start} 至 {end} 自 {first} 起算只有 {n} 个工作日，少于法定最少 "
                        f"{PRE_NOTICE_MIN_WORKDAYS} 个工作日：结束日最早应为 {earliest}"
                        f"（{RULE_NOTICE_DAYS}；{RULE_WORKDAYS}）",
                        "land.pre_notice_period",
                    )
                )
        except CalendarMissing as exc:
            out.append(_problem(path, line, str(exc), "land.calendar"))
    return out


def _check_area(typed: LineDict, path: str) -> list[Problem]:
    area = typed.get("area")
    if not isinstance(area, LineDict) or area.get("total") is None:
        return []
    total = area["total"]
    out = []
    if total <= 0:
        out.append(
            _problem(path, area.line_of("total"), f"总面积 {fmt_area(total)} 公顷应大于 0", "land.area")
        )
    for key in ("farmland", "cultivated", "construction", "unused"):
        value = area.get(key)
        if value is not None and value < 0:
            out.append(
                _problem(
                    path,
                    area.line_of(key),
                    f"{LABEL_AREA[key]}面积 {fmt_area(value)} 公顷为负数，请核对",
                    "land.area",
                )
            )
    given = [(k, area[k]) for k, _ in AREA_PARTS if area.get(k) is not None]
    s = sum((v for _, v in given), Decimal(0))
    names = "、".join(LABEL_AREA[k] for k, _ in given)
    if given and s > total:
        out.append(
            _problem(
                path,
                area.line_of("total"),
                f"{names}面积之和 {fmt_area(s)} 公顷，超过总面积 {fmt_area(total)} 公顷：分类面积不能大于总面积，"
                "请核对",
                "land.area_parts",
            )
        )
    elif len(given) == len(AREA_PARTS) and s != total:
        out.append(
            _problem(
                path,
                area.line_of("total"),
                f"农用地、建设用地、未利用地面积之和 {fmt_area(s)} 公顷，与总面积 {fmt_area(total)} 公顷不符"
                f"（相差 {fmt_area(total - s)}），请核对",
                "land.area_sum",
            )
        )
    farm, cult = area.get("farmland"), area.get("cultivated")
    if cult is not None and farm is not None and cult > farm:
        out.append(
            _problem(
                path,
                area.line_of("cultivated"),
                f"耕地面积 {fmt_area(cult)} 公顷，超过农用地面积 {fmt_area(farm)} 公顷：耕地是农用地的一部分，请核对",
                "land.area_parts",
            )
        )
    elif cult is not None and cult > total:
        out.append(
            _problem(
                path,
                area.line_of("cultivated"),
                f"耕地面积 {fmt_area(cult)} 公顷，超过总面积 {fmt_area(total)} 公顷，请核对",
                "land.area_parts",
            )
        )
    places = typed.get("places")
    if isinstance(places, LineList):
        amounts = [p.get("area") for p in places]
        known = [a for a in amounts if a is not None]
        ps = sum(known, Decimal(0))
        if known and ps > total:
            out.append(
                _problem(
                    path,
                    typed.line_of("places"),
                    f"各村面积之和 {fmt_area(ps)} 公顷，超过总面积 {fmt_area(total)} 公顷，请核对",
                    "land.area_parts",
                )
            )
        elif amounts and len(known) == len(amounts) and ps != total:
            out.append(
                _problem(
                    path,
                    typed.line_of("places"),
                    f"各村面积之和 {fmt_area(ps)} 公顷，与总面积 {fmt_area(total)} 公顷不符"
                    f"（相差 {fmt_area(total - ps)}），请核对",
                    "land.area_sum",
                )
            )
    return out


LABEL_AREA = {
    "total": "总",
    "farmland": "农用地",
    "cultivated": "耕地",
    "construction": "建设用地",
    "unused": "未利用地",
}


def _order_of(approved: date) -> str:
    """The order a batch follows, from its 批复's date: "legacy" before 2020-01-01, else "current"."""
    return "legacy" if approved < NEW_LAW else "current"


def _check_dates(typed: LineDict, path: str) -> list[Problem]:
    out = []
    kind, issued, approval = typed.get("notice_type"), typed.get("issued_on"), typed.get("approval")
    if isinstance(approval, LineDict) and approval.get("date") and approval.get("received"):
        if approval["received"] < approval["date"]:
            out.append(
                _problem(
                    path,
                    approval.line_of("received"),
                    f"收到批准文件日期 {approval['received']} 早于批准日期 {approval['date']}，请核对",
                    "land.approval_received",
                )
            )
    if kind == "expropriation" and isinstance(approval, LineDict) and issued is not None:
        approved = approval.get("date")
        if approved is not None and issued < approved:
            out.append(
                _problem(
                    path,
                    typed.line_of("issued_on"),
                    f"征收土地公告日期 {issued} 早于批准日期 {approved}：须在批准后发布，请核对",
                    "land.order",
                )
            )
        elif approved is not None:
            out += _check_expropriation_deadline(
                issued, approval.get("received") or approved, approved, typed.line_of("issued_on"), path
            )
    reg = typed.get("registration")
    if isinstance(reg, LineDict) and reg.get("start") and reg.get("end") and reg["end"] < reg["start"]:
        out.append(
            _problem(
                path,
                reg.line_of("end"),
                f"补偿登记截止日 {reg['end']} 早于开始日 {reg['start']}，请核对",
                "land.registration",
            )
        )
    session = typed.get("session")
    if isinstance(session, LineDict) and session.get("date") and issued is not None:
        held = session["date"]
        if kind == "hearing_notice" and held <= issued:
            out.append(
                _problem(
                    path,
                    session.line_of("date"),
                    f"听证日期 {held} 不晚于听证公告日期 {issued}：听证公告须在听证会之前发布，请核对",
                    "land.hearing_date",
                )
            )
        if kind == "hearing_result" and issued < held:
            out.append(
                _problem(
                    path,
                    typed.line_of("issued_on"),
                    f"听证结果公告日期 {issued} 早于听证日期 {held}，请核对",
                    "land.hearing_date",
                )
            )
    return out


def _check_expropriation_deadline(
    issued: date, received: date, approved: date, line: int, path: str
) -> list[Problem]:
    """征收土地公告 within 15 working days of receiving the 批复 (实施条例 Art. 31), 10 for a batch
    approved before 2020 (《征用土地公告办法》 Art. 3); the day received not counted (《民法典》 Art. 201)."""
    order = _order_of(approved)
    n = EXPROPRIATION_WORKDAYS[order]
    try:
        deadline = nth_workday(received + timedelta(days=1), n)
    except CalendarMissing as exc:
        return [_problem(path, line, str(exc), "land.calendar")]
    if issued <= deadline:
        return []
    law = (
        "《土地管理法实施条例》第三十一条"
        if order == "current"
        else "2020年1月1日前批准的批次，按《征用土地公告办法》第三条"
    )
    return [
        _problem(
            path,
            line,
            f"征收土地公告日期 {issued} 超过法定期限：应自收到批准文件之日（{received}）起 {n} 个工作日内发布，"
            f"最晚 {deadline}（{law}；收到当日不计入，自次日起算，《民法典》第二百零一条；{RULE_WORKDAYS}）",
            "land.expropriation_deadline",
        )
    ]


def _place_names(typed: LineDict) -> set[str]:
    places = typed.get("places")
    return {p.get("village") for p in places} if isinstance(places, LineList) else set()


def _check_rows(typed: LineDict, path: str) -> list[Problem]:
    """The tables by 村/组 name villages of the batch's range, and their counts and sums agree."""
    out = []
    villages = _place_names(typed)
    for key in ("findings", "signing", "households", "payments"):
        rows = typed.get(key)
        if not isinstance(rows, LineList):
            continue
        for i, row in enumerate(rows):
            village = row.get("village")
            if village is not None and villages and village not in villages:
                out.append(
                    _problem(
                        path,
                        rows.line_of(i),
                        f"{LABEL[key]}中的“{village}”不在本公告的征收范围（places）内："
                        f"征收范围内的村为{'、'.join(sorted(villages))}，请核对村名",
                        "land.village",
                    )
                )
    signing = typed.get("signing")
    for i, row in enumerate(signing if isinstance(signing, LineList) else []):
        h, r, s = row.get("households"), row.get("registered"), row.get("signed")
        if None not in (h, r, s) and not s <= r <= h:
            out.append(
                _problem(
                    path,
                    signing.line_of(i),
                    f"{row.get('village', '')}{row.get('groups', '')}：应登记 {h} 户、已登记 {r} 户、已签协议 {s} 户，"
                    "应满足 已签协议 ≤ 已登记 ≤ 应登记，请核对",
                    "land.signing_counts",
                )
            )
    findings, area = typed.get("findings"), typed.get("area")
    if isinstance(findings, LineList) and isinstance(area, LineDict) and area.get("total") is not None:
        known = [f.get("area") for f in findings]
        if known and None not in known and sum(known, Decimal(0)) != area["total"]:
            s = sum(known, Decimal(0))
            out.append(
                _problem(
                    path,
                    typed.line_of("findings"),
                    f"调查结果各村、组面积之和 {fmt_area(s)} 公顷，与总面积 {fmt_area(area['total'])} 公顷不符"
                    f"（相差 {fmt_area(area['total'] - s)}），请核对",
                    "land.findings_area",
                )
            )
    payments, declared = typed.get("payments"), typed.get("paid_total")
    if isinstance(payments, LineList) and declared is not None:
        parts = [row.get(k) for row in payments for k in PAYMENT_PARTS]
        if None not in parts:
            s = sum(parts, Decimal(0))
            if s != declared:
                out.append(
                    _problem(
                        path,
                        typed.line_of("paid_total"),
                        f"到位资金合计 {fmt_money(declared)} 万元，与各村、组四项费用之和 {fmt_money(s)} 万元不符"
                        f"（相差 {fmt_money(declared - s)}），请核对",
                        "land.payment_sum",
                    )
                )
    return out


def _number(value: object) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _ring_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def read_outline(value: object, path: str, line: int) -> tuple[tuple[tuple[Ring, ...], ...], list[Problem]]:
    """A GeoJSON Polygon or MultiPolygon (lon, lat) as polygons of rings, with every problem found."""
    key = "land.outline"
    if not isinstance(value, LineDict):
        return (), [_problem(path, line, "outline 应为 GeoJSON 几何对象，含 type 和 coordinates 两个键", key)]
    kind, coords = value.get("type"), value.get("coordinates")
    if kind == "Feature":
        return (), [
            _problem(
                path,
                value.line_of("type"),
                "outline 只需填写几何部分（type: Polygon 与 coordinates），不要整个 Feature",
                key,
            )
        ]
    if kind not in ("Polygon", "MultiPolygon"):
        return (), [
            _problem(
                path,
                value.line_of("type"),
                f"outline 的 type “{kind}” 不支持：请用 Polygon 或 MultiPolygon",
                key,
            )
        ]
    extra = sorted(set(value) - {"type", "coordinates"})
    problems = [_problem(path, value.line_of(k), f"outline 中的键“{k}”无用，请删除", key) for k in extra]
    if not isinstance(coords, LineList) or not coords:
        return (), problems + [
            _problem(path, value.line_of("coordinates"), "outline 缺少 coordinates 坐标列表", key)
        ]
    polygons_in = [coords] if kind == "Polygon" else list(coords)
    polygons: list[tuple[Ring, ...]] = []
    for p_index, polygon in enumerate(polygons_in):
        p_line = coords.line_of(p_index) if kind == "MultiPolygon" else coords.line
        if not isinstance(polygon, LineList) or not polygon:
            problems.append(_problem(path, p_line, "多边形应为由环组成的列表：[[[经度, 纬度], …]]", key))
            continue
        rings: list[Ring] = []
        for r_index, ring in enumerate(polygon):
            r_line = polygon.line_of(r_index)
            if not isinstance(ring, LineList):
                problems.append(_problem(path, r_line, "环应为坐标点列表：[[经度, 纬度], …]", key))
                continue
            points: list[tuple[float, float]] = []
            for i, pos in enumerate(ring):
                pos_line = ring.line_of(i)
                nums = [_number(v) for v in pos] if isinstance(pos, LineList) else []
                if len(nums) not in (2, 3) or any(n is None for n in nums):
                    problems.append(
                        _problem(path, pos_line, f"坐标点 {i + 1} 应为 [经度, 纬度] 两个数字", key)
                    )
                    continue
                lon, lat = nums[0], nums[1]
                assert lon is not None and lat is not None
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    problems.append(
                        _problem(
                            path,
                            pos_line,
                            f"坐标点 {i + 1} [{pos[0]}, {pos[1]}] 超出范围：经度在前（-180～180），"
                            "纬度在后（-90～90）",
                            key,
                        )
                    )
                    continue
                points.append((lon, lat))
            if len(points) != len(ring):
                continue
            if len(points) < 4:
                problems.append(
                    _problem(path, r_line, f"环只有 {len(points)} 个坐标点：至少需要4个（首尾相同）", key)
                )
                continue
            if points[0] != points[-1]:
                problems.append(_problem(path, r_line, "环未闭合：最后一个坐标点须与第一个相同", key))
                continue
            if abs(_ring_area(tuple(points))) < 1e-12:
                problems.append(_problem(path, r_line, "环的面积为零（各点在一条直线上），请核对坐标", key))
                continue
            rings.append(tuple(points))
        if rings:
            polygons.append(tuple(rings))
    return tuple(polygons), problems


def _typed(data: Any, path: str) -> tuple[LineDict, list[Problem]]:
    return check_data_block(data, FIELDS, path, "land")


def _check(data: LineDict, path: str) -> tuple[LineDict, list[Problem]]:
    """The typed copy of one `land:` block and every problem of it, sorted by line."""
    typed, problems = _typed(data, path)
    if not isinstance(data, LineDict):
        return typed, sorted(problems)
    problems += _check_required(typed, data, path)
    problems += _check_period(typed, path)
    problems += _check_area(typed, path)
    problems += _check_dates(typed, path)
    problems += _check_rows(typed, path)
    if data.get("outline") is not None:
        problems += read_outline(data["outline"], path, data.line_of("outline"))[1]
    return typed, sorted(problems)


def _model(t: LineDict, data: LineDict, path: str) -> Land:
    """The model of a block `_check` found valid, from its typed copy."""
    area = t["area"]
    approval = t.get("approval")
    period = t.get("period")
    reg = t.get("registration")
    outline = read_outline(data["outline"], path, 0)[0] if data.get("outline") is not None else ()
    lines = [("", t.line), *sorted(t.lines.items())]
    if isinstance(approval, LineDict):
        lines.append(("approval.number", approval.line_of("number")))
    if isinstance(period, LineDict):
        lines.append(("period.end", period.line_of("end")))
    risk, session = t.get("risk"), t.get("session")
    return Land(
        notice_type=t["notice_type"],
        batch=t["batch"],
        places=tuple(
            Place(p["township"], p["village"], p.get("groups", ""), p.get("area")) for p in t["places"]
        ),
        area=Areas(
            area["total"],
            area.get("farmland"),
            area.get("cultivated"),
            area.get("construction"),
            area.get("unused"),
        ),
        project=t.get("project", ""),
        purpose=t.get("purpose", ""),
        issued_on=t.get("issued_on"),
        approval=(
            Approval(approval["authority"], approval["number"], approval["date"], approval.get("received"))
            if approval
            else None
        ),
        period=Period(period["start"], period["end"]) if period else None,
        posted_at=t.get("posted_at", ""),
        restrictions=t.get("restrictions", ""),
        survey=t.get("survey", ""),
        compensation=tuple(
            Standard(s["zone"], s["price"], s.get("villages", "")) for s in t.get("compensation", [])
        ),
        resettlement=t.get("resettlement", ""),
        social_security=t.get("social_security", ""),
        registration=Registration(reg["start"], reg["end"], reg["place"]) if reg else None,
        hearing=t.get("hearing", ""),
        findings=tuple(
            Finding(
                r["township"],
                r["village"],
                r.get("groups", ""),
                r["area"],
                r["households"],
                r.get("attachments", ""),
            )
            for r in t.get("findings", [])
        ),
        confirmation=t.get("confirmation", ""),
        risk=Risk(risk["level"], risk["assessed_by"], risk["conclusion"]) if risk else None,
        session=Session(session["date"], session["place"], session.get("applicants", ""))
        if session
        else None,
        result=t.get("result", ""),
        revised=t.get("revised", ""),
        signing=tuple(
            Signing(
                r["township"],
                r["village"],
                r.get("groups", ""),
                r["households"],
                r["registered"],
                r["signed"],
            )
            for r in t.get("signing", [])
        ),
        households=tuple(
            Household(r["name"], r["village"], r.get("groups", ""), r["area"], r["amount"])
            for r in t.get("households", [])
        ),
        payments=tuple(
            Payment(r["township"], r["village"], r.get("groups", ""), *(r[k] for k in PAYMENT_PARTS))
            for r in t.get("payments", [])
        ),
        paid_total=t.get("paid_total"),
        objection=t.get("objection", ""),
        outline=outline,
        lines=tuple(lines),
    )


# validate(block, path), read(block, path), parse(block, path): the protocol's, from _check and _model
_reader = BlockReader(_check, _model, "<land>")
validate, read, parse = _reader.validate, _reader.read, _reader.parse


# ---------------------------------------------------------------- across the notices of a batch


def batch_order(notices: Sequence[Land]) -> str:
    """The order a batch follows, chosen by its dates: "legacy" (before 2020) when its 批复 (of a 批复
    or cited by a 征收土地公告) is dated before 2020-01-01 — or, without one, when every notice is —
    else "current" (the 2020 order)."""
    approved = [n.approval.date for n in notices if n.approval is not None]
    if approved:
        return _order_of(min(approved))
    return _order_of(max(n.date for n in notices)) if notices else "current"


def rank_of(notice_type: str, order: str) -> int:
    """A notice type's place in a batch's order (a type the legacy order lacks goes last)."""
    return LEGACY_STAGE.get(notice_type, len(LEGACY_ORDER)) if order == "legacy" else STAGE[notice_type]


def rank(notice: Land, order: str) -> int:
    return rank_of(notice.notice_type, order)


def batches(items: Sequence[tuple[str, Land, Any]]) -> dict[str, list[tuple[str, Land, Any]]]:
    """Notices grouped by batch, each batch in its legal order (stage, then date, then path)."""
    out: dict[str, list[tuple[str, Land, Any]]] = {}
    for item in items:
        out.setdefault(item[1].batch, []).append(item)
    found = {}
    for b, v in sorted(out.items()):
        order = batch_order([land for _, land, _ in v])
        chain = sorted(
            (i for i in v if i[1].notice_type != "decision"),
            key=lambda i: (rank(i[1], order), i[1].date, i[0]),
        )
        # a 征地补偿安置决定 goes after the registration, by its date among what follows (it may come
        # after the 批复 or the 征收土地公告)
        keys = {id(i): (float(n), i[1].date, i[0]) for n, i in enumerate(chain)}
        for i in v:
            if i[1].notice_type == "decision":
                after = [
                    n
                    for n, c in enumerate(chain)
                    if c[1].stage >= STAGE["registration"] and c[1].date <= i[1].date
                ]
                before_registration = [n for n, c in enumerate(chain) if c[1].stage <= STAGE["registration"]]
                place = max(after + before_registration, default=-1)
                keys[id(i)] = (place + 0.5, i[1].date, i[0])
        found[b] = sorted(v, key=lambda i: keys[id(i)])
    return found


def _date_key(notice: Land) -> str:
    """The key whose line a date-order problem points at."""
    if notice.notice_type == "approval":
        return "approval"
    return "period" if notice.notice_type == "compensation_plan" and notice.period else "issued_on"


LEGACY_ORDER_TEXT = "批复 → 征收土地公告 → 补偿登记 → 补偿安置方案公告 → 费用到位"


def _order_reason(notices: Sequence[Land]) -> str:
    """What made a batch one of before 2020 (batch_order), as a message says it."""
    approved = [n.approval.date for n in notices if n.approval is not None]
    if approved:
        return f"批复日期 {min(approved)}"
    return f"各公告日期（最晚 {max(n.date for n in notices)}）"


def _plan_period(path: str, plan: Land) -> list[Problem]:
    """A 2020-order 补偿安置方案公告: at least 30 days, the day of publication not counted (实施条例 Art.
    27; 《民法典》 Art. 201); how and by when to register, and where to object."""
    out = [
        Problem(
            path,
            plan.line_of("notice_type"),
            f"{plan.type_label}须填写“{key}”（{LABEL[key]}）：2020年起的批次，方案公告须写明补偿登记的方式和期限、"
            "异议反馈渠道（《土地管理法实施条例》第二十七条）",
            f"land.{key}",
        )
        for key in PLAN_REQUIRED_2020
        if not getattr(plan, key)
    ]
    p = plan.period
    if p is not None and p.end >= p.start:
        first = first_counted(p, plan.issued_on)
        days = (p.end - first).days + 1
        if days < PLAN_MIN_DAYS:
            earliest = first + timedelta(days=PLAN_MIN_DAYS - 1)
            out.append(
                Problem(
                    path,
                    plan.line_of("period.end"),
                    f"征地补偿安置方案公告期 {p.start} 至 {p.end} 自 {first} 起算共 {days} 日，少于法定最少 "
                    f"{PLAN_MIN_DAYS} 日：结束日最早应为 {earliest}（{RULE_NOTICE_DAYS}）",
                    "land.plan_period",
                )
            )
    return out


def validate_set(items: Sequence[tuple[str, Land, Any]]) -> list[Problem]:
    """A batch's notices come in the legal order of the batch (the 2020 one, or the one before 2020
    for an older batch), a 征收土地公告 cites an approval of its batch, and the notices a batch's
    course calls for are there (revised plan after a hearing that revised it, a 征地补偿安置决定 for
    owners without agreement)."""
    problems: list[Problem] = []
    for batch, notices in batches(items).items():
        lands = [land for _, land, _ in notices]
        order = batch_order(lands)
        present = {land.notice_type for land in lands}
        approvals = {
            land.approval.number: (path, land)
            for path, land, _ in notices
            if land.notice_type == "approval" and land.approval is not None
        }
        for path, land, _ in notices:
            if order == "legacy" and land.notice_type not in LEGACY_STAGE:
                problems.append(
                    Problem(
                        path,
                        land.line_of("notice_type"),
                        f"批次“{batch}”按{_order_reason(lands)}属2020年1月1日前批准的批次，按修改前的程序"
                        f"（{LEGACY_ORDER_TEXT}）核对，其中没有{land.type_label}：请核对批复日期或 batch 名称",
                        "land.legacy_type",
                    )
                )
                continue
            required = REQUIRED_STAGES[order]
            earlier = [k for k in required if rank_of(k, order) < rank(land, order) and k not in present]
            need = NEEDS.get(land.notice_type)
            if need is not None and need not in present and order == "current":
                earlier.append(need)
            if earlier:
                names = "、".join(TYPE_LABEL[k] for k in earlier)
                problems.append(
                    Problem(
                        path,
                        land.line_of("notice_type"),
                        f"批次“{batch}”中还没有{names}：{land.type_label}须在其后发布，请先发布前序公告，"
                        "或核对 batch 名称是否一字不差",
                        "land.stage_missing",
                    )
                )
            if land.notice_type == "compensation_plan" and order == "current":
                problems += _plan_period(path, land)
            if land.notice_type == "expropriation" and land.approval is not None:
                cited = approvals.get(land.approval.number)
                if cited is None:
                    problems.append(
                        Problem(
                            path,
                            land.line_of("approval.number"),
                            f"征收土地公告引用的批复 {land.approval.number} 在批次“{batch}”中没有对应的批复"
                            "条目：请先发布该批复（notice_type: approval），或核对批准文号",
                            "land.approval_missing",
                        )
                    )
                elif (cited[1].approval.authority, cited[1].approval.number, cited[1].approval.date) != (
                    land.approval.authority,
                    land.approval.number,
                    land.approval.date,
                ):
                    a = cited[1].approval
                    problems.append(
                        Problem(
                            path,
                            land.line_of("approval"),
                            f"批准情况与 {cited[0]} 中的批复不一致（{a.authority} {a.number} {a.date}）："
                            "请照批复条目填写",
                            "land.approval_mismatch",
                        )
                    )
        if order == "current":
            problems += _course(batch, notices, present)
        problems += _dates_forward(notices, order)
    return sorted(problems)


def _course(batch: str, notices: Sequence[tuple[str, Land, Any]], present: set[str]) -> list[Problem]:
    """What the batch's own course calls for: a revised plan after a hearing that revised it (by the
    批复), a 征地补偿安置决定 where owners did not sign (by the 征收土地公告)."""
    out = []
    if "approval" in present and "revised_plan" not in present:
        for path, land, _ in notices:
            if land.notice_type == "hearing_result" and land.revised == "yes":
                out.append(
                    Problem(
                        path,
                        land.line_of("revised"),
                        f"听证结果写明要修改补偿安置方案，但批次“{batch}”中没有修改后的征地补偿安置方案公告："
                        "报批前须公布修改后的方案（《土地管理法实施条例》第二十七条）",
                        "land.revised_missing",
                    )
                )
    if "expropriation" in present and "decision" not in present:
        for path, land, _ in notices:
            if land.notice_type == "registration" and land.unsigned > 0:
                out.append(
                    Problem(
                        path,
                        land.line_of("signing"),
                        f"补偿登记和协议签订情况中有 {land.unsigned} 户未签订补偿安置协议，批次“{batch}”已发布征收土地公告，"
                        "却没有征地补偿安置决定：对未达成协议的，须作出征地补偿安置决定并公布"
                        "（《土地管理法实施条例》第三十一条）",
                        "land.decision_missing",
                    )
                )
    return out


def _dates_forward(notices: Sequence[tuple[str, Land, Any]], order: str) -> list[Problem]:
    """Dates run forward from one stage to the next; the stage after a notice period starts after
    it ends (the plan after the 预公告, the 批复 after the plan). A 征地补偿安置决定 only follows the
    registration (it may come before or after the 批复)."""
    problems = []
    allowed = LEGACY_STAGE if order == "legacy" else STAGE  # a type the order lacks is reported apart
    chain = [n for n in notices if n[1].notice_type != "decision" and n[1].notice_type in allowed]
    period_bound = {("pre_notice", "compensation_plan"), ("compensation_plan", "approval")}
    last: dict[str, tuple[str, Land]] = {}
    for (p1, a, _), (p2, b, _) in zip(chain, chain[1:]):
        last[a.notice_type] = (p1, a)
        if a.notice_type == b.notice_type:
            continue
        bound = None
        for kind in ("pre_notice", "compensation_plan"):
            if (kind, b.notice_type) in period_bound and kind in last and order == "current":
                bound = last[kind]
        if bound is not None and bound[1].period is not None:
            pa, na = bound
            first_day = b.period.start if (b.notice_type == "compensation_plan" and b.period) else b.date
            if first_day <= na.period.end:
                problems.append(
                    Problem(
                        p2,
                        b.line_of(_date_key(b)),
                        f"{b.type_label}的日期 {first_day} 不晚于{na.type_label}（{pa}）公告期结束日 "
                        f"{na.period.end}：须在前一公告期满后进行",
                        "land.order",
                    )
                )
                continue
        if b.date < a.date:
            problems.append(
                Problem(
                    p2,
                    b.line_of(_date_key(b)),
                    f"{b.type_label}的日期 {b.date} 早于{a.type_label}（{p1}）的日期 {a.date}："
                    "同一批次的公告日期须依次向后",
                    "land.order",
                )
            )
    registrations = [(p, n) for p, n, _ in notices if n.notice_type == "registration"]
    for path, land, _ in notices:
        if land.notice_type == "decision" and registrations:
            p1, reg = registrations[-1]
            if land.date < reg.date:
                problems.append(
                    Problem(
                        path,
                        land.line_of("issued_on"),
                        f"{land.type_label}的日期 {land.date} 早于{reg.type_label}（{p1}）的日期 {reg.date}："
                        "决定须在补偿登记和协议签订之后作出",
                        "land.order",
                    )
                )
    return problems


# ---------------------------------------------------------------- the outline as SVG


def outline_svg_path(
    outline: tuple[tuple[Ring, ...], ...], width: int = 320, height: int = 240, margin: int = 10
) -> tuple[str, int, int]:
    """SVG path data for the polygons, scaled to fit `width` keeping the shape (local equirectangular
    projection, north up). Returns (d, width, height actually used). Deterministic text."""
    points = [pt for polygon in outline for ring in polygon for pt in ring]
    if not points:
        return "", width, height
    mid_lat = (min(p[1] for p in points) + max(p[1] for p in points)) / 2
    k = math.cos(math.radians(mid_lat))
    xs = [p[0] * k for p in points]
    ys = [p[1] for p in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(
        (width - 2 * margin) / span_x if span_x else math.inf,
        (height - 2 * margin) / span_y if span_y else math.inf,
    )
    used_w = round(span_x * scale) + 2 * margin
    used_h = round(span_y * scale) + 2 * margin
    parts = []
    for polygon in outline:
        for ring in polygon:
            coords = [
                ((lon * k - min(xs)) * scale + margin, (max(ys) - lat) * scale + margin)
                for lon, lat in ring[:-1]
            ]
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + " Z")
    return " ".join(parts), used_w, used_h


def area_in_mu(hectares: Decimal) -> Decimal:
    """1 公顷 = 15 亩."""
    return (hectares * 15).quantize(Decimal(1).scaleb(-AREA_PLACES + 2))


# ---------------------------------------------------------------- what the pages show


def tables(model: Land, mask: str = DEFAULT_RULE) -> list[DataTable]:
    """The notice's tables (Land.data_tables): places, areas by land type, compensation standards,
    and by notice type the survey findings, the signing counts, the household list (names masked
    by `mask`) and the payments."""
    return model.data_tables(mask)


def timelines(shown: Sequence[ShownEntry]) -> dict[str, tuple[ShownEntry, ...]]:
    """For each shown notice (by path): the shown notices of its batch in legal order (`batches`),
    itself among them."""
    found = {}
    for notices in batches([(item.path, item.model, item) for item in shown]).values():
        timeline = tuple(item for _, _, item in notices)
        for item in timeline:
            found[item.path] = timeline
    return found


class TimelineItem(NamedTuple):
    """A notice as its batch's timeline lists it (the theme's timeline component): the same on
    every page of the batch, so made once per batch; the page marks the one whose `url` is its own."""

    type_label: str
    date: str  # ISO, the date that orders the batch (Land.date)
    url: str
    title: str


def timeline_items(notices: Sequence[ShownEntry]) -> tuple[TimelineItem, ...]:
    """The timeline of a batch's notices (in the order given: `timelines`)."""
    return tuple(
        TimelineItem(item.model.type_label, item.model.date.isoformat(), item.url, item.entry.title)
        for item in notices
    )


TIMELINE_PART = 8  # notices per part of a timeline


@dataclass(frozen=True, eq=False)
class TimelinePart:
    """Consecutive notices of a batch's timeline. Every page of the batch lists them alike but the
    page of one of them (`urls`), so the theme renders a part without the current notice once per
    build (`gk_fragment`, keyed by the part itself): a batch of n notices then costs its n pages
    about n/8 + 8 items each, not n. Compared by identity, as fragments key it."""

    items: tuple[TimelineItem, ...]
    urls: frozenset[str]


def timeline_parts(items: Sequence[TimelineItem]) -> tuple[TimelinePart, ...]:
    """The timeline in parts of TIMELINE_PART notices (one part for a batch of at most that many)."""
    return tuple(
        TimelinePart(
            tuple(items[i : i + TIMELINE_PART]), frozenset(t.url for t in items[i : i + TIMELINE_PART])
        )
        for i in range(0, len(items), TIMELINE_PART)
    )


@dataclass(frozen=True)
class PlaceYear:
    year: int  # of the notices' 发布日期
    notices: tuple[ShownEntry, ...]  # by 发布日期, then path


@dataclass(frozen=True)
class Township:
    name: str
    years: tuple[PlaceYear, ...]  # newest first


def by_township(shown: Sequence[ShownEntry]) -> tuple[Township, ...]:
    """The shown notices under each 乡镇 they concern (by name), then by year published."""
    places: dict[str, dict[int, list[ShownEntry]]] = {}
    for item in shown:
        for township in item.model.townships:
            places.setdefault(township, {}).setdefault(item.entry.date_published.year, []).append(item)
    return tuple(
        Township(
            township,
            tuple(
                PlaceYear(year, tuple(sorted(notices, key=lambda i: (i.entry.date_published, i.path))))
                for year, notices in sorted(years.items(), reverse=True)
            ),
        )
        for township, years in sorted(places.items())
    )


@dataclass(frozen=True)
class LandView(EntryView):
    """A notice's page: its outline drawing (outline_svg_path) and its batch's timeline."""

    outline: tuple[str, int, int]
    batch: tuple[ShownEntry, ...]  # timelines
    timeline: tuple[TimelinePart, ...]  # timeline_parts of the batch, the same parts for all its pages

    @property
    def places_url(self) -> str:
        return places_page()


@dataclass(frozen=True)
class LandViews(ColumnViews):
    townships: tuple[Township, ...] = ()  # by_township

    def list_links(self) -> tuple[tuple[str, str], ...]:
        """The notices by 乡镇 and year, when any notice is shown (as `pages` makes it)."""
        return (("按乡镇和年度查看征地信息", places_page()),) if self.entries else ()


@dataclass(frozen=True)
class PlacesPage:
    """land_places.html."""

    townships: tuple[Township, ...]


def views(shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> LandViews:
    """The views of the shown notices (in the order given); `GONGKAI_COLUMNS_OUTLINE_SIZE` is the
    box of the outline drawing, `GONGKAI_COLUMNS_LAND_NAME_MASK` the rule that masks household
    names (namemask.RULES; the default when not given)."""
    width, height = settings["GONGKAI_COLUMNS_OUTLINE_SIZE"]
    mask = settings.get(MASK_SETTING, DEFAULT_RULE)
    batch = timelines(shown)
    parts = {
        id(notices): timeline_parts(timeline_items(notices)) for notices in batch.values()
    }  # once per batch
    entries = tuple(
        LandView(
            item,
            entry_downloads(KEY, item.slug, tables(item.model, mask)),
            outline_svg_path(item.model.outline, width, height),
            batch[item.path],
            parts[id(batch[item.path])],
        )
        for item in shown
    )
    return LandViews(entries, (), by_township(shown))


def pages(views: LandViews) -> list[GeneratedPage]:
    """The places index, when any notice is shown."""
    return (
        [GeneratedPage(places_page(), PLACES_TEMPLATE, PlacesPage(views.townships))] if views.entries else []
    )
