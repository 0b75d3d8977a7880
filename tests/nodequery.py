"""Query a built search index with the real search.js under node, as the search page would.

Used by the tests (`tests/unit/test_search_index.py`, `tests/site/test_search_relevance.py`)
and by `bench/search_bench.py` (which runs `nodequery.js` beside this file, where the work is done).
A test helper, not part of the product: tests import it by name, as they import `conftest`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

RUNNER = Path(__file__).with_name("nodequery.js")
ROOT = RUNNER.parents[1]


class NodeMissing(RuntimeError):
    """node is not installed."""


def node_search(
    search_dir: Path, *queries: dict | str, bench: bool = False, full: bool = False
) -> list[dict]:
    """One result dict per query (a str is taken as {"q": str}), each from a fresh first visit.

    bench: also time repeated queries; full: also give `full`, every document whose text holds
    the query (read from every text file: the reference).
    """
    if shutil.which("node") is None:
        raise NodeMissing("node 未安装")
    params = [{"q": q} if isinstance(q, str) else q for q in queries]
    args = ["node", str(RUNNER), str(search_dir), json.dumps(params, ensure_ascii=False)]
    flags = (["--bench"] if bench else []) + (["--full"] if full else [])
    out = subprocess.run(args + flags, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def titles(result: dict) -> list[str]:
    return [hit["title"] for hit in result["hits"]]
