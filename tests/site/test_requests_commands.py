"""`invoke requests`, `invoke new request`, and the demo register against the demo's 2025 report
(`invoke audit`, `invoke annual-report`), as an office runs them."""

from __future__ import annotations

import json
import re

import docx
import pytest

from conftest import ROOT, entry, make_demo_project, make_project, run_cli
from gongkai_core import application_form
from gongkai_core import requests_register as rr

# 2025-03-12 12:00 Asia/Shanghai
MARCH_12 = "1741752000"


def register(project, files: dict[str, str]) -> None:
    folder = project / "requests"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


BASE = "channel: online\napplicant_type: natural_person\napplicant: 张某\nsubject: 申请公开某文件\n"


def test_requests_lists_open_requests_overdue_first(tmp_path):
    project = make_project(tmp_path, {})
    register(
        project,
        {
            "a.yaml": "request_no: YSQ-2025-0001\nreceived_on: 2025-03-03\n" + BASE,
            "b.yaml": "request_no: YSQ-2025-0002\nreceived_on: 2025-02-10\n" + BASE,
            "c.yaml": "request_no: YSQ-2025-0003\nreceived_on: 2025-03-04\nsupplement_asked_on: 2025-03-05\n"
            + BASE,
            "d.yaml": "request_no: YSQ-2025-0004\nreceived_on: 2025-03-03\nreplied_on: 2025-03-05\noutcome: disclosed\n"
            + BASE,
        },
    )
    done = run_cli(project, "requests", epoch=MARCH_12)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "依申请公开：截至 2025-03-12，未答复的申请 3 件（逾期的在前）",
        "  YSQ-2025-0002  收到 2025-02-10  答复期限 2025-03-10  已逾期 2 个工作日  requests/b.yaml",
        "  YSQ-2025-0001  收到 2025-03-03  答复期限 2025-03-31，剩余 13 个工作日  办理中  requests/a.yaml",
        "  YSQ-2025-0003  收到 2025-03-04  2025-03-05 已告知补正  等待申请人补正（期限暂停）  requests/c.yaml",
    ]


def test_requests_names_each_problem_of_the_register_and_fails(tmp_path):
    project = make_project(tmp_path, {})
    register(
        project,
        {
            "a.yaml": "request_no: YSQ-2025-0001\nreceived_on: 2025-03-03\nreplied_on: 2025-03-05\n"
            "outcome: withheld:2\n" + BASE
        },
    )
    done = run_cli(project, "requests", epoch=MARCH_12)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "requests/a.yaml:4: 部分公开或不予公开的，应在 reason 中写明理由和依据（条例第三十六条） (request.reason)"
    )
    assert done.stdout.splitlines()[-1] == "登记簿有 1 个问题，请按提示修改（以上 文件:行号）。"


def test_new_request_writes_the_next_number_and_todays_date(tmp_path):
    project = make_project(tmp_path, {})
    register(project, {"YSQ-2025-0007.yaml": "request_no: YSQ-2025-0007\nreceived_on: 2025-03-03\n" + BASE})
    done = run_cli(project, "new", "request", "申请公开", "2024年道路养护经费", epoch=MARCH_12)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "已登记 requests/YSQ-2025-0008.yaml"
    text = (project / "requests" / "YSQ-2025-0008.yaml").read_text(encoding="utf-8")
    assert "request_no: YSQ-2025-0008  # 申请编号" in text
    assert "received_on: 2025-03-12  # 收到申请日期" in text
    assert "subject: 申请公开 2024年道路养护经费  # 申请内容" in text
    # what is left to write is named by `invoke requests`, at its line
    listed = run_cli(project, "requests", epoch=MARCH_12)
    assert listed.returncode == 1
    assert (
        "requests/YSQ-2025-0008.yaml:6: 缺少必填项“applicant”（申请人） (request.applicant)" in listed.stdout
    )
    # `invoke new` of a column still wants its title
    assert run_cli(project, "new", "policy").returncode == 2


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo_project(tmp_path_factory.mktemp("demo-requests"))


def test_the_demo_report_states_what_the_demo_register_gives(demo):
    done = run_cli(demo, "audit", "--no-site", "--report", "report")
    rules = {
        r["id"]: r for r in json.loads((demo / "report" / "audit.json").read_text(encoding="utf-8"))["rules"]
    }
    for rule in ("annual_report.tables", "requests.overdue", "requests.late", "requests.register"):
        assert rules[rule]["status"] == "pass", (rule, rules[rule]["findings"], done.stdout)
    assert rules["requests.register"]["summary"] == "登记簿 15 件申请，登记完整"


