"""Limits and clear errors (issue 15, deliverable 6): hostile YAML, a malformed SOURCE_DATE_EPOCH,
索引号 in disguise. Each is refused with a Chinese `path:line:` message (or one naming the
variable), exit code 1, never a traceback, quickly and in bounded memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from conftest import EPOCH, entry, make_project, run_cli

MEMORY_LIMIT = 2 << 30  # bytes of data segment for a whole `check`: a bomb would need far more
FIRST_EXTRA_LINE = 9  # in entry()'s front matter: ---, title … disclosure take lines 1-8


def _bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines)


def _nested_block(depth: int) -> str:
    return "\n".join(" " * i + f"k{i}:" for i in range(depth)) + " x"


ANCHOR = "不支持 YAML 锚点/别名（&、*）"
TAG = "不支持 YAML 标签（以“!”开头的写法）"
# name -> (lines added to a Markdown entry's front matter, line of the problem, what it says)
YAML_CASES = {
    "bomb": (_bomb(), FIRST_EXTRA_LINE, ANCHOR),
    "bomb-late": ("topic: 交通\n" + _bomb(), FIRST_EXTRA_LINE + 1, ANCHOR),
    "recursive-list": ("loop: &a [*a]", FIRST_EXTRA_LINE, ANCHOR),
    "recursive-map": ("loop: &m\n  self: *m", FIRST_EXTRA_LINE, ANCHOR),
    "alias-undefined": ("topic: *nowhere", FIRST_EXTRA_LINE, ANCHOR + "：这里引用了“*nowhere”"),
    "anchor-only": ("topic: &t 交通", FIRST_EXTRA_LINE, ANCHOR + "：这里定义了“&t”"),
    "anchor-on-review": (None, FIRST_EXTRA_LINE, ANCHOR),  # &r on the review: mapping itself
    "python-object": (
        'topic: !!python/object/apply:os.system ["echo pwned"]',
        FIRST_EXTRA_LINE,
        TAG + "：“!!python/object/apply:os.system”",
    ),
    "binary": ("topic: !!binary aGVsbG8=", FIRST_EXTRA_LINE, TAG + "：“!!binary”"),
    "local-tag": ("topic: !local 交通", FIRST_EXTRA_LINE, TAG + "：“!local”"),
    "verbatim-tag": ("topic: !<tag:example.org,2025:x> 交通", FIRST_EXTRA_LINE, TAG),
    "int-tag": ("topic: !!int 5", FIRST_EXTRA_LINE, TAG),
    "bare-tag": ("topic: ! 交通", FIRST_EXTRA_LINE, TAG + "：“!”"),
    "merge": ("extra_block:\n  <<: {a: 1}", FIRST_EXTRA_LINE + 1, "不支持 YAML 合并键“<<”"),
    "deep-flow": ("deep: " + "[" * 200 + "]" * 200, FIRST_EXTRA_LINE, "嵌套层数过多"),
    "deep-flow-libyaml": ("deep: " + "[" * 1200 + "]" * 1200, FIRST_EXTRA_LINE, "嵌套层数过多"),
    "deep-block": (_nested_block(40), FIRST_EXTRA_LINE + 33, "嵌套层数过多（超过 32 层）"),
    "huge": ("topic: " + "长" * (1 << 20), 2, "YAML 内容过长"),
    "duplicate-key": ("title: 第二个标题", FIRST_EXTRA_LINE, "键“title”重复出现（第2行已有）"),
}


def _yaml_project(tmp_path: Path) -> Path:
    files = {"policy/ok.md": entry(title="示例县正常的通知", body="正文 & 说明 * 一项！")}
    for name, (extra, _, _) in YAML_CASES.items():
        if extra is None:  # the anchor sits on a key entry() writes itself
            text = entry(title=f"条目{name}").replace("review:\n", "review: &r\n", 1)
        else:
            text = entry(title=f"条目{name}", extra=extra)
        files[f"policy/{name}.md"] = text
    # a whole-file YAML entry: lines count from 1, no front-matter offset
    meta = entry(title="表格条目", extra="topic: *x").split("---\n")[1]
    files["policy/table.yaml"] = meta
    return make_project(tmp_path, files)


def _run_limited(project: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    return done, time.monotonic() - start


def test_hostile_yaml_is_refused_with_its_line_fast_and_in_bounded_memory(tmp_path):
    project = _yaml_project(tmp_path)
    check, seconds = _run_limited(project, "check")
    shown = check.stdout + check.stderr
    assert check.returncode == 1, shown[-3000:]
    assert "Traceback" not in shown and "程序内部错误" not in shown and "MemoryError" not in shown
    assert seconds < 60, seconds
    lines = shown.splitlines()
    for name, (_, line, message) in YAML_CASES.items():
        prefix = f"content/policy/{name}.md:{line}: "
        assert any(x.startswith(prefix) and message in x for x in lines), (
            name,
            [x for x in lines if name in x],
        )
    assert any(x.startswith("content/policy/table.yaml:8: " + ANCHOR) for x in lines), lines
    assert not any(x.startswith("content/policy/ok.md") for x in lines)

    publish, seconds = _run_limited(project, "publish", "--output", "output")
    assert publish.returncode == 1
    assert "Traceback" not in publish.stderr and "程序内部错误" not in publish.stderr
    assert f"content/policy/bomb.md:{FIRST_EXTRA_LINE}: {ANCHOR}" in publish.stderr
    assert not (project / "output").exists()
    assert seconds < 90, seconds


# ---- SOURCE_DATE_EPOCH ------------------------------------------------------------------------

BAD_EPOCHS = [
    "abc",
    "-1",
    "1e9",
    " 123",
    "123 ",
    "1793505600.0",
    "0x6AE6B500",
    "+1793505600",
    "1_793_505_600",
    "99999999999999999999999",
    "",
    "１７９３５０５６００",
    "١٧٩٣٥٠٥٦٠٠",
    "1793505600\n",
    "32503651200",
]
COMMANDS = [
    ("check",),
    ("status",),
    ("build", "--output", "output"),
    ("publish", "--output", "output"),
    ("preview", "--output", "preview"),
    ("mirror", "../mirror"),
    ("zim", "../site.zim"),
    ("verify", "../mirror"),
    ("new", "policy", "新的通知"),
    ("serve", "--port", "0", "--no-build", "--no-watch"),
    ("audit", "--no-site"),
]


def _leftovers(project: Path) -> list[str]:
    made = [p.name for p in project.parent.iterdir() if p.name not in ("site",)]
    made += [p.name for p in project.iterdir() if p.name in ("output", "preview", "audit-report", ".gongkai")]
    made += [
        p.relative_to(project).as_posix() for p in (project / "content").rglob("*.md") if p.name != "ok.md"
    ]
    return made


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    cases = [(value, COMMANDS[i % len(COMMANDS)]) for i, value in enumerate(BAD_EPOCHS)]
    cases += [("abc", command) for command in COMMANDS[len(BAD_EPOCHS) % len(COMMANDS) :]]
    return cases


def test_a_malformed_source_date_epoch_is_one_message_naming_it_from_every_command(tmp_path):
    project = make_project(tmp_path, {"policy/ok.md": entry(title="示例县正常的通知")})
    for value, command in _cases():
        result = run_cli(project, *command, epoch=value, timeout=120)
        shown = result.stdout + result.stderr
        assert result.returncode == 1, (value, command, shown)
        assert "环境变量 SOURCE_DATE_EPOCH 的值“" in result.stderr and "无效：" in result.stderr, (
            value,
            command,
            shown,
        )
        assert "Traceback" not in shown and "程序内部错误" not in shown, (value, command)
        assert _leftovers(project) == [], (value, command)
    report = subprocess.run(
        [sys.executable, "-m", "gongkai_cli.annual_report", "2025"],
        cwd=project,
        env=dict(os.environ, SOURCE_DATE_EPOCH="1e9"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.returncode == 1 and "环境变量 SOURCE_DATE_EPOCH 的值“1e9”无效" in report.stderr
    assert "Traceback" not in report.stderr
    for good in (EPOCH, "0001793505600"):  # what `date +%s` prints (leading zeros harmless) still works
        fine = run_cli(project, "status", epoch=good)
        assert fine.returncode == 0 and "截至 2026-11-01" in fine.stdout, fine.stderr


# ---- 索引号 in disguise ------------------------------------------------------------------------

BASE = "SL0000001/2025-00012"
DISGUISED = {  # file -> index_no a reader takes for BASE
    "lower": "sl0000001/2025-00012",
    "mixed": "Sl0000001/2025-00012",
    "zeros": "SL0000001/2025-012",
    "fullwidth": "ＳＬ0000001/２０２５-00012",
    "fullwidth-punct": "SL0000001／2025－00012",
    "zero-width": "SL0000001/2025\u200b-00012",
    "arabic-digits": "SL0000001/٢٠٢٥-00012",
    "trailing-bidi": "SL0000001/2025-00012\u200e",
}


def test_index_numbers_that_differ_only_in_disguise_are_refused(build_site, tmp_path):
    files = {
        "policy/base.md": entry(title="原始条目", index_no=BASE),
        "policy/other.md": entry(title="另一个编号", index_no="SL0000001/2025-00013"),
    }
    for name, index_no in DISGUISED.items():
        files[f"policy/{name}.md"] = entry(title=f"伪装{name}", index_no=f'"{index_no}"')
    project = make_project(tmp_path, files)
    check = run_cli(project, "check")
    assert check.returncode == 1
    lines = (check.stdout + check.stderr).splitlines()
    for name in DISGUISED:  # a duplicate, or refused as no valid 索引号 at all: never a new number
        assert any(
            x.startswith(f"content/policy/{name}.md:3: ") and x.endswith("(index_no)") for x in lines
        ), (name, [x for x in lines if name in x])
    for name in ("lower", "mixed", "zeros"):  # valid in form: caught as the same number
        assert any(
            x.startswith(
                f"content/policy/{name}.md:3: 索引号“{DISGUISED[name]}”与 content/policy/base.md:3 "
                f"的“{BASE}”重复"
            )
            for x in lines
        ), name
        assert any(
            x.startswith(f"content/policy/base.md:3: 索引号“{BASE}”与 content/policy/{name}.md:3 ")
            for x in lines
        ), name
    assert not any(x.startswith("content/policy/other.md") for x in lines)
    assert "Traceback" not in check.stderr

    published = run_cli(project, "publish", "--output", "output")
    assert published.returncode == 1 and not (project / "output").exists()
    site = build_site({}, project=project)  # the lenient build leaves every clashing entry out
    assert site.exit_code == 0, site.stderr
    assert site.exists("policy/other.html")
    for name in ("base", *DISGUISED):
        assert not site.exists(f"policy/{name}.html"), name
