"""The sharded index, built in Python and queried with real lunr.js under node."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from gongkai_core.search_index import (
    FIELDS,
    IndexSettings,
    SearchDoc,
    build_search_index,
    html_to_text,
    new_builder,
    write_search_index,
)
from gongkai_core.tokenizer import tokenize
from lunr.builder import Builder
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


def stock_weights(builder_class, settings: IndexSettings) -> tuple[dict, list[dict[str, list[str]]]]:
    """lunr.py's own builder over DOCS: {(term, field, doc): weight}, and the token lists it was fed."""
    stock = builder_class()
    stock.ref("id")
    for name, boost in zip(FIELDS, (settings.title_boost, settings.meta_boost, 1)):
        stock.field(name, boost=boost)
    token_lists = []
    for n, doc in enumerate(DOCS):
        fields = {
            "title": tokenize(doc.title),
            "meta": tokenize(doc.index_no + " " + doc.publisher),
            "body": tokenize(doc.summary),
        }
        stock.add({"id": str(n), **fields})
        token_lists.append(fields)
    stock_index = stock.build()
    term_of = {p["_index"]: t for t, p in stock_index.inverted_index.items()}
    weights = {}
    for field_ref, vector in stock_index.field_vectors.items():
        name, _, ref = str(field_ref).partition("/")
        for i in range(0, len(vector.elements), 2):
            weights[(term_of[vector.elements[i]], name, int(ref))] = vector.elements[i + 1]
    return weights, token_lists


def test_weights_equal_stock_lunr_builder() -> None:
    """FastBuilder keeps lunr.py's model: same postings and field-vector weights as Builder.add."""
    settings = IndexSettings()
    expected, token_lists = stock_weights(Builder, settings)
    fast = new_builder(settings)
    for n, fields in enumerate(token_lists):
        fast.add_tokens(n, fields)
    got = {(term, name, doc): w for term, name, pairs in fast.postings() for doc, w in pairs}
    assert got == expected


def test_output_is_deterministic_whatever_the_input_order() -> None:
    shuffled = DOCS[:]
    random.Random(7).shuffle(shuffled)
    assert build_search_index(DOCS).files == build_search_index(shuffled).files


def test_files_are_scripts_that_register_themselves(index_dir: Path) -> None:
    assert (index_dir / "meta.js").read_text(encoding="utf-8").startswith("GongkaiSearch.addMeta(")
    assert (index_dir / "t2s.js").read_text(encoding="utf-8").startswith("GongkaiTokenizer.setFoldTable(")
    for path in index_dir.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(("GongkaiSearch.add", "GongkaiTokenizer.")), path
        assert "fetch(" not in text


def test_simplified_query_finds_traditional_entry(index_dir: Path) -> None:
    [result] = search(index_dir, "征地补偿安置")
    assert titles(result)[0] == "示例縣徵地補償安置方案公告"


def test_traditional_query_finds_simplified_entry(index_dir: Path) -> None:
    [result] = search(index_dir, "財政局部門預算")
    assert titles(result)[0] == "示例县财政局2025年部门预算"


def test_one_character_query(index_dir: Path) -> None:
    [zheng, zheng_trad] = search(index_dir, "征", "徵")
    assert titles(zheng)[0] == "示例縣徵地補償安置方案公告"
    assert set(titles(zheng)) == {"示例縣徵地補償安置方案公告", "示例县2025年政务公开工作要点"}
    assert titles(zheng_trad) == titles(zheng)


def test_entries_with_every_word_rank_first(index_dir: Path) -> None:
    [result] = search(index_dir, "三公经费 征地")
    assert titles(result)[0] == "示例县2025年政务公开工作要点"
    assert result["total"] == 4  # the others hold one of the words


@pytest.mark.parametrize(
    "query", ["SL0000001/2025-00012", "sl0000001-2025-00012", "2025-00012", "2025/00012", "00012"]
)
def test_index_number_fragments(index_dir: Path, query: str) -> None:
    [result] = search(index_dir, query)
    assert titles(result) == ["示例县财政局2025年部门预算"]


@pytest.mark.parametrize("query", ["示财发〔2025〕3号", "示财发[2025]3号", "示财发 2025 3号"])
def test_doc_number(index_dir: Path, query: str) -> None:
    [result] = search(index_dir, query)
    assert titles(result)[0] == "示例县财政局2025年部门预算"


def test_full_width_digits_and_traditional_doc_number(index_dir: Path) -> None:
    [result] = search(index_dir, "示自然资发〔２０２５〕８号")
    assert titles(result)[0] == "示例縣徵地補償安置方案公告"


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


