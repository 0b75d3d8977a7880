"""The register of 依申请公开 requests (gongkai_core.requests_register): validation messages, the
statutory deadlines on the shipped holiday calendar (weekends, holidays, 调休 working days), every
row of table 三, its balance check, table 四, and the audit's rules on the register
(gongkai_core.audit.request_rules) and on a report's tables (annual_report_tables) — all pure."""

from __future__ import annotations

import textwrap
from datetime import date
from types import SimpleNamespace

import pytest

from gongkai_core import annual_report_tables as report_tables
from gongkai_core import audit
from gongkai_core import requests_register as rr
from gongkai_core.workdays import HOLIDAY_DIR

CAL = HOLIDAY_DIR  # the shipped calendar: 2024, 2025, 2026


def text(**fields) -> str:
    base = {
        "request_no": "YSQ-2025-0001",
        "received_on": "2025-03-03",
        "channel": "in_person",
        "applicant_type": "natural_person",
        "applicant": "张某",
        "subject": "申请公开某文件",
    }
    base.update({k: v for k, v in fields.items() if v is not None})
    for k in [k for k, v in fields.items() if v is None]:
        base.pop(k, None)
    lines = []
    for k, v in base.items():
        if isinstance(v, list):
            lines.append(f"{k}:")
            for item in v:
                first = True
                for ik, iv in item.items():
                    lines.append(f"  {'- ' if first else '  '}{ik}: {iv}")
                    first = False
        else:
            lines.append(f"{k}: {v}")
    return "\n".join(lines) + "\n"


def request(**fields) -> rr.Request:
    r, problems = rr.read_text(text(**fields), "requests/x.yaml")
    assert problems == [], problems
    return r


def problems(**fields) -> list[str]:
    r, found = rr.read_text(text(**fields), "requests/x.yaml")
    assert r is None
    return [str(p) for p in found]


# ---------------------------------------------------------------- validation


def test_a_complete_request_reads():
    r = request(replied_on="2025-03-20", outcome="withheld:4", reason="第三方不同意公开", fee="0")
    assert (r.request_no, r.outcome_group, r.is_open) == ("YSQ-2025-0001", "withheld", False)


def test_messages_of_the_register_are_pinned():
    assert problems(replied_on="2025-03-20") == [
        "requests/x.yaml:7: 已填写答复日期，还应填写办理结果（outcome） (request.outcome)"
    ]
    assert problems(outcome="disclosed") == [
        "requests/x.yaml:7: 已填写办理结果，还应填写答复日期（replied_on） (request.replied_on)"
    ]
    assert problems(replied_on="2025-03-20", outcome="withheld:6") == [
        "requests/x.yaml:8: 部分公开或不予公开的，应在 reason 中写明理由和依据（条例第三十六条） (request.reason)"
    ]
    assert problems(replied_on="2025-03-20", outcome="partly")[0].endswith("(request.reason)")
    assert problems(replied_on="2025-02-20", outcome="disclosed") == [
        "requests/x.yaml:7: 答复日期 2025-02-20 早于收到申请日期 2025-03-03：请核对日期顺序 (request.replied_on)"
    ]
    assert problems(supplement_received_on="2025-03-10") == [
        "requests/x.yaml:7: 填写了收到补正日期，还应填写补正告知日期（supplement_asked_on） (request.supplement_asked_on)"
    ]
    assert problems(extended_on="2025-03-25") == [
        "requests/x.yaml:7: 填写了延长答复期限日期，还应填写延期理由（extension_reason） (request.extension_reason)"
    ]
    assert problems(replied_on="2025-03-20", outcome="other:1") == [
        "requests/x.yaml:8: “逾期不补正”只用于已告知补正（supplement_asked_on）而未收到补正的申请 (request.outcome)"
    ]
    wrong = problems(replied_on="2025-03-20", outcome="withheld:9")
    assert len(wrong) == 1 and wrong[0].startswith(
        "requests/x.yaml:8: 办理结果“withheld:9”不是可选值；可选值：disclosed（予以公开）"
    )
    assert problems(applicant=None) == [
        "requests/x.yaml:1: 缺少必填项“applicant”（申请人） (request.applicant)"
    ]
    assert problems(appeals=[{"kind": "reconsideration", "filed_on": "2025-04-01", "result": "upheld"}]) == [
        "requests/x.yaml:7: 尚未答复的申请不应有行政复议或诉讼记录 (request.appeals)"
    ]


