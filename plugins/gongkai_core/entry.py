"""The entry model and its reading: Markdown with YAML front matter, or pure YAML.

`read_entry` never raises on bad content: it returns the entry (or None) and every problem,
each pointing at the file and line of the offending key.
"""

from __future__ import annotations

import difflib
import hashlib
import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import annual_report_block, paths, placeholder, policylinks, schema, topics, urls, yamlload
from . import columns as data_columns
from .dates import DateFormatError, parse_date
from .errors import Problem
from .fieldspec import MARKUP
from .schema import Field

MAX_ATTACHMENT_BYTES = 200 * 2**20
INDEX_NO = re.compile(r"\A[A-Za-z0-9]{4,18}/[0-9]{4}-[0-9]+\Z", re.ASCII)
NOT_SECRET = {None, "", "非密", "无", "公开", "none"}
DOC_NO_BAD_BRACKETS = re.compile(r"[﹝﹞\[\]【】（）()〈〉]\s*\d{4}\s*[﹝﹞\[\]【】（）()〈〉]")
BODY_FILE_REF = re.compile(
    r"""(?:\]\(\s*<?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|(?:src|href|poster|data)\s*=\s*["']?)(?:\.\./|\./|/)*(files/[^)"'\s#?<>]+)""",
    re.IGNORECASE | re.MULTILINE,
)
# What every match of BODY_FILE_REF holds, with the same flags (the same case folding): a body without
# it has no reference, told by one literal search (~8 times cheaper than trying every position).
BODY_FILES = re.compile("files/", re.IGNORECASE)
DOC_NO = re.compile(r"^\S+〔\d{4}〕[1-9]\d*[号號]$")
KEYWORD_SPLIT = re.compile(r"[、，,；;\s]+")  # 关键词 are written “养老、助餐” (or with commas or spaces)


@dataclass(frozen=True)
class SignOff:
    by: str
    on: date


@dataclass(frozen=True)
class Review:
    status: str
    secrecy: str
    drafted: SignOff | None = None
    section: SignOff | None = None
    secrecy_signoff: SignOff | None = None
    approved: SignOff | None = None
    withdrawn_on: date | None = None
    note: str | None = None

    def waiting_step(self) -> str | None:
        """The first sign-off step still to do (secrecy also while its result is pending);
        None when all four are there, or the entry is withdrawn or refused by secrecy review."""
        if self.status == "withdrawn" or self.secrecy == "failed":
            return None
        for key, _zh, signoff in self.steps():
            if key == "secrecy" and self.secrecy != "passed":
                return key
            if signoff is None:
                return key
        return None

    def steps(self) -> tuple[tuple[str, str, SignOff | None], ...]:
        """The four sign-offs in their required order: (key, 中文, sign-off)."""
        return (
            ("drafted", "拟稿", self.drafted),
            ("section", "科室审核", self.section),
            ("secrecy", "保密审查", self.secrecy_signoff),
            ("approved", "审定", self.approved),
        )


@dataclass(frozen=True)
class Attachment:
    file: str  # relative to content/
    title: str


@dataclass(frozen=True)
class Change:
    date: date
    note: str


@dataclass(frozen=True)
class PiiAllow:
    value: str
    reason: str


@dataclass(frozen=True)
class Entry:
    path: str  # as shown to editors, e.g. content/policy/x.md
    source_kind: str  # markdown | yaml
    slug: str
    title: str
    index_no: str
    publisher: str
    column: str
    date_written: date
    date_published: date
    disclosure: str
    review: Review
    doc_no: str | None = None
    topic: str | None = None
    keywords: tuple[str, ...] = ()  # 关键词/主题词
    genre: str | None = None  # 体裁分类 (schema.GENRE)
    validity: str = "current"
    valid_until: date | None = None
    summary: str | None = None
    lang: str = "zh-CN"
    body: str = ""
    body_line: int = 1
    attachments: tuple[Attachment, ...] = ()
    changes: tuple[Change, ...] = ()
    pii_allow: tuple[PiiAllow, ...] = ()
    linked_files: tuple[str, ...] = ()  # files/… referenced from the body (images, documents)
    data: object = None  # the column block (LineDict) for budget / sangong / land
    # the column module's model of that block, read with it (gongkai_core.columns: `read`)
    model: object = field(default=None, compare=False, repr=False)
    # the 年度报告's `annual_report:` block (annual_report_block.ReportBlock), when it has one
    report: object = field(default=None, compare=False, repr=False)
    # its links to other entries and consultation dates (policylinks.Relations), when it declares any
    relations: object = field(default=None, compare=False, repr=False)
    lines: object = None  # {dotted key: line}

    @property
    def year(self) -> int:
        return self.date_published.year

    def line_of(self, key: str) -> int:
        return (self.lines or {}).get(key, 1)

    @property
    def genre_label(self) -> str | None:
        """体裁分类 in Chinese."""
        return dict(schema.GENRE).get(self.genre) if self.genre else None

    @property
    def last_updated(self) -> date:
        return max([self.date_published, *(c.date for c in self.changes)])


