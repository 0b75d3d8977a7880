"""The web editor's check before it writes (gongkai_core.candidate, gongkai_cli.editor_check): a
save or a merge `invoke check` would refuse is refused by the proxy with check's own messages, as
data for the fields; the preview's notice names each file left out. No decap-server here: the
proxy's policy is asked directly (tests/browser/test_editor_roundtrip.py drives the real stack)."""

from __future__ import annotations

import base64
import subprocess
from datetime import date

import pytest
from conftest import EPOCH, entry, make_project

from gongkai_cli import editor_check, editor_proxy
from gongkai_core import candidate, decap
from gongkai_core.site import DEFAULT_COLUMNS, load_site

DAY = date(2026, 11, 1)
PDF = b"%PDF-1.4\n% gongkai\n%%EOF\n"


@pytest.fixture
def project(tmp_path):
    return make_project(
        tmp_path,
        {
            "policy/a.md": entry(title="已有的文件", index_no="SL0000001/2025-00001"),
            "files/old.pdf": PDF,
        },
    )


def line(text, start):
    return next(i for i, t in enumerate(text.split("\n"), 1) if t.startswith(start))


def problems(project, rel, text, uploads=None):
    content = project / "content"
    site = load_site(content, DAY, DEFAULT_COLUMNS, render=False)
    found = candidate.check_file(
        content, rel, text.encode(), DAY, DEFAULT_COLUMNS, uploads=uploads, site=site
    )
    return [str(p) for p in found]


def test_the_file_is_read_as_check_reads_it_and_nothing_is_written(project):
    before = sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*"))
    text = entry(title="日期颠倒", index_no="SL0000001/2025-00002", date_written="2025-03-01")
    assert problems(project, "policy/b.md", text) == [
        f"content/policy/b.md:{line(text, 'date_published')}: 发布日期 2025-02-01 早于成文日期 2025-03-01 (date_published)"
    ]
    assert sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*")) == before


def test_rules_across_entries_see_the_other_entries_and_not_the_old_version(project):
    twin = entry(title="同号文件", index_no="SL0000001/2025-00001")
    assert problems(project, "policy/b.md", twin) == [
        "content/policy/b.md:3: 索引号“SL0000001/2025-00001”与 content/policy/a.md:3 重复，索引号在全站必须唯一 (index_no)"
    ]
    assert problems(project, "policy/a.md", twin) == []  # the file itself, changed: no twin of itself


def test_attachments_uploaded_with_the_entry_and_those_already_there_count(project):
    text = entry(
        title="带附件的文件",
        index_no="SL0000001/2025-00003",
        extra="attachments:\n  - file: files/old.pdf\n    title: 旧附件\n  - file: files/new.pdf\n    title: 新附件\n",
    )
    assert problems(project, "policy/c.md", text, {"files/new.pdf": PDF}) == []
    assert problems(project, "policy/c.md", text) == [
        f"content/policy/c.md:{line(text, '  - file: files/new.pdf')}: 附件“files/new.pdf”不存在（应位于 content/files/new.pdf），请检查文件名和大小写 (attachments[1].file)"
    ]


def test_a_page_is_checked_too(project):
    assert problems(project, "pages/about.md", "---\ntitle: 关于本站\n---\n\n请在这里撰写正文。\n") == [
        "content/pages/about.md:5: 请替换占位内容“请在这里撰写正文。” (body)"
    ]


def git(project, *args):
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def policy(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "编辑测试")
    git(project, "config", "user.email", "editor@example.invalid")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "init")
    config = decap.config(DEFAULT_COLUMNS, decap.proxy_backend("main", "/api/v1"))
    checker = editor_check.SaveCheck(project, DEFAULT_COLUMNS, "pelicanconf.py")
    return editor_proxy.ApiPolicy(project, "main", editor_proxy.Places(config), checker=checker)


def persist(text, path="content/policy/b.md", assets=()):
    return {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"slug": "b", "path": path, "raw": text}],
            "assets": [
                {"path": p, "content": base64.b64encode(data).decode(), "encoding": "base64"}
                for p, data in assets
            ],
            "options": {
                "collectionName": "policy",
                "commitMessage": "新建政策文件条目 b（网页编辑器）",
                "useWorkflow": True,
                "status": "draft",
            },
        },
    }