def test_request_numbers_are_unique_across_files(tmp_path):
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "a.yaml").write_text(text(), encoding="utf-8")
    (folder / "b.yaml").write_text(text(received_on="2025-03-04"), encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    register = rr.load_register(tmp_path)
    assert [str(p) for p in register.problems] == [
        f"{rr.rel(folder / 'b.yaml')}:1: 申请编号 YSQ-2025-0001 与 {rr.rel(folder / 'a.yaml')} 重复 (request.request_no)",
        f"{rr.rel(folder / 'notes.txt')}:1: 申请登记目录中只能有 .yaml 文件（不能是链接） (request)",
    ]
    assert rr.project_register(tmp_path / "elsewhere") is None


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "received, due, why",
    [
        # Monday: the 20th working day after it, the day of receipt not counted
        ("2025-03-03", "2025-03-31", "four plain weeks"),
        # Friday: the weekend is not counted
        ("2025-03-07", "2025-04-07", "20 working days after a Friday, 清明 4-4 to 4-6 off"),
        # Before National Day: 9-28 (Sunday) is a working day, 10-1..10-8 are not, 10-11 (Saturday) is
        ("2025-09-26", "2025-10-30", "国庆、中秋 and two 调休 working days"),
        # Before Spring Festival: 1-26 (Sunday) works, 1-28..2-4 off, 2-8 (Saturday) works
        ("2025-01-24", "2025-02-27", "春节"),
        # Across a year: 2024-12-31 into 2025 (元旦 off)
        ("2024-12-20", "2025-01-20", "元旦"),
    ],
)
def test_reply_deadline_counts_working_days_after_receipt(received, due, why):
    r = request(received_on=received)
    assert rr.deadline(r, date(2026, 1, 1), CAL).due == date.fromisoformat(due), why


def test_the_receipt_day_is_not_counted_and_a_saturday_working_day_is():
    r = request(received_on="2025-01-06")
    d = rr.deadline(r, date(2025, 3, 1), CAL)
    assert d.due == date(2025, 2, 8)  # a Saturday made a working day (调休)
    assert d.supplement_due == date(2025, 1, 15)  # 7 working days


def test_an_extension_adds_twenty_working_days():
    r = request(received_on="2025-03-03", extended_on="2025-03-25", extension_reason="数据量大")
    d = rr.deadline(r, date(2026, 1, 1), CAL)
    assert (d.original, d.due, d.limit) == (
        date(2025, 3, 31),
        date(2025, 4, 28),
        40,
    )  # 4-27, a Sunday, is a working day


def test_a_supplement_restarts_the_period_and_stops_it_while_awaited():
    waiting = request(received_on="2025-03-03", supplement_asked_on="2025-03-05")
    assert rr.deadline(waiting, date(2025, 6, 1), CAL).due is None
    came = request(
        received_on="2025-03-03", supplement_asked_on="2025-03-05", supplement_received_on="2025-03-14"
    )
    d = rr.deadline(came, date(2025, 6, 1), CAL)
    assert (d.starts, d.due) == (date(2025, 3, 14), date(2025, 4, 14))


