"""Links between entries: 政策解读 ↔ its document, 意见征集 ↔ its 采纳情况, and the 规范性文件库's
替代/修改 links between documents. Pure: no Pelican.

Each entry may declare (schema.LINK_FIELDS, read with the entry by `read`):
  - `interprets: <索引号>` — a 政策解读 (column `interpretation`) names the document it explains;
  - `opens`/`closes`/`draft_type`/`comments` — a draft for comment (column `consultation`);
  - `feedback_for: <索引号>` — the 采纳情况 of a consultation (column `consultation`);
  - `replaces`/`amended_by: <索引号>…` — a document replaces (repeals) others / is amended by others;
  - `repealed_on` — the day a 废止 document was repealed (`valid_until` stays the end of its term).

`resolve` checks the links across entries (a link to a missing document, or from a published entry
to one not published, is a problem: the linking entry is then not published, so nothing of the
other leaks) and gives the typed `Links` the templates read: both directions of every link, between
published entries only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import workdays
from .dates import DateFormatError, parse_date
from .errors import Problem
from .schema import DRAFT_TYPES, LINK_FIELDS

INTERPRETATION = "interpretation"  # the column of 政策解读
CONSULTATION = "consultation"  # the column of 意见征集 and their 采纳情况

MIN_DAYS = 30  # 重大行政决策程序暂行条例（国务院令第713号）第十四条
MIN_WORKDAYS_NORMATIVE = 7  # 国办发〔2018〕37号
INDEX_NO = re.compile(r"\A[A-Za-z0-9]{4,18}/[0-9]{4}-[0-9]+\Z", re.ASCII)
EMAIL = re.compile(
    r"\A[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\Z"
)
FORM_NAME = re.compile(r"\A[a-z0-9_-]{1,40}\Z")
FORM_URL = re.compile(r"\Ahttps?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/?=&+#:@!$,;-]*)?\Z")

LABELS = {f.key: f.label for f in LINK_FIELDS}
CONSULTATION_KEYS = ("opens", "closes", "draft_type", "comments")


@dataclass(frozen=True)
class Comments:
    """How to send comments on a draft: any of a postal address, an e-mail, a configured form."""

    address: str | None = None
    email: str | None = None
    form: str | None = None  # a name of GONGKAI_CONSULTATION_FORMS


@dataclass(frozen=True)
class Relations:
    """What one entry declares about other entries (and the dates of a consultation)."""

    interprets: str | None = None
    replaces: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()
    repealed_on: date | None = None
    opens: date | None = None
    closes: date | None = None
    draft_type: str = "decision"
    comments: Comments | None = None
    feedback_for: str | None = None

    @property
    def is_consultation(self) -> bool:
        return self.opens is not None


# ---------------------------------------------------------------- reading one entry


def _text(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else None


def _missing(data, key: str) -> bool:
    """Absent, or written without a value (`key:` or `key: ""`, what a cleared form field saves)."""
    value = data.get(key)
    return value is None or (isinstance(value, str) and not value.strip())


# What `invoke new` writes for an entry of these columns: the keys to fill in (empty: an error until written)
SCAFFOLD = {
    INTERPRETATION: "interprets:\n",
    CONSULTATION: "draft_type: decision\nopens:\ncloses:\ncomments:\n  address:\n  email:\n",
}


def read(data, path: str, column: str | None, validity: str | None, date_written: date | None):
    """(Relations or None when the entry declares none of the keys, problems) of one entry's YAML."""
    problems: list[Problem] = []

    def problem(key: str, message: str, line: int | None = None) -> None:
        problems.append(Problem(path, line if line is not None else data.line_of(key), message, key))

    def index_no(key: str) -> str | None:
        value = data.get(key)
        text = _text(value)
        if text is None:
            if value is not None and not isinstance(value, str):
                problem(key, f"“{LABELS[key]}”应为一个索引号，如 SL0000001/2025-00012")
            return None
        if not INDEX_NO.match(text):
            problem(
                key, f"“{LABELS[key]}”的索引号“{text}”格式不对：应为“代码/年份-序号”，如 SL0000001/2025-00012"
            )
            return None
        return text

    def index_list(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items = [v for v in re.split(r"[\s,，、;；]+", value) if v]
        elif isinstance(value, list):
            items = value
        else:
            problem(key, f"“{LABELS[key]}”应为索引号，多个时写成列表（每项以“- ”开头）")
            return ()
        found: list[str] = []
        for item in items:
            text = _text(item) if isinstance(item, str) else None
            if text is None or not INDEX_NO.match(text):
                problem(
                    key,
                    f"“{LABELS[key]}”的索引号“{item}”格式不对：应为“代码/年份-序号”，如 SL0000001/2025-00012",
                )
            elif text not in found:
                found.append(text)
        return tuple(found)

    def day(key: str) -> date | None:
        text = _text(data.get(key))
        if text is None:
            if data.get(key) is not None and not isinstance(data.get(key), str):
                problem(key, f"“{LABELS[key]}”应为日期，如 2025-01-20")
            return None
        try:
            return parse_date(text)
        except DateFormatError as exc:
            problem(key, f"“{LABELS[key]}”{exc}")
            return None

    declared = [k for k in LABELS if k in data]
    in_interpretation = column == INTERPRETATION
    in_consultation = column == CONSULTATION
    interprets = index_no("interprets")
    if "interprets" in data and not in_interpretation:
        problem("interprets", "只有政策解读栏目（interpretation）的条目可以写“解读的文件”（interprets）")
    elif in_interpretation and _missing(data, "interprets"):
        problems.append(
            Problem(
                path,
                data.line_of("interprets") if "interprets" in data else 1,
                "缺少必填项“解读的文件”：政策解读须写明所解读文件的索引号（interprets）",
                "interprets",
            )
        )
    for key in (*CONSULTATION_KEYS, "feedback_for"):
        if key in data and not in_consultation:
            problem(key, f"只有意见征集栏目（consultation）的条目可以写“{LABELS[key]}”（{key}）")
    opens, closes = day("opens"), day("closes")
    feedback_for = index_no("feedback_for")
    draft_type = "decision"
    comments = None
    if in_consultation:
        asked = [k for k in CONSULTATION_KEYS if k in data]
        if "feedback_for" in data and asked:
            problem(
                asked[0],
                "采纳情况（feedback_for）不是新的意见征集：请删去"
                + "、".join(f"“{LABELS[k]}”" for k in asked)
                + "，或把采纳情况另写一个条目",
            )
        elif _missing(data, "feedback_for"):
            for key in ("opens", "closes"):
                if _missing(data, key):
                    problems.append(
                        Problem(
                            path,
                            data.line_of(key) if key in data else 1,
                            f"缺少必填项“{LABELS[key]}”：意见征集须写明征求意见的起止日期"
                            "（发布采纳情况时改写 feedback_for）",
                            key,
                        )
                    )
            if opens and closes and closes < opens:
                problem("closes", f"征求意见截止日期 {closes} 早于开始日期 {opens}")
            raw_type = _text(data.get("draft_type"))
            if raw_type is not None:
                values = [v for v, _ in DRAFT_TYPES]
                if raw_type in values:
                    draft_type = raw_type
                else:
                    allowed = "、".join(f"{v}（{zh}）" for v, zh in DRAFT_TYPES)
                    problem("draft_type", f"“草案类型”的值“{raw_type}”无效。可选值：{allowed}")
            comments = _comments(data, path, problems)
    if "repealed_on" in data:
        repealed_on = day("repealed_on")
        if validity != "repealed":
            problem(
                "repealed_on",
                "写了“废止日期”（repealed_on），但有效性不是“废止”：请把 validity 改为 repealed，或删去废止日期",
            )
        elif repealed_on and date_written and repealed_on < date_written:
            problem("repealed_on", f"废止日期 {repealed_on} 早于成文日期 {date_written}")
    else:
        repealed_on = None
    replaces, amended_by = index_list("replaces"), index_list("amended_by")
    if not declared:
        return None, problems
    return (
        Relations(
            interprets, replaces, amended_by, repealed_on, opens, closes, draft_type, comments, feedback_for
        ),
        problems,
    )


def _comments(data, path: str, problems: list[Problem]) -> Comments | None:
    value = data.get("comments")
    if value is None:
        problems.append(
            Problem(
                path,
                1,
                "缺少必填项“意见反馈方式”（comments）：至少写通信地址（address）、电子邮箱（email）"
                "或在线表单（form）中的一种",
                "comments",
            )
        )
        return None
    if not isinstance(value, Mapping) or not hasattr(value, "line_of"):
        problems.append(
            Problem(
                path, data.line_of("comments"), "“意见反馈方式”应为“键: 值”的块（下一行缩进书写）", "comments"
            )
        )
        return None
    known = ("address", "email", "form")
    for key in value:
        if key not in known:
            problems.append(
                Problem(
                    path,
                    value.line_of(key),
                    f"未知的键“{key}”。可用的键：address（通信地址）、email（电子邮箱）、form（在线表单）",
                    f"comments.{key}",
                )
            )
    address, email, form = (_text(value.get(k)) for k in known)
    if not (address or email or form):
        problems.append(
            Problem(
                path,
                data.line_of("comments"),
                "“意见反馈方式”至少写一种：通信地址（address）、电子邮箱（email）或在线表单（form）",
                "comments",
            )
        )
    if email and not EMAIL.match(email):
        problems.append(
            Problem(
                path,
                value.line_of("email"),
                f"电子邮箱“{email}”格式不对，应如 zhengqiu@example.gov.cn",
                "comments.email",
            )
        )
        email = None
    if form and not FORM_NAME.match(form):
        problems.append(
            Problem(
                path,
                value.line_of("form"),
                f"在线表单应写 GONGKAI_CONSULTATION_FORMS 中配置的表单名（小写字母、数字、-、_），而不是“{form}”",
                "comments.form",
            )
        )
        form = None
    return Comments(address, email, form)


# ---------------------------------------------------------------- settings


def form_problems(forms) -> list[tuple[str, str]]:
    """(key, 说明) for each bad GONGKAI_CONSULTATION_FORMS item: {表单名: http(s) 网址}."""
    if forms is None:
        return []
    if not isinstance(forms, Mapping):
        return [("GONGKAI_CONSULTATION_FORMS", "应为 {表单名: 网址} 的字典")]
    found = []
    for name, url in forms.items():
        if not isinstance(name, str) or not FORM_NAME.match(name):
            found.append((f"GONGKAI_CONSULTATION_FORMS[{name!r}]", "表单名只能用小写字母、数字、-、_"))
        elif not isinstance(url, str) or not FORM_URL.match(url):
            found.append(
                (
                    f"GONGKAI_CONSULTATION_FORMS[{name!r}]",
                    "网址应以 https:// 或 http:// 开头，不含空格、引号和尖括号，如 https://www.example.gov.cn/hdjl/yjzj",
                )
            )
    return found


# ---------------------------------------------------------------- across entries


@dataclass(frozen=True)
class Ref:
    """Another published entry, as a page shows a link to it."""

    title: str
    index_no: str
    column: str
    slug: str
    date_published: date
    doc_no: str | None = None


@dataclass(frozen=True)
class Consultation:
    """A draft for comment as its page shows it on the build date."""

    opens: date
    closes: date
    draft_type: str
    draft_label: str
    open: bool  # 进行中 on the build date (opens <= build date <= closes)
    upcoming: bool  # not yet open on the build date
    as_of: date  # the build date: a static page's state changes only when rebuilt
    address: str | None = None
    email: str | None = None
    form_name: str | None = None
    form_url: str | None = None

    @property
    def state(self) -> str:
        return "未开始" if self.upcoming else "进行中" if self.open else "已结束"


@dataclass(frozen=True)
class EntryLinks:
    """Every link of one published entry to other published entries, both directions."""

    interprets: Ref | None = None
    interpretations: tuple[Ref, ...] = ()
    replaces: tuple[Ref, ...] = ()
    replaced_by: tuple[Ref, ...] = ()
    amended_by: tuple[Ref, ...] = ()
    amends: tuple[Ref, ...] = ()
    feedback_for: Ref | None = None
    feedback: tuple[Ref, ...] = ()
    consultation: Consultation | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)