def test_the_demo_draft_carries_the_registers_tables(demo):
    done = run_cli(demo, "annual-report", "2025", "--force")
    assert done.returncode == 0, done.stderr
    draft = (demo / "content" / "report" / "2026-annual-report-2025-draft.md").read_text(encoding="utf-8")
    assert "2025年新收政府信息公开申请12件，上年结转1件；办结12件，结转下年度继续办理1件。" in draft
    assert (
        '<tr><th colspan="2" scope="row">（七）总计</th><td>9</td><td>1</td><td>1</td><td>0</td><td>1</td>'
        "<td>0</td><td>12</td></tr>"
    ) in draft
    stated = draft[draft.index("<caption>三、") :]
    published = (ROOT / "content" / "report" / "2025-annual-report.md").read_text(encoding="utf-8")
    assert stated[: stated.index("</table>")] in published  # the demo report states exactly that table


# ---- the public 依申请公开 page and the application form of the published demo --------------------


def test_the_apply_page_shows_steps_form_and_counts_never_an_applicant(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    page = (demo_site.output / "pages" / "apply.html").read_text(encoding="utf-8")
    steps = re.findall(r'<strong class="gk-flow__name">(.*?)</strong>', page)
    assert steps == [step for step, _ in application_form.STEPS]
    assert "收到申请之日起20个工作日内" in page and "7个工作日内一次性告知" in page
    assert (
        '<a href="../pages/apply-form.html">' in page
        and '<a href="../pages/application-form.docx" download>' in page
    )
    row = re.search(r'<tr><th scope="row">2025年</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["12", "12", "5", "7", "0"]
    for r in rr.load_register(ROOT).requests:  # nothing of a request: who, what, its number
        for value in (r.applicant, r.subject, r.request_no):
            assert value not in page


def test_the_form_prints_with_room_to_write_and_downloads_as_word(demo_site):
    form = (demo_site.output / "pages" / "apply-form.html").read_text(encoding="utf-8")
    labels = [row.label for _, rows in application_form.SECTIONS for row in rows]
    assert re.findall(r'<th scope="row" class="gk-form__label">(.*?)</th>', form) == labels
    assert form.count('<td class="gk-form__space">') == len(labels)
    assert '<tr class="gk-form__row gk-form__row--6">' in form  # the description of the information
    doc = docx.Document(str(demo_site.output / "pages" / "application-form.docx"))
    cells = [row.cells[0].text for row in doc.tables[0].rows]
    assert [c for c in cells if c in labels] == labels
    assert doc.paragraphs[0].text == "政府信息公开申请表"


def test_a_new_request_updates_the_counts_on_the_next_publish(tmp_path):
    """Only the register changed: the fast rebuild must not keep the old counts (its frame key)."""
    files = {
        "policy/a.md": entry(title="示例县公开的通知"),
        "pages/apply.md": "---\ntitle: 依申请公开\nslug: apply\nshows: requests\n---\n\n申请方式见下。\n",
    }
    project = make_project(tmp_path, files)

    def counts() -> list[str]:
        page = (project / "output" / "pages" / "apply.html").read_text(encoding="utf-8")
        return re.findall(
            r"<td>(\d+)</td>", re.search(r'<th scope="row">2025年</th>(.*?)</tr>', page).group(1)
        )

    assert run_cli(project, "publish", "--output", "output").returncode == 0
    assert counts() == ["0", "0", "0", "0", "0"]
    register(project, {"a.yaml": "request_no: YSQ-2025-0001\nreceived_on: 2025-03-03\n" + BASE})
    again = run_cli(project, "publish", "--output", "output")
    assert again.returncode == 0, again.stderr
    assert counts() == ["1", "0", "0", "0", "0"]


def test_check_names_the_registers_problems_too(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县公开的通知")})
    assert run_cli(project, "check").returncode == 0
    register(
        project,
        {
            "a.yaml": "request_no: YSQ-2025-0001\nreceived_on: 2025-03-03\nreplied_on: 2025-03-01\n"
            "outcome: disclosed\n" + BASE
        },
    )
    done = run_cli(project, "check")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "requests/a.yaml:3: 答复日期 2025-03-01 早于收到申请日期 2025-03-03：请核对日期顺序 (request.replied_on)"
    ]
    assert "依申请公开登记簿有 1 个问题" in done.stderr
