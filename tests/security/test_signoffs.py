"""Sign-offs by nobody: invisible names, one person signing several steps, rosters, git identities.

Each class is one project built for real (check, build, publish); each variant is one entry in it
and is asserted on the message (file:line, key), the exit code and the output tree.
"""

from __future__ import annotations

import os
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import entry, make_project, run_cli


def quoted(name: str) -> str:
    """A YAML double-quoted string with every non-ASCII character escaped: the exact code points."""
    out = []
    for ch in name:
        cp = ord(ch)
        out.append(
            ch if 0x20 <= cp < 0x7F and ch not in '"\\' else f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"
        )
    return '"' + "".join(out) + '"'


def review(
    drafted="张三", section="李四", secrecy="王五", approved="赵六", status="approved", extra=""
) -> str:
    """A review block; names are written as YAML double-quoted strings, so escapes give exact code points."""
    lines = ["review:", f"  status: {status}"]
    for key, name, day in (
        ("drafted", drafted, 20),
        ("section", section, 21),
        ("secrecy", secrecy, 22),
        ("approved", approved, 23),
    ):
        if key == "secrecy":
            lines.append("  secrecy: passed")
        lines += [f"  {key}_by: {quoted(name)}", f"  {key}_on: 2025-01-{day}"]
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def line_of(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.strip().startswith(f"{key}:"))


def canary_entry(canary: str, **names) -> str:
    return entry(title=f"示例县签字测试{canary}", body=f"正文{canary}。", review=review(**names))


# --- 1. names made of nothing -------------------------------------------------------------------------

INVISIBLE = {
    "zwsp": "\u200b",  # zero-width space
    "ideographic_space": "\u3000",
    "ideographic_spaces": "\u3000\u3000\u3000",
    "nbsp": "\u00a0",
    "en_spaces": "\u2002\u2003\u2009",
    "hangul_filler": "\u3164",
    "hangul_jamo_fillers": "\u115f\u1160",
    "halfwidth_hangul_filler": "\uffa0",
    "braille_blank": "\u2800",
    "combining_only": "\u0301\u0308",
    "enclosing_mark_only": "\u20dd",
    "bidi_marks": "\u200e\u200f",
    "bidi_override_name": "\u202e六赵",
    "bidi_isolates": "\u2066\u2069",
    "word_joiner": "\u2060",
    "bom": "\ufeff",
    "soft_hyphen": "\u00ad",
    "tags": "\U000e0041\U000e0042",
    "variation_selector": "\ufe0f",
    "cgj": "\u034f",
    "mongolian_vowel_separator": "\u180e",
    "khmer_inherent": "\u17b4\u17b5",
    "zwj_zwnj": "\u200d\u200c",
    "visible_plus_zwsp": "赵\u200b六",  # a real name with an invisible character in it: refused, not cleaned
    "visible_plus_rlm": "赵六\u200f",
    "visible_plus_hangul_filler": "赵六\u3164",
    "private_use": "\ue000\ue001",
    "symbols_only": "——",
    "digits_only": "１２３",
    "modifier_letter_only": "\u02bc",
    "mixed_script_homoglyph": "Ivаn",  # Cyrillic а among Latin letters
    "zalgo": "赵" + "\u0301" * 6,
    "too_long": "赵" * 40,
}

SAME_PERSON = {
    # (names for the four steps, the step that repeats an earlier one, the earlier step)
    "section_is_drafter": ({"section": "张三"}, "section", "drafted"),
    "approver_is_drafter": ({"approved": "张三"}, "approved", "drafted"),
    "spaced": ({"secrecy": "张 三"}, "secrecy", "drafted"),
    "ideographic_space_inside": ({"approved": "张\u3000三"}, "approved", "drafted"),
    "traditional": ({"section": "張三"}, "section", "drafted"),
    "fullwidth_latin": ({"drafted": "Li Wei", "approved": "ＬＩ ＷＥＩ"}, "approved", "drafted"),
    "case": ({"drafted": "Li Wei", "section": "liwei"}, "section", "drafted"),
    "middle_dot": ({"drafted": "阿依古丽·买买提", "secrecy": "阿依古丽买买提"}, "secrecy", "drafted"),
    "secrecy_is_section": ({"secrecy": "李四"}, "secrecy", "section"),
}


