"""Search benchmark: index size, first-query download, build time and memory, node query time.

    .venv/bin/python bench/search_bench.py [--sizes 1000 10000] [--out bench/search_results.md]

Generates synthetic corpora of realistic Chinese disclosure entries (sentences are read at
run time from ../shared/seeds/*.txt when present, else from a small built-in phrase list;
nothing of the seeds is written to the repository), builds the index in a child process per
size (so peak RSS is that build's own), then loads it in node the way the
browser does (tests/nodequery.js: the real search.js) and times queries. Figures go to the markdown file; nothing here asserts speed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RUNNER = ROOT / "tests" / "nodequery.js"  # the test helper that queries a built index under node

FALLBACK = (
    "为深入贯彻落实政务公开工作要求，进一步提升政府信息公开质量。各乡镇人民政府、县政府各部门要高度重视。"
    "按照依法公开、真实准确、及时便民的原则，做好预算决算、三公经费、征地信息等重点领域信息公开。"
    "县财政局负责统筹协调，定期对公开情况进行检查并通报结果。对群众关切的问题及时回应，加强政策解读。"
    "完善依申请公开工作机制，规范办理流程，确保在法定期限内答复。加强政府网站和政务新媒体建设管理。"
)
DEPTS = [
    ("财政局", "财"),
    ("教育局", "教"),
    ("卫生健康局", "卫"),
    ("自然资源局", "自然资"),
    ("交通运输局", "交"),
    ("农业农村局", "农"),
    ("民政局", "民"),
    ("人力资源和社会保障局", "人社"),
    ("生态环境分局", "环"),
    ("住房和城乡建设局", "建"),
    ("应急管理局", "应急"),
    ("市场监督管理局", "市监"),
    ("水利局", "水"),
    ("文化和旅游局", "文旅"),
    ("审计局", "审"),
    ("统计局", "统"),
    ("人民政府办公室", "政办"),
]
TOPICS = [
    "部门预算",
    "部门决算",
    "三公经费预算",
    "政府信息公开工作年度报告",
    "征收土地预公告",
    "征地补偿安置方案",
    "安全生产专项整治",
    "城乡居民医疗保险",
    "义务教育阶段招生",
    "农村人居环境整治",
    "道路交通安全管理",
    "优化营商环境",
    "防汛抗旱应急预案",
    "耕地保护",
    "就业创业补贴",
    "老年人优待政策",
    "重大行政决策目录",
    "政府采购意向",
    "行政执法公示",
    "生态环境保护督察整改",
    "乡村振兴项目",
    "公共资源交易",
    "住房保障",
]
KINDS = [
    "关于印发{}实施方案的通知",
    "关于{}工作的通知",
    "{}公告",
    "关于做好{}工作的意见",
    "{}办法",
    "{}情况说明",
]
COLUMNS = [("policy", "政策文件"), ("budget", "预算决算"), ("sangong", "三公经费"), ("land", "征地信息")]


def sentences() -> list[str]:
    text = (
        "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))) if SEEDS.is_dir() else ""
    )
    found = [s.strip() + "。" for s in re.split(r"[。；！？\n]", text or FALLBACK) if len(s.strip()) >= 8]
    return found or [FALLBACK]


def synthetic_docs(count: int, seed: int = 2025) -> list[dict[str, str]]:
    rng = random.Random(seed)
    pool = sentences()
    docs = []
    for i in range(count):
        year = str(rng.choice(range(2016, 2026)))
        dept, abbr = rng.choice(DEPTS)
        topic = rng.choice(TOPICS)
        column, column_name = rng.choice(COLUMNS)
        body = "".join(rng.choice(pool) for _ in range(rng.randint(8, 30)))
        docs.append(
            {
                "url": f"{column}/{year}-{i:05d}.html",
                "title": f"示例县{dept}" + rng.choice(KINDS).format(f"{year}年{topic}"),
                "index_no": f"SL{1000000 + DEPTS.index((dept, abbr)):07d}/{year}-{i:05d}",
                "doc_no": f"示{abbr}发〔{year}〕{rng.randint(1, 200)}号" if rng.random() < 0.7 else "",
                "publisher": f"示例县{dept}",
                "column": column,
                "column_name": column_name,
                "year": year,
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "summary": body,
            }
        )
    return docs


def build_child(count: int, out: str) -> None:
    """Runs in a child process: build and write, print timings and peak RSS as JSON."""
    from gongkai_core.search_index import build_search_index, write_search_index

    docs = synthetic_docs(count)
    t0, c0 = time.perf_counter(), time.process_time()
    index = build_search_index(docs)
    t1, c1 = time.perf_counter(), time.process_time()
    write_search_index(index, Path(out) / "search")
    t2 = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "build_s": round(t1 - t0, 2),
                "build_cpu_s": round(c1 - c0, 2),
                "write_s": round(t2 - t1, 2),
                "peak_mb": round(peak_kb / 1024),
                "terms": index.term_count,
                "postings": index.posting_count,
                "shards": index.shards,
            }
        )
    )


def sizes_of(folder: Path) -> tuple[int, int, int]:
    raw = gz = files = 0
    for path in folder.rglob("*.js"):
        data = path.read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 9))
        files += 1
    return raw, gz, files


QUERIES = [
    "县",  # one character in every entry
    "的",
    "2",
    "示例县",  # a phrase in every entry
    "示例县人民政府",
    "政府信息公开",
    "預算公開",
    "三公经费2025年",
    "征",
    "示财发〔2021〕3号",
    "00012",
    "安全生产 整治",
    "耕地保护",
]


def run_size(count: int, keep: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"search-bench-{count}-"))
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(count), str(work)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(child.stdout)
        site = work / "search"
        shutil.copy(ROOT / "plugins/gongkai_core/tokenizer.js", site / "tokenizer.js")
        raw, gz, files = sizes_of(site)
        figures.update(index_raw=raw, index_gz=gz, files=files)
        node = subprocess.run(
            ["node", str(RUNNER), str(site), json.dumps([{"q": q} for q in QUERIES]), "--bench"],
            capture_output=True,
            text=True,
            check=True,
        )
        figures["queries"] = json.loads(node.stdout)
        if keep:
            shutil.copytree(work, keep / str(count), dirs_exist_ok=True)
        return figures
    finally:
        shutil.rmtree(work)


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def report(results: dict[int, dict]) -> str:
    lines = [
        "# Search benchmark",
        "",
        (
            "Generated by `bench/search_bench.py` on synthetic entries (title, 索引号, 文号, 发布机构, 栏目, "
            "年份, a body of 8–30 sentences, all of it indexed)."
        ),
        (
            "First-query download = what the search page loads before showing results: tokenizer.js, "
            "search.js, meta.js, the fold-table parts of the query's characters, the shards of its terms and "
            "the text files of the candidates the first results page looked at, gzip -9 (the HTML page and "
            "CSS are not counted)."
        ),
        (
            f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} when the report was written "
            "(other builds share it: wall times swing with load, CPU times and sizes much less)."
        ),
        "",
        "| entries | build s (wall) | build s (CPU) | peak RSS MB | terms | postings | shards t/g/u | index raw | index gzip | files |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, f in results.items():
        lines.append(
            f"| {count:,} | {f['build_s'] + f['write_s']:.1f} | {f['build_cpu_s']:.1f} | {f['peak_mb']} | {f['terms']:,} | "
            f"{f['postings']:,} | {f['shards']['t']}/{f['shards'].get('g', 0)}/{f['shards']['u']} | {kb(f['index_raw'])} | "
            f"{kb(f['index_gz'])} | {f['files']:,} |"
        )
    lines += [
        "",
        "| entries | query | results | first download gzip | files | load ms | query ms |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for count, f in results.items():
        for q in f["queries"]:
            lines.append(
                f"| {count:,} | {q['q']} | {q['total']} | {kb(q['bytes_gz'])} | {q['files']} | "
                f"{q['load_ms']:.1f} | {q['query_ms']:.1f} |"
            )
    lines += [
        "",
        (
            "Load ms: a first visit in node: running the library and shard scripts and the first search. "
            "Query ms: `GongkaiSearch.search` again once loaded (decoding the terms' postings, filters, "
            "ranking, checking candidates against their texts, the suggestions when nothing is found), median "
            "of 5 runs. Timings vary with machine load; sizes do not."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "search_results.md")
    parser.add_argument("--keep", type=Path, help="copy each built index here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_child(int(args.child[0]), args.child[1])
        return
    results = {n: run_size(n, args.keep) for n in args.sizes}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