def test_nothing_found_and_nothing_searchable(index_dir: Path) -> None:
    missing, blank = search(index_dir, "火星探测", "，。！")
    assert missing["total"] == 0 and missing["hits"] == []
    assert blank["total"] == 0 and blank["terms"] == []


def test_a_query_loads_only_the_shards_its_terms_need(index_dir: Path) -> None:
    [two_chars, one_char] = search(index_dir, "预算", "征")
    libs = {"t2s.js", "meta.js"}
    data = [f for f in two_chars["loaded"] if not f.startswith("..") and f not in libs]
    assert [f for f in data if f.startswith("t/")] == [next(f for f in data if f.startswith("t/"))]
    assert not any(f.startswith("u/") for f in data)
    assert any(f.startswith("u/") for f in one_char["loaded"])


def test_html_to_text_keeps_visible_text_only() -> None:
    html = "<h2>一、总体要求</h2><p>做好<strong>公开</strong>工作。</p><script>var x=1</script><table><tr><td>1</td><td>2</td></tr></table>"
    assert html_to_text(html) == "一、总体要求 做好公开工作。 1 2"


def _generated_docs(count: int) -> list[SearchDoc]:
    rng = random.Random(11)
    words = [
        "政府信息公开",
        "预算",
        "三公经费",
        "征地",
        "补偿",
        "安置",
        "耕地保护",
        "防汛",
        "应急",
        "教育",
        "招生",
    ]
    words += ["示例县", "财政局", "公告", "通知", "方案", "2024年", "2025年", "第3号", "乡村振兴", "营商环境"]
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


@pytest.mark.parametrize("page", [1, 4, 30])
def test_sharded_search_orders_like_one_whole_lunr_index(tmp_path: Path, page: int) -> None:
    """Candidates picked by the pre-pass, scored by lunr: the same as lunr over every posting."""
    write_search_index(build_search_index(_generated_docs(400)), tmp_path)
    queries = ["政府信息公开", "预算 三公经费", "征", "耕地保护 防汛 2025", "示例县财政局公告", "2025-00012"]
    for result in search(tmp_path, *({"q": q, "page": page} for q in queries), full=True):
        full = result["full"]
        assert result["total"] == len(full), result["q"]
        shown = result["page"]  # a page past the end shows the last one
        expected = full[(shown - 1) * 10 : shown * 10]
        got = [(hit["ref"], hit["score"]) for hit in result["hits"]]
        assert [round(s, 9) for _, s in got] == [round(s, 9) for _, s in expected], result["q"]
        whole = dict(full)
        assert all(abs(whole[ref] - score) < 1e-9 for ref, score in got), result["q"]


def test_weights_with_rounded_averages_equal_lunr_with_those_averages() -> None:
    """The site's index rounds average field lengths to whole tokens; otherwise it is lunr's BM25."""
    from gongkai_core.search_index import _postings, rounded_average

    class RoundedBuilder(Builder):
        def _calculate_average_field_lengths(self):
            super()._calculate_average_field_lengths()
            for name in list(self.average_field_length):
                self.average_field_length[name] = rounded_average(self.average_field_length[name])

    settings = IndexSettings()
    weights, token_lists = stock_weights(RoundedBuilder, settings)
    expected = {(term, FIELDS.index(name), doc): round(w * 1000) for (term, name, doc), w in weights.items()}
    got = {}
    for term, flat in _postings(token_lists, settings).items():
        i = 0
        while i < len(flat):
            field, count = flat[i], flat[i + 1]
            doc = 0
            for delta, w in zip(flat[i + 2 : i + 2 + count], flat[i + 2 + count : i + 2 + 2 * count]):
                doc += delta
                got[(term, field, doc)] = w
            i += 2 + 2 * count
    assert got == expected


def test_the_index_needs_no_private_name_of_lunr_py(monkeypatch) -> None:
    """FastBuilder keeps its own state and uses lunr.py's public `idf` only: with lunr's Builder
    stripped of every private name (as a lunr.py release could change them), the index is the same."""
    import lunr.builder

    expected = build_search_index(DOCS).files
    monkeypatch.setattr(
        lunr.builder.Builder, "__init__", lambda self: None
    )  # no _fields, _k1, _b, _documents
    for name in [n for n in vars(Builder) if n.startswith("_") and not n.startswith("__")]:
        monkeypatch.delattr(lunr.builder.Builder, name)
    assert build_search_index(DOCS).files == expected