@dataclass
class Links:
    by_path: dict[str, EntryLinks] = field(default_factory=dict)

    def get(self, path: str) -> EntryLinks | None:
        return self.by_path.get(path)

    def involved(self) -> set[str]:
        """Paths of the entries whose page shows another entry (a rebuild of one alone would miss it)."""
        return set(self.by_path)


@dataclass(frozen=True)
class LinkConfig:
    forms: Mapping[str, str] | None = None  # None: the form names are not checked (no settings at hand)
    holidays: workdays.Directories = None


def _ref(entry) -> Ref:
    return Ref(entry.title, entry.index_no, entry.column, entry.slug, entry.date_published, entry.doc_no)


def _order(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    return tuple(sorted(refs, key=lambda r: (r.date_published, r.index_no)))


def period_problem(rel: Relations, path: str, line: int, holidays: workdays.Directories) -> Problem | None:
    """The minimum period of a consultation: 30 days, 7 working days for a 规范性文件 draft (both
    the first and the last day counted)."""
    if rel.opens is None or rel.closes is None or rel.closes < rel.opens:
        return None
    if rel.draft_type == "normative":
        try:
            n = workdays.count_workdays(rel.opens, rel.closes, holidays)
        except workdays.CalendarMissing as exc:
            return Problem(path, line, f"无法核对征求意见期：{exc}", "closes")
        if n < MIN_WORKDAYS_NORMATIVE:
            return Problem(
                path,
                line,
                f"征求意见期 {rel.opens} 至 {rel.closes} 只有 {n} 个工作日：行政规范性文件草案征求意见"
                f"一般不少于{MIN_WORKDAYS_NORMATIVE}个工作日（国办发〔2018〕37号）",
                "closes",
            )
        return None
    n = (rel.closes - rel.opens).days + 1
    if n < MIN_DAYS:
        return Problem(
            path,
            line,
            f"征求意见期 {rel.opens} 至 {rel.closes} 只有 {n} 天：重大行政决策草案征求意见一般不少于"
            f"{MIN_DAYS}日（《重大行政决策程序暂行条例》第十四条）；确需缩短的，请改草案类型并在正文说明理由",
            "closes",
        )
    return None


def resolve(
    entries: list, published: Callable[[object], bool], build_date: date, config: LinkConfig = LinkConfig()
) -> tuple[list[Problem], Links]:
    """Problems of the links among `entries` (the valid ones) and the links between published ones.

    A link to an 索引号 no entry has is a problem; so is a published entry linking to an entry that
    is not published (withheld, embargoed, withdrawn): the message names only the 索引号 the editor
    wrote. Entries with a problem here are left out by the caller, who resolves again."""
    problems: list[Problem] = []
    by_no = {e.index_no: e for e in entries}
    declared = [(e, e.relations) for e in entries if getattr(e, "relations", None) is not None]

    def target(entry, key: str, number: str, kind_ok: Callable[[object], str | None]):
        line = entry.line_of(key)
        label = LABELS[key]
        other = by_no.get(number)
        if other is None:
            problems.append(
                Problem(entry.path, line, f"“{label}”的索引号“{number}”没有对应的条目：请核对索引号", key)
            )
            return None
        if other is entry:
            problems.append(Problem(entry.path, line, f"“{label}”不能是本条目自己的索引号“{number}”", key))
            return None
        wrong = kind_ok(other)
        if wrong:
            problems.append(Problem(entry.path, line, f"“{label}”的索引号“{number}”{wrong}", key))
            return None
        if published(entry) and not published(other):
            problems.append(
                Problem(
                    entry.path,
                    line,
                    f"“{label}”指向的条目（索引号“{number}”）尚未公开，本条目不能先于它公开："
                    "请待其公开后再发布，或先删去此项",
                    key,
                )
            )
            return None
        return other

    def a_document(other) -> str | None:
        if other.column in (INTERPRETATION, CONSULTATION):
            return "是政策解读或意见征集，不是文件：请写文件的索引号"
        return None

    def a_consultation(other) -> str | None:
        rel = getattr(other, "relations", None)
        if other.column != CONSULTATION or rel is None or not rel.is_consultation:
            return "不是意见征集条目：请写征求意见稿的索引号"
        return None

    interprets: dict[str, list] = {}
    replaces: dict[str, list] = {}
    amends: dict[str, list] = {}
    feedback: dict[str, list] = {}
    own: dict[str, dict] = {}
    for entry, rel in declared:
        mine: dict = {}
        if rel.interprets:
            other = target(entry, "interprets", rel.interprets, a_document)
            if other is not None:
                mine["interprets"] = other
                interprets.setdefault(other.path, []).append(entry)
        if rel.feedback_for:
            other = target(entry, "feedback_for", rel.feedback_for, a_consultation)
            if other is not None:
                closes = other.relations.closes
                if entry.date_published < closes:
                    problems.append(
                        Problem(
                            entry.path,
                            entry.line_of("date_published"),
                            f"采纳情况的发布日期 {entry.date_published} 早于所对应意见征集的截止日期 {closes}",
                            "date_published",
                        )
                    )
                else:
                    mine["feedback_for"] = other
                    feedback.setdefault(other.path, []).append(entry)
        for key, reverse in (("replaces", replaces), ("amended_by", amends)):
            for number in getattr(rel, key):
                other = target(entry, key, number, a_document)
                if other is not None:
                    mine.setdefault(key, []).append(other)
                    reverse.setdefault(other.path, []).append(entry)
        if rel.is_consultation:
            found = period_problem(rel, entry.path, entry.line_of("closes"), config.holidays)
            if found:
                problems.append(found)
            form = rel.comments.form if rel.comments else None
            if form and config.forms is not None and form not in config.forms:
                have = "、".join(sorted(config.forms))
                problems.append(
                    Problem(
                        entry.path,
                        entry.line_of("comments"),
                        f"在线表单“{form}”没有配置："
                        + (
                            f"GONGKAI_CONSULTATION_FORMS 中现有 {have}"
                            if have
                            else "本站未配置 GONGKAI_CONSULTATION_FORMS"
                        ),
                        "comments.form",
                    )
                )
        own[entry.path] = mine
    links = Links()
    shown = [e for e in entries if published(e)]
    for entry in shown:
        rel = getattr(entry, "relations", None)
        mine = own.get(entry.path, {})

        def refs(items) -> tuple[Ref, ...]:
            return _order(_ref(o) for o in items if published(o))

        consultation = None
        if rel is not None and rel.is_consultation and rel.closes is not None:
            c = rel.comments or Comments()
            url = (config.forms or {}).get(c.form) if c.form else None
            consultation = Consultation(
                rel.opens,
                rel.closes,
                rel.draft_type,
                dict(DRAFT_TYPES)[rel.draft_type],
                rel.opens <= build_date <= rel.closes,
                build_date < rel.opens,
                build_date,
                c.address,
                c.email,
                c.form if url else None,
                url,
            )
        found = EntryLinks(
            interprets=_ref(mine["interprets"]) if "interprets" in mine else None,
            interpretations=refs(interprets.get(entry.path, ())),
            replaces=refs(mine.get("replaces", ())),
            replaced_by=refs(replaces.get(entry.path, ())),
            amended_by=refs(mine.get("amended_by", ())),
            amends=refs(amends.get(entry.path, ())),
            feedback_for=_ref(mine["feedback_for"]) if "feedback_for" in mine else None,
            feedback=refs(feedback.get(entry.path, ())),
            consultation=consultation,
        )
        if found:
            links.by_path[entry.path] = found
    return sorted(set(problems)), links


def feedback_due(closes: date, days: int) -> date:
    """The day by which a closed consultation's 采纳情况 should be published."""
    return closes + timedelta(days=days)