@dataclass(frozen=True)
class Page:
    path: str
    slug: str
    title: str
    body: str
    body_line: int
    status: str = "published"
    order: int = 100
    summary: str | None = None
    lang: str = "zh-CN"
    shows: str | None = None  # what the template adds (schema.PAGE_SHOWS): 依申请公开 page, application form


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` YAML `---` body. Returns (yaml text or None, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None, text, 1


MARKDOWN_SUFFIXES = (".md", ".markdown")  # an entry of front matter and a Markdown body


def front_digest(path: Path) -> str | None:
    """Hash of a Markdown entry's front matter and of the line its body starts on, split exactly as
    reading splits it; None when it has none or cannot be decoded. (A rebuild renders an entry
    alone when only its body changed: gongkai_build.record.)"""
    text, _issues = yamlload.decode(path.read_bytes())
    if text is None:
        return None
    front, _body, body_line = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    if front is None:
        return None
    return hashlib.sha256(f"{body_line}\0{front}".encode()).hexdigest()


class _Reader:
    """Collects problems for one file while turning its YAML into typed values."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, key: str) -> None:
        self.problems.append(Problem(self.path, line, message, key))

    def unknown_keys(self, data, fields: tuple[Field, ...], prefix: str, extra: tuple[str, ...] = ()) -> None:
        known = [f.key for f in fields] + list(extra)
        by_label = {f.label: f.key for f in fields}
        for key in data:
            if key in known:
                continue
            dotted = f"{prefix}{key}"
            if key in by_label:
                hint = f"请把中文键名“{key}”改为“{by_label[key]}”"
            else:
                close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                hint = f"是否应为“{close[0]}”？" if close else "可用的键：" + "、".join(known)
            self.problem(data.line_of(key), f"未知的键“{key}”。{hint}", dotted)

    def text(self, data, f: Field, prefix: str = "") -> str | None:
        dotted = f"{prefix}{f.key}"
        value = data.get(f.key)
        if isinstance(value, str) and not value.strip():
            value = None  # `key: ""` (what web forms save for a cleared field) is the same as absent
        if value is None:
            if f.required:
                self.problem(
                    data.line_of(f.key) if f.key in data else data.line, f"缺少必填项“{f.label}”", dotted
                )
            return None
        if not isinstance(value, str):
            self.problem(data.line_of(f.key), f"“{f.label}”应为一段文字", dotted)
            return None
        tag = MARKUP.search(value) if f.kind != "markdown" else None
        if tag:
            self.problem(
                data.line_of(f.key),
                f"“{f.label}”中含有网页代码“{tag.group(0)}”：元数据里不能写 HTML 标签"
                "（常从 Word 或网页复制带入），请删除",
                dotted,
            )
            return None
        return value.strip()

    def date(self, data, f: Field, prefix: str = "") -> date | None:
        raw = self.text(data, f, prefix)
        if raw is None:
            return None
        try:
            return parse_date(raw)
        except DateFormatError as exc:
            self.problem(data.line_of(f.key), f"“{f.label}”{exc}", f"{prefix}{f.key}")
            return None

    def choice(self, data, f: Field, choices, prefix: str = "") -> str | None:
        raw = self.text(data, f, prefix)
        if raw is None:
            return None
        values = [c[0] for c in choices]
        if raw in values:
            return raw
        labels = {c[1]: c[0] for c in choices}
        allowed = "、".join(f"{v}（{zh}）" for v, zh in choices)
        if raw in labels:
            self.problem(
                data.line_of(f.key),
                f"“{f.label}”请写英文值“{labels[raw]}”，而不是“{raw}”。可选值：{allowed}",
                f"{prefix}{f.key}",
            )
        else:
            close = difflib.get_close_matches(raw, values, n=1, cutoff=0.6)
            hint = f"是否应为“{close[0]}”？" if close else ""
            self.problem(
                data.line_of(f.key),
                f"“{f.label}”的值“{raw}”无效。{hint}可选值：{allowed}",
                f"{prefix}{f.key}",
            )
        return None

    def mapping(self, data, key: str, label: str, required: bool):
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data.line_of(key) if key in data else data.line, f"缺少必填项“{label}”", key)
            return None
        if not isinstance(value, yamlload.LineDict):
            self.problem(data.line_of(key), f"“{label}”应为“键: 值”的块（下一行缩进书写）", key)
            return None
        return value

    def items(self, data, f: Field):
        value = data.get(f.key)
        if value is None:
            return []
        if not isinstance(value, yamlload.LineList):
            self.problem(data.line_of(f.key), f"“{f.label}”应为列表（每项以“- ”开头）", f.key)
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, yamlload.LineDict):
                self.problem(value.line_of(i), f"“{f.label}”第{i + 1}项应为“键: 值”的块", f"{f.key}[{i}]")
                continue
            self.unknown_keys(item, f.fields, f"{f.key}[{i}].")
            out.append(item)
        return out


def _flatten_lines(data, prefix: str = "", out: dict | None = None) -> dict:
    out = {} if out is None else out
    if isinstance(data, yamlload.LineDict):
        for key, value in data.items():
            dotted = f"{prefix}{key}"
            out[dotted] = data.line_of(key)
            if isinstance(value, yamlload.LineDict) and prefix.count(".") < 1:
                _flatten_lines(value, dotted + ".", out)
    return out


def _fields(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.key: f for f in fields}


def _load_file(path: Path, shown: str, r: _Reader):
    """Decode and parse one file. Returns (data, body, body_line) or None."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        r.problem(1, f"无法读取文件：{exc.strerror}", "file")
        return None
    text, issues = yamlload.decode(raw)
    for issue in issues:
        r.problem(issue.line, issue.message, issue.key)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    from . import secret_mark  # the 密级标志 a reader would see: after markup, entities, invisible characters

    line = secret_mark.first_line(text)
    if line is not None:
        r.problem(line, secret_mark.MESSAGE, "secrecy_level")
    if path.suffix.lower() in (".md", ".markdown"):
        front, body, body_line = split_front_matter(text)
        if front is None:
            if text.split("\n", 1)[0].strip() == "---":
                r.problem(1, "元数据块没有结束：请在元数据之后、正文之前加一行“---”", "front_matter")
            else:
                r.problem(
                    1,
                    "缺少开头的元数据块：文件第一行应为“---”，元数据写完后再用一行“---”结束",
                    "front_matter",
                )
            return None
        source, offset = front, 1
    else:
        body, body_line = "", 1
        source, offset = text, 0
    data, issues = yamlload.load(source, line_offset=offset)
    for issue in issues:
        r.problem(issue.line, issue.message, issue.key)
    if data is None:
        return None
    if not isinstance(data, yamlload.LineDict):
        issue = yamlload.not_a_mapping(source, offset)
        r.problem(issue.line, issue.message, issue.key)
        return None
    return data, body, body_line


def read_page(path: Path, shown: str) -> tuple[Page | None, list[Problem]]:
    r = _Reader(shown)
    loaded = _load_file(path, shown, r)
    if loaded is None:
        return None, r.problems
    data, body, body_line = loaded
    r.unknown_keys(data, schema.PAGE_FIELDS, "")
    f = _fields(schema.PAGE_FIELDS)
    title = r.text(data, f["title"])
    status = r.choice(data, f["status"], f["status"].choices) if "status" in data else "published"
    lang = r.choice(data, f["lang"], schema.LANG) if "lang" in data else "zh-CN"
    shows = r.choice(data, f["shows"], schema.PAGE_SHOWS) if "shows" in data else None
    order_raw = r.text(data, f["order"])
    order = 100
    if order_raw is not None:
        if order_raw.isdigit():
            order = int(order_raw)
        else:
            r.problem(data.line_of("order"), f"“导航顺序”应为整数，而不是“{order_raw}”", "order")
    body_text = body if path.suffix.lower() not in (".yaml", ".yml") else ""
    strings = _all_strings(data)
    _check_text(r, strings, body_text, body_line)
    _check_placeholders(r, strings, body_text, body_line)  # a page is published as it stands, like an entry
    slug = r.text(data, f["slug"]) or path.stem
    slug_why = paths.slug_problem(slug)
    if slug_why:
        r.problem(
            data.line_of("slug") if "slug" in data else 1,
            f"{'网址名' if 'slug' in data else '文件名'}不能作为网址：{slug_why}",
            "slug",
        )
    if r.problems or title is None:
        return None, r.problems
    page = Page(
        shown,
        slug,
        title,
        body if path.suffix != ".yaml" else (data.get("body") or ""),
        body_line,
        status or "published",
        order,
        r.text(data, f["summary"]),
        lang or "zh-CN",
        shows,
    )
    return page, r.problems


def read_entry(
    path: Path, shown: str, columns: dict[str, str], content_root: Path | None = None
) -> tuple[Entry | None, list[Problem]]:
    """Read and validate one entry file. `shown` is the path printed in messages."""
    r = _Reader(shown)
    loaded = _load_file(path, shown, r)
    if loaded is None:
        return None, r.problems
    data, body, body_line = loaded
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    f = _fields(schema.ENTRY_FIELDS)
    r.unknown_keys(data, schema.ENTRY_FIELDS, "", extra=tuple(m.BLOCK for m in data_columns.modules()))
    if not is_yaml and "body" in data:
        r.problem(data.line_of("body"), "Markdown 条目的正文应写在第二个“---”之后，不要用“body”键", "body")

    title = r.text(data, f["title"])
    index_no = r.text(data, f["index_no"])
    if index_no is not None and not INDEX_NO.match(index_no):
        r.problem(
            data.line_of("index_no"),
            f"索引号“{index_no}”格式不对：应为“代码/年份-序号”，代码为4–18位字母或数字，如 SL0000001/2025-00012",
            "index_no",
        )
    publisher = r.text(data, f["publisher"])
    doc_no = r.text(data, f["doc_no"])
    if doc_no:
        if DOC_NO_BAD_BRACKETS.search(doc_no):
            r.problem(
                data.line_of("doc_no"),
                f"文号“{doc_no}”的年份括号应为六角括号〔〕（如 示财发〔2025〕3号）",
                "doc_no",
            )
        elif not DOC_NO.match(doc_no):
            r.problem(
                data.line_of("doc_no"),
                f"文号“{doc_no}”格式不对：应为 机关代字〔年份〕序号号，如 示财发〔2025〕3号（序号不加“第”，无前导零）",
                "doc_no",
            )
    column = r.choice(data, f["column"], tuple(columns.items()))
    topic = r.text(data, f["topic"])
    if topic is not None and (why := topics.problem(topic)):
        r.problem(data.line_of("topic"), why, "topic")
    keywords = tuple(k for k in KEYWORD_SPLIT.split(r.text(data, f["keywords"]) or "") if k)
    genre = r.choice(data, f["genre"], schema.GENRE) if "genre" in data else None
    date_written = r.date(data, f["date_written"])
    date_published = r.date(data, f["date_published"])
    if date_written and date_published and date_published < date_written:
        r.problem(
            data.line_of("date_published"),
            f"发布日期 {date_published} 早于成文日期 {date_written}",
            "date_published",
        )
    validity = r.choice(data, f["validity"], schema.VALIDITY) if "validity" in data else "current"
    valid_until = r.date(data, f["valid_until"])
    disclosure = r.choice(data, f["disclosure"], schema.DISCLOSURE)
    summary = r.text(data, f["summary"])
    lang = r.choice(data, f["lang"], schema.LANG) if "lang" in data else "zh-CN"
    level = data.get("secrecy_level")
    if level not in NOT_SECRET:
        r.problem(
            data.line_of("secrecy_level"),
            f"密级为“{level}”：涉密信息不得进入本仓库。请立即删除此文件，并请管理员从 git 历史中彻底清除",
            "secrecy_level",
        )
    if is_yaml:
        body_value = data.get("body")
        if body_value is not None and not isinstance(body_value, str):
            r.problem(data.line_of("body"), "“正文”应为文字（可用“|”开始多行文字）", "body")
            body_value = None
        body = body_value or ""
        body_line = data.line_of("body") + 1 if "body" in data else 1

    review = _read_review(r, data)

    attachments = []
    for i, item in enumerate(r.items(data, f["attachments"])):
        fa = _fields(schema.ATTACHMENT_FIELDS)
        file = r.text(item, fa["file"], f"attachments[{i}].")
        att_title = r.text(item, fa["title"], f"attachments[{i}].")
        if file is None or att_title is None:
            continue
        if content_root is not None:
            file = _attachment_ok(r, item, i, file, content_root)
            if file is None:
                continue
        attachments.append(Attachment(file, att_title))
    changes = []
    for i, item in enumerate(r.items(data, f["changes"])):
        fc = _fields(schema.CHANGE_FIELDS)
        when = r.date(item, fc["date"], f"changes[{i}].")
        note = r.text(item, fc["note"], f"changes[{i}].")
        if when and note:
            changes.append(Change(when, note))
    pii_allow = []
    for i, item in enumerate(r.items(data, f["pii_allow"])):
        fp = _fields(schema.PII_ALLOW_FIELDS)
        value = r.text(item, fp["value"], f"pii_allow[{i}].")
        reason = r.text(item, fp["reason"], f"pii_allow[{i}].")
        if value and reason:
            pii_allow.append(PiiAllow(value, reason))

    linked = []
    for m in BODY_FILE_REF.finditer(body) if BODY_FILES.search(body) else ():
        ref = m.group(1)
        line = body_line + body[: m.start(1)].count("\n")
        if content_root is None:
            found, why = ref, None
        else:
            found, why = paths.content_file(content_root, ref, MAX_ATTACHMENT_BYTES)
        if why == paths.MISSING:
            r.problem(line, f"正文引用的文件“{ref}”不存在（应位于 content/{ref}）", "body")
        elif why:
            r.problem(line, f"正文引用的文件“{ref}”不能发布：{why}", "body")
        elif found not in linked:
            linked.append(found)
    strings = _all_strings(data)  # walked once for both text checks (the data is not changed in between)
    _check_text(r, strings, "" if is_yaml else body, body_line)
    slug_why = paths.slug_problem(path.stem)
    if slug_why:
        r.problem(1, f"文件名“{path.name}”不能作为网址：{slug_why}。请改文件名", "slug")
    elif column is not None and data_columns.reserved_slug(column, path.stem):
        r.problem(
            1,
            f"文件名“{path.name}”与本栏目自动生成的页面（{urls.entry_page(column, path.stem)}）同名，请改文件名",
            "slug",
        )

    block = model = None
    module = data_columns.get(column)  # the column registry: its module validates the data block
    for other in data_columns.modules():
        if other.BLOCK in data and other is not module and column is not None:
            r.problem(
                data.line_of(other.BLOCK), f"栏目为“{column}”的条目不能有“{other.BLOCK}”数据块", other.BLOCK
            )
    if module is not None:
        if not is_yaml:
            r.problem(
                data.line_of("column"),
                f"“{column}”栏目的条目须为 YAML 文件（.yaml），以便校验表格数据",
                "column",
            )
        else:
            block = r.mapping(data, module.BLOCK, f"{columns.get(column, column)}数据", True)
            if block is not None:
                model, found = module.read(block, shown)  # validated and parsed: the block checked once
                r.problems.extend(found)
    report = None
    if "annual_report" in data:  # the 年度报告's figures, checked by `invoke audit` (docs/audit.md)
        report_block = r.mapping(data, "annual_report", f["annual_report"].label, False)
        if report_block is not None:
            report, found = annual_report_block.parse_block(
                report_block, shown, data.line_of("annual_report")
            )
            r.problems.extend(found)

    relations, found = policylinks.read(data, shown, column, validity, date_written)
    r.problems.extend(found)

    _check_placeholders(r, strings, "" if is_yaml else body, body_line)
    if r.problems:
        return None, r.problems
    entry = Entry(
        path=shown,
        source_kind="yaml" if is_yaml else "markdown",
        slug=path.stem,
        title=title,
        index_no=index_no,
        publisher=publisher,
        column=column,
        date_written=date_written,
        date_published=date_published,
        disclosure=disclosure,
        review=review,
        doc_no=doc_no,
        topic=topic,
        keywords=keywords,
        genre=genre,
        validity=validity,
        valid_until=valid_until,
        summary=summary,
        lang=lang or "zh-CN",
        body=body,
        body_line=body_line,
        attachments=tuple(attachments),
        changes=tuple(changes),
        pii_allow=tuple(pii_allow),
        linked_files=tuple(linked),
        data=block,
        model=model,
        report=report,
        relations=relations,
        lines=_flatten_lines(data),
    )
    return entry, r.problems


def _attachment_ok(r: _Reader, item, i: int, file: str, content_root: Path) -> str | None:
    """The attachment's path relative to content/ when it may be published (paths.content_file)."""
    line = item.line_of("file")
    found, why = paths.content_file(content_root, file, MAX_ATTACHMENT_BYTES)
    if why and why.startswith("有 "):
        r.problem(line, f"附件“{file}”{why}", f"attachments[{i}].file")
        return None
    if why == paths.MISSING:
        r.problem(
            line,
            f"附件“{file}”不存在（应位于 content/{file}），请检查文件名和大小写",
            f"attachments[{i}].file",
        )
        return None
    if why:
        r.problem(line, f"附件“{file}”不能发布：{why}（应位于 content/files/）", f"attachments[{i}].file")
        return None
    return found


def _check_text(r: _Reader, strings: list[tuple[str, int, str, bool]], body: str, body_line: int) -> None:
    """Every string of the file's metadata (at any depth, `_all_strings`) and its body: no control
    characters, and none of Pelican's link syntax ({static}, {attach}, {filename} …), which would copy
    files past the gate."""
    suspect = _SUSPECT.search
    for key, line, text, _is_key in strings:
        if suspect(text) is None:  # no control character, no “{” or “|”: neither check can find anything
            continue
        m = paths.PELICAN_LINK.search(text)
        if m:
            r.problem(
                line,
                f"“{key}”中的“{m.group(0)}”是 Pelican 的链接写法，本系统不支持"
                "（会绕过发布闸门复制文件）：附件请写在 attachments 中，链接请写 files/文件名",
                key,
            )
        control = paths.control_problem(text)
        if control:
            r.problem(line, f"“{_LABELS.get(key, key)}”{control}", key)
    if suspect(body) is None or (not paths.PELICAN_LINK.search(body) and not paths.CONTROL.search(body)):
        return
    for i, text_line in enumerate(body.split("\n")):
        m = paths.PELICAN_LINK.search(text_line)
        if m:
            r.problem(
                body_line + i,
                f"正文中的“{m.group(0)}”是 Pelican 的链接写法，本系统不支持"
                "（会绕过发布闸门复制文件）：附件请写在 attachments 中，链接请写 files/文件名",
                "body",
            )
        control = paths.control_problem(text_line)
        if control:
            r.problem(body_line + i, f"正文{control}", "body")


# What any match of paths.PELICAN_LINK or paths.CONTROL needs: a string without one of these
# characters is passed by both in one search (most values are short numbers, codes and Chinese text).
_SUSPECT = re.compile("[{|]|" + paths.CONTROL.pattern)


def _check_placeholders(
    r: _Reader, strings: list[tuple[str, int, str, bool]], body: str, body_line: int
) -> None:
    """Placeholders and scaffold text (gongkai_core.placeholder) in every value of the metadata, at
    any depth, and in the body. Where one is found, other problems of that value are left out: the
    placeholder is what the editor has to replace (a 金额 “（请填写）” is not also “not a number”)."""
    found: list[Problem] = []
    for key, line, text, is_key in strings:
        if is_key:  # keys are checked by _check_text only
            continue
        if "\n" in text and "\n" in text.strip():  # a block of text (`|`): its lines follow the key's
            hits = placeholder.in_body(text, line + 1)
        elif not placeholder.may_hold(text):  # most values (numbers, dates, codes): at a glance
            continue
        else:
            hit = placeholder.in_field(text, line, title=key == "title")
            hits = [hit] if hit else []
        found += [Problem(r.path, h.line, h.message, key) for h in hits]
    found += [Problem(r.path, h.line, h.message, "body") for h in placeholder.in_body(body, body_line)]
    if not found:
        return
    replaced = {(p.line, _unindexed(p.key)) for p in found}
    r.problems[:] = [
        p
        for p in r.problems
        if (p.line, _unindexed(p.key)) not in replaced
        or p.message.startswith("未知的键")  # the key stays wrong
    ] + found


def _unindexed(key: str) -> str:
    return re.sub(r"\[\d+\]", "", key)


_LABELS = {
    **{f.key: f.label for f in schema.PAGE_FIELDS + schema.ENTRY_FIELDS},
    **{f"review.{f.key}": f.label for f in schema.REVIEW_FIELDS},
}


def _all_strings(data) -> list[tuple[str, int, str, bool]]:
    """(dotted key, line, text, is_key) of every key and value in a YAML block, at any depth, in
    document order (a key before its value), that a text check may flag: walked once per file for
    _check_text and _check_placeholders (which skips the keys). Left out: the keys no _SUSPECT
    character is in, the values none of _flagged_pattern()'s is in (most: numbers, codes, plain 汉字)."""
    out: list[tuple[str, int, str, bool]] = []
    _walk_strings(data, "", out, _flagged_pattern().search)
    return out


def _character_class(chars: str) -> str:
    """A regular expression character class's inside, as ranges, for the set of `chars`."""
    codes = sorted({ord(ch) for ch in chars})
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


@functools.cache  # built on first use (~10 ms), not at import
def _flagged_pattern() -> re.Pattern:
    """One search that finds a character of a value that _check_text (_SUSPECT) or
    _check_placeholders (a line break, placeholder.may_hold) would look at; a value without one is
    passed by both. Both tests are one character at a time, so the characters of the Basic
    Multilingual Plane that neither matches, found once here, are the only ones a passed value has
    (any other character, astral or not, is flagged: placeholder.may_hold flags them all)."""
    bmp = "".join(map(chr, range(0x10000)))
    calm = re.sub(r"[\n]", "", _SUSPECT.sub("", placeholder._TRIGGER.sub("", bmp)))
    return re.compile(f"[^{_character_class(calm)}]")


_CONTAINERS = (yamlload.LineDict, yamlload.LineList)


def _walk_strings(data, key: str, out: list, flagged) -> None:
    # line_of written out (lines.get, the list's own index): a method call per value costs as much
    append = out.append
    suspect = _SUSPECT.search
    if isinstance(data, yamlload.LineDict):
        lines, default = data.lines, data.line
        for k, v in data.items():
            dotted = f"{key}.{k}" if key else str(k)
            if isinstance(k, str) and suspect(k) is not None:
                append((dotted, lines.get(k, default), k, True))
            if isinstance(v, str):
                if flagged(v) is not None:
                    append((dotted, lines.get(k, default), v, False))
            elif isinstance(v, _CONTAINERS):
                _walk_strings(v, dotted, out, flagged)
    elif isinstance(data, yamlload.LineList):
        lines, default, n = data.lines, data.line, len(data.lines)
        for i, v in enumerate(data):
            if isinstance(v, str):
                if flagged(v) is not None:
                    append((f"{key}[{i}]", lines[i] if i < n else default, v, False))
            elif isinstance(v, _CONTAINERS):
                _walk_strings(v, f"{key}[{i}]", out, flagged)


def _read_review(r: _Reader, data) -> Review | None:
    from . import signoff  # visible names, four different people

    block = r.mapping(data, "review", "审核", True)
    if block is None:
        return None
    r.unknown_keys(block, schema.REVIEW_FIELDS, "review.")
    f = _fields(schema.REVIEW_FIELDS)
    status = r.choice(block, f["status"], schema.STATUS, "review.")
    secrecy = r.choice(block, f["secrecy"], schema.SECRECY, "review.") if "secrecy" in block else "pending"

    def sign(step: str, by_key: str, on_key: str) -> SignOff | None:
        by = r.text(block, f[by_key], "review.")
        raw = block.get(by_key)  # a name of spaces only (U+3000, NBSP …) is no name either, not an absent one
        why = signoff.name_problem(raw) if isinstance(raw, str) and raw and (by or not raw.strip()) else None
        if why:  # a control character alone is already reported by _check_text
            if not paths.CONTROL.search(raw):
                shown = signoff.display(raw)
                r.problem(
                    block.line_of(by_key),
                    f"“{signoff.STEP_LABELS[step]}”签字人“{shown}”{why}",
                    f"review.{by_key}",
                )
            by = None
        on = r.date(block, f[on_key], "review.")
        if by and on:
            return SignOff(by, on)
        if by and not on and on_key not in block:
            r.problem(
                block.line_of(by_key),
                f"已填写“{f[by_key].label}”，但缺少“{f[on_key].label}”",
                f"review.{on_key}",
            )
        if on and not by and by_key not in block:
            r.problem(
                block.line_of(on_key),
                f"已填写“{f[on_key].label}”，但缺少“{f[by_key].label}”",
                f"review.{by_key}",
            )
        return None

    drafted = sign("drafted", "drafted_by", "drafted_on")
    section = sign("section", "section_by", "section_on")
    secrecy_so = sign("secrecy", "secrecy_by", "secrecy_on")
    approved = sign("approved", "approved_by", "approved_on")
    withdrawn_on = r.date(block, f["withdrawn_on"], "review.")
    note = r.text(block, f["note"], "review.")
    review = Review(
        status or "draft", secrecy or "pending", drafted, section, secrecy_so, approved, withdrawn_on, note
    )
    for line, message, key in signoff.same_person(
        [(k, so.by, block.line_of(f"{k}_by")) for k, _zh, so in review.steps() if so]
    ):
        r.problem(line, message, key)  # four steps, four people (withdrawn entries were approved too)
    if status is None:
        return review
    # Sign-offs must agree with the status.
    if status in ("approved", "withdrawn"):
        for key, zh, so in review.steps():
            if so is None and not any(p.key.startswith(f"review.{key}") for p in r.problems):
                r.problem(
                    block.line,
                    f"状态为“{dict(schema.STATUS)[status]}”，但缺少{zh}签字（{key}_by 和 {key}_on）",
                    f"review.{key}_by",
                )
        if secrecy != "passed" and status == "approved" and secrecy is not None:
            r.problem(
                block.line_of("secrecy"),
                "状态为“已审定”，但保密审查未通过（secrecy 应为 passed）",
                "review.secrecy",
            )
        previous = None
        for key, zh, so in review.steps():
            if so is None:
                continue
            if previous and so.on < previous[1].on:
                r.problem(
                    block.line_of(f"{key}_on"),
                    f"{zh}日期 {so.on} 早于{previous[0]}日期 {previous[1].on}，签字应依次进行",
                    f"review.{key}_on",
                )
            previous = (zh, so)
    if status == "withdrawn" and withdrawn_on is None and "withdrawn_on" not in block:
        r.problem(
            block.line_of("status"), "状态为“已撤回”，请填写撤回日期（withdrawn_on）", "review.withdrawn_on"
        )
    if status in ("draft", "in_review") and approved is not None:
        r.problem(
            block.line_of("approved_by"),
            f"状态为“{dict(schema.STATUS)[status]}”，却已有审定签字：审定后请把 status 改为 approved",
            "review.status",
        )
    if secrecy == "passed" and secrecy_so is None and "secrecy_by" not in block:
        r.problem(
            block.line_of("secrecy"),
            "保密审查为“已通过”，但缺少保密审查人和日期（secrecy_by、secrecy_on）",
            "review.secrecy_by",
        )
    return review