@pytest.fixture(scope="module")
def names_project(tmp_path_factory):
    files = {"policy/good.md": canary_entry("GOODSIGN")}
    for key, name in INVISIBLE.items():
        files[f"policy/invisible-{key.replace('_', '-')}.md"] = canary_entry(
            f"INV{key.upper()}", section=name
        )
    for key, (names, _dup, _first) in SAME_PERSON.items():
        files[f"policy/same-{key.replace('_', '-')}.md"] = canary_entry(f"DUP{key.upper()}", **names)
    files["policy/all-four.md"] = canary_entry(
        "ALLFOUR", drafted="张三", section="张三", secrecy="张三", approved="张三"
    )
    files["policy/withdrawn-same.md"] = entry(
        title="示例县签字测试WITHDRAWNSAME",
        review=review(approved="张三", status="withdrawn", extra="  withdrawn_on: 2025-03-01"),
    )
    project = make_project(tmp_path_factory.mktemp("names"), files)
    checked = run_cli(project, "check")
    built = run_cli(project, "build", "--output", "output")
    published = run_cli(project, "publish", "--output", "public")
    return project, files, checked, built, published


def _problem_lines(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).split("\n") if line.startswith("content/")]


@pytest.mark.parametrize("key", sorted(INVISIBLE))
def test_invisible_names_are_refused(names_project, key):
    project, files, checked, built, published = names_project
    rel = f"policy/invisible-{key.replace('_', '-')}.md"
    line = line_of(files[rel], "section_by")
    expected = f"content/{rel}:{line}: “科室负责人审核”签字人“"
    for result in (checked, published):
        assert result.returncode == 1
        hits = [p for p in _problem_lines(result) if p.startswith((expected, f"content/{rel}:{line}: "))]
        assert hits, (key, result.stdout[-3000:], result.stderr[-3000:])
        assert all("(review.section_by)" in p for p in hits)
        # what the editor reads names the character, and no raw invisible character is echoed
        assert not any(ch in "".join(hits) for ch in "\u200b\u200e\u200f\u2060\ufeff\u3164\u2800\u115f\u00ad")
    assert built.returncode == 0
    canary = f"INV{key.upper()}"
    leaks = [p for p in (project / "output").rglob("*") if p.is_file() and canary.encode() in p.read_bytes()]
    assert leaks == []
    assert not (project / "public").exists()  # publish failed: nothing written


def test_invisible_name_message_is_specific(names_project):
    _project, files, checked, _built, _published = names_project
    text = "\n".join(_problem_lines(checked))
    line = line_of(files["policy/invisible-zwsp.md"], "section_by")
    assert (
        f"content/policy/invisible-zwsp.md:{line}: “科室负责人审核”签字人“\\u200b”含有不可见的字符 U+200B（零宽空格），"
        "不是可见的姓名"
    ) in text
    assert "“\\u3000”没有任何文字，不是可见的姓名" in text
    assert "混用了不同的文字（拉丁字母、西里尔字母）" in text
    assert "过长（40 个字符，最多 32 个）" in text


@pytest.mark.parametrize("key", sorted(SAME_PERSON))
def test_one_person_cannot_sign_two_steps(names_project, key):
    project, files, checked, _built, published = names_project
    _names, dup, first = SAME_PERSON[key]
    rel = f"policy/same-{key.replace('_', '-')}.md"
    dup_line, first_line = line_of(files[rel], f"{dup}_by"), line_of(files[rel], f"{first}_by")
    for result in (checked, published):
        assert result.returncode == 1
        hits = [p for p in _problem_lines(result) if p.startswith(f"content/{rel}:{dup_line}: ")]
        assert len(hits) == 1, (key, result.stdout[-2000:])
        assert f"（{dup}_by）与第 {first_line} 行" in hits[0] and f"（{first}_by）是同一人" in hits[0]
        assert "四个审核环节须由四个不同的人签字" in hits[0] and hits[0].endswith(f"(review.{dup}_by)")
    canary = f"DUP{key.upper()}"
    assert [
        p for p in (project / "output").rglob("*") if p.is_file() and canary.encode() in p.read_bytes()
    ] == []


def test_all_four_steps_by_one_person_and_withdrawn(names_project):
    project, files, checked, built, _published = names_project
    problems = _problem_lines(checked)
    all_four = [p for p in problems if p.startswith("content/policy/all-four.md:")]
    assert len(all_four) == 3  # section, secrecy and approved each repeat the drafter
    for key in ("section", "secrecy", "approved"):
        assert any(
            p.startswith(f"content/policy/all-four.md:{line_of(files['policy/all-four.md'], key + '_by')}: ")
            for p in all_four
        )
    # a withdrawn entry was approved once: the same rule applies, and it leaves no notice page
    assert any(p.startswith("content/policy/withdrawn-same.md:") and "是同一人" in p for p in problems)
    out = project / "output"
    assert not (out / "policy" / "all-four.html").exists()
    assert not (out / "policy" / "withdrawn-same.html").exists()
    # the one entry signed by four different visible names is published
    assert built.returncode == 0
    assert b"GOODSIGN" in (out / "policy" / "good.html").read_bytes()


