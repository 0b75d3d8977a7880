"""Personal data and 涉密 marks in disguise never reach the public site (issue 15, deliverable 2).

The scans run on what a reader sees (gongkai_core.visible), in every field of every entry and
page, in data-table cells and in attachment text. Each test builds one real project holding every
variant of one class of attack next to a clean published entry, and asserts what the user sees:
`check` names each file and line (and the attachment's page or cell), `publish` exits 1 and leaves
the old site as it was, and the lenient local `build` leaves the offending entries out — none of
their bytes in the output.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from attachment_fixtures import docx_file, encrypted_pdf, minimal_pdf, xlsx_file
from conftest import ROOT, BuiltSite, entry, make_project, run_cli

ID = "11010519491231002X"
ID_MASKED = "110105********002X"
MOBILE_MASKED = "138****8000"
CARD = "6222020200112233446"  # Luhn-valid, a UnionPay prefix
CARD_MASKED = "6222***********3446"
CLEAN = entry(title="示例县公开的通知", body="2025年预算1,204.50万元，办公电话0000-1234567。")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def published_first(project: Path) -> dict[str, str]:
    """Publish the clean site once: a later hostile change must leave it as it is."""
    first = run_cli(project, "publish", "--output", "output")
    assert first.returncode == 0, first.stderr
    return tree_digest(project / "output")


def assert_refused(
    project: Path, before: dict[str, str], expected: list[tuple[str, str]], canaries: list[str]
) -> str:
    """check fails with a line starting `start` and holding `says` for each expected pair."""
    check = run_cli(project, "check")
    shown = check.stdout + check.stderr
    assert check.returncode == 1, shown
    assert "Traceback" not in shown and "内部错误" not in shown
    lines = shown.splitlines()
    for start, says in expected:
        assert any(line.startswith(start) and says in line for line in lines), (
            f"{start} … {says}\n---\n{shown}"
        )
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 1, publish.stdout + publish.stderr
    assert "Traceback" not in publish.stderr
    assert tree_digest(project / "output") == before
    local = run_cli(project, "build", "--output", "local")
    assert local.returncode == 0, local.stderr
    site = BuiltSite(project, project / "local", 0, "", "")
    assert site.exists("policy/clean.html")
    for canary in canaries:
        assert site.leaks(canary) == [], canary
    return shown


# ---- numbers in disguise, in every field of entries and pages ---------------------------------------

BODY_DISGUISES = [
    ("tag", "联系人身份证号 1101<b>0519491231</b>002X。", ID_MASKED),
    ("markdown", "手机 **138**0013`8000`", MOBILE_MASKED),
    ("comment", "手机 138<!-- 隐藏 -->0013<!---->8000", MOBILE_MASKED),
    ("entity", "手机 &#49;&#x33;8&#48;0138000", MOBILE_MASKED),
    ("named", "手机 &sup1;3800138000", MOBILE_MASKED),
    ("double", "手机 &amp;#49;3800138000", MOBILE_MASKED),
    ("zerowidth", "手机 138\u200b0013\u200d8000\u2060", MOBILE_MASKED),
    ("invisible", "手机 1\u00ad3\ufe0f8\u034f0013\u30008000", MOBILE_MASKED),
    ("spaces", "手机 138 0013 8000", MOBILE_MASKED),
    ("dots", "手机 138.0013.8000", MOBILE_MASKED),
    ("fullstops", "手机 138。0013。8000", MOBILE_MASKED),
    ("hyphens", "手机 138-0013-8000", MOBILE_MASKED),
    ("lines", "手机 138\n0013\n8000", MOBILE_MASKED),
    ("single", "手机 1 3 8 0 0 1 3 8 0 0 0", MOBILE_MASKED),
    ("plus86", "手机 +86 138 0013 8000", MOBILE_MASKED),
    ("0086", "手机 0086-13800138000", MOBILE_MASKED),
    ("86dash", "手机 86-138-0013-8000", MOBILE_MASKED),
    ("fullwidth", "手机 １３８００１３８０００", MOBILE_MASKED),
    ("circled", "手机 ①③⑧⓪⓪①③⑧⓪⓪⓪", MOBILE_MASKED),
    ("numerals", "手机 一三八〇〇一三八〇〇〇", MOBILE_MASKED),
    ("attribute", '<abbr title="13800138000">电话</abbr>', MOBILE_MASKED),
    ("link", "[来电](https://example.org/call?m=13800138000)", MOBILE_MASKED),
    ("card", "卡号 6222 0202 0011 2233 446", CARD_MASKED),
    ("idspaces", "身份证 110105 19491231 002x", ID_MASKED),
]

FIELD_DISGUISES = [  # (name, entry() keyword arguments, the text to find the line by, masked)
    ("title", {"title": "关于张三（身份证１１０１０５１９４９１２３１００２Ｘ）的公示"}, "title:", ID_MASKED),
    ("index_no", {"index_no": "13800138000/2025-00001"}, "index_no:", MOBILE_MASKED),
    ("publisher", {"publisher": "示例县测试局（联系人 138 0013 8000）"}, "publisher:", MOBILE_MASKED),
    ("doc_no", {"extra": "doc_no: 示13800138000发〔2025〕3号"}, "doc_no:", MOBILE_MASKED),
    ("keywords", {"extra": "keywords: 联系 13800138000"}, "keywords:", MOBILE_MASKED),
    ("summary", {"extra": "summary: 联系人手机&#49;3800138000"}, "summary:", MOBILE_MASKED),
    (
        "attachment_title",
        {"extra": "attachments:\n  - file: files/clean.pdf\n    title: 张三 13800138000 的申请表"},
        "title: 张三",
        MOBILE_MASKED,
    ),
    (
        "attachment_file",
        {"extra": "attachments:\n  - file: files/13800138000.pdf\n    title: 申请表"},
        "file: files/138",
        MOBILE_MASKED,
    ),
    (
        "change_note",
        {"extra": "changes:\n  - date: 2025-02-10\n    note: 联系电话更正为 138 0013 8000"},
        "note: 联系",
        MOBILE_MASKED,
    ),
]


def budget_entry(department: str, row_name: str) -> str:
    """The demo's budget entry with a 索引号 of its own and two cells changed."""
    text = (ROOT / "content/budget/2024-czj.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^index_no: .*$", "index_no: SL0000101/2024-09901", text, count=1, flags=re.MULTILINE)
    text = text.replace("  department: 示例县财政局", f"  department: {department}", 1)
    return text.replace("name: 基本工资", f"name: {row_name}", 1)  # 经济分类: no catalogue to fail first


