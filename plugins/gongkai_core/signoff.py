"""Sign-offs that mean something: visible names, four different people, an optional roster.

Pure rules (no Pelican, no git; the git identities of strict mode are in signoff_git.py):

- `name_problem(raw)`: why a sign-off name is not a real, visible name (None when it is).
  Allow-list: after NFKC a name is made of letters (one script), combining marks attached to a
  letter, digits, spaces and a few name punctuation marks (· - ' . and brackets), with at least
  one letter and at most MAX_NAME_CHARS characters. A control, format, bidi or other invisible
  character anywhere (even next to visible letters) is refused, never silently dropped.
- `identity(name)`: the form two names are compared in (NFKC, no spaces or name punctuation,
  casefolded, Traditional folded to Simplified): "张三", "张 三", "張三" and "张　三" are one person.
- `same_person(signed)`: the four steps must be signed by four different people.
- `parse_policy(roster, git)`: the settings GONGKAI_SIGNOFF_ROSTER / GONGKAI_SIGNOFF_GIT, checked.
- `roster_problems(entries, policy)`: a sign-off by a name not on that role's roster.
- `site_problems(site, policy, root, git_problems)`: both, over a read site; the caller passes the
  strict mode's git check (signoff_git imports this module, never the other way round).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigProblem, Problem

# Long enough for a transliterated minority name (阿卜杜热合曼·阿卜杜克热木) or a Latin full name,
# short enough that nobody signs with a sentence.
MAX_NAME_CHARS = 32
MAX_MARKS = 3  # combining marks on one letter (more is "zalgo" stacking, not a name)

ROLES = ("drafted", "section", "secrecy", "approved")
# what the step is called in messages, and who signs it
STEP_LABELS = {
    "drafted": "拟稿",
    "section": "科室负责人审核",
    "secrecy": "保密审查",
    "approved": "单位主要负责人审定",
}
ROLE_LABELS = {
    "drafted": "拟稿人",
    "section": "科室负责人",
    "secrecy": "保密审查人",
    "approved": "单位主要负责人",
}

ROSTER_SETTING = "GONGKAI_SIGNOFF_ROSTER"
GIT_SETTING = "GONGKAI_SIGNOFF_GIT"

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): what renders as nothing,
# whatever its category (U+3164, U+115F, U+1160, U+FFA0 are letters; U+FE00.. are marks).
_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# blank glyphs that are not default-ignorable (refused anyway: they are not letters)
_BLANK = {
    0x2800: "盲文空白",
    0x3164: "朝鲜文填充符",
    0x115F: "朝鲜文初声填充符",
    0x1160: "朝鲜文中声填充符",
    0xFFA0: "半角朝鲜文填充符",
}
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_DESCRIBED = {
    0x200B: "零宽空格",
    0x200C: "零宽非连接符",
    0x200D: "零宽连接符",
    0x2060: "零宽不折行符",
    0xFEFF: "零宽不折行空格（BOM）",
    0x00AD: "软连字符",
    0x200E: "从左到右标记",
    0x200F: "从右到左标记",
    0x061C: "阿拉伯字母标记",
    0x202A: "双向嵌入控制符",
    0x202B: "双向嵌入控制符",
    0x202C: "双向格式结束符",
    0x202D: "双向覆盖控制符",
    0x202E: "双向覆盖控制符",
    0x2066: "双向隔离控制符",
    0x2067: "双向隔离控制符",
    0x2068: "双向隔离控制符",
    0x2069: "双向隔离结束符",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0x3000: "全角空格",
    0x00A0: "不换行空格",
}
# punctuation that belongs in names: 间隔号 (阿依古丽·买买提), hyphens, apostrophes, initials' dots, brackets
NAME_PUNCTUATION = frozenset("·・‧•.-‐‑'’ʼ()（）")
_DROPPED_FOR_IDENTITY = frozenset("·・‧•.-‐‑'’ʼ")
_SCRIPT_ALIASES = {
    "CJK": "汉字",
    "IDEOGRAPHIC": "汉字",
    "HIRAGANA": "汉字",
    "KATAKANA": "汉字",
    "KATAKANA-HIRAGANA": "汉字",
    "BOPOMOFO": "汉字",
    "LATIN": "拉丁字母",
    "CYRILLIC": "西里尔字母",
    "GREEK": "希腊字母",
    "ARABIC": "阿拉伯字母",
    "HANGUL": "朝鲜文",
    "TIBETAN": "藏文",
    "MONGOLIAN": "蒙古文",
    "YI": "彝文",
}
_EMAIL = re.compile(r"^[^\s<>@]+@[^\s<>@]+$")


def _ignorable(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE)


def _describe(ch: str) -> str:
    cp = ord(ch)
    # a Chinese description where there is one; never the English Unicode name (editors read Chinese)
    what = _DESCRIBED.get(cp) or _BLANK.get(cp) or ("" if unicodedata.name(ch, "") else "未分配的字符")
    return f"U+{cp:04X}（{what}）" if what else f"U+{cp:04X}"


@functools.lru_cache(maxsize=4096)  # a pure test of one character; names repeat their characters
def _invisible(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.category(ch) in _REFUSED_CATEGORIES or _ignorable(cp) or cp in _BLANK


def display(raw: str, limit: int = 40) -> str:
    """The name as it can be shown in a message: anything not plainly visible as \\uXXXX."""
    out = []
    for ch in raw[:limit]:
        cat = unicodedata.category(ch)
        if ch == " " or (not _invisible(ch) and cat[0] in "LNPS"):
            out.append(ch)
        else:
            cp = ord(ch)
            out.append(f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}")
    return "".join(out) + ("…" if len(raw) > limit else "")


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("MODIFIER", ""):
        return None  # ʼ ˈ and the like belong to no script
    return _SCRIPT_ALIASES.get(first, first)


# name_problem and identity are pure tests of one name; every entry's review names the same few
# people, so the answers for names of a usual length are kept (a process reads thousands of entries)
_REMEMBERED_CHARS = 64


def name_problem(raw: str) -> str | None:
    """Why `raw` is not a visible personal name (Chinese, to follow “…签字人“X””), or None."""
    return _name_problem_kept(raw) if len(raw) <= _REMEMBERED_CHARS else _name_problem(raw)


def _name_problem(raw: str) -> str | None:
    for ch in raw:
        if _invisible(ch):
            return (
                f"含有不可见的字符 {_describe(ch)}，不是可见的姓名：签字须写本人姓名，"
                "请删除后重新输入（这类字符常由复制粘贴带入）"
            )
    text = raw.strip()
    if len(text) > 2 * MAX_NAME_CHARS:
        return f"过长（{len(text)} 个字符，最多 {MAX_NAME_CHARS} 个）：签字只写本人姓名"
    name = unicodedata.normalize("NFKC", text).strip()
    for ch in name:
        if _invisible(ch):  # what NFKC made of a compatibility character
            return f"含有不可见的字符 {_describe(ch)}，不是可见的姓名：签字须写本人姓名，请删除后重新输入"
    if len(name) > MAX_NAME_CHARS:
        return f"过长（{len(name)} 个字符，最多 {MAX_NAME_CHARS} 个）：签字只写本人姓名"
    letters = 0
    scripts: list[str] = []
    marks = 0
    previous = ""  # category of the previous character
    for ch in name:
        cat = unicodedata.category(ch)
        if cat[0] == "M":
            marks += 1
            if previous[:1] not in ("L", "N", "M"):
                return f"含有单独的附加符号 {_describe(ch)}（前面没有字母），不是可见的姓名：签字须写本人姓名"
            if marks > MAX_MARKS:
                return f"一个字母上叠加了过多附加符号（{_describe(ch)}），不是正常的姓名写法"
        else:
            marks = 0
            if cat[0] == "L":
                script = _script(ch)
                if cat != "Lm":  # modifier letters (ʼ ー 々 ـ) alone make no name
                    letters += 1
                if script and script not in scripts:
                    scripts.append(script)
            elif cat == "Nd" or cat == "Zs" or ch in NAME_PUNCTUATION:
                pass
            else:
                return f"含有符号“{display(ch)}”（{_describe(ch)}）：签字只能写本人姓名（文字、间隔号“·”等）"
        previous = cat
    if letters == 0:
        return "没有任何文字，不是可见的姓名：签字须写本人姓名"
    if len(scripts) > 1:
        shown = "、".join(dict.fromkeys(s if s in _SCRIPT_ALIASES.values() else "其他文字" for s in scripts))
        return f"混用了不同的文字（{shown}）：为防形近字冒充他人，一个姓名只能用一种文字书写"
    return None


_name_problem_kept = functools.lru_cache(maxsize=4096)(_name_problem)


def identity(name: str) -> str:
    """The form in which two names count as the same person."""
    return _identity_kept(name) if len(name) <= _REMEMBERED_CHARS else _identity(name)


def _identity(name: str) -> str:
    from .tokenizer import FOLD

    text = unicodedata.normalize("NFKC", name)
    kept = "".join(
        ch
        for ch in text
        if not ch.isspace() and ch not in _DROPPED_FOR_IDENTITY and unicodedata.category(ch) != "Zs"
    )
    return "".join(FOLD.get(ch, ch) for ch in kept.casefold())


_identity_kept = functools.lru_cache(maxsize=4096)(_identity)


def same_person(signed: list[tuple[str, str, int]]) -> list[tuple[int, str, str]]:
    """`signed`: (role, name, line) of the sign-offs present, in step order. Returns (line, message,
    key) for every step whose signer already signed an earlier step."""
    found = []
    first: dict[str, tuple[str, str, int]] = {}
    for role, name, line in signed:
        who = identity(name)
        if who in first:
            role0, name0, line0 = first[who]
            same = "" if name0 == name else f"（与“{display(name0)}”写法不同，仍是同一人）"
            message = (
                f"“{STEP_LABELS[role]}”签字人“{display(name)}”（{role}_by）与第 {line0} 行"
                f"“{STEP_LABELS[role0]}”签字人（{role0}_by）是同一人{same}：四个审核环节须由四个不同的人"
                f"签字，一人不能签两个环节。请由{ROLE_LABELS[role]}本人签字"
            )
            found.append((line, message, f"review.{role}_by"))
        else:
            first[who] = (role, name, line)
    return found


@dataclass(frozen=True)
class Person:
    name: str  # as the roster writes it
    emails: tuple[str, ...] = ()  # git identities (strict mode), lower case


@dataclass(frozen=True)
class Policy:
    """What the settings ask of sign-offs beyond visible names and four different people."""

    roster: dict[str, dict[str, Person]] = field(default_factory=dict)  # role -> identity -> person
    git: bool = False  # strict mode: each sign-off committed by that person's git identity
    # `invoke check` (a pre-commit hook): lines not yet committed count as committed by the
    # identity git would record now (git var GIT_AUTHOR_IDENT / GIT_COMMITTER_IDENT)
    uncommitted_as_current_user: bool = False

    @property
    def active(self) -> bool:
        return bool(self.roster) or self.git

    def person(self, role: str, name: str) -> Person | None:
        return self.roster.get(role, {}).get(identity(name))


# strict mode's check of a site's entries against git: (entries, project root, policy) -> problems
GitCheck = Callable[[list, Path, Policy], list[Problem]]


def _role_hint() -> str:
    return "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES)


def parse_policy(
    roster, git, uncommitted_as_current_user: bool = False
) -> tuple[Policy, list[ConfigProblem]]:
    """The policy of GONGKAI_SIGNOFF_ROSTER and GONGKAI_SIGNOFF_GIT, and every problem with them."""
    problems: list[ConfigProblem] = []
    parsed: dict[str, dict[str, Person]] = {}
    if git not in (True, False, None):
        problems.append(
            ConfigProblem(
                GIT_SETTING, git, "可选值：True（严格模式：每个签字须由本人的 git 身份提交）、False"
            )
        )
        git = False
    if roster is None:
        roster = {}
    if not isinstance(roster, dict):
        problems.append(
            ConfigProblem(ROSTER_SETTING, roster, "应为 {环节: 名单} 的字典，环节可用：" + _role_hint())
        )
        roster = {}
    for role, names in roster.items():
        where = f"{ROSTER_SETTING}[{role!r}]"
        if role not in ROLES:
            by_label = {v: k for k, v in ROLE_LABELS.items()}
            hint = f"请把“{role}”改为“{by_label[role]}”。" if role in by_label else ""
            problems.append(
                ConfigProblem(ROSTER_SETTING, role, f"未知的环节“{role}”。{hint}可用：{_role_hint()}")
            )
            continue
        if isinstance(names, dict):
            items = list(names.items())
        elif isinstance(names, (list, tuple)):
            items = [(n, None) for n in names]
        else:
            problems.append(
                ConfigProblem(where, names, '应为姓名列表 ["张三", …]，或严格模式下的 {姓名: git 邮箱} 字典')
            )
            continue
        people: dict[str, Person] = {}
        for name, emails in items:
            if not isinstance(name, str) or not name.strip():
                problems.append(ConfigProblem(where, name, "名单中的姓名应为一段文字"))
                continue
            why = name_problem(name)
            if why:
                problems.append(ConfigProblem(where, name, f"姓名“{display(name)}”{why}"))
                continue
            if emails is None:
                addresses: tuple[str, ...] = ()
            else:
                listed = [emails] if isinstance(emails, str) else emails
                if (
                    not isinstance(listed, (list, tuple))
                    or not listed
                    or not all(isinstance(e, str) and _EMAIL.match(e.strip()) for e in listed)
                ):
                    problems.append(
                        ConfigProblem(
                            where,
                            {name: emails},
                            f'“{name}”的 git 身份应为邮箱（如 "zhangsan@example.gov.cn"），'
                            "或邮箱的列表：与本人 git 提交记录中的邮箱一致",
                        )
                    )
                    continue
                addresses = tuple(e.strip().lower() for e in listed)
            who = identity(name)
            if who in people:
                problems.append(
                    ConfigProblem(where, name, f"“{name}”与“{people[who].name}”是同一个姓名，名单中只写一次")
                )
                continue
            people[who] = Person(name.strip(), addresses)
        if not people and not any(p.key == where for p in problems):
            problems.append(ConfigProblem(where, names, "名单为空：不设名单请删去这一环节"))
        parsed[role] = people
    if git:
        for role in ROLES:
            people = parsed.get(role)
            if role not in roster:
                problems.append(
                    ConfigProblem(
                        ROSTER_SETTING,
                        roster,
                        f"严格模式（{GIT_SETTING} = True）须为每个环节配置名单，"
                        f"缺少“{role}”（{ROLE_LABELS[role]}）",
                    )
                )
            elif people is not None:
                missing = [p.name for p in people.values() if not p.emails]
                if missing:
                    problems.append(
                        ConfigProblem(
                            f"{ROSTER_SETTING}[{role!r}]",
                            roster[role],
                            f'严格模式须写明每人的 git 身份，如 {{"{missing[0]}": "…@example.gov.cn"}}；'
                            f"缺少：{'、'.join(missing)}",
                        )
                    )
    return Policy(parsed, bool(git), uncommitted_as_current_user), problems


def policy_from_settings(
    settings, uncommitted_as_current_user: bool = False
) -> tuple[Policy, list[ConfigProblem]]:
    return parse_policy(
        settings.get(ROSTER_SETTING), settings.get(GIT_SETTING, False), uncommitted_as_current_user
    )


def signoffs(entry) -> list[tuple[str, str, int]]:
    """(role, name, line of review.<role>_by) of the sign-offs an entry has."""
    found = []
    for role, _zh, so in entry.review.steps():
        if so is not None:
            found.append((role, so.by, entry.line_of(f"review.{role}_by")))
    return found


def roster_problems(entries, policy: Policy) -> list[Problem]:
    """A sign-off by a name not on its role's roster (only roles that have one)."""
    found = []
    if not policy.roster:
        return found
    for entry in entries:
        for role, name, line in signoffs(entry):
            people = policy.roster.get(role)
            if people is None or identity(name) in people:
                continue
            shown = "、".join(p.name for p in list(people.values())[:8]) + ("等" if len(people) > 8 else "")
            found.append(
                Problem(
                    entry.path,
                    line,
                    f"“{STEP_LABELS[role]}”签字人“{display(name)}”不在{ROLE_LABELS[role]}名单"
                    f'（{ROSTER_SETTING}["{role}"]：{shown}）中：请由名单上的人签字，'
                    "或请管理员在设置中更新名单",
                    f"review.{role}_by",
                )
            )
    return found


def site_problems(site, policy: Policy, project_root, git_problems: GitCheck) -> list[Problem]:
    """What the policy finds in a read site (load_site): a roster for every entry, and in strict
    mode the git history of each entry that would otherwise be published (nothing else costs git).
    `git_problems` is the strict mode's check (signoff_git.git_problems), given by the caller: these
    rules stay free of git, and signoff_git, which builds on them, is not imported back."""
    if policy is None or not policy.active:
        return []
    found = roster_problems(site.entries, policy)
    if policy.git:
        bad = {p.path for p in site.problems} | {p.path for p in found}
        candidates = [e for e in site.entries if e.path not in bad and site.verdicts[e.path].published]
        found += git_problems(candidates, Path(project_root), policy)
    return found
