"""`invoke bench`: Gongkai against plain Pelican on generated corpora, as ratios in one run.

    .venv/bin/python bench/run.py                 # 1,000 and 10,000 entries, median of 3 runs
    .venv/bin/python bench/run.py --quick         # 1,000 entries, 1 run (figures to bench/work/)
    .venv/bin/python bench/run.py --profile       # also cProfile one cold publish and one check

For each size the corpus is generated once (bench/corpus.py, into bench/work/), then every run
measures, interleaved so that machine noise hits all alike:
  plain      plain Pelican 4.12, default settings and theme, on the same Markdown text (the baseline)
  publish    `python -m gongkai_cli publish` cold: no output, no cache
  rebuild    the same publish again after one entry's text changed (cache and previous output kept)
  reindex    again after an edit at the start of one entry's text (the part the search index holds)
  retitle    again after one entry's title changed (lists, catalog and feeds change: a complete build)
  noop       the same publish again with nothing changed
  check      `python -m gongkai_cli check`
  plaincache plain Pelican with its own content cache, after one entry changed
Each is a child process; its wall time and peak RSS (wait4 rusage) are recorded; the table shows
the median of the runs. After the runs, the output of the last rebuild is compared byte for byte
with a fresh cold publish of the same content: an incremental build must give the same site.
Nothing here asserts a speed; the table is the record.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpus

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
PY = sys.executable
STEPS = ("plain", "publish", "rebuild", "reindex", "retitle", "noop", "check", "checkcold", "plaincache")
LABELS = {
    "plain": "plain Pelican (baseline)",
    "publish": "Gongkai publish, cold",
    "rebuild": "rebuild after 1 change",
    "reindex": "rebuild, 1 change in indexed text",
    "retitle": "rebuild, 1 title changed",
    "noop": "rebuild, nothing changed",
    "check": "check",
    "checkcold": "check, no cache",
    "plaincache": "plain Pelican + its cache, 1 change",
}


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a command; (wall seconds, peak RSS MB of the child and its reaped children, from wait4).
    A failure stops the benchmark with the end of its stderr."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null, open(WORK / "last-stderr.txt", "wb") as errf:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=null, stderr=errf)
        _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write((WORK / "last-stderr.txt").read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)} in {cwd}")
    return took, usage.ru_maxrss / 1024


def touch_one(project: Path, run: int) -> Path:
    """Change one published entry's text, as an editor would: a sentence added to its body."""
    files = sorted((project / "content" / "policy").glob("*.md"))
    for path in files[run * 7 % len(files) :] + files:
        text = path.read_text(encoding="utf-8")
        gongkai_ok = "status: approved" in text and "disclosure: proactive" in text
        if gongkai_ok or (text.startswith("Title:") and "Status: draft" not in text):
            path.write_text(
                text.rstrip("\n") + f"\n\n本文第{run + 1}次修改：补充联系方式。\n", encoding="utf-8"
            )
            return path
    raise SystemExit("no published policy entry to change")


def _published_policy(project: Path, run: int) -> Path:
    files = sorted((project / "content" / "policy").glob("*.md"))
    for path in files[(run * 7 + 3) % len(files) :] + files:
        text = path.read_text(encoding="utf-8")
        if "status: approved" in text and "disclosure: proactive" in text:
            return path
    raise SystemExit("no published policy entry to change")


def touch_start(project: Path, run: int) -> Path:
    """An edit at the start of a published entry's text (what the search index holds)."""
    path = _published_policy(project, run)
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + sep + f"修订说明（第{run + 1}次）：" + body, encoding="utf-8")
    return path