def test_a_third_partys_time_is_not_counted_up_to_fifteen_working_days():
    quick = request(
        received_on="2025-03-03", third_party_asked_on="2025-03-05", third_party_replied_on="2025-03-12"
    )
    d = rr.deadline(quick, date(2025, 6, 1), CAL)
    assert (d.paused, d.due) == (5, date(2025, 4, 8))
    slow = request(
        received_on="2025-03-03", third_party_asked_on="2025-03-05", third_party_replied_on="2025-05-30"
    )
    assert rr.deadline(slow, date(2025, 6, 1), CAL).paused == 15
    silent = request(received_on="2025-03-03", third_party_asked_on="2025-03-05")
    assert rr.deadline(silent, date(2025, 3, 10), CAL).paused == 3  # so far (3-6, 3-7, 3-10)


def test_open_requests_are_listed_overdue_first():
    register = rr.Register(
        (
            request(request_no="A", received_on="2025-03-03"),  # due 3-31
            request(request_no="B", received_on="2025-02-10"),  # due 3-10: overdue
            request(request_no="C", received_on="2025-03-04", supplement_asked_on="2025-03-05"),
            request(request_no="D", received_on="2025-03-03", replied_on="2025-03-04", outcome="disclosed"),
        ),
        (),
    )
    items = rr.open_requests(register, date(2025, 3, 12), CAL)
    assert [(i.request.request_no, i.days_left) for i in items] == [("B", -2), ("A", 13), ("C", None)]


# ---------------------------------------------------------------- table 三 and 四


@pytest.mark.parametrize("outcome", rr.OUTCOME_KEYS)
def test_each_outcome_counts_in_its_own_row_and_applicant_column(outcome):
    extra = {"reason": "理由"} if outcome.split(":")[0] in rr.NEEDS_REASON else {}
    if outcome == "other:1":
        extra["supplement_asked_on"] = "2025-03-05"
    r = request(applicant_type="research", replied_on="2025-04-01", outcome=outcome, **extra)
    rows = rr.table_three([r], 2025)
    hits = [row.key for row in rows if row.cells != (0,) * 7]
    assert hits == ["new", outcome, "outcome_total"]
    assert next(row for row in rows if row.key == outcome).cells == (0, 0, 1, 0, 0, 0, 1)
    assert rr.balance_problems(rows) == []


def test_table_three_has_every_row_of_the_format_in_order():
    labels = [row.label for row in rr.table_three([], 2025)]
    assert len(labels) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
    assert labels[:3] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
    ]
    assert labels[4:6] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]


def test_carried_over_and_forward_by_dates():
    before = request(request_no="A", received_on="2024-12-26", replied_on="2025-01-15", outcome="disclosed")
    late = request(request_no="B", received_on="2025-12-22")
    by = {row.key: row.cells[-1] for row in rr.table_three([before, late], 2025)}
    assert (by["new"], by["carried_over"], by["outcome_total"], by["carried_forward"]) == (1, 1, 1, 1)
    assert {row.key: row.cells[-1] for row in rr.table_three([before, late], 2024)}["carried_forward"] == 1


def test_the_balance_check_names_the_column_that_does_not_add_up():
    rows = list(rr.table_three([request(replied_on="2025-03-20", outcome="disclosed")], 2025))
    rows[0] = rr.TableRow("new", rows[0].label, (2, 0, 0, 0, 0, 0, 2))
    assert rr.balance_problems(rows) == [
        "表三“自然人”列：本年新收 2 + 上年结转 0 = 2，而办理结果总计 1 + 结转下年度 0 = 1",
        "表三“总计”列：本年新收 2 + 上年结转 0 = 2，而办理结果总计 1 + 结转下年度 0 = 1",
    ]


def test_table_four_counts_appeals_by_the_year_filed():
    r = request(
        replied_on="2025-03-20",
        outcome="withheld:4",
        reason="商业秘密",
        appeals=[
            {"kind": "reconsideration", "filed_on": "2025-04-10", "result": "upheld"},
            {"kind": "litigation_after_reconsideration", "filed_on": "2026-01-05", "result": "pending"},
        ],
    )
    assert rr.table_four([r], 2025) == {
        "reconsideration": (1, 0, 0, 0, 1),
        "litigation": (0, 0, 0, 0, 0),
        "litigation_after_reconsideration": (0, 0, 0, 0, 0),
    }
    assert rr.table_four([r], 2026)["litigation_after_reconsideration"] == (0, 0, 0, 1, 1)


