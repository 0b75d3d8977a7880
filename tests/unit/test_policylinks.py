"""政策解读, 意见征集/采纳情况 and 替代/修改 links (gongkai_core.policylinks), the 规范性文件库 rows
(gongkai_core.normative) and their audit rules, on real content folders read by load_site: no Pelican."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import entry

from gongkai_core import audit, normative
from gongkai_core.policylinks import LinkConfig
from gongkai_core.site import load_site

COLUMNS = {"policy": "政策文件", "interpretation": "政策解读", "consultation": "意见征集"}
FORMS = {"yjzj": "https://www.example.gov.cn/hdjl/yjzj"}
BUILD = date(2026, 11, 1)
DOC = "SL0000001/2026-00001"
SIGNED = dict(drafted="2026-09-01", section="2026-09-01", secrecy_on="2026-09-01", approved="2026-09-01")


def document(index_no: str = DOC, title: str = "示例县测试管理办法", extra: str = "", **kw) -> str:
    kw = {**SIGNED, **kw}
    return entry(
        title=title,
        index_no=index_no,
        date_written="2026-09-01",
        date_published=kw.pop("published", "2026-09-07"),
        extra=f"doc_no: 示测规〔2026〕{index_no[-1]}号\nvalidity: current\n{extra}",
        **kw,
    )


def interpretation(
    interprets: str = DOC, published: str = "2026-09-07", index_no: str = "SL0000001/2026-00101", **kw
):
    return entry(
        title=kw.pop("title", "《示例县测试管理办法》政策解读"),
        index_no=index_no,
        column="interpretation",
        date_written="2026-09-01",
        date_published=published,
        extra=f"interprets: {interprets}\n" if interprets else "",
        **{**SIGNED, **kw},
    )


def consultation(
    opens: str = "2026-09-07",
    closes: str = "2026-10-09",
    comments: str = "comments:\n  email: zhengqiu@example.gov.cn\n",
    draft_type: str = "decision",
    index_no: str = "SL0000001/2026-00201",
    published: str = "2026-09-07",
) -> str:
    return entry(
        title="关于测试办法（征求意见稿）公开征求意见的公告",
        index_no=index_no,
        column="consultation",
        date_written="2026-09-01",
        date_published=published,
        extra=f"draft_type: {draft_type}\nopens: {opens}\ncloses: {closes}\n{comments}",
        **SIGNED,
    )


def feedback(of: str = "SL0000001/2026-00201", published: str = "2026-10-20") -> str:
    return entry(
        title="测试办法（征求意见稿）意见采纳情况",
        index_no="SL0000001/2026-00202",
        column="consultation",
        date_written="2026-09-01",
        date_published=published,
        extra=f"feedback_for: {of}\n",
        **SIGNED,
    )


def read(tmp_path: Path, files: dict[str, str], build: date = BUILD, forms=FORMS):
    for rel, text in files.items():
        target = tmp_path / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return load_site(
        tmp_path / "content",
        build,
        COLUMNS,
        project_root=tmp_path,
        render=False,
        links_config=LinkConfig(forms=forms),
    )


def problems(site) -> list[str]:
    return [f"{p.path.removeprefix('content/')}:{p.line}: {p.message} ({p.key})" for p in site.problems]


# ---------------------------------------------------------------- 政策解读


def test_interpretation_and_document_link_both_ways(tmp_path):
    site = read(tmp_path, {"policy/doc.md": document(), "interpretation/qa.md": interpretation()})
    assert problems(site) == []
    doc = site.links.get("content/policy/doc.md")
    qa = site.links.get("content/interpretation/qa.md")
    assert [r.slug for r in doc.interpretations] == ["qa"]
    assert (qa.interprets.column, qa.interprets.slug, qa.interprets.index_no) == ("policy", "doc", DOC)


def test_interpretation_naming_no_entry_is_an_error_and_is_left_out(tmp_path):
    site = read(
        tmp_path,
        {"policy/doc.md": document(), "interpretation/qa.md": interpretation("SL0000001/2026-09999")},
    )
    assert problems(site) == [
        "interpretation/qa.md:9: “解读的文件”的索引号“SL0000001/2026-09999”没有对应的条目：请核对索引号 (interprets)"
    ]
    assert [e.path for e in site.entries] == ["content/policy/doc.md"]
    assert site.links.get("content/policy/doc.md") is None


def test_published_interpretation_of_a_withheld_document_is_an_error_that_names_nothing_of_it(tmp_path):
    withheld = document(title="示例县尚未公开的机密测试办法", status="in_review", approved=None)
    site = read(tmp_path, {"policy/doc.md": withheld, "interpretation/qa.md": interpretation()})
    assert problems(site) == [
        "interpretation/qa.md:9: “解读的文件”指向的条目（索引号“SL0000001/2026-00001”）尚未公开，"
        "本条目不能先于它公开：请待其公开后再发布，或先删去此项 (interprets)"
    ]
    assert "尚未公开的机密" not in " ".join(problems(site))
    assert site.published() == [] and site.links.by_path == {}


def test_withheld_interpretation_of_a_withheld_document_waits_without_error(tmp_path):
    site = read(
        tmp_path,
        {
            "policy/doc.md": document(published="2026-11-20"),
            "interpretation/qa.md": interpretation(published="2026-11-20"),
        },
    )
    assert problems(site) == [] and site.links.by_path == {}


def test_a_document_left_out_for_its_own_link_takes_its_interpretation_along(tmp_path):
    files = {
        "policy/doc.md": document(extra="replaces: SL0000001/2019-00404\n"),
        "interpretation/qa.md": interpretation(),
    }
    site = read(tmp_path, files)
    assert problems(site) == [
        "interpretation/qa.md:9: “解读的文件”的索引号“SL0000001/2026-00001”没有对应的条目：请核对索引号 (interprets)",
        "policy/doc.md:11: “替代的文件”的索引号“SL0000001/2019-00404”没有对应的条目：请核对索引号 (replaces)",
    ]
    assert site.entries == []


def test_interprets_belongs_to_the_interpretation_column_and_names_a_document(tmp_path):
    site = read(
        tmp_path,
        {
            "policy/doc.md": document(extra="interprets: SL0000001/2026-00002\n"),
            "policy/other.md": document("SL0000001/2026-00002"),
            "interpretation/none.md": interpretation(None, index_no="SL0000001/2026-00102"),
            "interpretation/of-qa.md": interpretation(
                "SL0000001/2026-00104", index_no="SL0000001/2026-00103"
            ),
            "interpretation/qa.md": interpretation("SL0000001/2026-00002", index_no="SL0000001/2026-00104"),
            "interpretation/bad.md": interpretation("2026-00002", index_no="SL0000001/2026-00105"),
        },
    )
    assert problems(site) == [
        "interpretation/bad.md:9: “解读的文件”的索引号“2026-00002”格式不对：应为“代码/年份-序号”，如 SL0000001/2025-00012 (interprets)",
        "interpretation/none.md:1: 缺少必填项“解读的文件”：政策解读须写明所解读文件的索引号（interprets） (interprets)",
        "interpretation/of-qa.md:9: “解读的文件”的索引号“SL0000001/2026-00104”是政策解读或意见征集，不是文件：请写文件的索引号 (interprets)",
        "policy/doc.md:11: 只有政策解读栏目（interpretation）的条目可以写“解读的文件”（interprets） (interprets)",
    ]


# ---------------------------------------------------------------- 意见征集 and 采纳情况


def test_consultation_state_on_the_build_date_and_its_feedback_both_ways(tmp_path):
    files = {"consultation/draft.md": consultation(), "consultation/feedback.md": feedback()}
    site = read(tmp_path, files)
    assert problems(site) == []
    draft = site.links.get("content/consultation/draft.md")
    assert (draft.consultation.state, draft.consultation.as_of) == ("已结束", BUILD)
    assert [r.slug for r in draft.feedback] == ["feedback"]
    assert site.links.get("content/consultation/feedback.md").feedback_for.slug == "draft"
    during = read(tmp_path / "b", {"consultation/draft.md": consultation()}, build=date(2026, 9, 20))
    assert during.links.get("content/consultation/draft.md").consultation.state == "进行中"


def test_consultation_comment_ways_are_checked(tmp_path):
    site = read(
        tmp_path,
        {
            "consultation/none.md": consultation(comments="", index_no="SL0000001/2026-00211"),
            "consultation/empty.md": consultation(
                comments="comments:\n  address: ''\n", index_no="SL0000001/2026-00212"
            ),
            "consultation/mail.md": consultation(
                comments="comments:\n  email: zhengqiu@示例\n", index_no="SL0000001/2026-00213"
            ),
            "consultation/form.md": consultation(
                comments="comments:\n  form: hudong\n", index_no="SL0000001/2026-00214"
            ),
            "consultation/ok.md": consultation(
                comments="comments:\n  form: yjzj\n", index_no="SL0000001/2026-00215"
            ),
        },
    )
    assert problems(site) == [
        "consultation/empty.md:12: “意见反馈方式”至少写一种：通信地址（address）、电子邮箱（email）或在线表单（form） (comments)",
        "consultation/form.md:12: 在线表单“hudong”没有配置：GONGKAI_CONSULTATION_FORMS 中现有 yjzj (comments.form)",
        "consultation/mail.md:13: 电子邮箱“zhengqiu@示例”格式不对，应如 zhengqiu@example.gov.cn (comments.email)",
        "consultation/none.md:1: 缺少必填项“意见反馈方式”（comments）：至少写通信地址（address）、电子邮箱（email）或在线表单（form）中的一种 (comments)",
    ]
    form = site.links.get("content/consultation/ok.md").consultation
    assert (form.form_name, form.form_url) == ("yjzj", FORMS["yjzj"])


def test_minimum_period_is_30_days_or_7_working_days_for_a_normative_draft(tmp_path):
    site = read(
        tmp_path,
        {
            "consultation/short.md": consultation(
                "2026-09-07", "2026-10-05", index_no="SL0000001/2026-00221"
            ),
            "consultation/month.md": consultation(
                "2026-09-07", "2026-10-06", index_no="SL0000001/2026-00222"
            ),
            # 国庆节: 9/28–9/30 and 10/8–10/9 are the only working days
            "consultation/holiday.md": consultation(
                "2026-09-28", "2026-10-09", draft_type="normative", index_no="SL0000001/2026-00223"
            ),
            "consultation/week.md": consultation(
                "2026-09-28", "2026-10-13", draft_type="normative", index_no="SL0000001/2026-00224"
            ),
        },
    )
    assert problems(site) == [
        "consultation/holiday.md:11: 征求意见期 2026-09-28 至 2026-10-09 只有 5 个工作日：行政规范性文件草案征求意见"
        "一般不少于7个工作日（国办发〔2018〕37号） (closes)",
        "consultation/short.md:11: 征求意见期 2026-09-07 至 2026-10-05 只有 29 天：重大行政决策草案征求意见一般不少于30日"
        "（《重大行政决策程序暂行条例》第十四条）；确需缩短的，请改草案类型并在正文说明理由 (closes)",
    ]


def test_feedback_names_a_consultation_and_comes_after_it_closed(tmp_path):
    site = read(
        tmp_path,
        {
            "policy/doc.md": document(),
            "consultation/draft.md": consultation(),
            "consultation/early.md": feedback(published="2026-10-08").replace("00202", "00231"),
            "consultation/wrong.md": feedback(of=DOC).replace("00202", "00232"),
        },
    )
    assert problems(site) == [
        "consultation/early.md:7: 采纳情况的发布日期 2026-10-08 早于所对应意见征集的截止日期 2026-10-09 (date_published)",
        "consultation/wrong.md:9: “采纳情况对应的意见征集”的索引号“SL0000001/2026-00001”不是意见征集条目：请写征求意见稿的索引号 (feedback_for)",
    ]


def test_consultation_keys_belong_to_the_consultation_column(tmp_path):
    site = read(
        tmp_path, {"policy/doc.md": document(extra="opens: 2026-09-01\nfeedback_for: SL0000001/2026-00002\n")}
    )
    assert problems(site) == [
        "policy/doc.md:11: 只有意见征集栏目（consultation）的条目可以写“征求意见开始日期”（opens） (opens)",
        "policy/doc.md:12: 只有意见征集栏目（consultation）的条目可以写“采纳情况对应的意见征集”（feedback_for） (feedback_for)",
    ]


# ---------------------------------------------------------------- 替代, 修改, 废止日期 and the 规范性文件库


def test_replaces_and_amended_by_show_on_both_documents(tmp_path):
    old = document(
        "SL0000001/2026-00002",
        "示例县旧测试办法",
        extra="amended_by:\n  - SL0000001/2026-00003\nrepealed_on: 2026-09-30\n",
    ).replace("validity: current", "validity: repealed")
    site = read(
        tmp_path,
        {
            "policy/new.md": document(extra="replaces: SL0000001/2026-00002\n"),
            "policy/old.md": old,
            "policy/amend.md": document("SL0000001/2026-00003", "示例县关于修改旧测试办法的决定"),
        },
    )
    assert problems(site) == []
    links = {p.removeprefix("content/policy/"): v for p, v in site.links.by_path.items()}
    assert [r.slug for r in links["new.md"].replaces] == ["old"]
    assert [r.slug for r in links["old.md"].replaced_by] == ["new"]
    assert [r.slug for r in links["old.md"].amended_by] == ["amend"]
    assert [r.slug for r in links["amend.md"].amends] == ["old"]
    rows = normative.rows(site.published(), site.links, ("policy",))
    pages = {p.validity: p for p in normative.pages(rows, BUILD)}
    assert [r.url for r in pages["current"].rows] == ["policy/amend.html", "policy/new.html"]
    assert [(r.url, r.repealed_on, r.valid_until) for r in pages["repealed"].rows] == [
        ("policy/old.html", date(2026, 9, 30), None)
    ]
    assert [(f[0], f[1], f[2], f[3]) for f in pages["current"].filters] == [
        ("全部", "catalog/normative/index.html", False, 3),
        ("现行有效", "catalog/normative/current.html", True, 2),
        ("失效", "catalog/normative/expired.html", False, 0),
        ("废止", "catalog/normative/repealed.html", False, 1),
    ]
    csv = normative.csv_bytes(pages["current"].rows).decode("utf-8").splitlines()
    assert (
        csv[0] == "\ufeff索引号,标题,文号,发布机构,成文日期,发布日期,有效性,有效期至,修改文件,替代的文件,网址"
    )
    assert csv[2].endswith(",现行有效,,,示测规〔2026〕2号（SL0000001/2026-00002）,policy/new.html")


def test_a_link_to_an_unpublished_document_is_an_error_and_repealed_on_needs_repealed(tmp_path):
    site = read(
        tmp_path,
        {
            "policy/new.md": document(extra="replaces: SL0000001/2026-00002, SL0000001/2026-00002\n"),
            "policy/draft.md": document(
                "SL0000001/2026-00002", "示例县不公开的测试草稿", status="draft", approved=None
            ),
            "policy/odd.md": document("SL0000001/2026-00004", extra="repealed_on: 2026-09-30\n"),
        },
    )
    assert problems(site) == [
        "policy/new.md:11: “替代的文件”指向的条目（索引号“SL0000001/2026-00002”）尚未公开，本条目不能先于它公开："
        "请待其公开后再发布，或先删去此项 (replaces)",
        "policy/odd.md:11: 写了“废止日期”（repealed_on），但有效性不是“废止”：请把 validity 改为 repealed，"
        "或删去废止日期 (repealed_on)",
    ]


# ---------------------------------------------------------------- the audit rules


def _audit(site, **config):
    return audit.run_audit(site, COLUMNS, audit.AuditConfig(**config))


def test_audit_three_in_step_missing_and_late_interpretations(tmp_path):
    files = {
        "policy/doc.md": document(),  # 2026-09-07, a Monday
        "policy/none.md": document("SL0000001/2026-00002", "示例县无解读的测试办法"),
        "interpretation/qa.md": interpretation(published="2026-09-11"),  # 4 working days later
    }
    result = _audit(read(tmp_path, files)).result("interpretation.sync")
    assert result.status == "fail" and result.rule.binding
    assert [str(f) for f in result.findings] == [
        "content/interpretation/qa.md:7: 解读“《示例县测试管理办法》政策解读”在文件（示测规〔2026〕1号）公开 4 个工作日后"
        "才发布（2026-09-07 → 2026-09-11），超过3个工作日",
        "content/policy/none.md:3: 规范性文件“示例县无解读的测试办法”（示测规〔2026〕2号）没有政策解读",
    ]
    on_time = read(
        tmp_path / "b",
        {"policy/doc.md": document(), "interpretation/qa.md": interpretation(published="2026-09-10")},
    )
    assert (
        _audit(on_time).result("interpretation.sync").summary
        == "现行有效的规范性文件 1 件均已同步发布政策解读"
    )


def test_audit_flags_a_closed_consultation_without_feedback_after_the_configured_days(tmp_path):
    site = read(tmp_path, {"consultation/draft.md": consultation()})  # closed 2026-10-09
    result = _audit(site, feedback_days=20).result("consultation.feedback")
    assert result.status == "fail" and result.rule.binding
    assert [str(f) for f in result.findings] == [
        "content/consultation/draft.md:11: 意见征集“关于测试办法（征求意见稿）公开征求意见的公告”已于 2026-10-09 截止，"
        "超过20天仍未公布意见采纳情况（应在 2026-10-29 前公布）"
    ]
    assert _audit(site).result("consultation.feedback").status == "pass"  # 30 days: due 2026-11-08
    answered = read(
        tmp_path / "b", {"consultation/draft.md": consultation(), "consultation/fb.md": feedback()}
    )
    assert _audit(answered, feedback_days=20).result("consultation.feedback").status == "pass"


def test_keys_left_empty_as_invoke_new_writes_them_are_missing_at_their_line(tmp_path):
    from gongkai_core.policylinks import SCAFFOLD

    qa = interpretation(None).replace(
        "column: interpretation\n", "column: interpretation\n" + SCAFFOLD["interpretation"]
    )
    draft = entry(
        title="征求意见的公告",
        index_no="SL0000001/2026-00201",
        column="consultation",
        date_written="2026-09-01",
        date_published="2026-09-07",
        extra=SCAFFOLD["consultation"],
        **SIGNED,
    )
    site = read(tmp_path, {"interpretation/qa.md": qa, "consultation/draft.md": draft})
    assert problems(site) == [
        "consultation/draft.md:10: 缺少必填项“征求意见开始日期”：意见征集须写明征求意见的起止日期（发布采纳情况时改写 feedback_for） (opens)",
        "consultation/draft.md:11: 缺少必填项“征求意见截止日期”：意见征集须写明征求意见的起止日期（发布采纳情况时改写 feedback_for） (closes)",
        "consultation/draft.md:12: “意见反馈方式”至少写一种：通信地址（address）、电子邮箱（email）或在线表单（form） (comments)",
        "interpretation/qa.md:6: 缺少必填项“解读的文件”：政策解读须写明所解读文件的索引号（interprets） (interprets)",
    ]
