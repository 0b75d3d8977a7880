"""The 政府信息公开申请表 (application form) and what the public 依申请公开 page shows of the register.

One table of the form's rows (`SECTIONS`) makes both the printable page (theme template
`requests_form.html`, reading `gk_requests.form`) and the Word download (`docx_bytes`, python-docx:
a DOCX opens in WPS and Word alike and needs no office suite on the build machine). The download is
written by the build (gongkai_gate.glue) as `urls.application_form_download()` when a shown page offers
it, byte-identical for the same build date: python-docx stamps every zip member with the time of
saving and the core properties with "now", so both are set from the build date here.

The page's yearly figures (`PublicRequests.years`) are counts from the register only
(gongkai_core.requests_register.year_counts): never an applicant, a subject or a request number.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import requests_register as rr
from . import urls

TITLE = "政府信息公开申请表"


@dataclass(frozen=True)
class FormRow:
    label: str
    lines: int = 1  # lines of write-in space
    choices: tuple[str, ...] = ()  # boxes to tick (□ …)


SECTIONS: tuple[tuple[str, tuple[FormRow, ...]], ...] = (
    (
        "申请人信息（公民填写）",
        (
            FormRow("姓名"),
            FormRow("工作单位"),
            FormRow("证件名称", choices=("居民身份证", "护照", "其他")),
            FormRow("证件号码"),
            FormRow("联系电话"),
            FormRow("电子邮箱"),
            FormRow("通信地址及邮政编码", 2),
        ),
    ),
    (
        "申请人信息（法人或者其他组织填写）",
        (
            FormRow("名称"),
            FormRow("统一社会信用代码"),
            FormRow("法定代表人或者负责人"),
            FormRow("联系人姓名及电话"),
            FormRow("电子邮箱"),
            FormRow("通信地址及邮政编码", 2),
        ),
    ),
    (
        "申请公开的政府信息",
        (
            FormRow("所需政府信息的名称、文号或者便于查询的其他特征性描述", 6),
            FormRow("所需信息的用途（选填）", 2),
            FormRow("获取信息的方式", choices=("纸质", "电子邮件", "光盘", "当面查阅")),
            FormRow("获取信息的途径", choices=("邮寄", "电子邮件", "传真", "自行领取")),
        ),
    ),
    ("申请人签名或者盖章", (FormRow("签名或者盖章", 2), FormRow("申请日期"))),
    ("以下由受理机关填写", (FormRow("申请编号"), FormRow("收到申请日期"), FormRow("受理人"))),
)
NOTE = (
    "填写说明：公民填写第一部分，法人或者其他组织填写第二部分；请附身份证明或者营业执照等证明文件的复印件。"
    "所需信息请尽量写明名称、文号、形成时间等，便于查找；一份申请表可以申请多项信息。"
)


@dataclass(frozen=True)
class PublicRequests:
    """What a page with `shows: requests` or `request_form` adds: the register's yearly counts, the
    form's rows and the address of its Word download."""

    years: tuple[rr.YearCounts, ...]
    form: tuple[tuple[str, tuple[FormRow, ...]], ...] = SECTIONS
    note: str = NOTE
    download: str = urls.application_form_download()
    steps: tuple[tuple[str, str], ...] = ()


# The procedure as the flow chart shows it: (step, time limit)
STEPS = (
    ("提交申请", "当面、信函、网络或传真提交申请表"),
    ("登记受理", "收到申请之日为起算日，次日起计算期限"),
    ("申请内容不明确的，告知补正", "收到申请后7个工作日内一次性告知；答复期限自收到补正之日起重新计算"),
    ("涉及第三方权益的，征求第三方意见", "第三方15个工作日内提出意见，所需时间不计入答复期限"),
    ("作出答复", "收到申请之日起20个工作日内；需要延长的，经负责人同意并告知申请人，最多延长20个工作日"),
    ("申请人对答复不服的", "可在知道之日起60日内申请行政复议，或6个月内提起行政诉讼"),
)


def public_requests(project: Path, build_date: date, years: int = 3) -> PublicRequests:
    """The page's view of the register of `project`: the last `years` full years up to the build
    date's year (valid requests only: the audit reports a faulty register)."""
    register = rr.load_register(project)
    last = build_date.year
    return PublicRequests(rr.year_counts(register.requests, range(last - years + 1, last + 1)), steps=STEPS)


def counts_key(view: PublicRequests) -> bytes:
    """What of the register a build's pages depend on (the fast rebuild's frame key)."""
    return repr(view.years).encode()


# ---------------------------------------------------------------- the Word download


def docx_bytes(issuer: str, build_date: date) -> bytes:
    """The form as a DOCX, the same bytes for the same issuer and build date."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.font.name = "SimSun"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(18)
    receiver = doc.add_paragraph(f"受理机关：{issuer}")
    receiver.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for title, rows in SECTIONS:
        head = table.add_row().cells
        merged = head[0].merge(head[1])
        merged.paragraphs[0].add_run(title).bold = True
        for row in rows:
            cells = table.add_row()
            cells.height = Cm(0.95 * row.lines)
            cells.cells[0].width, cells.cells[1].width = Cm(5.5), Cm(11.1)
            cells.cells[0].paragraphs[0].add_run(row.label)
            if row.choices:
                cells.cells[1].paragraphs[0].add_run("　".join(f"□ {c}" for c in row.choices))
    doc.add_paragraph(NOTE)
    stamp = datetime(build_date.year, build_date.month, build_date.day)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = TITLE, issuer, issuer
    props.created = props.modified = stamp
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue(), (build_date.year, build_date.month, build_date.day, 0, 0, 0))


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The same archive with every member stamped `when`, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def offers_form(shows: str | None) -> bool:
    return shows in ("requests", "request_form")