# ---------------------------------------------------------------- the audit's rules


def test_audit_names_each_overdue_and_late_request():
    register = rr.Register(
        (
            request(request_no="YSQ-2025-0001", received_on="2025-02-10"),
            request(
                request_no="YSQ-2025-0002",
                received_on="2025-03-03",
                supplement_asked_on="2025-03-13",
                supplement_received_on="2025-03-14",
                replied_on="2025-04-20",
                outcome="disclosed",
            ),
            request(
                request_no="YSQ-2025-0003",
                received_on="2025-03-03",
                extended_on="2025-04-02",
                extension_reason="量大",
                replied_on="2025-04-10",
                outcome="disclosed",
            ),
        ),
        (),
    )
    overdue, late, complete = audit.request_rules(register, date(2025, 3, 12), CAL, set())
    assert (overdue.status, late.status, complete.status) == (audit.FAIL, audit.FAIL, audit.PASS)
    assert [str(f) for f in overdue.findings] == [
        "requests/x.yaml:2: YSQ-2025-0001（2025-02-10 收到） 尚未答复，答复期限 2025-03-10 已过 2 个工作日"
    ]
    assert [str(f) for f in late.findings] == [
        "requests/x.yaml:7: YSQ-2025-0002（2025-03-03 收到）：2025-03-13 才告知补正，应在收到申请后7个工作日内（2025-03-12 前）一次性告知",
        "requests/x.yaml:9: YSQ-2025-0002（2025-03-03 收到）：2025-04-20 答复，晚于答复期限 2025-04-14（逾期 4 个工作日）",
        "requests/x.yaml:7: YSQ-2025-0003（2025-03-03 收到）：2025-04-02 决定延长答复期限，晚于原答复期限 2025-03-31，延期无效",
    ]


def test_audit_fails_a_register_with_a_withholding_without_reason(tmp_path):
    (tmp_path / "requests").mkdir()
    (tmp_path / "requests" / "YSQ-2025-0009.yaml").write_text(
        text(replied_on="2025-03-20", outcome="withheld:1"), encoding="utf-8"
    )
    register = rr.load_register(tmp_path)
    *_, complete = audit.request_rules(register, date(2025, 6, 1), CAL, set())
    assert complete.status == audit.FAIL
    assert [f.message for f in complete.findings] == [
        "部分公开或不予公开的，应在 reason 中写明理由和依据（条例第三十六条） (request.reason)"
    ]
    assert complete.findings[0].path.endswith("requests/YSQ-2025-0009.yaml")
    assert audit.request_rules(None, date(2025, 6, 1), CAL, set())[0].status == audit.PASS


# ---------------------------------------------------------------- the report's tables


def _report(body: str):
    return SimpleNamespace(path="content/report/r.md", body=body, body_line=10)


def _tables(requests) -> str:
    return "\n\n".join(
        [
            report_tables.table_two((3, 0, 5)).replace(report_tables.TODO, "0"),
            report_tables.table_three(rr.table_three(requests, 2025)),
            report_tables.table_four(rr.table_four(requests, 2025)),
        ]
    )


def test_a_report_with_the_computed_tables_passes_and_every_change_is_named():
    requests = [request(replied_on="2025-03-20", outcome="disclosed")]
    register = rr.Register(tuple(requests), ())
    body = _tables(requests)
    assert audit._stated_tables(_report(body), 2025, (3, 0, 5), register)[0] == []
    wrong = body.replace(
        '<th scope="row">1.本机关不掌握相关政府信息</th><td>0</td>',
        '<th scope="row">1.本机关不掌握相关政府信息</th><td>2</td>',
    )
    messages = [f.message for f in audit._stated_tables(_report(wrong), 2025, (3, 0, 5), register)[0]]
    # the stated 总计 row still balances: the cell's own difference is what is named
    assert messages == ["表三“1.本机关不掌握相关政府信息”“自然人”写 2，按依申请公开登记簿统计为 0"]
    normative = audit._stated_tables(_report(body), 2025, (4, 0, 5), register)[0]
    assert [f.message for f in normative] == ["表二“行政规范性文件”本年制发件数写 3，按本站条目统计为 4"]


