"""The register of 依申请公开 requests (政府信息公开申请登记): one YAML file per request in the
project's top-level `requests/` folder, beside `content/` — never published.

Nothing here is read by a build: the register is outside `content/`, so no reader, no copy and no
output plan can reach it; the only thing a site shows of it is counts (`year_counts`), and the
annual report's table 三 and 四 (`table_three`, `table_four`). Who applied (`applicant`) and what
they asked (`subject`) never leave the folder (tests/security/test_request_register.py scans a built
site, a mirror and a ZIM for a canary in every field).

Deadlines (《政府信息公开条例》第三十条至第三十三条), in working days of the official calendar
(gongkai_core.workdays), the day of receipt not counted:
- a reply within 20 working days of receipt (`REPLY_DAYS`); with an extension (`extended_on`,
  decided before the deadline, with `extension_reason`) 20 more (`EXTENSION_DAYS`);
- an unclear request gets one 补正 notice within 7 working days (`SUPPLEMENT_DAYS`); the reply
  period then runs from the day the supplement arrives (第三十条);
- a third party consulted (`third_party_asked_on`) has 15 working days (`THIRD_PARTY_DAYS`); the
  time it takes, at most 15 working days, is not counted (第三十二条、第三十三条).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import workdays
from .errors import ContentError, Problem, rel
from .fieldspec import check_block
from .schema import Field
from .yamlload import LineDict, load

FOLDER = "requests"  # the register, beside content/ in the project
REPLY_DAYS = 20
EXTENSION_DAYS = 20
SUPPLEMENT_DAYS = 7
THIRD_PARTY_DAYS = 15

CHANNELS = (
    ("in_person", "当面申请"),
    ("post", "信函申请"),
    ("online", "网络申请"),
    ("fax", "传真申请"),
    ("other", "其他方式"),
)
# the columns of table 三: 自然人, then 法人或其他组织 by kind
APPLICANT_TYPES = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
)
APPLICANT_KEYS = tuple(k for k, _ in APPLICANT_TYPES)

# The rows of table 三 “本年度办理结果” of the national format (国办公开办函〔2021〕30号), each an
# `outcome` value: (group, the group's label, ((number, label), …)); a group without numbers is one row.
OUTCOME_GROUPS: tuple[tuple[str, str, tuple[tuple[int, str], ...]], ...] = (
    ("disclosed", "（一）予以公开", ()),
    ("partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    (
        "withheld",
        "（三）不予公开",
        (
            (1, "属于国家秘密"),
            (2, "其他法律行政法规禁止公开"),
            (3, "危及“三安全一稳定”"),
            (4, "保护第三方合法权益"),
            (5, "属于三类内部事务信息"),
            (6, "属于四类过程性信息"),
            (7, "属于行政执法案卷"),
            (8, "属于行政查询事项"),
        ),
    ),
    (
        "unavailable",
        "（四）无法提供",
        ((1, "本机关不掌握相关政府信息"), (2, "没有现成信息需要另行制作"), (3, "补正后申请内容仍不明确")),
    ),
    (
        "not_processed",
        "（五）不予处理",
        (
            (1, "信访举报投诉类申请"),
            (2, "重复申请"),
            (3, "要求提供公开出版物"),
            (4, "无正当理由大量反复申请"),
            (5, "要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    (
        "other",
        "（六）其他处理",
        (
            (1, "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            (2, "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            (3, "其他"),
        ),
    ),
)


def _outcome_choices() -> tuple[tuple[str, str], ...]:
    out = []
    for key, label, items in OUTCOME_GROUPS:
        short = label[3:].split("（")[0]  # “（二）部分公开（区分处理的……）” -> 部分公开
        if not items:
            out.append((key, short))
        out += [(f"{key}:{n}", f"{short}：{text}") for n, text in items]
    return tuple(out)


OUTCOMES = _outcome_choices()
OUTCOME_KEYS = tuple(k for k, _ in OUTCOMES)
NEEDS_REASON = ("partly", "withheld")  # a reason (理由和依据) for every withholding (第三十六条)

APPEAL_KINDS = (
    ("reconsideration", "行政复议"),
    ("litigation", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_reconsideration", "行政诉讼（复议后起诉）"),
)
APPEAL_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)

APPEAL_FIELDS = (
    Field("kind", "救济途径", "choice", True, APPEAL_KINDS),
    Field("filed_on", "申请复议或起诉日期", "date", True, hint="表四按此日期计入年度"),
    Field("result", "结果", "choice", True, APPEAL_RESULTS),
)

REQUEST_FIELDS = (
    Field("request_no", "申请编号", "text", True, hint="如 YSQ-2025-0007，不得重复"),
    Field("received_on", "收到申请日期", "date", True, hint="答复期限自次日起算"),
    Field("channel", "申请方式", "choice", True, CHANNELS),
    Field("applicant_type", "申请人类别", "choice", True, APPLICANT_TYPES),
    Field("applicant", "申请人", "text", True, hint="只存于本机登记簿，任何输出都不会包含"),
    Field("subject", "申请内容", "text", True),
    Field("supplement_asked_on", "补正告知日期", "date", hint="收到申请后7个工作日内一次性告知"),
    Field("supplement_received_on", "收到补正日期", "date", hint="答复期限自此日次日重新起算"),
    Field("third_party_asked_on", "征求第三方意见日期", "date"),
    Field("third_party_replied_on", "第三方答复日期", "date", hint="第三方应在15个工作日内提出意见"),
    Field("extended_on", "延长答复期限日期", "date", hint="须在答复期限届满前决定并告知申请人"),
    Field("extension_reason", "延期理由", "text"),
    Field("replied_on", "答复日期", "date", hint="未答复时留空"),
    Field("outcome", "办理结果", "choice", False, OUTCOMES, hint="与答复日期同时填写；对应年报表三的行"),
    Field("reason", "理由和依据", "text", hint="部分公开、不予公开时必填（条例第三十六条）"),
    Field("fee", "信息处理费（元）", "count"),
    Field("appeals", "行政复议、行政诉讼", "list", fields=APPEAL_FIELDS),
    Field("note", "备注", "text"),
)
LABELS = {f.key: f.label for f in REQUEST_FIELDS}


@dataclass(frozen=True)
class Appeal:
    kind: str
    filed_on: date
    result: str


@dataclass(frozen=True)
class Request:
    path: str
    request_no: str
    received_on: date
    channel: str
    applicant_type: str
    applicant: str
    subject: str
    supplement_asked_on: date | None
    supplement_received_on: date | None
    third_party_asked_on: date | None
    third_party_replied_on: date | None
    extended_on: date | None
    extension_reason: str | None
    replied_on: date | None
    outcome: str | None
    reason: str | None
    fee: int
    appeals: tuple[Appeal, ...]
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def is_open(self) -> bool:
        return self.replied_on is None

    @property
    def outcome_group(self) -> str | None:
        return self.outcome.split(":")[0] if self.outcome else None


def read_text(text: str, shown: str) -> tuple[Request | None, list[Problem]]:
    """One request from its file's text: (the request or None, every problem)."""
    data, issues = load(text)
    problems = [Problem(shown, i.line, i.message, i.key) for i in issues]
    if not isinstance(data, LineDict):
        return None, problems or [Problem(shown, 1, "申请登记应为“键: 值”格式", "request")]
    typed, more = check_block(data, REQUEST_FIELDS, shown, "request", 1)
    problems += more
    lines = dict(typed.lines)

    def at(key: str) -> int:
        return lines.get(key, 1)

    def need(when: str, needs: str) -> None:
        if typed.get(when) is not None and typed.get(needs) is None and needs not in data:
            problems.append(
                Problem(
                    shown,
                    at(when),
                    f"填写了{LABELS[when]}，还应填写{LABELS[needs]}（{needs}）",
                    f"request.{needs}",
                )
            )

    need("supplement_received_on", "supplement_asked_on")
    need("third_party_replied_on", "third_party_asked_on")
    need("extended_on", "extension_reason")
    order = (
        ("received_on", "supplement_asked_on"),
        ("supplement_asked_on", "supplement_received_on"),
        ("received_on", "third_party_asked_on"),
        ("third_party_asked_on", "third_party_replied_on"),
        ("received_on", "extended_on"),
        ("received_on", "replied_on"),
        ("supplement_received_on", "replied_on"),
        ("extended_on", "replied_on"),
    )
    for first, then in order:
        a, b = typed.get(first), typed.get(then)
        if a is not None and b is not None and b < a:
            problems.append(
                Problem(
                    shown,
                    at(then),
                    f"{LABELS[then]} {b} 早于{LABELS[first]} {a}：请核对日期顺序",
                    f"request.{then}",
                )
            )
    replied, outcome = typed.get("replied_on"), typed.get("outcome")
    if replied is not None and outcome is None and data.get("outcome") is None:
        problems.append(
            Problem(shown, at("replied_on"), "已填写答复日期，还应填写办理结果（outcome）", "request.outcome")
        )
    if outcome is not None and replied is None and data.get("replied_on") is None:
        problems.append(
            Problem(
                shown, at("outcome"), "已填写办理结果，还应填写答复日期（replied_on）", "request.replied_on"
            )
        )
    if outcome is not None and outcome.split(":")[0] in NEEDS_REASON and typed.get("reason") is None:
        problems.append(
            Problem(
                shown,
                at("outcome"),
                "部分公开或不予公开的，应在 reason 中写明理由和依据（条例第三十六条）",
                "request.reason",
            )
        )
    if outcome == "other:1" and (
        typed.get("supplement_asked_on") is None or typed.get("supplement_received_on")
    ):
        problems.append(
            Problem(
                shown,
                at("outcome"),
                "“逾期不补正”只用于已告知补正（supplement_asked_on）而未收到补正的申请",
                "request.outcome",
            )
        )
    appeals = typed.get("appeals") or []
    if appeals and replied is None:
        problems.append(
            Problem(shown, at("appeals"), "尚未答复的申请不应有行政复议或诉讼记录", "request.appeals")
        )
    for item in appeals:
        filed = item.get("filed_on")
        if filed is not None and replied is not None and filed < replied:
            problems.append(
                Problem(
                    shown,
                    item.lines.get("filed_on", item.line),
                    f"申请复议或起诉日期 {filed} 早于答复日期 {replied}",
                    "request.appeals.filed_on",
                )
            )
    if problems:
        return None, sorted(problems)
    return (
        Request(
            path=shown,
            request_no=typed["request_no"],
            received_on=typed["received_on"],
            channel=typed["channel"],
            applicant_type=typed["applicant_type"],
            applicant=typed["applicant"],
            subject=typed["subject"],
            supplement_asked_on=typed.get("supplement_asked_on"),
            supplement_received_on=typed.get("supplement_received_on"),
            third_party_asked_on=typed.get("third_party_asked_on"),
            third_party_replied_on=typed.get("third_party_replied_on"),
            extended_on=typed.get("extended_on"),
            extension_reason=typed.get("extension_reason"),
            replied_on=replied,
            outcome=outcome,
            reason=typed.get("reason"),
            fee=typed.get("fee") or 0,
            appeals=tuple(Appeal(a["kind"], a["filed_on"], a["result"]) for a in appeals),
            lines=lines,
        ),
        [],
    )