# --- 2. rosters --------------------------------------------------------------------------------------

ROSTER = {"section": ["李四", "刘建国"], "secrecy": ["王五"], "approved": ["趙六", "王振华"]}


def test_roster_accepts_listed_names_and_refuses_others(tmp_path):
    files = {
        "policy/listed.md": canary_entry("ROSTEROK"),  # 赵六 is the roster's 趙六 (Traditional) = same person
        "policy/listed-spaced.md": canary_entry(
            "ROSTEROK2", drafted="任何人", section="刘 建国", approved="王振华"
        ),
        "policy/not-approver.md": canary_entry("ROSTERBAD1", approved="钱七"),
        "policy/not-secrecy.md": canary_entry("ROSTERBAD2", secrecy="孙八"),
        "policy/lookalike.md": canary_entry("ROSTERBAD3", approved="赵 六六"),
    }
    project = make_project(tmp_path, files)
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nGONGKAI_SIGNOFF_ROSTER = {ROSTER!r}\n")
    checked = run_cli(project, "check")
    published = run_cli(project, "publish", "--output", "public")
    built = run_cli(project, "build", "--output", "output")
    for result in (checked, published):
        assert result.returncode == 1
        problems = _problem_lines(result)
        bad = {p.split(":", 1)[0] for p in problems}
        assert bad == {
            "content/policy/not-approver.md",
            "content/policy/not-secrecy.md",
            "content/policy/lookalike.md",
        }
        line = line_of(files["policy/not-approver.md"], "approved_by")
        assert any(
            p.startswith(
                f"content/policy/not-approver.md:{line}: “单位主要负责人审定”签字人“钱七”不在单位主要负责人名单"
                f'（GONGKAI_SIGNOFF_ROSTER["approved"]：趙六、王振华）中'
            )
            for p in problems
        ), problems
        assert any(
            "“保密审查”签字人“孙八”不在保密审查人名单" in p and p.endswith("(review.secrecy_by)")
            for p in problems
        )
    assert not (project / "public").exists()
    assert built.returncode == 0
    out = project / "output"
    assert b"ROSTEROK" in (out / "policy" / "listed.html").read_bytes()
    assert b"ROSTEROK2" in (out / "policy" / "listed-spaced.html").read_bytes()
    for canary in ("ROSTERBAD1", "ROSTERBAD2", "ROSTERBAD3"):
        assert [p for p in out.rglob("*") if p.is_file() and canary.encode() in p.read_bytes()] == []


BAD_SETTINGS = {
    "unknown_role": ("GONGKAI_SIGNOFF_ROSTER = {'chief': ['王五']}", "未知的环节“chief”"),
    "chinese_role": (
        "GONGKAI_SIGNOFF_ROSTER = {'单位主要负责人': ['王五']}",
        "请把“单位主要负责人”改为“approved”",
    ),
    "not_a_dict": ("GONGKAI_SIGNOFF_ROSTER = ['王五']", "应为 {环节: 名单} 的字典"),
    "names_not_list": ("GONGKAI_SIGNOFF_ROSTER = {'approved': '王五'}", "应为姓名列表"),
    "invisible_roster_name": ("GONGKAI_SIGNOFF_ROSTER = {'approved': ['\\u200b']}", "不是可见的姓名"),
    "empty_role": ("GONGKAI_SIGNOFF_ROSTER = {'approved': []}", "名单为空"),
    "git_not_bool": ("GONGKAI_SIGNOFF_GIT = 'yes'", "可选值：True"),
    "git_without_roster": (
        "GONGKAI_SIGNOFF_GIT = True",
        "严格模式（GONGKAI_SIGNOFF_GIT = True）须为每个环节配置名单",
    ),
    "git_without_emails": (
        (
            "GONGKAI_SIGNOFF_GIT = True\nGONGKAI_SIGNOFF_ROSTER = {r: ['王五'] for r in "
            "('drafted', 'section', 'secrecy', 'approved')}"
        ),
        "严格模式须写明每人的 git 身份",
    ),
    "bad_email": ("GONGKAI_SIGNOFF_ROSTER = {'approved': {'王五': 'not an email'}}", "git 身份应为邮箱"),
}


