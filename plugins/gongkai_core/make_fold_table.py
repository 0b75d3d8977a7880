"""Generate `data/t2s.json`, the Traditional→Simplified character fold table.

Source: OpenCC's `TSCharacters.txt` as shipped by the pinned pip package
opencc-python-reimplemented. Each line is `traditional<TAB>simplified [alternatives…]`;
we keep single code points only, take the first (preferred) simplified form, resolve
chains so one lookup is final, and keep only entries that differ. The same JSON is loaded by `tokenizer.py` and shipped to the
browser for `tokenizer.js`, so both sides fold identically.

Run `python -m gongkai_core.make_fold_table` to rewrite the committed file;
`tests/unit/test_tokenizer.py` regenerates it in memory and compares.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("data") / "t2s.json"


def opencc_source() -> str:
    """The text of OpenCC's TSCharacters.txt from the installed package."""
    return resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")


def build_table(source: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in source.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        trad, _, simps = line.partition("\t")
        simp = simps.split(" ")[0].strip()
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[trad] = simp
    # Resolve chains (a → b → c) so one lookup is final: fold(fold(x)) == fold(x).
    for trad, simp in table.items():
        seen = {trad}
        while simp in table and simp not in seen:
            seen.add(simp)
            simp = table[simp]
        table[trad] = simp
    return dict(sorted((t, s) for t, s in table.items() if t != s))


def render(table: dict[str, str]) -> str:
    """Deterministic JSON text: sorted keys, one entry per line, real characters."""
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def main() -> None:
    TABLE_PATH.parent.mkdir(exist_ok=True)
    TABLE_PATH.write_text(render(build_table(opencc_source())), encoding="utf-8")


if __name__ == "__main__":
    main()