@dataclass(frozen=True)
class Register:
    requests: tuple[Request, ...]
    problems: tuple[Problem, ...]


def load_register(project: Path | None = None) -> Register:
    """Every request of `project`'s `requests/` folder (none when there is no folder), checked:
    each file by its schema and rules, and request numbers unique across files."""
    folder = (project or Path.cwd()) / FOLDER
    found: list[Request] = []
    problems: list[Problem] = []
    paths = sorted(folder.rglob("*")) if folder.is_dir() else []
    for path in paths:
        if path.is_dir():
            continue
        shown = rel(path)
        if path.is_symlink() or path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(shown, 1, "申请登记目录中只能有 .yaml 文件（不能是链接）", "request"))
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(shown, 1, "文件不是 UTF-8 编码：请用 UTF-8 另存后再试", "request"))
            continue
        except OSError as exc:
            problems.append(Problem(shown, 1, f"无法读取文件：{exc.strerror}", "request"))
            continue
        request, more = read_text(text, shown)
        problems += more
        if request is not None:
            found.append(request)
    seen: dict[str, Request] = {}
    for r in found:
        if r.request_no in seen:
            other = seen[r.request_no]
            problems.append(
                Problem(
                    r.path,
                    r.line_of("request_no"),
                    f"申请编号 {r.request_no} 与 {other.path} 重复",
                    "request.request_no",
                )
            )
        else:
            seen[r.request_no] = r
    return Register(
        tuple(sorted(found, key=lambda r: (r.received_on, r.request_no))), tuple(sorted(problems))
    )