def test_the_proxy_refuses_a_save_with_checks_messages_as_data(policy):
    bad = entry(title="日期颠倒", index_no="SL0000001/2025-00002", date_written="2025-03-01")
    with pytest.raises(editor_proxy.Refused) as refused:
        policy.vet(persist(bad))
    assert refused.value.status == 422
    assert refused.value.message.startswith("invoke check 不认可，未保存（共 1 处，已在表单中标出）：\n")
    at = line(bad, "date_published")
    assert (
        f"content/policy/b.md:{at}: 发布日期 2025-02-01 早于成文日期 2025-03-01 (date_published)"
        in refused.value.message
    )
    assert refused.value.details["problems"] == [
        {
            "path": "content/policy/b.md",
            "line": at,
            "key": "date_published",
            "message": "发布日期 2025-02-01 早于成文日期 2025-03-01",
        }
    ]
    good = entry(
        title="附件随条目上传",
        index_no="SL0000001/2025-00002",
        extra=("attachments:\n  - file: files/new.pdf\n    title: 新附件\n"),
    )
    forwarded, _ = policy.vet(persist(good, assets=[("content/files/new.pdf", PDF)]))
    assert forwarded["params"]["dataFiles"][0]["raw"] == good


def test_a_draft_is_checked_again_before_it_is_merged(policy, project):
    git(project, "checkout", "-q", "-b", "cms/policy/b")
    (project / "content/policy/b.md").write_text(
        entry(title="后来同号的文件", index_no="SL0000001/2025-00009"), encoding="utf-8"
    )
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "draft")
    git(project, "checkout", "-q", "main")
    body = {
        "action": "publishUnpublishedEntry",
        "params": {"branch": "main", "collection": "policy", "slug": "b"},
    }
    policy.vet(body)  # valid against main as it stands
    (project / "content/policy/c.md").write_text(
        entry(title="先并入的文件", index_no="SL0000001/2025-00009"), encoding="utf-8"
    )
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "another entry took the number")
    with pytest.raises(editor_proxy.Refused) as refused:
        policy.vet(body)
    assert "索引号“SL0000001/2025-00009”与 content/policy/c.md:3 重复" in refused.value.message


def test_the_preview_notice_names_each_file_left_out_escaped():
    page = (
        '<body>\n<a class="gk-skip" href="#main">跳到正文</a>\n'
        '<div class="gk-preview-banner gk-preview-banner--site" role="note"><strong>预览·未公开</strong>：内部预览</div>\n'
        "<main>x</main></body>"
    ).encode()
    out = editor_proxy.with_notice(
        page, [("content/policy/<b>.md", ["第 9 行：发布日期早于成文日期"])]
    ).decode()
    banner_end = out.index("内部预览</div>") + len("内部预览</div>")
    notice = out.index('<div class="gk-preview-banner gk-preview-left-out" role="alert"')
    assert banner_end < notice < out.index("<main>")
    assert "<strong>有 1 个文件未收入预览</strong>" in out
    assert "<li><strong>content/policy/&lt;b&gt;.md</strong>：第 9 行：发布日期早于成文日期</li>" in out


def test_an_attachment_an_entry_uses_is_not_deleted(policy, project):
    (project / "content/policy/a.md").write_text(
        entry(
            title="已有的文件",
            index_no="SL0000001/2025-00001",
            extra="attachments:\n  - file: files/old.pdf\n    title: 旧附件\n",
        ),
        encoding="utf-8",
    )
    body = {
        "action": "deleteFile",
        "params": {
            "branch": "main",
            "path": "content/files/old.pdf",
            "options": {"commitMessage": "删除附件"},
        },
    }
    with pytest.raises(editor_proxy.Refused) as refused:
        policy.vet(body)
    assert refused.value.message == (
        "不能删除：content/files/old.pdf 仍被 content/policy/a.md 使用。请先在这些条目中去掉该附件"
    )
    (project / "content/policy/a.md").write_text(entry(title="已有的文件", index_no="SL0000001/2025-00001"))
    assert policy.vet(body)[0]["params"]["path"] == "content/files/old.pdf"


