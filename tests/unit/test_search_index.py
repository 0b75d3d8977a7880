"""The sharded index, built in Python and queried with the real search.js under node."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from gongkai_core.search_index import (
    IndexSettings,
    SearchDoc,
    build_search_index,
    html_text_and_tables,
    html_to_text,
    write_search_index,
)
from gongkai_core.tokenizer import family_of, query_terms, shard_of
from nodequery import NodeMissing, node_search, titles

DOCS = [
    SearchDoc(
        url="budget/2025-czj.html",
        title="示例县财政局2025年部门预算",
        index_no="SL0000001/2025-00012",
        doc_no="示财发〔2025〕3号",
        publisher="示例县财政局",
        column="budget",
        column_name="预算决算",
        year="2025",
        date="2025-02-01",
        summary="根据预算法，现将示例县财政局2025年部门预算公开如下。三公经费预算12.5万元。",
        parts=(
            (
                "表格：一般公共预算财政拨款基本支出表",
                "科目名称 水费，合计 1.30万元；科目名称 电费，合计 2.10万元",
            ),
            ("附件：预算说明", "第二部分 机关运行经费 比上年减少0.8万元，主要是压减会议费。"),
        ),
    ),
    SearchDoc(
        url="land/2025-zd.html",
        title="示例縣徵地補償安置方案公告",
        index_no="SL0000003/2025-00040",
        doc_no="示自然資發〔2025〕8號",
        publisher="示例縣自然資源局",
        column="land",
        column_name="征地信息",
        year="2025",
        date="2025-03-05",
        summary="為實施城市建設，擬徵收青山鎮東村集體土地12.3公頃，現將補償安置方案公告如下。",
    ),
    SearchDoc(
        url="sangong/2024.html",
        title="示例县2024年三公经费决算",
        index_no="SL0000001/2024-00031",
        publisher="示例县财政局",
        column="sangong",
        column_name="三公经费",
        year="2024",
        date="2024-07-10",
        summary="2024年因公出国（境）费0万元，公务用车购置及运行费8.2万元，公务接待费1.1万元。",
    ),
    SearchDoc(
        url="policy/guide.html",
        title="示例县政府信息公开指南",
        index_no="SL0000002/2023-00001",
        publisher="示例县人民政府办公室",
        column="policy",
        column_name="政策文件",
        year="2023",
        date="2023-01-05",
        summary="本指南说明主动公开的范围、依申请公开的办理流程和监督方式。",
    ),
    SearchDoc(
        url="policy/plan.html",
        title="示例县2025年政务公开工作要点",
        index_no="SL0000002/2025-00007",
        doc_no="示政办发〔2025〕7号",
        publisher="示例县人民政府办公室",
        column="policy",
        column_name="政策文件",
        year="2025",
        date="2025-04-01",
        summary="做好预算决算、三公经费和征地信息等重点领域信息公开。",
    ),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("idx") / "search"
    write_search_index(build_search_index(DOCS), out)
    return out


def search(index_dir: Path, *queries, full: bool = False):
    try:
        return node_search(index_dir, *queries, full=full)
    except NodeMissing as missing:
        pytest.skip(str(missing))


def test_output_is_deterministic_whatever_the_input_order() -> None:
    shuffled = DOCS[:]
    random.Random(7).shuffle(shuffled)
    assert build_search_index(DOCS).files == build_search_index(shuffled).files


def test_files_are_scripts_that_register_themselves(index_dir: Path) -> None:
    assert (index_dir / "meta.js").read_text(encoding="utf-8").startswith("GongkaiSearch.addMeta(")
    assert (index_dir / "f/0.js").read_text(encoding="utf-8").startswith("GongkaiTokenizer.addFold(")
    for path in index_dir.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(("GongkaiSearch.add", "GongkaiTokenizer.")), path
        assert "fetch(" not in text


def test_simplified_query_finds_traditional_entry(index_dir: Path) -> None:
    [result] = search(index_dir, "征地补偿安置")
    assert titles(result) == ["示例縣徵地補償安置方案公告"]


def test_traditional_query_finds_simplified_entry(index_dir: Path) -> None:
    [result] = search(index_dir, "財政局2025年部門預算")
    assert titles(result) == ["示例县财政局2025年部门预算"]


def test_one_character_query(index_dir: Path) -> None:
    [zheng, zheng_trad] = search(index_dir, "征", "徵")
    assert titles(zheng)[0] == "示例縣徵地補償安置方案公告"
    assert set(titles(zheng)) == {"示例縣徵地補償安置方案公告", "示例县2025年政务公开工作要点"}
    assert titles(zheng_trad) == titles(zheng)


def test_several_words_must_all_be_found(index_dir: Path) -> None:
    [both, one] = search(index_dir, "三公经费 征地", "三公经费")
    assert titles(both) == ["示例县2025年政务公开工作要点"] and both["total"] == 1
    assert one["total"] == 3


def test_a_phrase_is_found_only_where_it_is_whole(index_dir: Path) -> None:
    """民政局 shares 政局 with 财政局 and 民政 with nothing here: bigrams alone are not a match."""
    [phrase, parts] = search(index_dir, "县财政局2025", "财政局公开")
    assert titles(phrase) == ["示例县财政局2025年部门预算"]
    assert parts["total"] == 0 and parts["exact"]  # both bigram sets are in the 2025 budget, not the phrase


def test_title_ranks_before_meta_before_body(index_dir: Path) -> None:
    title_then_meta, title_then_body = search(index_dir, "财政局", "三公经费")
    # 财政局: in the 2025 budget's title, in the 2024 决算's 信息索引 (发布机构) only
    assert titles(title_then_meta) == ["示例县财政局2025年部门预算", "示例县2024年三公经费决算"]
    assert titles(title_then_body)[0] == "示例县2024年三公经费决算"
    assert [h["where"] for h in title_then_body["hits"][1:]] == ["正文", "正文"]


@pytest.mark.parametrize(
    "query",
    ["SL0000001/2025-00012", "sl0000001-2025-00012", "2025-00012", "2025/00012", "00012", "0001/2025"],
)
def test_index_number_fragments(index_dir: Path, query: str) -> None:
    [result] = search(index_dir, query)
    assert titles(result) == ["示例县财政局2025年部门预算"]
    assert result["hits"][0]["where"] == "信息索引"


@pytest.mark.parametrize("query", ["示财发〔2025〕3号", "示财发[2025]3号", "示财发 2025 3号", "财发〔2025"])
def test_doc_number(index_dir: Path, query: str) -> None:
    [result] = search(index_dir, query)
    assert titles(result) == ["示例县财政局2025年部门预算"]


def test_full_width_digits_and_traditional_doc_number(index_dir: Path) -> None:
    [result] = search(index_dir, "示自然资发〔２０２５〕８号")
    assert titles(result) == ["示例縣徵地補償安置方案公告"]


def test_numbers_are_found_inside_longer_numbers_and_tables(index_dir: Path) -> None:
    water, amount, part = search(index_dir, "水费", "2.10万元", "12.3")
    assert titles(water) == ["示例县财政局2025年部门预算"]
    assert water["hits"][0]["where"] == "表格：一般公共预算财政拨款基本支出表"
    assert titles(amount) == ["示例县财政局2025年部门预算"]
    assert titles(part) == ["示例縣徵地補償安置方案公告"]  # 12.3公頃, not 12.5万元


def test_attachment_text_is_found_and_named(index_dir: Path) -> None:
    [result] = search(index_dir, "压减会议费")
    hit = result["hits"][0]
    assert hit["where"] == "附件：预算说明"
    start, end = hit["snippet_marks"][0]
    assert hit["snippet"][start:end] == "压减会议费"


def test_filters_by_column_and_year(index_dir: Path) -> None:
    all_, budget, y2024 = search(
        index_dir, "三公经费", {"q": "三公经费", "column": "budget"}, {"q": "三公经费", "year": "2024"}
    )
    assert len(titles(all_)) == 3
    assert titles(budget) == ["示例县财政局2025年部门预算"]
    assert titles(y2024) == ["示例县2024年三公经费决算"]


def test_hits_carry_what_the_page_shows(index_dir: Path) -> None:
    [result] = search(index_dir, "三公经费决算")
    hit = result["hits"][0]
    assert hit["url"] == "sangong/2024.html"
    assert (hit["publisher"], hit["date"], hit["columnName"], hit["year"]) == (
        "示例县财政局",
        "2024-07-10",
        "三公经费",
        "2024",
    )
    assert hit["snippet"].startswith("2024年因公出国")
    assert hit["marks"] == [[8, 14]]  # 三公经费决算 in 示例县2024年三公经费决算


def test_snippet_is_the_passage_with_the_match_marked(index_dir: Path) -> None:
    [result] = search(index_dir, "東村集體")
    hit = result["hits"][0]
    assert hit["where"] == "正文"
    start, end = hit["snippet_marks"][0]
    assert hit["snippet"][start:end] == "東村集體"  # the text as written, found through folding
    assert "青山鎮東村集體土地" in hit["snippet"]


def test_nothing_found_suggests_and_nothing_searchable(index_dir: Path) -> None:
    missing, blank, near = search(index_dir, "火星探测", "，。！", "耕地补偿安置")
    assert missing["total"] == 0 and missing["hits"] == [] and missing["suggestions"] == []
    assert blank["total"] == 0 and blank["terms"] == []
    assert near["total"] == 0
    assert {"q": "地补偿安置", "count": 1, "exact": False} in near["suggestions"]


def test_a_query_loads_only_the_shards_its_terms_need(index_dir: Path) -> None:
    [two_chars, one_char] = search(index_dir, "预算", "征")
    data = [f for f in two_chars["loaded"] if not f.startswith("..")]
    assert [f for f in data if f.startswith("t/")] == [next(f for f in data if f.startswith("t/"))]
    assert not any(f.startswith("u/") for f in data)
    assert any(f.startswith("u/") for f in one_char["loaded"])
    assert len([f for f in data if f.startswith("f/")]) == 2  # the fold-table parts of 预 and 算


def test_a_query_that_finds_nothing_loads_few_more_shards_for_its_suggestions(index_dir: Path) -> None:
    """Suggestions try the variants whose shards are loaded already (a first or last character left
    out) and then others only while they add at most four shard files, none of single characters."""
    [long] = search(index_dir, "示财发〔2031〕93号补充说明")
    meta = (index_dir / "meta.js").read_text(encoding="utf-8")
    shards = json.loads(meta[meta.index("(") + 1 : meta.rindex(")")])["shards"]
    needed = {f"{family_of(t)}/{shard_of(t, shards[family_of(t)])}.js" for t in query_terms(long["q"])}
    loaded = {f for f in long["loaded"] if f[:2] in ("u/", "t/", "g/")}
    assert long["total"] == 0 and needed <= loaded
    assert 0 < len(loaded - needed) <= 4
    assert not any(f.startswith("u/") for f in loaded - needed)


def test_html_to_text_keeps_visible_text_only() -> None:
    html = "<h2>一、总体要求</h2><p>做好<strong>公开</strong>工作。</p><script>var x=1</script><table><tr><td>1</td><td>2</td></tr></table>"
    assert html_to_text(html) == "一、总体要求 做好公开工作。 1 2"


def test_body_tables_become_headed_row_parts_named_by_caption_heading_or_entry() -> None:
    html = (
        "<p>现公布如下：</p>"
        "<table><thead><tr><th>序号</th><th>收费项目</th><th>收费标准</th></tr></thead>"
        "<tbody><tr><td>1</td><td>污水处理费</td><td>随水费征收</td></tr>"
        "<tr><td>2</td><td>工本费</td><td></td></tr></tbody></table>"
        "<h2>二、补助标准</h2><table><tr><th>类别</th><th>金额</th></tr>"
        "<tr><td>一类</td><td>800元</td></tr></table>"
        "<table><caption>附表 名单</caption><tr><td>东风村</td><td>三组</td></tr></table>"
        "<p>清单之外一律不得收费。</p>"
    )
    text, tables = html_text_and_tables(html, "示例县收费标准")
    assert text == "现公布如下： 二、补助标准 清单之外一律不得收费。"
    assert tables == [
        ("表格：示例县收费标准", "序号 1，收费项目 污水处理费，收费标准 随水费征收；序号 2，收费项目 工本费"),
        ("表格：二、补助标准", "类别 一类，金额 800元"),
        ("表格：附表 名单", "东风村，三组"),
    ]


def _generated_docs(count: int) -> list[SearchDoc]:
    rng = random.Random(11)
    words = [
        "政府信息公开",
        "预算",
        "三公经费",
        "征地",
        "補償",
        "安置",
        "耕地保护",
        "防汛",
        "应急",
        "教育",
        "招生",
    ]
    words += [
        "示例县",
        "财政局",
        "民政局",
        "公告",
        "通知",
        "方案",
        "2024年",
        "2025年",
        "第3号",
        "乡村振兴",
        "12.5万元",
    ]
    return [
        SearchDoc(
            url=f"policy/{n}.html",
            title="".join(rng.choice(words) for _ in range(rng.randint(2, 5))),
            index_no=f"SL0000001/2025-{n:05d}",
            publisher=rng.choice(["示例县财政局", "示例县教育局", "示例县人民政府办公室"]),
            column=rng.choice(["policy", "budget"]),
            year=rng.choice(["2024", "2025"]),
            date=f"2025-01-{1 + n % 28:02d}",
            summary="，".join(rng.choice(words) for _ in range(rng.randint(5, 40))),
        )
        for n in range(count)
    ]


QUERIES = [
    "政府信息公开",
    "预算 三公经费",
    "征",
    "耕地保护 防汛 2025",
    "示例县财政局公告",
    "2025-00012",
    "县民政局",
    "补偿安置",
    "5万",
    "局公告通知",
    "教育局 招生",
]


def test_sharded_search_finds_exactly_the_documents_that_hold_the_query(tmp_path: Path) -> None:
    """Every page of results, for queries of every kind, against reading every document's text."""
    write_search_index(build_search_index(_generated_docs(300)), tmp_path)
    first = search(tmp_path, *QUERIES, full=True)
    for result in first:
        full = set(result["full"])
        assert result["total"] >= len(full), result["q"]
        pages = [result] + search(
            tmp_path, *({"q": result["q"], "page": p} for p in range(2, result["pages"] + 1))
        )
        got = [hit["ref"] for page in pages for hit in page["hits"]]
        assert len(got) == len(set(got)), result["q"]
        assert set(got) == full, result["q"]
        assert pages[-1]["exact"] and pages[-1]["total"] == len(full), result["q"]


def test_settings_cut_what_is_indexed(tmp_path: Path) -> None:
    """A body longer than GONGKAI_SEARCH_BODY_CHARS: what is past the limit is neither indexed nor shipped."""
    doc = SearchDoc(
        url="a.html", title="标题", summary="前文" * 10 + "尾巴里的字", parts=(("附件：甲", "附件文字"),)
    )
    write_search_index(build_search_index([doc], IndexSettings(body_chars=20)), tmp_path)
    inside, outside, attached = search(tmp_path, "前文前文", "尾巴", "附件文字")
    assert inside["total"] == 1 and outside["total"] == 0 and attached["total"] == 0
    assert "尾巴" not in "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.js"))
