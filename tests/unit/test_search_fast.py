"""The numpy builder of postings (`search_fast`) gives byte for byte what the plain-Python reference
gives, on random texts of every character class; the build falls back to the reference when numpy
fails."""

from __future__ import annotations

import random

import pytest
from gongkai_core import search_fast, search_index
from gongkai_core.search_index import IndexSettings, SearchDoc, build_search_index

# pieces of every kind the tokenizer treats differently
PIECES = [
    "示例县财政局",
    "預算公開",  # Traditional: folded
    "徵地補償",
    "ＡＢＣ１２３",  # full width: NFKC
    "\u3000",  # ideographic space
    "12.5万元",
    "1,204.50",
    ".5",
    "3,",
    "〔2025〕3号",
    "Café Über",  # Latin with accents, upper case
    "αβγ Ωμέγα",  # Greek
    "Москва",  # Cyrillic
    "ひらがなカタカナ",  # kana
    "한국어",  # Hangul
    "\U00020000\U00020001𠀀",  # ideographs beyond the BMP
    "\uf900\uf901",  # compatibility ideographs (NFKC maps them)
    "e\u0301",  # a combining mark
    "×÷",  # excluded Latin-1 signs
    "🙂👍",  # emoji: separators
    "，。；：「」《》",
    "-/_:",
    " ",
    "\u2028",
    "的的的的",  # repeats: term counts
    "İstanbul",  # lower() makes two code points of one
]


def random_text(rng: random.Random, pieces: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(pieces))


def random_docs(rng: random.Random, count: int) -> list[SearchDoc]:
    return [
        SearchDoc(
            url=f"policy/{n}.html",
            title=random_text(rng, rng.randint(0, 4)),
            index_no=f"SL0000001/2025-{n:05d}" if rng.random() < 0.7 else "",
            doc_no=random_text(rng, 1) if rng.random() < 0.3 else "",
            publisher=rng.choice(["示例县财政局", "示例縣教育局", ""]),
            date=f"2025-01-{1 + n % 28:02d}",
            summary=random_text(rng, rng.randint(0, 60)),
            parts=tuple(
                (f"表格：{k}", random_text(rng, rng.randint(0, 20))) for k in range(rng.randint(0, 2))
            ),
        )
        for n in range(count)
    ]


def reference(docs: list[SearchDoc], settings: IndexSettings) -> tuple[dict[str, str], dict[str, int]]:
    lengths: dict[str, int] = {}
    fields = (search_index._fields_of(d, settings) for d in docs)
    return search_index._postings(fields, settings, lengths), lengths


def fast(docs: list[SearchDoc], settings: IndexSettings) -> tuple[dict[str, str], dict[str, int]]:
    lengths: dict[str, int] = {}
    texts = [search_index._field_texts(d, settings) for d in docs]
    return search_fast.postings(texts, lengths), lengths


@pytest.mark.parametrize("seed", range(8))
def test_same_postings_and_lengths_as_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    docs = random_docs(rng, rng.randint(1, 120))
    settings = IndexSettings(body_chars=rng.choice([40, 100_000]))
    assert fast(docs, settings) == reference(docs, settings)


def test_same_when_the_digits_are_made_in_many_small_pieces(monkeypatch) -> None:
    rng = random.Random(99)
    docs = random_docs(rng, 80)
    settings = IndexSettings()
    expected = reference(docs, settings)
    monkeypatch.setattr(search_fast, "CHUNK", 7)
    assert fast(docs, settings) == expected


def test_same_when_a_family_is_cut_into_parts_and_counts_are_large(monkeypatch) -> None:
    """Parts of a few postings each (term ids never split between them), and counts beyond the
    impact table (computed, not looked up)."""
    rng = random.Random(41)
    docs = random_docs(rng, 60)
    docs[3] = SearchDoc(url="long.html", title="的" * 400, summary="示例县" * 700 + "12.5" * 300)
    settings = IndexSettings()
    expected = reference(docs, settings)
    monkeypatch.setattr(search_fast, "PART_POSTINGS", 50)
    monkeypatch.setattr(search_fast, "TABLE_TF", 3)
    assert fast(docs, settings) == expected


def test_the_character_table_is_the_tokenizers_class() -> None:
    from gongkai_core.tokenizer import SEP, char_class

    table = search_fast.searchable_table()
    rng = random.Random(3)
    points = [*range(0x3100), *range(0x3400, 0x3500), *range(0xF8F0, 0xFB10), *range(0xFF00, 0xFFFF)]
    points += [rng.randrange(0x110000) for _ in range(20000)] + [0x323AF, 0x323B0, 0x20000, 0x1FFFF]
    for cp in points:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert bool(table[cp]) == (char_class(chr(cp)) != SEP), hex(cp)


def test_a_lone_surrogate_is_indexed_as_the_reference_indexes_it(monkeypatch) -> None:
    """Text numpy cannot encode (a lone surrogate) makes the build use the reference: no error, the
    same files as a build by the reference alone."""
    docs = [
        SearchDoc(url="a.html", title="示例\ud800县", summary="正文\udfff内容"),
        *random_docs(random.Random(8), 5),
    ]
    with pytest.raises(UnicodeEncodeError):
        search_fast.postings([[["示例\ud800县"], [], []]], None)
    built = build_search_index(docs)
    monkeypatch.setattr(search_fast, "postings", lambda *a, **k: 1 / 0)
    assert build_search_index(docs).files == built.files
    assert '"示例"' in "".join(built.files.values())


def test_decimal_text_writes_every_number() -> None:
    values = [0, 9, 10, 99, 100, 12345, 2**31 - 1, 7]
    import numpy as np

    text, ends = search_fast.decimal_text(np.array(values, dtype=np.int64))
    assert text == ",".join(map(str, values)) + ","
    assert ends.tolist() == [len(",".join(map(str, values[: i + 1])) + ",") for i in range(len(values))]
    # numbers below 10**SMALL_DIGITS only: looked up in the table, every number of it
    small = list(range(10**search_fast.SMALL_DIGITS)) + [0, 99_999, 10, 5]
    text, ends = search_fast.decimal_text(np.array(small, dtype=np.int32))
    assert text == ",".join(map(str, small)) + ","
    assert ends.tolist() == np.cumsum([len(str(v)) + 1 for v in small]).tolist()


def test_empty_texts_and_no_documents() -> None:
    settings = IndexSettings()
    docs = [SearchDoc(url="a.html", title=""), SearchDoc(url="b.html", title="，。", summary="🙂")]
    assert fast(docs, settings) == reference(docs, settings)
    assert fast([], settings) == ({}, {"title": 0, "meta": 0, "body": 0, "_postings": 0})


def test_the_build_falls_back_to_the_reference_with_the_same_files(monkeypatch) -> None:
    docs = random_docs(random.Random(5), 60)
    quick = build_search_index(docs)

    def broken(*args, **kwargs):
        raise AttributeError("numpy changed")

    monkeypatch.setattr(search_fast, "postings", broken)
    slow = build_search_index(docs)
    assert slow.files == quick.files and slow.state == quick.state


def test_the_table_normalize_is_the_tokenizers() -> None:
    """`search_fast.normalize` (a table lookup over code points) gives `tokenizer.normalize` on texts
    of every kind, a lone surrogate included (the tokenizer's own way)."""
    from gongkai_core import tokenizer

    rng = random.Random(5)
    for _ in range(3000):
        text = random_text(rng, rng.randint(0, 8)) + chr(rng.randrange(0x10000)) * rng.randint(0, 1)
        assert search_fast.normalize(text) == tokenizer.normalize(text), repr(text)