def test_the_balance_of_the_stated_table_three_is_checked():
    requests = [request(replied_on="2025-03-20", outcome="disclosed")]
    body = _tables(requests)
    first = '<th colspan="3" scope="row">一、本年新收政府信息公开申请数量</th><td>1</td>'
    body = body.replace(first, first.replace("<td>1</td>", "<td>3</td>"))
    messages = [f.message for f in audit._stated_tables(_report(body), 2025, (3, 0, 5), None)[0]]
    assert messages == [
        "表三“自然人”列：本年新收 3 + 上年结转 0 = 3，而办理结果总计 1 + 结转下年度 0 = 1：表三不平衡（第一项加第二项之和应等于第三项加第四项之和）"
    ]


def test_a_report_without_the_tables_fails():
    found = audit._stated_tables(
        _report("## 三、收到和处理政府信息公开申请情况\n\n全年收到申请3件。\n"), 2025, (0, 0, 0), None
    )
    assert [(f.line, f.message) for f in found[0]] == [
        (
            10,
            "2025年度年度报告缺少表二（二、主动公开政府信息情况，全国统一格式）：可用 invoke annual-report 生成",
        ),
        (
            10,
            "2025年度年度报告缺少表三（三、收到和处理政府信息公开申请情况，全国统一格式）：可用 invoke annual-report 生成",
        ),
        (
            10,
            "2025年度年度报告缺少表四（四、政府信息公开行政复议、行政诉讼情况，全国统一格式）：可用 invoke annual-report 生成",
        ),
    ]


def test_table_two_cells_left_unfilled_are_named():
    body = _tables([]).replace(
        '<td colspan="3">0</td></tr>\n</tbody>\n<tbody>\n<tr><th colspan="4" scope="colgroup">第二十条第（六）项',
        '<td colspan="3">待定</td></tr>\n</tbody>\n<tbody>\n<tr><th colspan="4" scope="colgroup">第二十条第（六）项',
        1,
    )
    messages = [f.message for f in audit._stated_tables(_report(body), 2025, (3, 0, 5), None)[0]]
    assert messages == ["表二“行政许可”未填写数字（待定）"]


def test_stated_rows_are_found_at_their_lines():
    body = "前言\n\n" + textwrap.dedent(_tables([]))
    tables = report_tables.parse_tables(body)
    assert sorted(tables) == ["four", "three", "two"]
    assert len(tables["three"].rows) == 25 and len(tables["four"].rows) == 1
    assert body.split("\n")[tables["three"].rows[0][2] - 1].startswith('<tr><th colspan="3" scope="row">一、')


def test_table_four_differences_are_named_by_group_and_result():
    requests = [
        request(
            replied_on="2025-03-20",
            outcome="withheld:4",
            reason="商业秘密",
            appeals=[{"kind": "reconsideration", "filed_on": "2025-04-10", "result": "corrected"}],
        )
    ]
    register = rr.Register(tuple(requests), ())
    body = _tables(requests)
    assert audit._stated_tables(_report(body), 2025, (3, 0, 5), register)[0] == []
    stated = "<tr><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>"
    assert stated in body
    wrong = body.replace(stated, "<tr><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>")
    messages = [f.message for f in audit._stated_tables(_report(wrong), 2025, (3, 0, 5), register)[0]]
    assert messages == [
        "表四行政复议“结果维持”写 1，按依申请公开登记簿统计为 0",
        "表四行政复议“结果纠正”写 0，按依申请公开登记簿统计为 1",
    ]
