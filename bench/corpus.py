"""Generate benchmark corpora: a Gongkai project and the same Markdown text for plain Pelican.

    .venv/bin/python bench/corpus.py 1000 bench/work/corpus-1000

A corpus of N entries is laid out as

    <dest>/gongkai/   content/ (policy, report: Markdown; budget, sangong, land: YAML copied from
                      the demo content with county, batch and 索引号 varied so every copy validates),
                      pelicanconf.py, publishconf.py, and links to theme/, plugins/, node_modules/, structure/
    <dest>/plain/     content/ (every entry's title, date, column and body as plain Pelican Markdown:
                      Title/Date/Category; entries Gongkai withholds are `Status: draft`),
                      plainconf.py (Pelican's defaults: default theme, no pagination, no cache)

Body text is drawn at run time from the sentences of ../shared/seeds/*.txt (via search_bench),
so nothing of the seeds is ever written to the repository: bench/work/ is gitignored.
Generation is deterministic for a given N (fixed random seed).
"""

from __future__ import annotations

import random
import re
import runpy
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from search_bench import DEPTS, KINDS, TOPICS, sentences

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "content"
# the publishers whose 索引号 code the demo settings fix (GONGKAI_INDEX_CODES): their entries use it
INDEX_CODES = runpy.run_path(str(ROOT / "pelicanconf.py")).get("GONGKAI_INDEX_CODES", {})
# 2026-11-01 12:00 Asia/Shanghai, the build date of every benchmark build (as in the tests)
EPOCH = "1793505600"
BUILD_DATE = date(2026, 11, 1)

TOPIC_CLASSES = [
    "综合政务",
    "财政、金融、审计",
    "工业、交通",
    "科技、教育",
    "农业、林业、水利",
    "民政、扶贫、救灾",
    "城乡建设、环境保护",
    "公安、安全、司法",
    "国民经济管理、国有资产监管",
    "文化、广电、新闻出版",
]
PEOPLE = ["张敏", "李建国", "王晓燕", "赵立新", "陈文", "刘海波", "周立新", "吴红梅", "郑志强", "孙丽"]
# Two-character place names for varied copies of the demo data entries (示例县 → 示例<place>县).
PLACE_A = "东西南北青白清长安永新太平和兴福宁丰明华康泰顺乐嘉德昌盛"
PLACE_B = "山水河湖川江峰林阳城源溪岭原泉桥塘岗坪湾洲州冈田"

# Shares of the corpus (the rest is policy Markdown)
DATA_SHARE = 0.24  # budget + sangong + land YAML entries
REPORT_SHARE = 0.02
# States of the policy entries that are not published (each share of all policy entries)
UNPUBLISHED = [
    ("draft", 0.015),
    ("in_review", 0.015),
    ("secrecy_failed", 0.005),
    ("on_request", 0.01),
    ("embargoed", 0.005),
    ("withdrawn", 0.005),
]


def place(k: int) -> str:
    a, b = divmod(k, len(PLACE_B))
    name = PLACE_A[a % len(PLACE_A)] + PLACE_B[b]
    return name if a < len(PLACE_A) else f"{name}{a // len(PLACE_A)}"


def review(state: str, written: date, rng: random.Random) -> tuple[str, date]:
    """The review block for one state, and the publication date."""
    d1 = written + timedelta(days=rng.randint(0, 2))
    d2 = d1 + timedelta(days=rng.randint(0, 3))
    d3 = d2 + timedelta(days=rng.randint(0, 3))
    d4 = d3 + timedelta(days=rng.randint(0, 3))
    published = d4 + timedelta(days=rng.randint(1, 6))
    who = rng.sample(PEOPLE, 4)
    drafted = [f"  drafted_by: {who[0]}", f"  drafted_on: {d1}"]
    section = [f"  section_by: {who[1]}", f"  section_on: {d2}"]
    secrecy = [f"  secrecy_by: {who[2]}", f"  secrecy_on: {d3}"]
    approved = [f"  approved_by: {who[3]}", f"  approved_on: {d4}"]
    if state == "draft":
        lines = ["  status: draft", *drafted, "  secrecy: pending"]
    elif state == "in_review":
        lines = ["  status: in_review", *drafted, *section, "  secrecy: pending"]
    elif state == "secrecy_failed":
        lines = ["  status: in_review", *drafted, *section, "  secrecy: failed", *secrecy]
    elif state == "withdrawn":
        lines = [
            "  status: withdrawn",
            *drafted,
            *section,
            "  secrecy: passed",
            *secrecy,
            *approved,
            f"  withdrawn_on: {published + timedelta(days=30)}",
        ]
    else:
        lines = ["  status: approved", *drafted, *section, "  secrecy: passed", *secrecy, *approved]
    return "review:\n" + "\n".join(lines), published


def body_text(rng: random.Random, pool: list[str]) -> str:
    parts = []
    for p in range(rng.randint(3, 9)):
        if p and rng.random() < 0.3:
            parts.append("## " + rng.choice(TOPICS))
        if rng.random() < 0.15:
            parts.append("\n".join(f"{n}. {rng.choice(pool)}" for n in range(1, rng.randint(3, 6))))
        parts.append("".join(rng.choice(pool) for _ in range(rng.randint(2, 6))))
    return "\n\n".join(parts)


def pick_state(rng: random.Random) -> str:
    x = rng.random()
    for state, share in UNPUBLISHED:
        if x < share:
            return state
        x -= share
    return "published"