def test_disguised_numbers_in_every_field_are_found(tmp_path):
    files: dict[str, str | bytes] = {
        "policy/clean.md": CLEAN,
        "files/clean.pdf": minimal_pdf(["实施方案全文"]),
        "files/13800138000.pdf": minimal_pdf(["申请表"]),
    }
    expected, canaries = [], []
    for i, (name, body, masked) in enumerate(BODY_DISGUISES):
        canary = f"CANARYB{i:02d}"
        text = entry(title=f"通知{canary}", body=f"第一段。\n\n{body}\n")
        files[f"policy/b-{name}.md"] = text
        expected.append(
            (f"content/policy/b-{name}.md:{line_of(text, body.split(chr(10))[0])}: 发现", f"“{masked}”")
        )
        canaries.append(canary)
    for i, (name, kwargs, needle, masked) in enumerate(FIELD_DISGUISES):
        canary = f"CANARYF{i:02d}"
        kwargs = dict(kwargs)
        kwargs["body"] = f"正文{canary}"
        text = entry(**kwargs)
        files[f"policy/f-{name}.md"] = text
        expected.append((f"content/policy/f-{name}.md:{line_of(text, needle)}: 发现", f"“{masked}”"))
        canaries.append(canary)
    files["budget/cells.yaml"] = budget_entry(
        "示例县财政局（联系人 138-0013-8000）", "基本工资 11010519491231002X"
    )
    files["pages/contact.md"] = "---\ntitle: 联系我们 &#49;3800138000\n---\n\n正文CANARYP1\n"
    files["pages/about.md"] = "---\ntitle: 关于\nsummary: 联系 138 0013 8000\n---\n\n正文CANARYP2\n"
    files["pages/guide.md"] = "---\ntitle: 指南\n---\n\n第一段。\n\n咨询 1380<i>013</i>8000CANARYP3\n"
    canaries += ["CANARYP1", "CANARYP2", "CANARYP3"]
    project = make_project(tmp_path, {"policy/clean.md": CLEAN})
    before = published_first(project)
    for rel, data in files.items():
        target = project / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data) if isinstance(data, bytes) else target.write_text(data, encoding="utf-8")
    budget = (project / "content/budget/cells.yaml").read_text(encoding="utf-8")
    expected += [
        (f"content/budget/cells.yaml:{line_of(budget, '  department:')}: ", f"发现手机号码“{MOBILE_MASKED}”"),
        (
            f"content/budget/cells.yaml:{line_of(budget, '基本工资 1101')}: ",
            f"发现居民身份证号码“{ID_MASKED}”",
        ),
        ("content/pages/contact.md:2: ", f"发现手机号码“{MOBILE_MASKED}”"),
        ("content/pages/about.md:3: ", f"发现手机号码“{MOBILE_MASKED}”"),
        ("content/pages/guide.md:7: ", f"发现手机号码“{MOBILE_MASKED}”"),
    ]
    shown = assert_refused(project, before, expected, canaries)
    assert "pii_allow" in shown and "请删除或打码" in shown