def retitle(project: Path, run: int) -> Path:
    """A changed title: every list that shows the entry changes."""
    path = _published_policy(project, run + 11)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [line + f"（修订{run + 1}）" if line.startswith("title:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def dir_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def same_tree(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two output trees (missing, extra or other bytes)."""
    fa = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    diff = sorted(fa ^ fb)
    diff += [rel for rel in sorted(fa & fb) if not filecmp.cmp(a / rel, b / rel, shallow=False)]
    return diff


# Where the corpora are built and measured. This machine's disk is ext4 without a journal (see
# /proc/fs/jbd2): there Linux skips every inode freed in the last minute (six while its inode table
# block is not yet written back) when it creates a file (ext4 find_inode_bit/recently_deleted), so a
# run pays for the files deleted in the minutes before it, not for its own work (measured here:
# 50,000 new files 3.1 s, right after deleting as many 10.3 s; the same publish 39-51 s from one run
# to the next). A journaling file system (what servers use) has no such check. So the corpora go to
# a memory file system (/dev/shm) when it has room, for plain Pelican and for us alike;
# GONGKAI_BENCH_DIR chooses another folder. On disk, the outputs of a round are moved aside, not
# deleted (they go after all rounds), and each round starts after SETTLE_S of rest.
def _corpus_root() -> Path:
    chosen = os.environ.get("GONGKAI_BENCH_DIR")
    if chosen:
        return Path(chosen)
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and shutil.disk_usage(shm).free > 8e9 and os.access(shm, os.W_OK):
            return shm / "gongkai-bench"
    except OSError:
        pass
    return WORK


CORPORA = _corpus_root()
IN_MEMORY = str(CORPORA).startswith("/dev/shm")
TRASH = CORPORA / "trash"
SETTLE_S = 0.0 if IN_MEMORY else 31.0


def set_aside(path: Path) -> None:
    if path.exists():
        TRASH.mkdir(exist_ok=True)
        os.rename(path, TRASH / f"{time.monotonic_ns()}-{path.parent.name}-{path.name}")


def measure(size: int, runs: int, profile: bool) -> dict:
    dest = CORPORA / f"corpus-{size}"
    t0 = time.perf_counter()
    states = corpus.generate(size, dest)
    gen_s = time.perf_counter() - t0
    project, plain = dest / "gongkai", dest / "plain"
    env = dict(os.environ, SOURCE_DATE_EPOCH=corpus.EPOCH, PYTHONHASHSEED="0")
    env.pop("GONGKAI_SITEURL", None)
    (plain / "cacheconf.py").write_text(
        "from plainconf import *  # noqa\nCACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n"
        "CHECK_MODIFIED_METHOD = 'mtime'\nCACHE_PATH = 'cache'\n",
        encoding="utf-8",
    )
    env_plain = dict(env, PYTHONPATH=str(plain))
    publish = [PY, "-m", "gongkai_cli", "publish", "--output", "out"]

    def pelican(out: str, conf: str) -> list[str]:
        return [PY, "-m", "pelican", "content", "-o", out, "-q", "-s", conf]

    print(f"[{size}] corpus generated in {gen_s:.1f} s: {states}", flush=True)
    load_before = [os.getloadavg()[0]]
    # warm the plain Pelican cache once (not timed)
    run_measured(pelican("out-cache", "cacheconf.py"), plain, env_plain)
    figures: dict[str, list[tuple[float, float]]] = {k: [] for k in STEPS}
    for r in range(runs):
        set_aside(plain / "out")
        set_aside(project / "out")
        time.sleep(SETTLE_S)
        figures["plain"].append(run_measured(pelican("out", "plainconf.py"), plain, env_plain))
        shutil.rmtree(project / ".gongkai", ignore_errors=True)
        figures["publish"].append(run_measured(publish, project, env))
        touch_one(project, r)
        figures["rebuild"].append(run_measured(publish, project, env))
        touch_start(project, r)
        figures["reindex"].append(run_measured(publish, project, env))
        retitle(project, r)
        figures["retitle"].append(run_measured(publish, project, env))
        figures["noop"].append(run_measured(publish, project, env))
        figures["check"].append(run_measured([PY, "-m", "gongkai_cli", "check", "--quiet"], project, env))
        shutil.rmtree(project / ".gongkai", ignore_errors=True)
        figures["checkcold"].append(run_measured([PY, "-m", "gongkai_cli", "check", "--quiet"], project, env))
        changed = touch_one(plain, r)
        os.utime(changed)
        figures["plaincache"].append(run_measured(pelican("out-cache", "cacheconf.py"), plain, env_plain))
        line = "  ".join(f"{k} {v[-1][0]:.2f}s" for k, v in figures.items())
        print(f"[{size}] run {r + 1}/{runs}: {line}", flush=True)
    shutil.rmtree(TRASH, ignore_errors=True)
    # the incremental result must equal a cold build of the same content
    shutil.rmtree(project / ".gongkai", ignore_errors=True)
    run_measured([PY, "-m", "gongkai_cli", "publish", "--output", "out-fresh"], project, env)
    differing = same_tree(project / "out", project / "out-fresh")
    out_bytes, out_files = dir_size(project / "out")
    plain_bytes, plain_files = dir_size(plain / "out")
    index_mb = (plain / "out" / "index.html").stat().st_size / 1e6
    result = {
        "size": size,
        "states": states,
        "gen_s": gen_s,
        "runs": runs,
        "load": load_before + [os.getloadavg()[0]],
        "median": {k: statistics.median(t for t, _ in v) for k, v in figures.items()},
        "all": {k: [round(t, 2) for t, _ in v] for k, v in figures.items()},
        "rss": {k: max(m for _, m in v) for k, v in figures.items()},
        "identical": not differing,
        "differing": differing[:10],
        "out_mb": out_bytes / 1e6,
        "out_files": out_files,
        "plain_mb": plain_bytes / 1e6,
        "plain_files": plain_files,
        "plain_index_mb": index_mb,
        "search": search_figures(project / "out", size),
    }
    if profile:
        result["profile"] = profile_runs(project, env, size)
    return result


def search_figures(out: Path, size: int) -> dict:
    """Index size from the build output (when the search plugin wrote one) and the first-query
    download measured by bench/search_bench.py on a corpus of the same size."""
    found: dict = {}
    folder = out / "search"
    if folder.is_dir():
        files = [p for p in folder.rglob("*") if p.is_file()]
        found["built_raw"] = sum(p.stat().st_size for p in files)
        found["built_gz"] = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
        found["built_files"] = len(files)
    try:
        import search_bench

        figs = search_bench.run_size(size, None)
    except (ImportError, subprocess.CalledProcessError, FileNotFoundError, OSError) as exc:
        found["error"] = f"search_bench failed: {exc}"
        return found
    found["index_raw"], found["index_gz"], found["files"] = figs["index_raw"], figs["index_gz"], figs["files"]
    found["build_s"] = figs["build_s"] + figs["write_s"]
    found["queries"] = [(q["q"], q["bytes_gz"], q["files"]) for q in figs["queries"]]
    return found


def profile_runs(project: Path, env: dict[str, str], size: int) -> dict[str, str]:
    """cProfile of one cold publish and one check; the top functions by own time and cumulative."""
    import io
    import pstats

    found = {}
    for name, args in (("publish", ["publish", "--output", "out-prof"]), ("check", ["check", "--quiet"])):
        shutil.rmtree(project / ".gongkai", ignore_errors=True)
        shutil.rmtree(project / "out-prof", ignore_errors=True)
        prof = WORK / f"profile-{name}-{size}.prof"
        run_measured([PY, "-m", "cProfile", "-o", str(prof), "-m", "gongkai_cli", *args], project, env)
        buf = io.StringIO()
        stats = pstats.Stats(str(prof), stream=buf)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(25)
        text = buf.getvalue()
        summary = ROOT / "bench" / "profiles" / f"profile-{name}-{size}.txt"  # committed with results.md
        summary.parent.mkdir(exist_ok=True)
        summary.write_text(text, encoding="utf-8")
        found[name] = str(summary.relative_to(ROOT))
    return found


def machine() -> list[str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    import pelican

    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (nproc); memory {mem}",
        f"- Python {platform.python_version()}, Pelican {pelican.__version__}, {platform.platform()}",
    ]


def exponent(small: float, big: float, n_small: int, n_big: int) -> float:
    return math.log(big / small) / math.log(n_big / n_small)


def report(results: list[dict], runs: int, took: float) -> str:
    lines = [
        "# Gongkai benchmark",
        "",
        "Written by `invoke bench` (`bench/run.py`); do not edit by hand — "
        "the notes at the end come from `bench/notes.md`.",
        "",
        "## Machine",
        "",
        *machine(),
        f"- whole benchmark: {took / 60:.1f} min; median of {runs} interleaved run(s) per figure",
        "- 1-minute load average before / after each size (other work on the machine slows every "
        "figure alike; the ratios are what to compare): "
        + "; ".join(f"{r['size']:,}: {r['load'][0]:.1f} / {r['load'][1]:.1f}" for r in results),
        "",
        "## Commands (each a child process, in the corpus folder, `SOURCE_DATE_EPOCH=1793505600`)",
        "",
        "- plain: `python -m pelican content -o out -q -s plainconf.py` (default theme and settings; "
        "only PATH, SITENAME, AUTHOR, TIMEZONE, DEFAULT_LANG set), no output before each run",
        "- publish: `python -m gongkai_cli publish --output out` with no `out/` and `.gongkai/` removed first",
        f"- corpora and outputs in `{CORPORA}`"
        + (
            " (memory): this machine's disk is ext4 without a journal, where Linux skips every inode freed in the "
            "last minutes when it creates a file, so a run on disk pays for the files deleted before it (50,000 new "
            "files: 3.1 s, right after deleting as many 10.3 s; the same publish 39-51 s run to run; `bench/run.py`)"
            if IN_MEMORY
            else f"; before each round the outputs of the last one are moved aside and the machine rests {SETTLE_S:.0f} s"
        ),
        "- rebuild: the same command again after one published entry got one more sentence",
        "- reindex: again after another published entry got a few words at the start of its text "
        "(the part the search index holds)",
        "- retitle: again after a third published entry's title changed (every list showing it changes: "
        "a complete build, with the read cache and hard links)",
        "- noop: the same command again with nothing changed",
        "- check: `python -m gongkai_cli check --quiet` (read cache filled by the builds before it)",
        "- checkcold: the same with `.gongkai/` removed first (a fresh clone, a pre-commit hook's first run)",
        "- plaincache: plain Pelican with `CACHE_CONTENT = LOAD_CONTENT_CACHE = True` "
        "(`CHECK_MODIFIED_METHOD = 'mtime'`) after one entry changed",
        "",
        "Corpus (`bench/corpus.py`): ~74% policy and 2% report Markdown entries with body text drawn "
        "at run time from the seed plans' sentences, 24% budget/三公经费/征地 YAML entries copied from the "
        "demo content with county, batch and 索引号 varied; ~6% of the Markdown entries are not published "
        "(draft, in review, secrecy failed, on request, embargoed, withdrawn). Plain Pelican gets the same "
        "titles, dates, columns and bodies; the unpublished ones as `Status: draft`.",
        "",
        "## Times (seconds, median) and ratios",
        "",
        "| entries | "
        + " | ".join(LABELS[k] for k in STEPS)
        + " | publish ÷ plain | rebuild ÷ publish | reindex ÷ publish | retitle ÷ publish |",
        "|---:|" + "---:|" * (len(STEPS) + 4),
    ]
    for r in results:
        m = r["median"]
        lines.append(
            f"| {r['size']:,} | "
            + " | ".join(f"{m[k]:.2f}" for k in STEPS)
            + f" | **{m['publish'] / m['plain']:.2f}×** | **{100 * m['rebuild'] / m['publish']:.1f}%** | "
            f"{100 * m['reindex'] / m['publish']:.1f}% | {100 * m['retitle'] / m['publish']:.1f}% |"
        )
    lines += [
        "",
        "All runs: "
        + "; ".join(f"{r['size']:,}: " + ", ".join(f"{k} {r['all'][k]}" for k in STEPS) for r in results),
        "",
        "## Peak memory (MB, max RSS of the child process over the runs)",
        "",
        "| entries | " + " | ".join(LABELS[k] for k in STEPS) + " |",
        "|---:|" + "---:|" * len(STEPS),
    ]
    for r in results:
        lines.append(f"| {r['size']:,} | " + " | ".join(f"{r['rss'][k]:.0f}" for k in STEPS) + " |")
    lines += [
        "",
        "## Output",
        "",
        "| entries | published | Gongkai output | files | plain Pelican output | files | "
        "plain index.html | incremental = cold build |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        same = "yes, byte-identical" if r["identical"] else "NO: " + ", ".join(r["differing"])
        lines.append(
            f"| {r['size']:,} | {r['states'].get('published', 0):,} | {r['out_mb']:.1f} MB | "
            f"{r['out_files']:,} | {r['plain_mb']:.1f} MB | {r['plain_files']:,} | "
            f"{r['plain_index_mb']:.1f} MB | {same} |"
        )
    lines += ["", "## Search index", ""]
    for r in results:
        s = r["search"]
        if "built_raw" in s:
            lines.append(
                f"- {r['size']:,}: index written by the build: {s['built_raw'] / 1e6:.2f} MB raw, "
                f"{s['built_gz'] / 1e6:.2f} MB gzip, {s['built_files']} files"
            )
        else:
            lines.append(
                f"- {r['size']:,}: the build wrote no `search/` folder (search plugin not enabled in "
                "pelicanconf.py at the time of this run)"
            )
        if "error" in s:
            lines.append(f"  - {s['error']}")
        elif "queries" in s:
            lines.append(
                f"  - `bench/search_bench.py` on {r['size']:,} entries: index {s['index_raw'] / 1e6:.2f} MB "
                f"raw, {s['index_gz'] / 1e6:.2f} MB gzip in {s['files']} files, built in {s['build_s']:.1f} s"
            )
            lines.append(
                "  - first-query download (gzip): "
                + "; ".join(f"{q} {b / 1024:.0f} KB ({n} files)" for q, b, n in s["queries"])
            )
    if len(results) >= 2:
        a, b = results[0], results[-1]
        lines += [
            "",
            f"## Growth from {a['size']:,} to {b['size']:,} entries",
            "",
            "Exponent k in time ∝ entries^k (1 = linear):",
            "",
        ]
        for k in STEPS:
            lines.append(
                f"- {LABELS[k]}: k = {exponent(a['median'][k], b['median'][k], a['size'], b['size']):.2f}"
            )
    profiles = [(r["size"], r["profile"]) for r in results if "profile" in r]
    if profiles:
        lines += ["", "## Profiles", ""]
        for size, p in profiles:
            lines += [f"- {size:,} entries: " + ", ".join(f"`{v}`" for v in p.values())]
    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries, one run")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--profile", action="store_true", help="cProfile a cold publish and a check")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = args.sizes or ([1000] if args.quick else [1000, 10000])
    runs = args.runs or (1 if args.quick else 3)
    out = args.out or (WORK / "results-quick.md" if args.quick else ROOT / "bench" / "results.md")
    WORK.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        results = [measure(n, runs, args.profile) for n in sizes]
    finally:
        if IN_MEMORY:  # the corpora are memory: given back (bench/work keeps the results)
            shutil.rmtree(CORPORA, ignore_errors=True)
    text = report(results, runs, time.perf_counter() - start)
    out.write_text(text, encoding="utf-8")
    for r in results:
        m = r["median"]
        print(
            f"{r['size']:>6,} entries: publish {m['publish']:.2f}s = {m['publish'] / m['plain']:.2f}× plain Pelican "
            f"({m['plain']:.2f}s); rebuild after 1 change {m['rebuild']:.2f}s = "
            f"{100 * m['rebuild'] / m['publish']:.1f}% of publish (start of text {m['reindex']:.2f}s, "
            f"title {m['retitle']:.2f}s); check {m['check']:.2f}s (no cache {m['checkcold']:.2f}s); "
            f"peak RSS publish {r['rss']['publish']:.0f} MB vs plain {r['rss']['plain']:.0f} MB; "
            f"incremental = cold: {'yes' if r['identical'] else 'NO'}"
        )
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0 if all(r["identical"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