def check_file(project: Path, name: str, data: bytes) -> list[Problem]:
    """The problems `invoke requests` would report for `requests/<name>` if it held `data` (the local
    editor's save check): the file's own rules, and its 申请编号 unique across the register's other
    files (the file's present version, if any, left out). Paths as `invoke requests` shows them."""
    shown = f"{FOLDER}/{name}"
    if "/" in name or Path(name).suffix not in (".yaml", ".yml"):
        return [Problem(shown, 1, "申请登记目录中只能有 .yaml 文件（不能是链接）", "request")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [Problem(shown, 1, "文件不是 UTF-8 编码：请用 UTF-8 另存后再试", "request")]
    request, problems = read_text(text, shown)
    if request is None:
        return problems
    folder = project / FOLDER
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        if path.name == name or path.is_symlink() or not path.is_file():
            continue
        try:
            other, _ = read_text(path.read_bytes().decode("utf-8"), f"{FOLDER}/{path.name}")
        except (OSError, UnicodeDecodeError):
            continue  # that file's own problem, which `invoke requests` reports of it
        if other is not None and other.request_no == request.request_no:
            problems.append(
                Problem(
                    shown,
                    request.line_of("request_no"),
                    f"申请编号 {request.request_no} 与 {other.path} 重复",
                    "request.request_no",
                )
            )
    return problems


def project_register(project: Path | None = None) -> Register | None:
    """The project's register, or None when it keeps none (no `requests/` folder)."""
    return load_register(project) if ((project or Path.cwd()) / FOLDER).is_dir() else None


def check_register(project: Path | None = None) -> Register:
    """load_register, raising ContentError with every problem."""
    register = load_register(project)
    if register.problems:
        raise ContentError(list(register.problems))
    return register


# ---------------------------------------------------------------- deadlines


def after(day: date, n: int, directory: workdays.Directories = None) -> date:
    """The n-th working day after `day` (the day itself not counted)."""
    return workdays.nth_workday(day + timedelta(days=1), n, directory)


@dataclass(frozen=True)
class Deadline:
    due: date | None  # None: waiting for the applicant's supplement, the clock stopped
    starts: date  # the day the period runs from (receipt, or the supplement's arrival)
    limit: int  # 20, or 40 when extended
    paused: int  # working days of a third party's consultation not counted (at most 15)
    original: date  # the deadline without the extension
    supplement_due: date  # the last day for a 补正 notice


def deadline(r: Request, today: date, directory: workdays.Directories = None) -> Deadline:
    """The reply deadline of a request as of `today` (a third party still silent pauses the clock
    for the working days passed so far, at most 15)."""
    starts = r.received_on
    waiting_supplement = r.supplement_asked_on is not None and r.supplement_received_on is None
    if r.supplement_received_on is not None:
        starts = r.supplement_received_on
    paused = 0
    if r.third_party_asked_on is not None:
        end = r.third_party_replied_on or today
        paused = min(
            workdays.count_workdays(r.third_party_asked_on + timedelta(days=1), end, directory),
            THIRD_PARTY_DAYS,
        )
    original = after(starts, REPLY_DAYS + paused, directory)
    due = after(starts, REPLY_DAYS + EXTENSION_DAYS + paused, directory) if r.extended_on else original
    supplement_due = after(r.received_on, SUPPLEMENT_DAYS, directory)
    return Deadline(
        None if waiting_supplement else due,
        starts,
        REPLY_DAYS + (EXTENSION_DAYS if r.extended_on else 0),
        paused,
        original,
        supplement_due,
    )


@dataclass(frozen=True)
class OpenItem:
    request: Request
    deadline: Deadline
    days_left: int | None  # working days left (negative: overdue), None while waiting for a supplement


def open_requests(register: Register, today: date, directory: workdays.Directories = None) -> list[OpenItem]:
    """The requests not yet answered, overdue first, then by working days left; those waiting for
    a supplement last."""
    items = []
    for r in register.requests:
        if not r.is_open:
            continue
        d = deadline(r, today, directory)
        left = None
        if d.due is not None:
            if d.due >= today:
                left = workdays.count_workdays(today + timedelta(days=1), d.due, directory)
            else:
                left = -workdays.count_workdays(d.due + timedelta(days=1), today, directory)
        items.append(OpenItem(r, d, left))
    return sorted(items, key=lambda i: (i.days_left is None, i.days_left or 0, i.request.request_no))


# ---------------------------------------------------------------- the annual report's tables


def _counts(requests: Iterable[Request]) -> tuple[int, ...]:
    by = Counter(r.applicant_type for r in requests)
    cells = [by.get(k, 0) for k in APPLICANT_KEYS]
    return (*cells, sum(cells))


@dataclass(frozen=True)
class TableRow:
    key: str  # new | carried_over | an outcome value | outcome_total | carried_forward
    label: str
    cells: tuple[int, ...]  # one per applicant type, then 总计


def table_three(requests: Iterable[Request], year: int) -> tuple[TableRow, ...]:
    """Table 三 of the national format for `year`: every row, each with the six applicant columns and
    the total. 新收: received in the year; 上年结转: received before and not answered by 1 January;
    办理结果: answered in the year, by outcome; 结转下年度: received by 31 December, not answered by then."""
    rs = list(requests)
    first, last = date(year, 1, 1), date(year, 12, 31)
    done = [r for r in rs if r.replied_on is not None and first <= r.replied_on <= last]
    rows = [
        TableRow(
            "new",
            "一、本年新收政府信息公开申请数量",
            _counts(r for r in rs if first <= r.received_on <= last),
        ),
        TableRow(
            "carried_over",
            "二、上年结转政府信息公开申请数量",
            _counts(
                r for r in rs if r.received_on < first and (r.replied_on is None or r.replied_on >= first)
            ),
        ),
    ]
    for key, label, items in OUTCOME_GROUPS:
        if not items:
            rows.append(TableRow(key, label, _counts(r for r in done if r.outcome == key)))
        for n, text in items:
            value = f"{key}:{n}"
            rows.append(TableRow(value, f"{n}.{text}", _counts(r for r in done if r.outcome == value)))
    rows.append(TableRow("outcome_total", "（七）总计", _counts(done)))
    rows.append(
        TableRow(
            "carried_forward",
            "四、结转下年度继续办理",
            _counts(r for r in rs if r.received_on <= last and (r.replied_on is None or r.replied_on > last)),
        )
    )
    return tuple(rows)


def balance_problems(rows: Iterable[TableRow]) -> list[str]:
    """Where 一 + 二 = 三（七）+ 四 does not hold, per column (the format's own check), in Chinese."""
    by = {row.key: row.cells for row in rows}
    out = []
    names = [label for _, label in APPLICANT_TYPES] + ["总计"]
    for i, name in enumerate(names):
        try:
            left = by["new"][i] + by["carried_over"][i]
            right = by["outcome_total"][i] + by["carried_forward"][i]
        except (KeyError, IndexError):
            return ["表三缺少“本年新收”“上年结转”“总计”或“结转下年度”行，无法核对"]
        if left != right:
            out.append(
                f"表三“{name}”列：本年新收 {by['new'][i]} + 上年结转 {by['carried_over'][i]} = {left}，"
                f"而办理结果总计 {by['outcome_total'][i]} + 结转下年度 {by['carried_forward'][i]} = {right}"
            )
    return out


APPEAL_COLUMNS = tuple(k for k, _ in APPEAL_RESULTS) + ("total",)


def table_four(requests: Iterable[Request], year: int) -> dict[str, tuple[int, ...]]:
    """Table 四: for each appeal kind, (维持, 纠正, 其他, 尚未审结, 总计) of the appeals filed in `year`."""
    out = {}
    appeals = [a for r in requests for a in r.appeals if a.filed_on.year == year]
    for kind, _ in APPEAL_KINDS:
        by = Counter(a.result for a in appeals if a.kind == kind)
        cells = [by.get(k, 0) for k, _ in APPEAL_RESULTS]
        out[kind] = (*cells, sum(cells))
    return out


@dataclass(frozen=True)
class YearCounts:
    """What the public page shows of a year: counts only."""

    year: int
    received: int
    answered: int
    disclosed: int  # 予以公开 and 部分公开
    other_outcomes: int
    fees: int  # 元 collected


def year_counts(requests: Iterable[Request], years: Iterable[int]) -> tuple[YearCounts, ...]:
    rs = list(requests)
    out = []
    for y in years:
        done = [r for r in rs if r.replied_on is not None and r.replied_on.year == y]
        opened = sum(r.received_on.year == y for r in rs)
        disclosed = sum(r.outcome_group in ("disclosed", "partly") for r in done)
        out.append(
            YearCounts(y, opened, len(done), disclosed, len(done) - disclosed, sum(r.fee for r in done))
        )
    return tuple(out)