@pytest.mark.parametrize(
    "key", ["unknown_role", "git_without_emails", "bad_email"]
)  # all: tests/unit/test_signoff.py
def test_bad_signoff_settings_are_clear_errors(tmp_path, key):
    setting, message = BAD_SETTINGS[key]
    project = make_project(tmp_path, {"policy/a.md": canary_entry("SETTINGS")})
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write("\n" + setting + "\n")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "配置项 GONGKAI_SIGNOFF_" in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_bad_signoff_settings_stop_the_build(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": canary_entry("SETTINGSBUILD")})
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write("\nGONGKAI_SIGNOFF_ROSTER = {'chief': ['王五']}\n")
    result = run_cli(project, "publish", "--output", "public")
    assert result.returncode == 1
    assert "未知的环节“chief”" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "public").exists()


# --- 3. strict mode: each sign-off committed by its signer's git identity ---------------------------------

PEOPLE = {
    "drafted": ("张三", "zhang@example.gov.cn"),
    "section": ("李四", "li@example.gov.cn"),
    "secrecy": ("王五", "wang@example.gov.cn"),
    "approved": ("赵六", "zhao@example.gov.cn"),
}
MALLORY = ("钱七", "qian@example.gov.cn")
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(project: Path, *args: str, who=None, author=None, env: dict | None = None) -> str:
    run_env = dict(os.environ, **GIT_ENV, **(env or {}))
    for var in list(run_env):
        if var.startswith("GIT_") and var not in GIT_ENV and var not in (env or {}):
            del run_env[var]
    if who:
        run_env.update(
            GIT_COMMITTER_NAME=who[0],
            GIT_COMMITTER_EMAIL=who[1],
            GIT_AUTHOR_NAME=(author or who)[0],
            GIT_AUTHOR_EMAIL=(author or who)[1],
        )
    done = subprocess.run(
        ["git", *args], cwd=project, env=run_env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def staged_entry(canary: str, upto: str | None, names: dict | None = None) -> str:
    """The entry as it stands after the step `upto` signed (None: drafted only, in review)."""
    names = names or {role: person[0] for role, person in PEOPLE.items()}
    order = ["drafted", "section", "secrecy", "approved"]
    done = order[: order.index(upto) + 1] if upto else ["drafted"]
    lines = ["review:", f"  status: {'approved' if 'approved' in done else 'in_review'}"]
    for role, day in zip(order, (20, 21, 22, 23)):
        if role == "secrecy":
            lines.append(f"  secrecy: {'passed' if 'secrecy' in done else 'pending'}")
        if role in done:
            lines += [f"  {role}_by: {names[role]}", f"  {role}_on: 2025-01-{day}"]
    return entry(
        title=f"示例县严格签字{canary}",
        body=f"正文{canary}。",
        index_no=f"SL0000009/2025-{zlib.crc32(canary.encode()) % 99999:05d}",
        review="\n".join(lines),
    )


def sign_in_steps(
    project: Path, rel: str, canary: str, signers: dict | None = None, names: dict | None = None
):
    """Write the entry step by step, each step committed by `signers[step]` (default: the right person)."""
    path = project / "content" / rel
    for step in (None, "section", "secrecy", "approved"):
        path.write_text(staged_entry(canary, step, names), encoding="utf-8")
        who = (signers or {}).get(step or "drafted", PEOPLE[step or "drafted"])
        author = None
        if isinstance(who, dict):  # {"committer": …, "author": …}
            who, author = who["committer"], who["author"]
        git(project, "add", str(path))
        git(project, "commit", "-q", "-m", f"{rel}: {step or 'drafted'}", who=who, author=author)


@pytest.fixture(scope="module")
def strict_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("strict"), {})
    roster = {role: {name: email} for role, (name, email) in PEOPLE.items()}
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nGONGKAI_SIGNOFF_ROSTER = {roster!r}\nGONGKAI_SIGNOFF_GIT = True\n")
    git(project, "init", "-q", "-b", "main")
    (project / ".gitignore").write_text(".gongkai/\noutput/\npublic/\n", encoding="utf-8")
    git(project, "add", ".gitignore", "pelicanconf.py", "publishconf.py")
    git(project, "commit", "-q", "-m", "settings", who=("管理员", "admin@example.gov.cn"))
    (project / "content" / "policy").mkdir(parents=True)
    # signed by the right people, each step their own commit
    sign_in_steps(project, "policy/right.md", "STRICTRIGHT")
    # every line written and committed by the drafter
    sign_in_steps(project, "policy/forged.md", "STRICTFORGED", signers={s: PEOPLE["drafted"] for s in PEOPLE})
    # the approver's e-mail as author, committed by someone else
    sign_in_steps(
        project,
        "policy/author-only.md",
        "STRICTAUTHOR",
        signers={"approved": {"committer": MALLORY, "author": PEOPLE["approved"]}},
    )
    # an editor's .mailmap that maps their e-mail to the approver's: git must not be fooled by it
    (project / ".mailmap").write_text(f"赵六 <{PEOPLE['approved'][1]}> <{MALLORY[1]}>\n", encoding="utf-8")
    git(project, "add", ".mailmap")
    git(project, "commit", "-q", "-m", "mailmap", who=MALLORY)
    sign_in_steps(project, "policy/mailmap.md", "STRICTMAILMAP", signers={"approved": MALLORY})
    # approved properly, then the body changed by the drafter
    sign_in_steps(project, "policy/changed-after.md", "STRICTCHANGED")
    changed = project / "content" / "policy" / "changed-after.md"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("正文STRICTCHANGED。", "正文STRICTCHANGED，已改动。"),
        encoding="utf-8",
    )
    git(project, "commit", "-q", "-am", "edit after approval", who=PEOPLE["drafted"])
    # approved, the body changed by the drafter, then every reviewer signed again (a later date): accepted
    sign_in_steps(project, "policy/resigned.md", "STRICTRESIGNED")
    resigned = project / "content" / "policy" / "resigned.md"
    resigned.write_text(
        resigned.read_text(encoding="utf-8").replace("。", "。补充一句。", 1), encoding="utf-8"
    )
    git(project, "commit", "-q", "-am", "edit after approval", who=PEOPLE["drafted"])
    for role, old, new in (("section", "21", "25"), ("secrecy", "22", "26"), ("approved", "23", "27")):
        resigned.write_text(
            resigned.read_text(encoding="utf-8").replace(
                f"{role}_on: 2025-01-{old}", f"{role}_on: 2025-01-{new}"
            ),
            encoding="utf-8",
        )
        git(project, "commit", "-q", "-am", f"{role} signs again", who=PEOPLE[role])
    # a review note added after the approval: only the approver can make that the approved file again...
    for rel, canary in (("policy/note-after.md", "STRICTNOTE"), ("policy/note-resigned.md", "STRICTSAMEDAY")):
        sign_in_steps(project, rel, canary)
        path = project / "content" / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "  status: approved\n", "  status: approved\n  note: 请审定\n"
            ),
            encoding="utf-8",
        )
        git(project, "commit", "-q", "-am", "note", who=PEOPLE["drafted"])
    # ... which the approver does on the same day, without changing a sign-off line of theirs
    path = project / "content" / "policy" / "note-resigned.md"
    path.write_text(path.read_text(encoding="utf-8").replace("note: 请审定", "note: 同意"), encoding="utf-8")
    git(project, "commit", "-q", "-am", "approver's note", who=PEOPLE["approved"])
    # signed by the right people, then the approval lines edited but not committed
    sign_in_steps(project, "policy/uncommitted.md", "STRICTUNCOMMITTED")
    uncommitted = project / "content" / "policy" / "uncommitted.md"
    uncommitted.write_text(
        uncommitted.read_text(encoding="utf-8").replace("approved_on: 2025-01-23", "approved_on: 2025-01-24"),
        encoding="utf-8",
    )
    # never committed at all
    (project / "content" / "policy" / "untracked.md").write_text(
        staged_entry("STRICTUNTRACKED", "approved"), encoding="utf-8"
    )
    published = run_cli(project, "publish", "--output", "public", env_extra=GIT_ENV)
    built = run_cli(project, "build", "--output", "output", env_extra=GIT_ENV)
    return project, published, built