# ---- inside attachments ---------------------------------------------------------------------------


def attachment_entry(title: str, file: str, status: str = "approved", extra: str = "") -> str:
    attachments = (
        f"attachments:\n  - file: files/clean.pdf\n    title: 方案\n  - file: {file}\n    title: 附件"
    )
    if status == "approved":
        return entry(title=title, body="正文。", extra=attachments + ("\n" + extra if extra else ""))
    return entry(
        title=title,
        body="正文。",
        extra=attachments,
        status=status,
        secrecy="pending",
        secrecy_on=None,
        approved=None,
    )


def test_personal_data_inside_attachments_is_found_page_by_page(tmp_path):
    cases = {  # file → (bytes, where and what check says)
        "files/id.pdf": (
            minimal_pdf(["示例县公示", "身份证号 110105 1949 1231 002X"]),
            f"第2页发现居民身份证号码“{ID_MASKED}”",
        ),
        "files/props.pdf": (
            minimal_pdf(["正文"], info={"Author": "张三 13800138000"}),
            f"文档属性发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/table.docx": (
            docx_file(["名单如下"], table=[["姓名", "手机"], ["张三", "138-0013-8000"]]),
            f"正文第5段发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/runs.docx": (
            docx_file(["正文"], split_runs="手机13800138000"),
            f"正文第2段发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/header.docx": (
            docx_file(["正文"], header="联系人 13800138000"),
            f"页眉第1段发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/list.xlsx": (
            xlsx_file({"名单": {"A1": "身份证号", "A2": ID}}),
            f"工作表“名单”A2发现居民身份证号码“{ID_MASKED}”",
        ),
        "files/number.xlsx": (
            xlsx_file({"表1": {"C3": 13800138000}}),
            f"工作表“表1”C3发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/list.txt": (
            "名单\n张三 １３８００１３８０００\n".encode("gb18030"),
            f"第2行发现手机号码“{MOBILE_MASKED}”",
        ),
        "files/list.csv": (
            "姓名,卡号\n张三,6222 0202 0011 2233 446\n".encode(),
            f"第2行发现银行卡号“{CARD_MASKED}”",
        ),
        "files/locked.pdf": (
            encrypted_pdf([f"ID {ID}"], "user-pw"),
            "无法读取：PDF 已加密，需要密码才能打开。无法确认其中没有个人信息",
        ),
        "files/old.doc": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016,
            "不能发布：旧版 Office/WPS 格式“.doc”的文字无法读取，无法检查其中是否有个人信息",
        ),
        # the same bytes under a new name are still refused, by what they are
        "files/renamed.docx": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016,
            "不能发布：文件内容与扩展名“.docx”不符",
        ),
    }
    project = make_project(
        tmp_path, {"policy/clean.md": CLEAN, "files/clean.pdf": minimal_pdf(["实施方案全文"])}
    )
    before = published_first(project)
    expected, canaries = [], []
    for i, (file, (data, says)) in enumerate(cases.items()):
        (project / "content" / file).write_bytes(data)
        canary = f"CANARYA{i:02d}"
        text = attachment_entry(f"通知{canary}", file)
        rel = f"policy/a{i:02d}.md"
        (project / "content" / rel).write_text(text, encoding="utf-8")
        expected.append((f"content/{rel}:{line_of(text, f'file: {file}')}: ", f"附件“{file}”{says}"))
        canaries.append(canary)
    # a file linked from the body of a published entry is read as well
    (project / "content/files/linked.pdf").write_bytes(minimal_pdf([f"ID {ID}"]))
    linker = entry(title="通知CANARYL", body="第一段。\n\n请下载[名单](files/linked.pdf)。\n")
    (project / "content/policy/linker.md").write_text(linker, encoding="utf-8")
    expected.append(
        (
            f"content/policy/linker.md:{line_of(linker, '请下载')}: ",
            f"附件“files/linked.pdf”第1页发现居民身份证号码“{ID_MASKED}”",
        )
    )
    canaries.append("CANARYL")
    assert_refused(project, before, expected, canaries)


def test_allowed_numbers_and_unpublished_attachments_pass(tmp_path):
    """pii_allow values are compared as read (any spelling), in text and attachments alike; an
    entry that is not published is not scanned for personal data — it never reaches the site."""
    allow = 'pii_allow:\n  - value: "+86 138-0013-8000"\n    reason: 单位公布的值班电话'
    project = make_project(
        tmp_path,
        {
            "policy/clean.md": CLEAN,
            "files/clean.pdf": minimal_pdf(["实施方案全文"]),
            "files/duty.pdf": minimal_pdf(["值班电话 138 0013 8000"]),
            "files/draft.xlsx": xlsx_file({"名单": {"A1": ID}}),
            "policy/duty.md": attachment_entry("值班安排", "files/duty.pdf", extra=allow).replace(
                "正文。", "值班电话：１３８００１３８０００。"
            ),
            "policy/draft.md": attachment_entry("草稿CANARYD", "files/draft.xlsx", status="draft"),
            "pages/draft.md": "---\ntitle: 草稿页面\nstatus: draft\n---\n\n联系 13800138000\n",
        },
    )
    check = run_cli(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 0, publish.stderr
    site = BuiltSite(project, project / "output", 0, "", "")
    assert "１３８００１３８０００" in site.text("policy/duty.html")
    assert site.exists("files/duty.pdf")
    assert site.leaks("CANARYD") == []


# ---- 涉密 marks, anywhere in content/ ----------------------------------------------------------------


def test_secret_marks_in_any_file_are_errors(tmp_path):
    draft = {"status": "draft", "secrecy": "pending", "secrecy_on": None, "approved": None}
    marks = {  # file → (text or bytes, the text to find the line by; None: line 1 / the attachment's line)
        "policy/tag.md": (entry(title="草稿", body="第一段。\n\n秘<b>密</b>★1年", **draft), "秘<b>"),
        "policy/entity.md": (entry(title="草稿", body="&#31192;&#23494;&#9733;", **draft), "&#31192;"),
        "policy/spaced.md": (entry(title="通知", body="机　密 ☆ 五年"), "机　密"),
        "policy/invisible.md": (entry(title="通知", body="绝\u200b密\u2060★长期"), "绝"),
        "budget/escape.yaml": (
            (ROOT / "content/budget/2024-czj.yaml")
            .read_text(encoding="utf-8")
            .replace(
                "title: 示例县财政局2024年部门预算",
                'title: "\\u79d8\\u5bc6\\u2605 示例县财政局2024年部门预算"',
                1,
            )
            .replace("index_no: SL0000101/2024-00101", "index_no: SL0000101/2024-09902", 1),
            "title:",
        ),
        "policy/level.md": (entry(title="通知", extra="topic: 密级：机密", **draft), "topic:"),
        "pages/secret.md": ("---\ntitle: 页面\nstatus: draft\n---\n\n**机密**★5年\n", "**机密**"),
        "files/notes.txt": ("说明\n\n绝密★长期\n", "绝密"),
    }
    project = make_project(
        tmp_path, {"policy/clean.md": CLEAN, "files/clean.pdf": minimal_pdf(["实施方案全文"])}
    )
    before = published_first(project)
    expected = []
    for rel, (data, needle) in marks.items():
        target = project / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8")
        expected.append((f"content/{rel}:{line_of(data, needle)}: ", "含有密级标志"))
    # a mark inside a draft's PDF attachment
    (project / "content/files/draft.pdf").write_bytes(minimal_pdf(["示例县文件", "秘 密 ★ 1 年"]))
    text = attachment_entry("草稿", "files/draft.pdf", status="draft")
    (project / "content/policy/attached.md").write_text(text, encoding="utf-8")
    expected.append(
        (
            f"content/policy/attached.md:{line_of(text, 'file: files/draft.pdf')}: ",
            "附件“files/draft.pdf”第2页含有密级标志",
        )
    )
    shown = assert_refused(project, before, expected, [])
    assert "涉密信息不得进入本仓库" in shown


# ---- ordinary numbers stay publishable ---------------------------------------------------------------


def test_ordinary_numbers_are_not_personal_data(tmp_path):
    body = (
        "2025年部门预算合计1,204.50万元，比2024年增加12.5%。办公电话 0000-1234567，邮编 100000。\n\n"
        "| 科目编码 | 金额 |\n| --- | --- |\n| 2010101 | 123.45 |\n| 2010102 | 110.20 |\n\n"
        "统一社会信用代码 91110000100000000A；已打码：138****8000、110105********002X。\n\n"
        "时间：2025-01-20 2025-02-10；二〇二五年十一月；保密审查已通过，保守国家秘密。"
    )
    table = minimal_pdf(["2010101 行政运行 123.45 110.20 13.25", "合计 1 35 20 13 8 16 760.01"])
    project = make_project(
        tmp_path,
        {
            "policy/clean.md": entry(
                title="示例县2025年预算说明",
                body=body,
                extra="doc_no: 示财发〔2025〕13号\nattachments:\n  - file: files/table.pdf\n    title: 预算表",
            ),
            "files/table.pdf": table,
            "files/sheet.xlsx": xlsx_file(
                {"预算": {"A1": 2010101, "B1": 1204.5, "C1": "SL0000001/2025-00012"}}
            ),
            "policy/sheet.md": entry(
                title="预算表", extra="attachments:\n  - file: files/sheet.xlsx\n    title: 预算表"
            ),
        },
    )
    check = run_cli(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 0, publish.stderr
    assert (project / "output/policy/clean.html").exists()
