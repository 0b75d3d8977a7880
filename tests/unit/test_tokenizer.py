"""What the tokenizer promises searchers: every character and bigram, T/S and width folded, queries as phrases."""

from __future__ import annotations

import random
import subprocess
import sys
import unicodedata

from gongkai_core import make_fold_table
from gongkai_core.tokenizer import (
    FOLD,
    collapse,
    foldable,
    matches,
    needs_check,
    normalize,
    normalize_slowly,
    query_terms,
    query_words,
    shard_of,
    tokenize,
)


def test_committed_fold_table_is_what_the_generator_makes() -> None:
    expected = make_fold_table.render(make_fold_table.build_table(make_fold_table.opencc_source()))
    assert make_fold_table.TABLE_PATH.read_text(encoding="utf-8") == expected


def test_fold_table_is_small_single_characters_and_idempotent() -> None:
    table = make_fold_table.build_table(make_fold_table.opencc_source())
    assert 3000 < len(table) < 6000
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in table.items())
    assert not set(table.values()) & set(table)
    assert table["資"] == "资" and table["開"] == "开" and table["徵"] == "征"


def test_traditional_and_simplified_normalize_alike() -> None:
    assert normalize("政府資訊公開") == "政府资讯公开"
    assert tokenize("徵收土地公告") == tokenize("征收土地公告")
    assert query_terms("財政預算") == query_terms("财政预算")


def test_full_width_and_case_are_folded() -> None:
    assert collapse("ＡＢＣ１２３") == "abc123"
    assert query_words("SL0000001") == ["sl0000001"]


def test_the_quick_normalize_is_the_definition() -> None:
    """`normalize` skips NFKC when the text, its full-width forms replaced and folded, is NFKC-normal
    already: on random texts of every kind it gives what NFKC, lower case and folding give."""
    assert all(unicodedata.normalize("NFKC", chr(cp)) == chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F))
    # why the order does not matter: the fold table holds NFKC-normal ideographs only
    assert all(unicodedata.is_normalized("NFKC", k + v) and k.lower() == k for k, v in FOLD.items())
    pool = [chr(cp) for cp in range(0x20, 0x250)] + list("示例縣財政預算開徵資ＡＺａ１，。（）\u3000")
    pool += ["\uf900", "\uf91f", "\u0301", "\u0308", "\u1100\u1161", "\u1161", "\u11a8", "\U00020000", "🙂"]
    pool += [
        "\u2460",
        "\u00bd",
        "\u2126",
        "\u212b",
        "\u0130",
        "\ufb01",
        "\u3302",
        "\uff76\uff9e",
        "\u0b47\u0b3e",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert normalize(text) == normalize_slowly(text), repr(text)
        assert foldable(text) == sorted({ch for ch in unicodedata.normalize("NFKC", text) if ch in FOLD})


def test_every_character_bigram_and_trigram_of_a_run_is_a_token() -> None:
    assert tokenize("征地公告") == ["征", "地", "公", "告", "征地", "地公", "公告", "征地公", "地公告"]
    assert tokenize("示财发〔2025〕3号") == ["示", "财", "发", "2", "0", "2", "5", "3", "号"] + [
        "示财",
        "财发",
        "20",
        "02",
        "25",
        "3号",
        "示财发",
        "202",
        "025",
        "发 2",  # joints: where a run ends and the next begins
        "5 3",
    ]
    # a query of several runs holds its joints: its candidates have the runs side by side
    assert query_terms("示财发〔2025〕3号") == ["示财发", "202", "025", "3号", "发 2", "5 3"]
    assert query_terms("征地公告") == ["征地公", "地公告"]
    assert query_terms("征地") == ["征地"] and query_terms("征") == ["征"]
    assert query_terms("示例县人民政府") == ["示例县", "例县人", "县人民", "人民政", "民政府"]
    # a long run: trigrams that cover it, not every one (it is checked against the text anyway)
    assert query_terms("关于印发示例县政务公开") == ["关于印", "发示例", "县政务", "务公开"]


def test_query_words_are_phrases_with_separators_as_one_space() -> None:
    assert query_words("示财发〔2025〕3号  2025/00012") == ["示财发 2025 3号", "2025 00012"]
    assert query_words("公开 公开\u3000预算") == ["公开", "预算"]
    assert query_terms("公开 公开 2025") == ["公开", "202", "025"]


def test_matches_is_substring_containment_after_folding() -> None:
    text = "示例县財政局2025年部門預算，索引号SL0000001/2025-00012"
    for query in ("财政局", "2025-00012", "0001/2025", "局2025年部", "門", "部门 预算", "sl0000001"):
        assert matches(query_words(query), [text]), query
    assert matches(query_words("1,204.5"), ["合计 1,204.50万元"]) and matches(
        query_words("4.50万"), ["1,204.50万元"]
    )
    assert not matches(query_words("17.70"), ["17，70"]) and not matches(query_words("204.5"), ["204 5"])
    for query in ("民政局", "财政局预算", "2025-00013", "部门 民政"):
        assert not matches(query_words(query), [text]), query
    assert not matches(query_words("标题正文"), ["标题", "正文"])  # never across two parts


def test_when_holding_the_terms_is_not_proof() -> None:
    assert not needs_check(query_words("征")) and not needs_check(query_words("征地 民政局"))
    assert needs_check(query_words("示例县民政局")) and needs_check(query_words("2025-0"))


def test_nothing_searchable_gives_no_tokens() -> None:
    assert tokenize("") == [] and query_terms("") == []
    assert tokenize("，。！😀  ") == []


def test_shard_of_is_stable() -> None:
    assert shard_of("公开", 64) == shard_of("公開".replace("開", "开"), 64)
    assert all(0 <= shard_of(t, 7) < 7 for t in tokenize("示例县2025年预算"))


def test_core_never_imports_pelican() -> None:
    probe = (
        "import sys; sys.modules['pelican'] = None; "
        "import gongkai_core.tokenizer, gongkai_core.search_index, gongkai_core.make_fold_table"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_a_text_of_plain_characters_is_nfkc_normal_once_full_width_forms_are_replaced() -> None:
    """`foldable` takes a text of NFKC_PLAIN characters as it is: each of them is NFKC-normal (after
    `_WIDE`), no combining mark, and none is the second half of a canonical composition, so no two of
    them compose and any text of them is NFKC-normal."""
    import re

    from gongkai_core import tokenizer

    plain = re.compile(f"[{tokenizer.NFKC_PLAIN}]")
    members = [chr(cp) for cp in range(0x10000) if plain.match(chr(cp))]
    assert "，" in members and "○" in members and "示" in members and "\u2026" not in members
    seconds = set()
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    for ch in members:
        wide = ch.translate(tokenizer._WIDE)
        assert unicodedata.normalize("NFKC", wide) == wide and not unicodedata.combining(wide), repr(ch)
        assert ch not in seconds and wide not in seconds, repr(ch)
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice(members) for _ in range(rng.randint(0, 20)))
        assert foldable(text) == sorted({ch for ch in unicodedata.normalize("NFKC", text) if ch in FOLD})