def _problems_of(result, rel: str) -> list[str]:
    return [p for p in _problem_lines(result) if p.startswith(f"content/{rel}:")]


def test_strict_mode_publishes_signoffs_committed_by_their_signers(strict_project):
    project, published, built = strict_project
    assert published.returncode == 1
    assert _problems_of(published, "policy/right.md") == []
    assert _problems_of(published, "policy/resigned.md") == []
    assert _problems_of(published, "policy/note-resigned.md") == []
    assert built.returncode == 0
    out = project / "output"
    assert b"STRICTRIGHT" in (out / "policy" / "right.html").read_bytes()
    assert "STRICTRESIGNED。补充一句".encode() in (out / "policy" / "resigned.html").read_bytes()
    assert b"STRICTSAMEDAY" in (out / "policy" / "note-resigned.html").read_bytes()
    assert not (project / "public").exists()


@pytest.mark.parametrize(
    "rel, canary, expected",
    [
        (
            "policy/forged.md",
            "STRICTFORGED",
            [
                "“科室负责人审核”签字（section_by / section_on）不是由李四本人（git 身份 li@example.gov.cn）提交的",
                "作者 zhang@example.gov.cn，提交者 zhang@example.gov.cn",
                "“单位主要负责人审定”签字（approved_by / approved_on）不是由赵六本人",
            ],
        ),
        (
            "policy/author-only.md",
            "STRICTAUTHOR",
            [
                "不是由赵六本人（git 身份 zhao@example.gov.cn）提交的",
                "作者 zhao@example.gov.cn，提交者 qian@example.gov.cn",
            ],
        ),
        (
            "policy/mailmap.md",
            "STRICTMAILMAP",
            [
                "不是由赵六本人（git 身份 zhao@example.gov.cn）提交的",
                "作者 qian@example.gov.cn，提交者 qian@example.gov.cn",
            ],
        ),
        (
            "policy/changed-after.md",
            "STRICTCHANGED",
            [
                "本文件在审定签字的提交",
                "之后又有改动",
                "在“保密审查”签字的提交",
                "签字须针对将要公开的这份内容",
            ],
        ),
        ("policy/note-after.md", "STRICTNOTE", ["本文件在审定签字的提交", "公开的须是审定的这份内容"]),
        (
            "policy/uncommitted.md",
            "STRICTUNCOMMITTED",
            ["“单位主要负责人审定”签字（approved_by / approved_on）尚未提交到 git"],
        ),
        ("policy/untracked.md", "STRICTUNTRACKED", ["文件尚未提交到 git"]),
    ],
)
def test_strict_mode_refuses_signoffs_not_committed_by_their_signers(strict_project, rel, canary, expected):
    project, published, built = strict_project
    for result in (published, built):
        problems = _problems_of(result, rel)
        assert problems, (rel, result.stderr[-3000:])
        text = "\n".join(problems)
        for part in expected:
            assert part in text, (part, text)
    assert [
        p for p in (project / "output").rglob("*") if p.is_file() and canary.encode() in p.read_bytes()
    ] == []


