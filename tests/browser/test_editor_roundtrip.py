"""The editors' web UI for real: `gongkai_cli edit` (decap-server in git mode behind our proxy, the
preview on its own origin) driven by Playwright in headless Chromium. What the form saves must be
accepted by `check` and shown in the preview marked 预览·未公开; what the schema rejects must be
refused in the form, in Chinese; the editor page runs under its CSP without a violation."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EPOCH, ROOT, entry, make_project, run_cli

playwright = pytest.importorskip("playwright.sync_api", reason="playwright 未安装")

from browser_support import CHROMIUM, launch  # noqa: E402 - after the importorskip
from playwright.sync_api import expect  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="缺少 chromium（scripts/bootstrap 安装）"),
    pytest.mark.skipif(
        not (ROOT / "node_modules/decap-server/dist/index.js").exists(),
        reason="缺少 node_modules/decap-server（npm ci）",
    ),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


class Editor:
    def __init__(self, project: Path, port: int, preview: str, proc: subprocess.Popen, log: list[str]):
        self.project, self.port, self.proc, self.log = project, port, proc, log
        self.base = f"http://127.0.0.1:{port}"
        self.preview = preview  # its own origin

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.preview + path, timeout=10) as r:
            return r.read().decode("utf-8")

    def wait_for_preview(self, path: str, needle: str, seconds: float = 90) -> str:
        """The watcher rebuilds the preview after a change; poll until `needle` is served."""
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            try:
                text = self.get(path)
            except OSError:
                text = ""
            if needle in text:
                return text
            time.sleep(0.5)
        raise AssertionError(f"{needle!r} not in preview {path} after {seconds}s; log:\n" + "".join(self.log))


@pytest.fixture
def editor(tmp_path):
    project = make_project(
        tmp_path,
        {
            "policy/existing.md": entry(title="已公开的示例文件", index_no="SL0000001/2025-00001"),
            "files/.keep": "",
        },
    )
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "编辑测试")
    git(project, "config", "user.email", "editor@example.invalid")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "init")
    port = _port()
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "edit", "--port", str(port), "--server-port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    preview: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        for line in proc.stdout:
            log.append(line)
            m = re.match(r"预览站点：(http://127\.0\.0\.1:\d+)/", line)
            if m:
                preview.append(m.group(1))
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(120):
        proc.kill()
        pytest.fail("gongkai_cli edit did not start:\n" + "".join(log))
    assert preview[0] != f"http://127.0.0.1:{port}"
    yield Editor(project, port, preview[0], proc, log)
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def page(editor):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        outside: list[str] = []
        pg.on(
            "request",
            lambda r: (
                None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url)
            ),
        )
        refused: list[str] = []  # CSP violations, resources the servers' headers blocked
        pg.on(
            "console",
            lambda m: (
                refused.append(m.text)
                if m.type == "error" and ("Content Security Policy" in m.text or "ERR_BLOCKED" in m.text)
                else None
            ),
        )
        pg.on(
            "requestfailed",
            lambda r: refused.append(f"{r.url} {r.failure}") if "BLOCKED" in (r.failure or "") else None,
        )
        pg.on("dialog", lambda d: d.accept())
        pg.goto(editor.base + "/admin/")
        pg.get_by_role("button", name="登录").click()
        pg.get_by_text("内容").first.wait_for()
        yield pg
        browser.close()
        assert outside == [], "the editor requested another host"
        assert refused == [], "the editor ran into its own CSP or CORP headers"


def field(pg, label: str):
    """The control labelled `label` (Decap appends “ (可选)” to optional fields)."""
    return pg.get_by_label(re.compile("^" + re.escape(label) + r"( \(可选\))?$"))


def select(pg, label: str, option: str, nth: int = 0) -> None:
    box = field(pg, label).nth(nth)
    box.click()
    box.fill(option)
    pg.keyboard.press("Enter")


def fill(pg, label: str, value: str, nth: int = 0) -> None:
    field(pg, label).nth(nth).fill(value)


def markdown(pg, label: str, text: str) -> None:
    pg.locator(
        f"xpath=//label[starts-with(normalize-space(.),'{label}')]/following::*[@contenteditable='true'][1]"
    ).click()
    pg.keyboard.type(text)


def new_entry(pg, editor: Editor, collection: str) -> None:
    pg.goto(f"{editor.base}/admin/#/collections/{collection}/new")
    pg.get_by_label("标题", exact=True).wait_for()


def common_fields(pg, title: str, index_no: str) -> None:
    fill(pg, "标题", title)
    fill(pg, "索引号", index_no)
    fill(pg, "发布机构", "示例县文化和旅游局")
    fill(pg, "成文日期", "2025-03-01")
    fill(pg, "发布日期", "2025-03-05")
    select(pg, "公开属性", "主动公开")
    select(pg, "审核状态", "草稿")
    fill(pg, "拟稿人", "钱七")
    fill(pg, "拟稿日期", "2025-03-01")
    select(pg, "保密审查", "待审查")


def save_and_publish(pg) -> None:
    """Save (a commit on a cms/ branch), set the workflow status to 就绪, then 发布 → 立即发布."""
    pg.get_by_role("button", name="保存", exact=True).click()
    pg.get_by_text("状态: 草稿").wait_for()
    pg.get_by_text("状态: 草稿").click()
    pg.get_by_role("menuitem", name="就绪").click()
    pg.get_by_text("状态: 就绪").wait_for()
    pg.get_by_role("button", name="发布", exact=True).click()
    pg.get_by_role("menuitem", name="立即发布").click()
    pg.get_by_text("已发布").first.wait_for()


def saved_file(editor: Editor, folder: str, before: set[str]) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = sorted(set(os.listdir(editor.project / "content" / folder)) - before)
        if new:
            return editor.project / "content" / folder / new[0]
        time.sleep(0.3)
    raise AssertionError(f"no new file in content/{folder}")


def check(editor: Editor) -> subprocess.CompletedProcess:
    return run_cli(editor.project, "check")


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def attach(pg, folder: Path, name: str, title: str) -> None:
    """Add an attachment: upload a small PDF in the media library, choose it, give it a title."""
    pdf = folder / name
    pdf.write_bytes(tiny_pdf("Opening hours of the county library"))
    pg.get_by_role("button", name=re.compile("新增附件|添加")).first.click()
    pg.get_by_role("button", name="选择文件").first.click()
    with pg.expect_file_chooser() as chooser:
        pg.get_by_text("上传", exact=True).last.click()
    chooser.value.set_files(str(pdf))
    pg.get_by_text(name).first.wait_for()
    pg.get_by_role("button", name="选用已选中项目").click()
    fill(pg, "附件名称", title)


def test_policy_entry_saved_in_the_form_is_valid_and_previewed_unpublished(editor, page, tmp_path):
    before = set(os.listdir(editor.project / "content/policy"))
    new_entry(page, editor, "policy")
    common_fields(page, "示例县公共文化场馆免费开放办法", "SL0000777/2025-00031")
    fill(page, "文号", "示文旅发〔2025〕2号")
    markdown(page, "正文", "县图书馆、文化馆全年免费开放。")
    attach(page, tmp_path, "kaifang-banfa.pdf", "开放办法全文")
    save_and_publish(page)

    path = saved_file(editor, "policy", before)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(-\d+)?\.md", path.name), path.name  # as the repository names
    text = path.read_text(encoding="utf-8")
    assert "title: 示例县公共文化场馆免费开放办法" in text and "县图书馆、文化馆全年免费开放。" in text
    subjects = git(editor.project, "log", "--format=%s", "HEAD~1..HEAD").splitlines()
    assert subjects and all(s.startswith(("新建", "修改", "上传附件", "并入编辑器草稿")) for s in subjects), (
        subjects
    )
    assert "files/kaifang-banfa.pdf" in text  # uploaded through the proxy with the entry
    assert (editor.project / "content/files/kaifang-banfa.pdf").read_bytes().startswith(b"%PDF-")
    assert "cms/" not in git(editor.project, "branch", "--list")  # merged into main by 发布
    assert git(editor.project, "status", "--porcelain") == ""  # every save is a commit
    result = check(editor)
    assert result.returncode == 0, result.stdout + result.stderr

    listing = editor.wait_for_preview("/policy/index.html", "示例县公共文化场馆免费开放办法")
    assert "预览·未公开" in listing
    page.goto(editor.preview + "/policy/index.html")
    page.get_by_role("link", name="示例县公共文化场馆免费开放办法").click()
    assert "预览·未公开" in page.locator("body").inner_text()
    assert "县图书馆、文化馆全年免费开放。" in page.locator("body").inner_text()


def test_sangong_entry_saved_in_the_form_is_valid_and_previewed_unpublished(editor, page):
    (editor.project / "content/sangong").mkdir(exist_ok=True)
    before = set(os.listdir(editor.project / "content/sangong"))
    new_entry(page, editor, "sangong")
    common_fields(page, "示例县文化和旅游局2025年“三公”经费预算", "SL0000777/2025-00032")
    select(page, "预算或决算", "预算")
    fill(page, "年度", "2025")
    fill(page, "部门（单位）", "示例县文化和旅游局")
    select(page, "金额单位", "万元")
    figures = {
        "合计": ("6.30", "6.00"),
        "因公出国(境)费": ("0", "0"),
        "公务用车购置及运行费": ("4.20", "4.00"),
        "公务用车购置费": ("0", "0"),
        "公务用车运行费": ("4.20", "4.00"),
        "公务接待费": ("2.10", "2.00"),
    }
    for label, (current, previous) in figures.items():
        fill(page, label, current, nth=0)
        fill(page, label, previous, nth=1)
    counts = {
        "因公出国(境)团组数": "0",
        "因公出国(境)人次": "0",
        "公务用车保有量": "3",
        "公务用车购置数": "0",
        "公务接待批次": "20",
        "公务接待人次": "120",
    }
    for label, value in counts.items():
        fill(page, label, value)
    markdown(page, "增减变化原因说明", "公务用车运行费和公务接待费增加，主要是新增文物巡查任务。")
    save_and_publish(page)

    path = saved_file(editor, "sangong", before)
    assert path.suffix == ".yaml"
    result = check(editor)
    assert result.returncode == 0, result.stdout + result.stderr + path.read_text(encoding="utf-8")
    listing = editor.wait_for_preview("/sangong/index.html", "示例县文化和旅游局2025年“三公”经费预算")
    assert "预览·未公开" in listing


def test_a_save_the_schema_rejects_is_refused_in_the_form_in_chinese(editor, page):
    new_entry(page, editor, "policy")
    common_fields(page, "索引号写错的文件", "2025-12")
    page.get_by_role("button", name="保存", exact=True).click()
    error = page.get_by_text("“索引号”不满足模式“代码/年份-序号”")
    error.first.wait_for()
    assert "SL0000001/2025-00012" in error.first.inner_text()
    assert "cms/" not in git(editor.project, "branch", "--list")
    assert "索引号写错的文件" not in "".join(
        p.read_text(encoding="utf-8") for p in (editor.project / "content").rglob("*.md")
    )


def test_the_editor_interface_is_chinese(editor, page):
    body = page.locator("body").inner_text()
    assert "政策文件" in body and "三公经费" in body and "静态页面" in body
    assert "新建" in body or "新建政策文件条目" in body


def test_a_request_registered_in_the_local_editor_is_a_valid_register_file(editor, page):
    """The register (requests/, never published) is a collection of the local editor: a request
    filled in the form lands in requests/ and `invoke requests` reads it without a problem. The save
    check reads it by the register's own rules (not as an entry): a number already registered is
    refused above the 申请编号 field and nothing is written."""
    register = editor.project / "requests"
    register.mkdir()
    (register / "earlier.yaml").write_text(
        "request_no: YSQ-2025-0030\nreceived_on: 2025-02-10\nchannel: post\n"
        "applicant_type: natural_person\napplicant: 孙某\nsubject: 申请公开2024年村级公益事业一事一议项目清单\n",
        encoding="utf-8",
    )
    git(editor.project, "add", "requests")
    git(editor.project, "commit", "-q", "-m", "登记一件申请")
    page.goto(f"{editor.base}/admin/#/collections/request_register/new")
    field(page, "申请编号").wait_for()
    fill(page, "申请编号", "YSQ-2025-0030")
    fill(page, "收到申请日期", "2025-03-03")
    select(page, "申请方式", "网络申请")
    select(page, "申请人类别", "自然人")
    fill(page, "申请人", "钱某")
    fill(page, "申请内容", "申请公开2024年农村公路养护经费使用情况")
    page.get_by_role("button", name="保存", exact=True).click()
    note = page.locator(".gk-check-error[data-key='request_no']")
    note.wait_for()
    assert note.inner_text().startswith("申请编号 YSQ-2025-0030 与 requests/earlier.yaml 重复（第 1 行")
    assert page.locator(".gk-check-error").count() == 1
    assert note.evaluate("n => n.nextElementSibling.querySelector('label').textContent") == "申请编号"
    assert sorted(os.listdir(register)) == ["earlier.yaml"]
    assert "cms/" not in git(editor.project, "branch", "--list", "cms/*")
    fill(page, "申请编号", "")  # cleared first: filled again as it was refused, the number was appended to
    fill(page, "申请编号", "YSQ-2025-0031")
    save_and_publish(page)
    target = editor.project / "requests" / "ysq-2025-0031.yaml"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert target.exists(), sorted(os.listdir(register))
    listed = run_cli(editor.project, "requests")
    assert listed.returncode == 0, listed.stdout + target.read_text(encoding="utf-8")
    assert "YSQ-2025-0031  收到 2025-03-03" in listed.stdout


# Words of Decap's English interface and of its blog vocabulary that must not show in ours.
NOT_CHINESE = re.compile(
    r"\b(Create|Update|Save|Publish|Delete|Draft|Entries|Entry|Collections?|Media|Workflow|Posts?|"
    r"blog|backend|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Loading|Quick add)\b|帖子|博客"
)


def test_a_save_check_would_refuse_is_refused_next_to_the_field_and_not_written(editor, page):
    """The proxy reads every save as `invoke check` does: a 发布日期 before the 成文日期 is refused
    with check's own message above that field, nothing is committed; corrected, it saves. A file
    left out of the preview is named at the top of every preview page, with check's reason."""
    new_entry(page, editor, "policy")
    common_fields(page, "发布日期早于成文日期的通知", "SL0000777/2025-00040")
    fill(page, "发布日期", "2025-02-01")  # 成文日期 is 2025-03-01
    select(page, "审核状态", "已审定")  # without the other three sign-offs, secrecy pending
    markdown(page, "正文", "各乡镇按期报送。")
    page.get_by_role("button", name="保存", exact=True).click()
    note = page.locator(".gk-check-error")
    note.first.wait_for()
    assert note.count() == 5

    def label_below(key: str) -> str:
        return page.locator(f".gk-check-error[data-key='{key}']").evaluate(
            "n => n.nextElementSibling.querySelector('label').textContent"
        )

    dates = page.locator(".gk-check-error[data-key='date_published']")
    assert dates.inner_text().startswith("发布日期 2025-02-01 早于成文日期 2025-03-01（第 ")
    assert label_below("date_published") == "发布日期"  # right above its field
    assert label_below("review.approved_by") == "单位主要负责人 (可选)"  # inside the 审核 block
    assert (
        page.locator(".gk-check-error[data-key='review.approved_by']")
        .inner_text()
        .startswith("状态为“已审定”，但缺少审定签字（approved_by 和 approved_on）")
    )
    summary = page.locator("#gk-check-summary").inner_text()
    assert "invoke check 发现 5 处问题" in summary
    assert "“发布日期”：发布日期 2025-02-01 早于成文日期" in summary
    told = page.get_by_text("invoke check 不认可，未保存").first
    assert told.is_visible()
    assert told.inner_text().startswith("未保存：invoke check 不认可，未保存（共 5 处"), told.inner_text()
    assert "cms/" not in git(editor.project, "branch", "--list")
    assert git(editor.project, "status", "--porcelain") == ""
    assert "发布日期早于成文日期的通知" not in "".join(
        p.read_text(encoding="utf-8") for p in (editor.project / "content").rglob("*.md")
    )

    fill(page, "发布日期", "2025-03-05")
    select(page, "审核状态", "草稿")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("状态: 草稿").wait_for()
    assert page.locator(".gk-check-error").count() == 0
    assert "cms/policy/" in git(editor.project, "branch", "--list")

    page.goto(editor.base + "/admin/#/workflow")
    card = page.get_by_text("发布日期早于成文日期的通知").first
    card.wait_for()
    board = page.locator("body").inner_text()
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", board), board  # the card's date in Chinese order
    assert not NOT_CHINESE.search(board), NOT_CHINESE.search(board)

    (editor.project / "content/policy/bad-dates.md").write_text(
        entry(
            title="日期颠倒的文件",
            index_no="SL0000001/2025-00077",
            date_written="2025-02-01",
            date_published="2025-01-01",
        ),
        encoding="utf-8",
    )
    shown = editor.wait_for_preview("/index.html", "有 1 个文件未收入预览")
    assert "content/policy/bad-dates.md" in shown
    assert "发布日期 2025-01-01 早于成文日期 2025-02-01" in shown
    page.goto(editor.preview + "/policy/index.html")
    top = page.locator(".gk-preview-left-out")
    assert "content/policy/bad-dates.md" in top.inner_text()


