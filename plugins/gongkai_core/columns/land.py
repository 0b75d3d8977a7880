"""征地信息 (land column): the four notice types of one expropriation batch, their schema,
the statutory periods, the batch order, and the optional parcel outline.

Order under the 2020 《土地管理法》 and its 实施条例 (2021): 征收土地预公告 (≥ 10 working days)
→ 征地补偿安置方案公告 (≥ 30 days) → 批复 (approval) → 征收土地公告 citing that approval.
Both notice periods are counted with the first and the last day included.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .. import urls
from ..datatable import DataTable
from ..errors import Problem
from ..fieldspec import check_data_block
from ..schema import Field
from ..values import AREA_PLACES, fmt_area
from ..workdays import CalendarMissing, count_workdays, nth_workday
from ..yamlload import LineDict, LineList
from .base import BlockReader, ColumnViews, EntryView, GeneratedPage, ShownEntry, entry_downloads

KEY = "land"  # the column (gongkai_core.columns.base.DataColumn)
BLOCK = "land"  # its entries' data block
TEMPLATE = "land"  # theme/templates/land.html
PLACES_TEMPLATE = "land_places"  # theme/templates/land_places.html: the notices by 乡镇 and year
_PLACES = "places"
GENERATED = (re.escape(_PLACES),)  # what it generates in land/: the places index (places_page)


def places_page() -> str:
    """The 征地 notices by 乡镇 and year."""
    return urls.generated_page(KEY, _PLACES)


NOTICE_TYPES = (
    ("pre_notice", "征收土地预公告"),
    ("compensation_plan", "征地补偿安置方案公告"),
    ("approval", "批复"),
    ("expropriation", "征收土地公告"),
)
TYPE_LABEL = dict(NOTICE_TYPES)
STAGE = {key: i for i, (key, _) in enumerate(NOTICE_TYPES)}
PRE_NOTICE_MIN_WORKDAYS = 10
PLAN_MIN_DAYS = 30
AREA_PARTS = (("farmland", "农用地"), ("construction", "建设用地"), ("unused", "未利用地"))

FIELDS: tuple[Field, ...] = (
    Field("notice_type", "公告类型", "choice", True, NOTICE_TYPES),
    Field("batch", "批次", "text", True, hint="如“2025年度第1批次城镇建设用地”，同一批次各公告须一字不差"),
    Field("project", "项目名称", "text"),
    Field("purpose", "征收目的和用途", "text"),
    Field("issued_on", "公告日期", "date", hint="公告落款日期"),
    Field(
        "places",
        "征收范围（乡镇、村）",
        "list",
        True,
        fields=(
            Field("township", "乡镇（街道）", "text", True),
            Field("village", "村（社区）", "text", True),
            Field("groups", "村民小组", "text"),
            Field("area", "面积（公顷）", "area"),
        ),
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
    Field("restrictions", "预公告期间禁止事项", "markdown"),
    Field("survey", "土地现状调查安排", "markdown"),
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
            Field("place", "登记地点", "text", True),
        ),
    ),
    Field("hearing", "听证权利告知", "markdown"),
    Field("objection", "异议反映渠道", "text"),
    Field("outline", "地块范围（GeoJSON）", "geojson", hint="Polygon 或 MultiPolygon，坐标为经度、纬度"),
)

# Keys each notice type must carry beyond the always-required ones.
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "pre_notice": ("purpose", "issued_on", "period", "posted_at"),
    "compensation_plan": (
        "issued_on",
        "period",
        "posted_at",
        "compensation",
        "resettlement",
        "social_security",
        "hearing",
    ),
    "approval": ("approval",),
    "expropriation": ("issued_on", "approval", "posted_at"),
}
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


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


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
    compensation: tuple[Standard, ...] = ()
    resettlement: str = ""
    social_security: str = ""
    registration: Registration | None = None
    hearing: str = ""
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
        return dict(self.lines).get(key, dict(self.lines).get("", 1))

    @property
    def period_text(self) -> str:
        """公告期 as shown: both dates and the statutory count (working days for a 预公告)."""
        if self.period is None:
            return ""
        p = self.period
        if self.notice_type == "pre_notice":
            return f"{p.start} 至 {p.end}（共 {count_workdays(p.start, p.end)} 个工作日）"
        return f"{p.start} 至 {p.end}（共 {p.days} 日）"

    def data_tables(self) -> list[DataTable]:
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
        return out


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
        try:
            n = count_workdays(start, end)
            if n < PRE_NOTICE_MIN_WORKDAYS:
                earliest = nth_workday(start, PRE_NOTICE_MIN_WORKDAYS)
                out.append(
                    _problem(
                        path,
                        line,
                        f"预公告期 {start} 至 {end} 只有 {n} 个工作日，少于法定最少 {PRE_NOTICE_MIN_WORKDAYS} "
                        f"个工作日：结束日最早应为 {earliest}",
                        "land.pre_notice_period",
                    )
                )
        except CalendarMissing as exc:
            out.append(_problem(path, line, str(exc), "land.calendar"))
    if kind == "compensation_plan":
        days = (end - start).days + 1
        if days < PLAN_MIN_DAYS:
            earliest = start + timedelta(days=PLAN_MIN_DAYS - 1)
            out.append(
                _problem(
                    path,
                    line,
                    f"征地补偿安置方案公告期 {start} 至 {end} 共 {days} 日（含首尾两日），少于法定最少 "
                    f"{PLAN_MIN_DAYS} 日：结束日最早应为 {earliest}",
                    "land.plan_period",
                )
            )
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


def _check_dates(typed: LineDict, path: str) -> list[Problem]:
    out = []
    kind, issued, approval = typed.get("notice_type"), typed.get("issued_on"), typed.get("approval")
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
        approval=Approval(approval["authority"], approval["number"], approval["date"]) if approval else None,
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
        objection=t.get("objection", ""),
        outline=outline,
        lines=tuple(lines),
    )


# validate(block, path), read(block, path), parse(block, path): the protocol's, from _check and _model
_reader = BlockReader(_check, _model, "<land>")
validate, read, parse = _reader.validate, _reader.read, _reader.parse


# ---------------------------------------------------------------- across the notices of a batch


def batches(items: Sequence[tuple[str, Land, Any]]) -> dict[str, list[tuple[str, Land, Any]]]:
    """Notices grouped by batch, each batch in legal order (stage, then date, then path)."""
    out: dict[str, list[tuple[str, Land, Any]]] = {}
    for item in items:
        out.setdefault(item[1].batch, []).append(item)
    return {b: sorted(v, key=lambda i: (i[1].stage, i[1].date, i[0])) for b, v in sorted(out.items())}


def _date_key(notice: Land) -> str:
    """The key whose line a date-order problem points at."""
    if notice.notice_type == "approval":
        return "approval"
    return "period" if notice.notice_type == "compensation_plan" and notice.period else "issued_on"


def validate_set(items: Sequence[tuple[str, Land, Any]]) -> list[Problem]:
    """A batch's notices come in the legal order, and a 征收土地公告 cites an approval of its batch."""
    problems: list[Problem] = []
    for batch, notices in batches(items).items():
        present = {land.notice_type for _, land, _ in notices}
        approvals = {
            land.approval.number: (path, land)
            for path, land, _ in notices
            if land.notice_type == "approval" and land.approval is not None
        }
        for path, land, _ in notices:
            earlier = [key for key, _ in NOTICE_TYPES[: land.stage] if key not in present]
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
                elif cited[1].approval != land.approval:
                    a = cited[1].approval
                    assert a is not None
                    problems.append(
                        Problem(
                            path,
                            land.line_of("approval"),
                            f"批准情况与 {cited[0]} 中的批复不一致（{a.authority} {a.number} {a.date}）："
                            "请照批复条目填写",
                            "land.approval_mismatch",
                        )
                    )
        # dates run forward from one stage to the next
        for (p1, a, _), (p2, b, _) in zip(notices, notices[1:]):
            if a.stage == b.stage:
                continue
            if a.notice_type in ("pre_notice", "compensation_plan") and a.period is not None:
                first_day = b.period.start if (b.notice_type == "compensation_plan" and b.period) else b.date
                if first_day <= a.period.end:
                    problems.append(
                        Problem(
                            p2,
                            b.line_of(_date_key(b)),
                            f"{b.type_label}的日期 {first_day} 不晚于{a.type_label}（{p1}）公告期结束日 "
                            f"{a.period.end}：须在前一公告期满后进行",
                            "land.order",
                        )
                    )
            elif b.date < a.date:
                problems.append(
                    Problem(
                        p2,
                        b.line_of(_date_key(b)),
                        f"{b.type_label}的日期 {b.date} 早于{a.type_label}（{p1}）的日期 {a.date}："
                        "同一批次的公告日期须依次向后",
                        "land.order",
                    )
                )
    return sorted(problems)


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


def tables(model: Land) -> list[DataTable]:
    """The places, the areas by land type and the compensation standards (Land.data_tables)."""
    return model.data_tables()


def timelines(shown: Sequence[ShownEntry]) -> dict[str, tuple[ShownEntry, ...]]:
    """For each shown notice (by path): the shown notices of its batch in legal order (`batches`),
    itself among them."""
    found = {}
    for notices in batches([(item.path, item.model, item) for item in shown]).values():
        timeline = tuple(item for _, _, item in notices)
        for item in timeline:
            found[item.path] = timeline
    return found


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
    box of the outline drawing."""
    width, height = settings["GONGKAI_COLUMNS_OUTLINE_SIZE"]
    batch = timelines(shown)
    entries = tuple(
        LandView(
            item,
            entry_downloads(KEY, item.slug, tables(item.model)),
            outline_svg_path(item.model.outline, width, height),
            batch[item.path],
        )
        for item in shown
    )
    return LandViews(entries, (), by_township(shown))


def pages(views: LandViews) -> list[GeneratedPage]:
    """The places index, when any notice is shown."""
    return (
        [GeneratedPage(places_page(), PLACES_TEMPLATE, PlacesPage(views.townships))] if views.entries else []
    )
