"""The Python and JS tokenizers and matchers must agree on every function the index and the page share."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from gongkai_core.tokenizer import (
    FOLD,
    collapse,
    hash32,
    family_of,
    matches,
    needs_check,
    normalize,
    query_terms,
    query_words,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    "政府信息公开",
    "政府資訊公開",
    "三公经费2025年",
    "征",
    "徵",
    "ＡＢＣ１２３",
    "示财发〔2025〕3号",
    "SL0000001/2025-00012",
    "sl0000001-2025-00012 2025/00012 00012",
    "《示例县2025年政务公开工作要点》（示政办发〔2025〕7号）",
    "关于…的通知！？、；：“引号”‘单引号’——破折号",
    "预算支出1,204.50万元，同比增长3.5%",
    "Hello, World! e-mail: a_b.c@example.org",
    "表情😀🇨🇳混排👍🏽中文",
    "𠮷野家 𫝈 㑮",
    "ｶﾀｶﾅ かな 한국어",
    "Straße ΑΒΓ Привет ÀÉÎ",
    "①②③ ㈱ ⅫⅨ ｢｣",
    "x" * 70 + "-1-2-3-4-5-6",
    "a.b.c.d.e.f",
    "  \t\n",
    "词\u3000语\u00a0分开",
    "",
]


def python_side(s: str, q: str) -> dict:
    return {
        "normalize": normalize(s),
        "tokenize": tokenize(s),
        "collapse": collapse(s),
        "query_words": query_words(s),
        "query_terms": query_terms(s),
        "needs_check": needs_check(query_words(s)),
        "hashes": [hash32(t) for t in tokenize(s)],
        "families": [family_of(t) for t in tokenize(s)],
        "matches": matches(query_words(q), [s]),
        "candidate": all(t in tokenize(s) for t in query_terms(q)),
    }


def run_js(cases: list[tuple[str, str]]) -> list[dict]:
    assert shutil.which("node"), "node 未安装"
    out = subprocess.run(
        ["node", str(ROOT / "tests/parity/tokenize.mjs"), json.dumps(cases)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


@pytest.mark.parametrize("case", CASES)
def test_python_and_js_tokenizers_agree(case: str) -> None:
    assert run_js([(case, case[1:4])]) == [python_side(case, case[1:4])]


def test_every_fold_table_entry_agrees() -> None:
    """Each Traditional character of the table folds the same way in both languages."""
    text = "".join(FOLD)
    assert run_js([(text, text[5:9])]) == [python_side(text, text[5:9])]


def _pool() -> list[str]:
    edges = [0xD6, 0xD7, 0xD8, 0xF6, 0xF7, 0xF8, 0x24F, 0x250, 0x36F, 0x370, 0x52F, 0x530, 0x3006, 0x3007]
    edges += [0x3008, 0x303F, 0x3040, 0x30FF, 0x3100, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x9FFF, 0xA000]
    edges += [0xABFF, 0xAC00, 0xD7A3, 0xD7A4, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0x20000, 0x2A6D6, 0x323AF]
    return [chr(c) for c in edges] + list("-/._ aZ09０Ａ〔〕İẞǅ徵開資﹣／．＿\u3000") + ["\u0301", "😀"]


def test_random_strings_at_class_boundaries_agree() -> None:
    """Seeded random strings built from the code points on both sides of every range edge."""
    pool = _pool()
    rng = random.Random(20250201)
    cases = []
    for _ in range(300):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 24)))
        start = rng.randint(0, len(s))
        cases.append((s, s[start : start + rng.randint(1, 5)]))
    assert run_js(cases) == [python_side(s, q) for s, q in cases]


def test_random_texts_and_queries_match_alike() -> None:
    """Random Chinese texts (Simplified, Traditional, digits, punctuation) and queries cut from them or
    made up: both languages find the same, and what the matcher finds is always a candidate of the terms."""
    pool = list("示例县财政局民政政務公開资訊征地补偿水费小区0123456789〔〕，。、 -/．ＡbＣ.,,..")
    rng = random.Random(7)
    cases = []
    for _ in range(400):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.6 and s:
            start = rng.randint(0, len(s) - 1)
            q = s[start : start + rng.randint(1, 6)]
        else:
            q = "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        cases.append((s, q))
    js = run_js(cases)
    py = [python_side(s, q) for s, q in cases]
    assert js == py
    assert all(r["candidate"] for r in py if r["matches"])
    found = [r["matches"] for r, (s, q) in zip(py, cases, strict=True) if q.strip() and q in s]
    assert found and all(found)  # a query cut from the text is always found in it
