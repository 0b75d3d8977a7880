"""Relevance over the demo content: the real search.js under node against the published demo index."""

from __future__ import annotations

import pytest
from nodequery import NodeMissing, node_search

FIRST, TOP3 = 1, 3

# (query, the entry that must come first or within the top 3, why the query is here)
CASES = [
    # simplified words in a title: three titles hold the phrase; the shortest, the 2026 政策解读 of
    # the amendment, comes first (the whole phrase in the title, then BM25)
    ("耕地保护", "interpretation/2026-farmland-amendment-qa.html", FIRST),
    ("耕地保护", "policy/2025-farmland-protection.html", TOP3),
    (
        "耕地保護",
        "interpretation/2026-farmland-amendment-qa.html",
        FIRST,
    ),  # traditional query, simplified entry
    ("征地补偿", "land/2025-04b-decision.html", FIRST),
    ("徵地補償", "land/2025-04b-decision.html", FIRST),
    ("文化馆", "policy/2025-traditional-notice.html", FIRST),  # simplified query, traditional entry
    ("公益培训课程", "policy/2025-traditional-notice.html", FIRST),
    # one character: a 征收 notice of the land batch among the first three (the 征求意见稿 drafts
    # hold 征 in their titles too)
    ("征", "land/2025-04b-decision.html", TOP3),
    ("火", "policy/2025-fire-safety.html", FIRST),
    ("示政发〔2025〕2号", "policy/2025-farmland-protection.html", FIRST),  # 文号
    ("示教发〔2025〕14号", "policy/2025-school-enrolment.html", FIRST),
    ("示政办发〔2025〕21号", "policy/2025-fire-safety.html", FIRST),  # not 示政办发〔2025〕5号
    ("示政办发[2025]5号", "policy/2025-business-environment.html", FIRST),  # ASCII brackets
    ("2025-00012", "policy/2025-school-enrolment.html", FIRST),  # 索引号 fragment
    ("00015", "policy/2025-flood-plan.html", FIRST),
    ("SL0000101/2025-00201", "budget/2025-czj.html", FIRST),  # whole 索引号
    ("sl0000100/2025-00304", "land/2025-04-expropriation.html", FIRST),  # lower case
    ("防汛 2025", "policy/2025-flood-plan.html", FIRST),  # Chinese and digits, two words
    ("三公经费 教育局 2025", "sangong/2025-jyj.html", FIRST),  # three words, all must match first
    ("卫生健康局 三公 2024", "sangong/2024-wjj.html", FIRST),
    ("教育局2024年部门预算", "budget/2024-jyj.html", FIRST),  # mixed run, no spaces
    ("阶梯水价", "policy/2024-water-price.html", FIRST),
    ("招标投标", "policy/2026-tender-rules.html", FIRST),  # the 2026 rules that replace 2024's
    ("招标投标", "policy/2024-tender-rules.html", TOP3),
    ("老年助餐", "policy/2025-elderly-meal.html", FIRST),
    ("營商環境", "policy/2025-business-environment.html", FIRST),
    ("取暖补贴", "policy/2025-heating-subsidy.html", FIRST),
    ("年度报告", "report/2024-annual-report.html", TOP3),  # both years hold it in their titles
    ("依申请公开", "pages/apply.html", TOP3),  # a static page
    # a village in the land entries' data: the batch's 征收土地公告 (the decision) first
    ("东风村", "land/2025-04-expropriation.html", FIRST),
    ("批复", "land/2025-03-approval.html", FIRST),
    ("预公告", "land/2025-01-pre-notice.html", FIRST),
    ("水费", "fees/2026-fee-list.html", FIRST),  # a line of a table in an entry's body
    ("水费", "budget/", TOP3),  # a line of a budget table (every department's budget has one: any)
]

# entries the gate withholds: not found, whatever the query
HELD = [
    ("重点目标防护", "policy/2025-secrecy-failed.html"),
    ("公交一体化", "policy/2025-in-review-bus.html"),
    ("停车收费", "policy/2025-draft-parking.html"),
    ("收费目录清单", "policy/2025-withdrawn-fees.html"),
    ("重点民生实事", "policy/2026-embargoed-budget-speech.html"),
    ("预算执行审计", "policy/2025-on-request-audit.html"),
]


@pytest.fixture(scope="module")
def results(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    try:
        return node_search(demo_site.output / "search", *[q for q, *_ in CASES + HELD])
    except NodeMissing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def answers(results):
    return {r["q"]: [hit["url"] for hit in r["hits"]] for r in results}


def test_every_hit_holds_the_query_and_its_snippet_is_a_marked_passage(results):
    """Substring semantics: each snippet is text of the page with the query marked in it (or the
    title holds it); never a list of raw data values."""
    for result in results:
        for hit in result["hits"]:
            marked = [hit["snippet"][a:b] for a, b in hit["snippet_marks"]]
            marked += [hit["title"][a:b] for a, b in hit["marks"]]
            assert marked, (result["q"], hit["url"])
            assert not hit["snippet"].startswith(("budget", "sangong", "land")), hit["snippet"]
            assert " 万元 " not in hit["snippet"], hit["snippet"]


def test_a_table_line_is_shown_as_a_headed_row(results):
    water = next(r for r in results if r["q"] == "水费")
    hits = {hit["url"]: hit for hit in water["hits"]}
    # a Markdown table in the body, without caption or heading: named by the entry
    fees = hits["fees/2026-fee-list.html"]
    assert fees["where"] == "表格：示例县2026年行政事业性收费项目和标准"
    assert "收费项目 污水处理费，收费标准 按县人民政府批准的标准随水费征收" in fees["snippet"]
    assert "清单之外" not in fees["snippet"]  # the body's sentence after the table is not this line
    budget = hits["budget/2025-czj.html"]
    assert budget["where"] == "表格：一般公共预算财政拨款基本支出表"
    assert "科目编码 30205，科目名称 水费，合计 1.30万元" in budget["snippet"]


def _case_id(case: tuple) -> str:
    """The query, and the entry when the query is checked for several."""
    return case[0] if [c[0] for c in CASES].count(case[0]) == 1 else f"{case[0]}@{case[1]}"


@pytest.mark.parametrize(("query", "url", "within"), CASES, ids=[_case_id(c) for c in CASES])
def test_expected_entry_ranks_high(answers, query, url, within):
    # a url ending in "/" is any entry of that column
    top = answers[query][:within]
    assert any(u == url or (url.endswith("/") and u.startswith(url)) for u in top), answers[query][:5]


@pytest.mark.parametrize(("query", "url"), HELD, ids=[c[0] for c in HELD])
def test_withheld_entry_is_never_found(answers, query, url):
    assert url not in answers[query]
    assert not any(u.endswith(url.rsplit("/", 1)[1]) for u in answers[query])