def test_strict_check_counts_uncommitted_lines_as_the_current_identity(strict_project):
    """A pre-commit hook: the approver about to commit their sign-off passes, anyone else does not."""
    project, _published, _built = strict_project
    approver = {
        "GIT_AUTHOR_NAME": "赵六",
        "GIT_AUTHOR_EMAIL": PEOPLE["approved"][1],
        "GIT_COMMITTER_NAME": "赵六",
        "GIT_COMMITTER_EMAIL": PEOPLE["approved"][1],
    }
    as_approver = run_cli(project, "check", env_extra={**GIT_ENV, **approver})
    assert _problems_of(as_approver, "policy/uncommitted.md") == []
    assert _problems_of(as_approver, "policy/right.md") == []
    other = {k: v.replace("zhao", "qian").replace("赵六", "钱七") for k, v in approver.items()}
    as_other = run_cli(project, "check", env_extra={**GIT_ENV, **other})
    assert as_other.returncode == 1
    problems = "\n".join(_problems_of(as_other, "policy/uncommitted.md"))
    assert "尚未提交到 git" in problems and "您当前的 git 身份是 qian@example.gov.cn" in problems
    assert _problems_of(as_other, "policy/forged.md")  # committed history is judged the same for everyone


def test_strict_mode_outside_git_is_refused(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": canary_entry("NOGIT")})
    roster = {role: {name: email} for role, (name, email) in PEOPLE.items()}
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nGONGKAI_SIGNOFF_ROSTER = {roster!r}\nGONGKAI_SIGNOFF_GIT = True\n")
    env = {**GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = run_cli(project, "publish", "--output", "public", env_extra=env)
    assert result.returncode == 1
    assert "content/policy/a.md:" in result.stderr and "无法核对签字的 git 提交" in result.stderr
    assert "不在 git 仓库中" in result.stderr
    assert not (project / "public").exists()