def test_the_next_index_no_follows_the_publisher_and_counts_drafts(policy, project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # a day of 2026

    def asked(publisher):
        body = {"action": "gongkaiNextIndexNo", "params": {"collection": "policy", "publisher": publisher}}
        forwarded, local = policy.vet(body)
        assert forwarded == {} and isinstance(local, editor_proxy.Local)  # answered here, never forwarded
        return local.answer()["index_no"]

    (project / "content/policy/t.md").write_text(
        entry(title="交通局的文件", publisher="示例县交通运输局", index_no="SL0000009/2026-00004"),
        encoding="utf-8",
    )
    assert asked("示例县交通运输局") == "SL0000009/2026-00005"
    assert asked("") == "SL0000001/2026-00001"  # the column's code (a tie: the first read), this year
    git(project, "checkout", "-q", "-b", "cms/policy/d")
    (project / "content/policy/d.md").write_text(
        entry(title="草稿", publisher="示例县交通运输局", index_no="SL0000009/2026-00011"), encoding="utf-8"
    )
    git(project, "add", "content/policy/d.md")
    git(project, "commit", "-q", "-m", "draft")
    git(project, "checkout", "-q", "main")
    assert asked("示例县交通运输局") == "SL0000009/2026-00012"  # a draft's number is taken too


def test_links_to_other_entries_are_checked_with_the_site_not_alone(project):
    """A 解读 saved in the editor names its document by 索引号: read alone it would name nothing, so
    its links are resolved against the site as it stands — a real document passes, a wrong number is
    refused with check's message, and the 索引号 code of a listed publisher is checked as well."""
    qa = entry(
        title="已有的文件解读",
        column="interpretation",
        index_no="SL0000001/2025-00003",
        extra="interprets: SL0000001/2025-00001",
    )
    assert problems(project, "interpretation/qa.md", qa) == []
    wrong = qa.replace("interprets: SL0000001/2025-00001", "interprets: SL0000001/2025-09999")
    assert problems(project, "interpretation/qa.md", wrong) == [
        f"content/interpretation/qa.md:{line(wrong, 'interprets')}: “解读的文件”的索引号“SL0000001/2025-09999”"
        "没有对应的条目：请核对索引号 (interprets)"
    ]
    content = project / "content"
    codes = {"示例县测试局": "SL0000100"}
    found = candidate.check_file(
        content, "interpretation/qa.md", qa.encode(), DAY, DEFAULT_COLUMNS, index_codes=codes
    )
    assert [str(p) for p in found] == [
        "content/interpretation/qa.md:3: 索引号“SL0000001/2025-00003”的代码应为发布机构“示例县测试局”的代码"
        "“SL0000100”（见 GONGKAI_INDEX_CODES），如 SL0000100/2025-00001 (index_no)"
    ]


REQUEST = (
    "request_no: {no}\nreceived_on: {received}\nchannel: online\napplicant_type: natural_person\n"
    "applicant: 钱某\nsubject: 申请公开2024年农村公路养护经费使用情况\n"
)


def test_a_request_of_the_register_is_checked_by_the_registers_rules_not_as_an_entry(project):
    """requests/ (the local editor's register collection) is no content: a request is read as `invoke
    requests` reads it, its problems keyed by the form's field, its number unique in the register;
    a draft of it is checked again before it is merged."""
    (project / "requests").mkdir()
    (project / "requests/earlier.yaml").write_text(
        REQUEST.format(no="YSQ-2025-0030", received="2025-02-10"), encoding="utf-8"
    )
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "编辑测试")
    git(project, "config", "user.email", "editor@example.invalid")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "init")
    config = decap.config(DEFAULT_COLUMNS, decap.proxy_backend("main", "/api/v1"), local_register=True)
    checker = editor_check.SaveCheck(project, DEFAULT_COLUMNS, "pelicanconf.py")
    policy = editor_proxy.ApiPolicy(project, "main", editor_proxy.Places(config), checker=checker)

    def save(text):
        body = persist(text, path="requests/ysq-2025-0031.yaml")
        body["params"]["dataFiles"][0]["slug"] = "ysq-2025-0031"
        body["params"]["options"]["collectionName"] = decap.REGISTER_COLLECTION
        return policy.vet(body)

    with pytest.raises(editor_proxy.Refused) as refused:
        save(REQUEST.format(no="YSQ-2025-0031", received="2025-02-30"))
    assert refused.value.details["problems"] == [
        {
            "path": "requests/ysq-2025-0031.yaml",
            "line": 2,
            "key": "received_on",
            "message": "收到申请日期“2025-02-30”不是存在的日期（2025年没有2月30日）",
        }
    ]
    with pytest.raises(editor_proxy.Refused) as refused:
        save(REQUEST.format(no="YSQ-2025-0030", received="2025-03-03"))
    assert [(p["key"], p["message"]) for p in refused.value.details["problems"]] == [
        ("request_no", "申请编号 YSQ-2025-0030 与 requests/earlier.yaml 重复")
    ]
    good = REQUEST.format(no="YSQ-2025-0031", received="2025-03-03")
    forwarded, _ = save(good)
    assert forwarded["params"]["dataFiles"][0]["raw"] == good
    assert sorted(p.name for p in (project / "requests").iterdir()) == ["earlier.yaml"]

    git(project, "checkout", "-q", "-b", "cms/request_register/ysq-2025-0031")
    (project / "requests/ysq-2025-0031.yaml").write_text(good, encoding="utf-8")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "draft")
    git(project, "checkout", "-q", "main")
    merge = {
        "action": "publishUnpublishedEntry",
        "params": {"branch": "main", "collection": decap.REGISTER_COLLECTION, "slug": "ysq-2025-0031"},
    }
    policy.vet(merge)  # valid against main as it stands
    (project / "requests/later.yaml").write_text(good, encoding="utf-8")  # the number taken meanwhile
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "another request took the number")
    with pytest.raises(editor_proxy.Refused) as refused:
        policy.vet(merge)
    assert (
        "requests/ysq-2025-0031.yaml:1: 申请编号 YSQ-2025-0031 与 requests/later.yaml 重复"
        in refused.value.message
    )