def test_the_form_is_prefilled_counts_what_is_missing_and_speaks_chinese(editor, page):
    (editor.project / "content/report/other.md").parent.mkdir(exist_ok=True)
    (editor.project / "content/report/other.md").write_text(
        entry(
            title="示例县交通运输局通知",
            column="report",
            publisher="示例县交通运输局",
            index_no="SL0000009/2026-00004",
        ),
        encoding="utf-8",
    )
    new_entry(page, editor, "policy")
    assert field(page, "索引号").input_value() == "SL0000001/2026-00001"  # the next free number, this year
    form = page.locator("body").inner_text()
    assert "修改已保存" not in form and "没有未保存的修改" in form  # nothing was saved yet
    assert "年度报告数据" not in form  # the report column's block
    assert not NOT_CHINESE.search(form), NOT_CHINESE.search(form)

    fill(page, "发布机构", "示例县交通运输局")  # the 索引号 follows the publisher's code
    expect(field(page, "索引号")).to_have_value("SL0000009/2026-00005")
    fill(page, "发布机构", "")
    written = field(page, "成文日期")
    assert written.get_attribute("type") == "text" and written.get_attribute("placeholder") == "2025-01-20"
    page.get_by_role("button", name="今天").first.click()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", written.input_value())  # year first, in any browser
    written.fill("2025-02-30")
    fill(page, "标题", "只写了标题的通知")  # an untouched form cannot be saved at all
    page.get_by_role("button", name="保存", exact=True).click()
    toast = page.get_by_text(re.compile(r"^还有 \d+ 个必填项未填写"))
    toast.wait_for()
    told = toast.inner_text()
    marked = page.get_by_text(re.compile(r"^“.+”是必填项$"))
    assert int(re.search(r"还有 (\d+) 个", told).group(1)) == marked.count() >= 5, told
    assert "发布机构" in told and "发布日期" in told and "“标题”" not in told
    assert page.get_by_text(
        "“成文日期”应写成 年-月-日，如 2025-01-20（“2025-02-30”不是这样的日期）"
    ).is_visible()

    new_entry(page, editor, "report")
    assert page.get_by_text("年度报告数据").first.is_visible()
    for where in ("/admin/#/collections/policy", "/admin/#/workflow", "/admin/#/media"):
        page.goto(editor.base + where)
        page.wait_for_timeout(1500)  # let the view render
        shown = page.locator("body").inner_text()
        assert not NOT_CHINESE.search(shown), (where, NOT_CHINESE.search(shown))
