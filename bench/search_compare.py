"""Gongkai's search against Pagefind (extended, npm `pagefind`, pinned) on the same built site.

    .venv/bin/python bench/search_compare.py [--size 10000] [--queries 60] [--out bench/search_results.md]

Generates the benchmark corpus (bench/corpus.py) of `size` entries, publishes it, times our index
build on the documents the build indexed (from the build's record, in a child process) and
Pagefind's indexing of the finished site (`pagefind --site`), then asks both the same queries, each
as a first visit: ours with the real search.js under node (tests/nodequery.js), Pagefind with its
own pagefind.js in headless Chromium over http. Queries are drawn (fixed seed) from the published
pages: deep words (4 characters from the middle of a body), title words, the Traditional form of
a deep word (OpenCC s2t), 文号 fragments and numbers shown in data tables. The truth of a query is
every page whose main text contains it (after Traditional/Simplified, width and case folding:
gongkai_core.tokenizer.matches); recall@10 = found in the first 10 / min(10, truth), precision@10 =
true among the first 10. Bytes = what a first query downloads, gzip -9 of each file (Pagefind's
fragments are gzip already). Results are appended to the markdown file.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "bench"), str(ROOT / "tests")]

from gongkai_core.search_index import html_to_text  # noqa: E402
from gongkai_core.tokenizer import collapse, query_words  # noqa: E402

from browser_support import serve_directory as serve  # noqa: E402  (the tests' own server)

PY = sys.executable
PAGEFIND = ROOT / "node_modules" / ".bin" / "pagefind"
RUNNER = ROOT / "tests" / "nodequery.js"
KINDS = ("deep", "title", "traditional", "doc_no", "number")


def main_text(html: str) -> str:
    found = re.search(r"<main\b[^>]*>(.*)</main>", html, re.DOTALL)
    return html_to_text(found[1] if found else "")


def pages_of(out: Path) -> dict[str, str]:
    """Entry pages (url → main text, its first line the page's <h1>), those the search can find
    (not lists, catalog or feeds)."""
    found = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        if rel.split("/")[0] in {
            "policy",
            "budget",
            "sangong",
            "land",
            "report",
            "pages",
        } and not rel.endswith("index.html"):
            html = path.read_text(encoding="utf-8")
            if 'class="gk-meta"' in html or rel.startswith("pages/"):
                h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", html, re.DOTALL)
                found[rel] = html_to_text(h1[1] if h1 else "") + "\n" + main_text(html)
    return found


CJK = re.compile(r"[\u4e00-\u9fff]{4,}")


def draw_queries(pages: dict[str, str], count: int, seed: int = 22) -> list[tuple[str, str]]:
    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    urls = sorted(pages)
    out: list[tuple[str, str]] = []
    per = max(1, count // len(KINDS))
    for kind in KINDS:
        got, tries = 0, 0
        while got < per and tries < 20_000:
            tries += 1
            page = pages[rng.choice(urls)]
            title, _, text = page.partition("\n")
            q = ""
            if kind in ("deep", "traditional"):
                runs = CJK.findall(text[len(text) // 3 :])
                if runs:
                    run = rng.choice(runs)
                    start = rng.randrange(len(run) - 3)
                    q = run[start : start + 4]
                    if kind == "traditional":
                        t = s2t.convert(q)
                        q = t if t != q else ""
            elif kind == "title":
                runs = [r.removeprefix("示例县") for r in CJK.findall(title)]
                run = rng.choice(runs) if runs else ""
                if len(run) >= 4:
                    start = rng.randrange(len(run) - 3)
                    q = run[start : start + 4]
            elif kind == "doc_no":
                found = re.findall(r"文号：?\s*([^\s〔]+〔\d{4}〕\d+号)", text)
                if found:
                    q = found[0][1:]  # without the first character: a fragment
            elif kind == "number":
                found = [n for n in re.findall(r"\d{1,3}(?:,\d{3})*\.\d{2}", text) if len(n) >= 5]
                if found:
                    q = rng.choice(found)
            if q and all(q != x for _, x in out):
                out.append((kind, q))
                got += 1
    return out


def truth_of(collapsed: dict[str, str], q: str) -> set[str]:
    """The pages holding every word of the query: `tokenizer.matches`, with each page collapsed once."""
    words = query_words(q)
    return {url for url, text in collapsed.items() if all(w in text for w in words)}


def ours(out: Path, queries: list[str]) -> list[dict]:
    run = subprocess.run(
        [
            "node",
            str(RUNNER),
            str(out / "search"),
            json.dumps([{"q": q} for q in queries], ensure_ascii=False),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(run.stdout)
    return [
        {
            "urls": [h["url"] for h in r["hits"]],
            "total": r["total"],
            "bytes": r["bytes_gz"],
            "files": r["files"],
        }
        for r in found
    ]


PAGEFIND_QUERY = """async (q) => {
  const pf = await import('/_pagefind/pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return {total: r.results.length, urls: top.map(d => d.url)};
}"""


def pagefind(out: Path, queries: list[str]) -> list[dict]:
    from gongkai_cli.screenshots import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    results = []
    with serve(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for q in queries:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}

            def record(response, sizes=sizes):
                if "/_pagefind/" in response.url:
                    with contextlib.suppress(Exception):
                        body = response.body()
                        sizes[response.url] = min(len(body), len(gzip.compress(body, 9)))

            page.goto(f"{base}/index.html")
            page.on("response", record)
            found = page.evaluate(PAGEFIND_QUERY, q)
            page.wait_for_timeout(50)
            urls = [u.removeprefix("/").removeprefix(base + "/") for u in found["urls"]]
            results.append(
                {"urls": urls, "total": found["total"], "bytes": sum(sizes.values()), "files": len(sizes)}
            )
            context.close()
        browser.close()
    return results


def our_index_time(project: Path, into: Path | None = None) -> dict:
    """Our index built again from the documents the publish indexed (the build's record), in a child;
    `into`: written there (the site's search folder, for --reuse after a change of the index code)."""
    records = sorted((project / ".gongkai" / "cache").glob("build-*.pickle"))
    code = (
        "import pickle, sys, time, resource, json\n"
        f"sys.path.insert(0, {str(ROOT / 'plugins')!r})\n"
        "from gongkai_core.search_index import build_search_index, write_search_index\n"
        "record = pickle.load(open(sys.argv[1], 'rb'))\n"
        "docs = record.search.docs\n"
        "t = time.perf_counter(); c = time.process_time()\n"
        "index = build_search_index(docs, record.search.settings)\n"
        "write_search_index(index, __import__('pathlib').Path(sys.argv[2]))\n"
        "print(json.dumps({'wall': time.perf_counter() - t, 'cpu': time.process_time() - c, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'docs': len(docs)}))\n"
    )
    scratch = into or project / "search-rebuilt"
    done = subprocess.run(
        [PY, "-c", code, str(records[-1]), str(scratch)], capture_output=True, text=True, check=True
    )
    if into is None:
        shutil.rmtree(scratch, ignore_errors=True)
    return json.loads(done.stdout)


def score(results: list[dict], truths: list[set[str]]) -> tuple[float, float]:
    recalls, precisions = [], []
    for r, truth in zip(results, truths, strict=True):
        top = r["urls"][:10]
        hit = len([u for u in top if u in truth])
        if truth:
            recalls.append(hit / min(10, len(truth)))
        if top:
            precisions.append(hit / len(top))
    return (statistics.mean(recalls) if recalls else 0.0, statistics.mean(precisions) if precisions else 0.0)


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def run(size: int, count: int, work: Path, reuse: bool = False) -> str:
    import corpus

    dest = work / f"compare-{size}"
    project = dest / "gongkai"
    publish_s = None
    if not (reuse and (project / "out" / "search" / "meta.js").is_file()):
        corpus.generate(size, dest)
        env = dict(os.environ, SOURCE_DATE_EPOCH=corpus.EPOCH, PYTHONHASHSEED="0")
        t = time.perf_counter()
        subprocess.run(
            [PY, "-m", "gongkai_cli", "publish", "--output", "out"],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
        )
        publish_s = time.perf_counter() - t
    out = project / "out"
    if publish_s is None:  # reused: the index and the page's scripts as this checkout makes them
        mine = our_index_time(project, out / "search")
        shutil.copy(ROOT / "plugins" / "gongkai_core" / "tokenizer.js", out / "search" / "tokenizer.js")
        shutil.copy(ROOT / "theme" / "static" / "js" / "search.js", out / "theme" / "js" / "search.js")
    else:
        mine = our_index_time(project)
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(
        [str(PAGEFIND), "--site", str(out), "--output-subdir", "_pagefind"], check=True, capture_output=True
    )
    pf_s = time.perf_counter() - t
    pf_cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
    pages = pages_of(out)
    drawn = draw_queries(pages, count)
    queries = [q for _, q in drawn]
    collapsed = {url: f" {collapse(text)} " for url, text in pages.items()}
    truths = [truth_of(collapsed, q) for q in queries]
    a, b = ours(out, queries), pagefind(out, queries)
    lines = [
        f"\n## Against Pagefind at {size:,} entries ({len(pages):,} searchable pages, {len(queries)} queries)\n",
        "Generated by `bench/search_compare.py` (see its docstring for the method). Pagefind "
        f"{subprocess.run([str(PAGEFIND), '--version'], capture_output=True, text=True).stdout.strip()} (extended).\n",
        (f"Publish (ours, with the index): {publish_s:.1f} s wall. " if publish_s else "")
        + "Index build on the same documents: ours "
        f"{mine['wall']:.1f} s wall, {mine['cpu']:.1f} s CPU, peak {mine['peak_mb']:.0f} MB; Pagefind "
        f"{pf_s:.1f} s wall, {pf_cpu:.1f} s CPU (its own threads).\n",
        "| kind | queries | recall@10 ours | recall@10 Pagefind | precision@10 ours | precision@10 Pagefind "
        "| first query ours median / max | Pagefind median / max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in (*KINDS, "all"):
        idx = [i for i, (k, _) in enumerate(drawn) if kind in ("all", k)]
        if not idx:
            continue
        ra, pa = score([a[i] for i in idx], [truths[i] for i in idx])
        rb, pb = score([b[i] for i in idx], [truths[i] for i in idx])
        ba, bb = [a[i]["bytes"] for i in idx], [b[i]["bytes"] for i in idx]
        lines.append(
            f"| {kind} | {len(idx)} | {ra:.2f} | {rb:.2f} | {pa:.2f} | {pb:.2f} | "
            f"{kb(statistics.median(ba))} / {kb(max(ba))} | {kb(statistics.median(bb))} / {kb(max(bb))} |"
        )
    lines.append("\nEvery query, with the number of pages holding it, what each found and downloaded:\n")
    lines.append("| kind | query | truth | ours total | ours bytes | Pagefind total | Pagefind bytes |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for (kind, q), truth, x, y in zip(drawn, truths, a, b, strict=True):
        lines.append(
            f"| {kind} | {q} | {len(truth)} | {x['total']} | {kb(x['bytes'])} | {y['total']} | {kb(y['bytes'])} |"
        )
    shutil.rmtree(out / "_pagefind", ignore_errors=True)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "search_results.md")
    parser.add_argument("--reuse", action="store_true", help="query the site an earlier run published")
    args = parser.parse_args()
    text = run(args.size, args.queries, args.work, args.reuse)
    print(text)
    with open(args.out, "a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
