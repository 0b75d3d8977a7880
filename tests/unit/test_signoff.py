"""The sign-off rules on their own (gongkai_core.signoff): visible names, identity, rosters, settings."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from gongkai_core import signoff
from gongkai_core.entry import Entry, Review, SignOff
from gongkai_core.errors import Problem

VISIBLE = [
    "张三",
    "欧阳娜娜",
    "阿依古丽·买买提",
    "阿卜杜热合曼·阿卜杜克热木",
    "Li Wei",
    "O'Brien",
    "Jean-Luc",
    "José",
    "Jose\u0301",
    "ＺＨＡＮＧ",
    "张　三",
    "张 三",
    "王五（代）",
    "Иван",
    "Νίκος",
    "佐々木",
    "ユーリ",
    "김민수",
    "张伟2",
]

NOT_NAMES = {
    "\u200b": "不可见的字符 U+200B（零宽空格）",
    "\u3000": "没有任何文字",
    "\u00a0\u00a0": "没有任何文字",
    "\u3164": "U+3164（朝鲜文填充符）",
    "\u115f": "U+115F",
    "\u1160": "U+1160",
    "\uffa0": "U+FFA0",
    "\u2800": "U+2800（盲文空白）",
    "\u0301": "单独的附加符号",
    " \u0301": "单独的附加符号",
    "\u20dd\u20dd": "单独的附加符号",
    "\u200e": "U+200E（从左到右标记）",
    "\u200f张三": "U+200F",
    "\u061c": "U+061C",
    "\u202e三张": "U+202E",
    "\u2066张三\u2069": "U+2066",
    "\ufeff": "U+FEFF",
    "\u00ad": "U+00AD（软连字符）",
    "\u2060": "U+2060",
    "\u2062": "U+2062",
    "\u034f": "U+034F",
    "\ufe0f": "U+FE0F",
    "\U000e0001": "U+E0001",
    "\U000e0100": "U+E0100",
    "\u180e": "U+180E",
    "\u17b4": "U+17B4",
    "\U0001bca0": "U+1BCA0",
    "\U0001d173": "U+1D173",
    "\ue000": "U+E000",
    "\U0010fffd": "U+10FFFD",
    "\u2028": "U+2028",
    "\u2029": "U+2029",
    "张\u0000三": "U+0000",
    "张\t三": "U+0009",
    "赵六\n": "U+000A",
    "\x85": "U+0085",
    "\ud800": "U+D800",
    "\U000e0041\U000e0042": "U+E0041",
    "——": "含有符号",
    "...": "没有任何文字",
    "１２３": "没有任何文字",
    "\u02bc": "没有任何文字",
    "\u0640\u0640": "没有任何文字",
    "ーー": "没有任何文字",
    "😀": "含有符号",
    "李四😀": "含有符号",
    "\ufffc": "含有符号",
    "\u2588": "含有符号",
    "<b>": "含有符号",
    "Ivаn": "混用了不同的文字（拉丁字母、西里尔字母）",
    "张三A": "混用了不同的文字",
    "赵" + "\u0301" * 4: "过多附加符号",
    "赵" * 33: "过长（33 个字符",
    "a" * 70: "过长",
    "\ufdfa" * 3: "过长",  # NFKC makes each of these 18 characters
}


@pytest.mark.parametrize("name", VISIBLE)
def test_visible_names_are_accepted(name):
    assert signoff.name_problem(name) is None


@pytest.mark.parametrize("name", sorted(NOT_NAMES))
def test_names_of_nothing_are_refused(name):
    why = signoff.name_problem(name)
    assert why is not None and NOT_NAMES[name] in why, (name, why)


def test_every_control_format_and_ignorable_character_is_refused_even_beside_letters():
    """Refused, not cleaned: every Cc/Cf/Zl/Zp character of this Python's Unicode data, and the
    default-ignorable letters and marks (fillers, variation selectors)."""
    ignorable = [
        0x034F,
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        0x180B,
        0x180C,
        0x180D,
        0x180F,
        0x3164,
        0xFFA0,
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
        0x2800,
    ]
    every = [cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")]
    assert len(every) > 150
    for cp in (
        every + ignorable + [0xE000, 0xF8FF, 0xF0000, 0x0378, 0xD800]
    ):  # private use, unassigned, surrogate
        assert signoff.name_problem(f"张{chr(cp)}三") is not None, hex(cp)


def test_display_shows_invisible_characters_as_escapes():
    assert signoff.display("\u200b") == "\\u200b"
    assert signoff.display("张\u3000三\u3164") == "张\\u3000三\\u3164"
    assert signoff.display("\U000e0041") == "\\U000e0041"
    assert signoff.display("Li Wei") == "Li Wei"
    assert signoff.display("赵" * 50).endswith("…")


@pytest.mark.parametrize(
    "a, b",
    [
        ("张三", "张 三"),
        ("张三", "张\u3000三"),
        ("张三", "張三"),
        ("Li Wei", "ＬＩ ＷＥＩ"),
        ("Li Wei", "liwei"),
        ("阿依古丽·买买提", "阿依古丽买买提"),
        ("José", "Jose\u0301"),
        ("O'Brien", "OBrien"),
    ],
)
def test_identity_folds_spelling_variants_of_one_person(a, b):
    assert signoff.identity(a) == signoff.identity(b)


@pytest.mark.parametrize(
    "a, b", [("张三", "张四"), ("Ivan", "Іvan"), ("张伟1", "张伟2"), ("李四", "李 四四")]
)
def test_identity_keeps_different_people_apart(a, b):
    assert signoff.identity(a) != signoff.identity(b)


def test_same_person_names_both_steps_and_lines():
    found = signoff.same_person(
        [("drafted", "张三", 11), ("section", "張 三", 13), ("secrecy", "王五", 16), ("approved", "张三", 18)]
    )
    assert [(line, key) for line, _m, key in found] == [(13, "review.section_by"), (18, "review.approved_by")]
    assert (
        "（section_by）与第 11 行“拟稿”签字人（drafted_by）是同一人（与“张三”写法不同，仍是同一人）"
        in found[0][1]
    )
    assert (
        signoff.same_person(
            [("drafted", "张三", 1), ("section", "李四", 2), ("secrecy", "王五", 3), ("approved", "赵六", 4)]
        )
        == []
    )


SETTINGS_PROBLEMS = {
    "unknown_role": ({"chief": ["王五"]}, False, "未知的环节“chief”"),
    "chinese_role": ({"单位主要负责人": ["王五"]}, False, "请把“单位主要负责人”改为“approved”"),
    "not_a_dict": (["王五"], False, "应为 {环节: 名单} 的字典"),
    "names_not_list": ({"approved": "王五"}, False, "应为姓名列表"),
    "name_not_text": ({"approved": [3]}, False, "名单中的姓名应为一段文字"),
    "invisible_roster_name": ({"approved": ["\u200b"]}, False, "不是可见的姓名"),
    "duplicate": ({"approved": ["张三", "張 三"]}, False, "是同一个姓名，名单中只写一次"),
    "empty_role": ({"approved": []}, False, "名单为空"),
    "git_not_bool": (None, "yes", "可选值：True"),
    "git_without_roster": (None, True, "严格模式（GONGKAI_SIGNOFF_GIT = True）须为每个环节配置名单"),
    "git_missing_role": (
        {r: {"张三": "z@x.cn"} for r in ("drafted", "section", "secrecy")},
        True,
        "缺少“approved”",
    ),
    "git_without_emails": ({r: ["王五"] for r in signoff.ROLES}, True, "严格模式须写明每人的 git 身份"),
    "bad_email": ({"approved": {"王五": "not an email"}}, False, "git 身份应为邮箱"),
    "email_list_empty": ({"approved": {"王五": []}}, False, "git 身份应为邮箱"),
}


@pytest.mark.parametrize("key", sorted(SETTINGS_PROBLEMS))
def test_settings_problems(key):
    roster, git, message = SETTINGS_PROBLEMS[key]
    _policy, problems = signoff.parse_policy(roster, git)
    assert problems and any(message in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("配置项 GONGKAI_SIGNOFF_") for p in problems)


def test_good_settings():
    roster = {
        "drafted": ["张三"],
        "approved": {"趙六": "Zhao@Example.gov.cn", "王振华": ["w@x.cn", "w2@x.cn"]},
    }
    policy, problems = signoff.parse_policy(roster, False)
    assert problems == []
    assert policy.person("approved", "赵 六").emails == ("zhao@example.gov.cn",)
    assert policy.person("approved", "钱七") is None
    assert policy.person("section", "任何人") is None and "section" not in policy.roster
    full = {r: {n: f"{r}@x.cn"} for r, n in zip(signoff.ROLES, ("张三", "李四", "王五", "赵六"))}
    strict, problems = signoff.parse_policy(full, True)
    assert problems == [] and strict.git and strict.active
    assert signoff.parse_policy(None, False) == (signoff.Policy(), [])
    assert not signoff.Policy().active


@dataclass
class _Verdict:
    published: bool = True


@dataclass
class _Site:
    entries: list
    verdicts: dict
    problems: list


def _entry(path: str, **names) -> Entry:
    d = date(2025, 1, 20)
    who = {"drafted": "张三", "section": "李四", "secrecy": "王五", "approved": "赵六", **names}
    review = Review("approved", "passed", *(SignOff(who[r], d) for r in signoff.ROLES))
    lines = {f"review.{r}_by": 10 + i for i, r in enumerate(signoff.ROLES)}
    return Entry(
        path=path,
        source_kind="markdown",
        slug="x",
        title="t",
        index_no="SL0000001/2025-00001",
        publisher="p",
        column="policy",
        date_written=d,
        date_published=d,
        disclosure="proactive",
        review=review,
        lines=lines,
    )


def test_roster_problems_only_for_roles_with_a_roster():
    policy, _ = signoff.parse_policy({"approved": ["赵六"], "secrecy": ["王五"]}, False)
    entries = [
        _entry("a.md"),
        _entry("b.md", approved="钱七", drafted="随便谁"),
        _entry("c.md", secrecy="王 五"),
    ]
    site = _Site(entries, {e.path: _Verdict() for e in entries}, [])
    found = signoff.site_problems(site, policy, ".", _no_git)
    assert [(p.path, p.line, p.key) for p in found] == [("b.md", 13, "review.approved_by")]
    assert (
        '“单位主要负责人审定”签字人“钱七”不在单位主要负责人名单（GONGKAI_SIGNOFF_ROSTER["approved"]：赵六）中'
        in found[0].message
    )
    assert signoff.site_problems(site, signoff.Policy(), ".", _no_git) == []


def _no_git(entries, root, policy):
    raise AssertionError("git is asked only in strict mode")


def test_strict_mode_asks_the_git_check_given_by_the_caller_about_entries_otherwise_published():
    full = {r: {n: f"{r}@x.cn"} for r, n in zip(signoff.ROLES, ("张三", "李四", "王五", "赵六"))}
    policy, _ = signoff.parse_policy(full, True)
    entries = [_entry("a.md"), _entry("b.md", approved="钱七"), _entry("c.md"), _entry("d.md")]
    verdicts = {e.path: _Verdict(e.path != "c.md") for e in entries}
    site = _Site(entries, verdicts, [Problem("d.md", 1, "有问题", "x")])
    asked = []

    def git_check(candidates, root, given):
        asked.append(([e.path for e in candidates], root, given))
        return [Problem("a.md", 12, "未由本人提交", "review")]

    found = signoff.site_problems(site, policy, "/project", git_check)
    # b.md fails the roster, c.md is not published, d.md has a problem already: git is not asked about them
    assert asked == [(["a.md"], Path("/project"), policy)]
    assert [(p.path, p.key) for p in found] == [("b.md", "review.approved_by"), ("a.md", "review")]
