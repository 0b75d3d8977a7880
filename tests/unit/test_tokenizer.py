"""What the tokenizer promises searchers: Chinese cut as Chinese, numbers whole, T/S folded."""

from __future__ import annotations

import subprocess
import sys

from gongkai_core import make_fold_table
from gongkai_core.tokenizer import normalize, query_terms, shard_of, tokenize


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
    assert tokenize("ＡＢＣ１２３") == ["abc123"]
    assert tokenize("SL0000001") == ["sl0000001"]


def test_cjk_runs_give_characters_and_bigrams() -> None:
    assert tokenize("征地公告") == ["征", "征地", "地", "地公", "公", "公告", "告"]
    assert query_terms("征地公告") == ["征地", "地公", "公告"]
    assert query_terms("征") == ["征"]


def test_numbers_stay_whole_and_brackets_separate() -> None:
    assert tokenize("示财发〔2025〕3号") == ["示", "示财", "财", "财发", "发", "2025", "3", "号"]
    assert tokenize("三公经费2025年") == ["三", "三公", "公", "公经", "经", "经费", "费", "2025", "年"]


def test_index_number_fragments_are_tokens() -> None:
    tokens = set(tokenize("SL0000001/2025-00012"))
    for fragment in ("SL0000001/2025-00012", "2025-00012", "2025/00012", "00012", "sl0000001"):
        assert set(query_terms(fragment)) <= tokens, fragment


def test_query_terms_are_distinct_and_ordered() -> None:
    assert query_terms("公开 公开 2025 2025") == ["公开", "2025"]


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