def prose_entries(count: int, rng: random.Random, pool: list[str], start_seq: int):
    """(relative path, Gongkai text, plain text, state) of `count` Markdown entries."""
    reported: set[tuple[str, int]] = set()
    counts: dict[tuple[str, int], int] = {}

    def seq_in_year(dept: str, year: int) -> int:
        counts[dept, year] = counts.get((dept, year), 1) + 1
        return counts[dept, year]

    for i in range(count):
        column = "report" if rng.random() < REPORT_SHARE / (1 - DATA_SHARE) else "policy"
        year = rng.randint(2016, 2026)
        written = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if written > BUILD_DATE - timedelta(days=40):
            written = BUILD_DATE - timedelta(days=40 + rng.randint(0, 300))
            year = written.year
        state = pick_state(rng)
        block, published = review(state, written, rng)
        if state == "embargoed":
            published = BUILD_DATE + timedelta(days=rng.randint(5, 60))
        d_index = rng.randrange(len(DEPTS))
        dept, abbr = DEPTS[d_index]
        if column == "report":
            # one 年度报告 per department and year (a second is an error); the others are other reports
            if (dept, year) in reported:
                title = f"示例县{dept}{year - 1}年政府信息公开工作情况通报（第{seq_in_year(dept, year)}期）"
            else:
                reported.add((dept, year))
                title = f"示例县{dept}{year - 1}年政府信息公开工作年度报告"
        else:
            title = f"示例县{dept}" + rng.choice(KINDS).format(f"{year}年{rng.choice(TOPICS)}")
        seq = start_seq + i
        meta = [
            f"title: {title}",
            f"index_no: {INDEX_CODES.get(f'示例县{dept}', f'SL{1000000 + d_index:07d}')}/{year}-{seq:05d}",
            f"publisher: 示例县{dept}",
        ]
        if rng.random() < 0.7:
            meta.append(f"doc_no: 示{abbr}发〔{year}〕{rng.randint(1, 300)}号")
        meta += [
            f"column: {column}",
            f"topic: {rng.choice(TOPIC_CLASSES)}",
            f"date_written: {written}",
            f"date_published: {published}",
            "validity: current",
            f"disclosure: {'on_request' if state == 'on_request' else 'proactive'}",
            block,
        ]
        text = body_text(rng, pool)
        rel = f"{column}/{year}-{seq:05d}.md"
        gongkai = "---\n" + "\n".join(meta) + "\n---\n\n" + text + "\n"
        plain_meta = [
            f"Title: {title}",
            f"Date: {published}",
            f"Category: {column}",
            f"Slug: {column}-{year}-{seq:05d}",
        ]
        if state != "published":
            plain_meta.append("Status: draft")
        plain = "\n".join(plain_meta) + "\n\n" + text + "\n"
        yield rel, gongkai, plain, state


def data_groups(count: int):
    """Copies of the demo's budget, sangong and land entries, varied per group so each validates."""
    groups = {col: sorted((DEMO / col).glob("*.yaml")) for col in ("budget", "sangong", "land")}
    made = 0
    k = 0
    while made < count:
        for column, files in groups.items():
            for path in files:
                if made >= count:
                    return
                text = path.read_text(encoding="utf-8")
                text = text.replace("示例县", f"示例{place(k)}县").replace("第1批次", f"第{k + 1}批次")
                yield column, k, path, text
                made += 1
        k += 1


def plain_from_yaml(text: str, column: str, slug: str) -> str:
    import yaml

    data = yaml.safe_load(text)
    body = data.get("body") or data.get("summary") or ""
    return f"Title: {data['title']}\nDate: {data['date_published']}\nCategory: {column}\nSlug: {slug}\n\n{body}\n"


def generate(count: int, dest: Path) -> dict[str, int]:
    """Write the corpus of `count` entries into dest/gongkai and dest/plain; returns counts by state."""
    rng = random.Random(20251101 + count)
    pool = sentences()
    if dest.exists():
        shutil.rmtree(dest)
    project, plain = dest / "gongkai", dest / "plain"
    (project / "content").mkdir(parents=True)
    (plain / "content").mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("theme", "plugins", "node_modules", "structure"):
        if (ROOT / name).exists():
            (project / name).symlink_to(ROOT / name)
    for sub in ("pages", "files"):
        shutil.copytree(DEMO / sub, project / "content" / sub)
    (plain / "plainconf.py").write_text(
        'AUTHOR = "示例县"\nSITENAME = "示例县人民政府信息公开"\nTIMEZONE = "Asia/Shanghai"\n'
        'DEFAULT_LANG = "zh"\nPATH = "content"\n',
        encoding="utf-8",
    )
    states: dict[str, int] = {}
    n_data = int(count * DATA_SHARE)
    seq = 0
    for column, k, path, text in data_groups(n_data):
        seq += 1
        # a unique 索引号 per copy: code of the office, year, a sequence of its own
        text = re.sub(
            r"^index_no: (\w+)/(\d{4})-\d+$",
            lambda m, seq=seq: f"index_no: {m[1]}/{m[2]}-{60000 + seq:05d}",
            text,
            count=1,
            flags=re.M,
        )
        slug = f"g{k:04d}-{path.stem}"
        (project / "content" / column).mkdir(exist_ok=True)
        (project / "content" / column / f"{slug}.yaml").write_text(text, encoding="utf-8")
        (plain / "content" / column).mkdir(exist_ok=True)
        (plain / "content" / column / f"{slug}.md").write_text(
            plain_from_yaml(text, column, f"{column}-{slug}"), encoding="utf-8"
        )
        states["published"] = states.get("published", 0) + 1
    for rel, gongkai, plain_text, state in prose_entries(count - n_data, rng, pool, 1):
        for base, text in ((project, gongkai), (plain, plain_text)):
            target = base / "content" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        states[state] = states.get(state, 0) + 1
    return states


if __name__ == "__main__":
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    print(generate(n, out))
