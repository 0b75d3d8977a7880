"""Load editor YAML keeping the line of every key, with every scalar as a string.

PyYAML's own constructors turn `2025-02-30` into an exception without a line and
`on`/`no` into booleans; editors' files need neither. We compose the node tree (with
libyaml when present, which keeps marks) and build plain containers ourselves:
mappings become `LineDict`, sequences `LineList`, scalars `str` (or None when empty).

Content YAML is plain data that editors type, so what they never need is refused with the line
it is on, before anything is built: anchors and aliases (`&a`, `*a`: a sub-kilobyte "billion
laughs" expands to gigabytes, a recursive alias never ends), tags (`!!python/object`, any `!x`),
merge keys (`<<`), nesting deeper than MAX_DEPTH, texts longer than MAX_CHARS, duplicate keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:
    _Base = yaml.CBaseLoader  # no implicit types: every scalar stays a string
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.BaseLoader

_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


class _Loader(_Base):
    """BaseResolver has neither implicit nor path resolvers: every node gets its kind's default
    tag. Said directly, without BaseResolver.resolve's lookups (called for every node)."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    # No path resolvers either: libyaml's composer calls these for every node.
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


NULLS = {"", "~", "null", "Null", "NULL"}
MAX_CHARS = 1 << 20  # one YAML text (a front matter, a .yaml entry): ~170 MB of nodes at most
MAX_DEPTH = 32  # mappings and lists inside each other; content needs fewer than 8
# An anchor, alias or tag can only be written with one of these; texts without them skip the scan.
_MARKUP = ("&", "*", "!")


class LineDict(dict):
    """A mapping that knows the line (1-based) of each key and of itself."""

    line: int = 0
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(frozen=True)
class YamlIssue:
    line: int
    message: str
    key: str = "yaml"


_Scalar, _Sequence, _Mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


def _scalar(node) -> str | None:
    value = node.value
    if node.style in (None, "") and value in NULLS:
        return None
    return value


def _build(node, offset: int, issues: list[YamlIssue], path: str = "", depth: int = 0):
    # Scalars (most nodes) are built in their parent's loop, without a call of their own.
    if isinstance(node, _Scalar):
        return _scalar(node)
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH:
        issues.append(
            YamlIssue(line, f"嵌套层数过多（超过 {MAX_DEPTH} 层），请把数据写得扁平一些", path or "yaml")
        )
        return None
    if isinstance(node, _Mapping):
        out = LineDict()
        out.line = line
        out.lines = lines = {}
        flow = node.flow_style
        previous = None  # (key, value node) before this pair, for a number split by a comma
        for key_node, value_node in node.value:
            # value == "" first: a pair that cannot end a split number skips _split_number
            if (
                flow
                and previous is not None
                and value_node.value == ""
                and _split_number(previous[1], key_node, value_node)
            ):
                key, number = previous[0], f"{previous[1].value},{key_node.value}"
                kline = key_node.start_mark.line + 1 + offset
                issues.append(YamlIssue(kline, _comma_message(key, number), f"{path}.{key}" if path else key))
                previous = None
                continue
            if not isinstance(key_node, _Scalar):
                previous = None
                issues.append(YamlIssue(key_node.start_mark.line + 1 + offset, "键名必须是文字", "yaml"))
                continue
            key = key_node.value
            if flow:  # only a flow mapping can hold a split number
                previous = (key, value_node)
            kline = key_node.start_mark.line + 1 + offset
            if key == "<<" and key_node.style in (None, ""):
                issues.append(
                    YamlIssue(
                        kline,
                        "不支持 YAML 合并键“<<”：请直接写出每个键和值",
                        f"{path}.{key}" if path else key,
                    )
                )
                continue
            if key in out:
                issues.append(
                    YamlIssue(
                        kline,
                        f"键“{key}”重复出现（第{lines[key]}行已有），请删除其中一个",
                        f"{path}.{key}" if path else key,
                    )
                )
                continue
            if isinstance(value_node, _Scalar):  # _scalar(value_node), written out: most values
                value = value_node.value
                out[key] = None if value in NULLS and value_node.style in (None, "") else value
            else:
                out[key] = _build(value_node, offset, issues, f"{path}.{key}" if path else key, depth + 1)
            lines[key] = kline
        return out
    if isinstance(node, _Sequence):
        out = LineList()
        out.line = line
        out.lines = lines = []
        for i, item in enumerate(node.value):
            if isinstance(item, _Scalar):
                out.append(_scalar(item))
            else:
                out.append(_build(item, offset, issues, f"{path}[{i}]", depth + 1))
            lines.append(item.start_mark.line + 1 + offset)
        return out
    return _scalar(node)  # pragma: no cover - a node is a scalar, a sequence or a mapping


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _split_number(value_node, key_node, next_value) -> bool:
    """In a flow mapping `{amount: 2924,74}`: a plain integer value, then a key of digits with no
    value — one number the comma cut in two (YAML reads the comma as the end of the pair)."""
    return (
        isinstance(value_node, yaml.ScalarNode)
        and value_node.style in (None, "")
        and _INTEGER.fullmatch(value_node.value) is not None
        and isinstance(key_node, yaml.ScalarNode)
        and key_node.style in (None, "")
        and _DIGITS.fullmatch(key_node.value) is not None
        and isinstance(next_value, yaml.ScalarNode)
        and next_value.style in (None, "")
        and next_value.value == ""
    )


def _comma_message(key: str, number: str) -> str:
    head, _, tail = number.partition(",")
    if len(tail.split(".")[0]) == 3:  # 2,924.74: a thousands comma
        return (
            f"“{key}: {number}”中的逗号把数字分成了两半：花括号 {{…}} 里的逗号用来分隔各项，"
            f"数字不能带千分位逗号，请写成 {head}{tail}"
        )
    return f"“{key}: {number}”中的逗号应为小数点：请写成 {head}.{tail}（花括号 {{…}} 里的逗号用来分隔各项）"


def load(text: str, line_offset: int = 0):
    """Parse YAML text. Returns (data, issues); data is None when the text does not parse."""
    issues: list[YamlIssue] = []
    if len(text) > MAX_CHARS:
        return None, [
            YamlIssue(
                1 + line_offset,
                f"YAML 内容过长（{len(text):,} 个字符，上限 {MAX_CHARS:,}），请把大表格拆成几个条目",
                "yaml",
            )
        ]
    try:
        if any(ch in text for ch in _MARKUP):
            refused = _refused_markup(text, line_offset)
            if refused:
                return None, [refused]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, message = explain(exc, text, line_offset)
        return None, [YamlIssue(line + line_offset, f"YAML 格式错误：{message}", "yaml")]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        return None, [
            YamlIssue(
                line + line_offset,
                f"YAML 格式错误：这一行有不可见的控制字符（{shown}），常从别处复制带入，请删除",
                "yaml",
            )
        ]
    except yaml.YAMLError:
        return None, [YamlIssue(1 + line_offset, f"YAML 格式错误：{_GENERIC}", "yaml")]
    if node is None:  # an empty text: what is missing is reported at its first line
        empty = LineDict()
        empty.line, empty.lines = 1 + line_offset, {}
        return empty, []
    return _build(node, line_offset, issues), issues


_STANDARD_TAGS = "tag:yaml.org,2002:"  # what `!!` stands for


def _shown(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:40] + "…"


def _refused_markup(text: str, line_offset: int) -> YamlIssue | None:
    """The first anchor, alias or tag in `text`, from libyaml's events: these stream and never
    expand an alias, so a bomb or a recursive alias costs no more than its own text."""
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 + line_offset
        if isinstance(event, yaml.AliasEvent):
            return YamlIssue(
                line,
                f"不支持 YAML 锚点/别名（&、*）：这里引用了“*{_shown(event.anchor)}”。"
                "请直接写出每个值；值本身以 * 或 & 开头时请加引号",
                "yaml",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            return YamlIssue(
                line,
                f"不支持 YAML 锚点/别名（&、*）：这里定义了“&{_shown(anchor)}”。"
                "请直接写出每个值；值本身以 & 或 * 开头时请加引号",
                "yaml",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = "!!" + tag.removeprefix(_STANDARD_TAGS) if tag.startswith(_STANDARD_TAGS) else tag
            return YamlIssue(
                line,
                f"不支持 YAML 标签（以“!”开头的写法）：“{_shown(tag)}”。"
                "请删除标签；值本身以 ! 开头时请加引号",
                "yaml",
            )
    return None


# ---------------------------------------------------------------- PyYAML's errors in Chinese

_GENERIC = "这一行的写法无法识别。请检查缩进（只用空格）、键名后的英文冒号和空格、引号和括号是否成对"
_TAB = "这一行用了 Tab 缩进或对齐。请把 Tab 全部改为空格（同一层的键左端对齐，下一层多缩进两个空格）"
_QUOTE_IT = '值以“{ch}”开头时会被当作 YAML 的特殊符号：请给整个值加引号，如 "{ch}……"'
_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:：#'\"][^:：]*?)\s*：")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):(\S.*)$")
# PyYAML's own (pure Python) parser's problems, as libyaml words them
_PURE_PYTHON = (
    ("expected <block end>", "did not find expected key"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected the node content", "did not find expected node content"),
    ("expected <document start>", "did not find expected <document start>"),
    ("expected a comment or a line break", "did not find expected comment or line break"),
    ("expected alphabetic or numeric character", "did not find expected alphabetic or numeric character"),
)
_UNCLOSED = "这一行的引号“{quote}”没有闭合。请在值的末尾补上同样的引号，或去掉开头的引号"
_FLOW_CLOSE = {"}": "花括号“{”", "]": "方括号“[”"}


def _line_text(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _full_width_colon(lines: list[str], number: int) -> str | None:
    """The message for a key followed by a full-width colon on line `number` (0-based), if it has one
    and no ASCII colon before it."""
    text = _line_text(lines, number)
    m = _FULL_WIDTH_KEY.match(text)
    if m is None or ":" in text[: m.end()]:
        return None
    key = m.group(1)
    return f"键名“{key}”后面是中文冒号“：”。请改为英文冒号加一个空格：“{key}: ”"


def not_a_mapping(text: str, line_offset: int = 0) -> YamlIssue:
    """What to say when the YAML is not “键: 值” lines at all (`title：好`, a bare word): the first
    key written with a full-width colon, else the first line with content."""
    lines = text.split("\n")
    for number in range(len(lines)):
        found = _full_width_colon(lines, number)
        if found:
            return YamlIssue(number + 1 + line_offset, f"YAML 格式错误：{found}", "yaml")
    first = next((n for n, t in enumerate(lines) if t.strip() and not t.lstrip().startswith("#")), 0)
    return YamlIssue(
        first + 1 + line_offset,
        "元数据应为“键: 值”的形式（每行一个键，英文冒号后加一个空格），如“title: 示例县……的通知”",
        "front_matter",
    )


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


# a quote that opens a value: at the start of a line or a list item, after “key: ”, or in brackets
_OPEN_QUOTE = re.compile(r"""(?:^\s*(?:-\s+)?|:\s+|[\[{,]\s*)(["'])""")


def _unclosed_quote(lines: list[str], before: int) -> tuple[int, str] | None:
    """The first line before `before` (0-based) whose value opens a quote it does not close, and the
    quote. YAML reads on to the next such quote lines later (a quoted text may span lines), so the
    error it reports is far below; editors never mean a quoted value to span lines."""
    for number in range(min(before, len(lines))):
        text = lines[number]
        m = _OPEN_QUOTE.search(text)
        if m is None or text.lstrip().startswith("#"):
            continue
        quote, rest = m.group(1), text[m.end() :]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else "'" in rest
        if not closed:
            return number, quote
    return None


def _last_content_line(lines: list[str], before: int) -> int:
    """The last line before `before` (0-based) that is neither blank nor a comment, else `before`."""
    for number in range(min(before, len(lines)) - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return before


def explain(exc: yaml.MarkedYAMLError, text: str, offset_shown: int = 0) -> tuple[int, str]:
    """(1-based line, Chinese message) of a PyYAML error: the line of the offending character — for
    an unclosed quote or bracket the line that opened it, for a missing colon the line of the key —
    and what to do about the usual causes (indentation, a tab, a full-width colon, a value that
    begins with one of YAML's signs, an unclosed quote or bracket). `offset_shown`: the line of the
    file before `text`'s first (a front matter's `---`), for a line a message names."""
    lines = text.split("\n")
    problem = exc.problem or ""
    context = exc.context or ""
    for python, libyaml in _PURE_PYTHON:  # PyYAML without libyaml words some problems differently
        if problem.startswith(python):
            problem = libyaml
            break
    pm, cm = exc.problem_mark, exc.context_mark
    p_line = pm.line if pm is not None else (cm.line if cm is not None else 0)
    c_line = cm.line if cm is not None else p_line
    p_col = pm.column if pm is not None else 0
    here = _line_text(lines, p_line)
    ch = here[p_col] if 0 <= p_col < len(here) else ""

    def at(number: int, message: str) -> tuple[int, str]:
        number = min(max(number, 0), max(len(lines) - 1, 0))
        return number + 1, message

    opened = _unclosed_quote(lines, max(p_line, c_line))
    if opened is not None:  # a quote left open above: YAML only stumbles lines later
        return at(opened[0], _UNCLOSED.format(quote=opened[1]))

    if "tab character" in problem or ch == "\t":
        return at(p_line, _TAB)
    if problem.startswith("could not find expected ':'"):  # a simple key with no ": " after it
        line = c_line
        found = _full_width_colon(lines, line)
        if found:
            return at(line, found)
        m = _NO_SPACE.match(_line_text(lines, line))
        if m:
            return at(
                line,
                f"“{m.group(1)}:”后面缺少空格。请写成“{m.group(1)}: {m.group(2)}”（英文冒号后加一个空格）",
            )
        return at(
            line,
            "这一行缺少英文冒号“:”：每行应写成“键: 值”（冒号后加一个空格）。"
            "若这一行是上一行的值的接续，请把整个值写在一行或用引号括起来",
        )
    if problem.startswith("mapping values are not allowed"):
        # the colon of a key on a line that YAML read as the continuation of the value above
        previous = _last_content_line(lines, p_line)
        same_level = _indent(_line_text(lines, previous)) == _indent(here)
        found = _full_width_colon(lines, previous) if previous != p_line and same_level else None
        if found:
            return at(previous, found)
        found = _full_width_colon(lines, p_line)
        if found:
            return at(p_line, found)
        if ": " in here[:p_col] or here[:p_col].rstrip().endswith(":"):
            return at(
                p_line,
                '值里含有英文冒号“: ”。请给整个值加引号（如 publisher: "示例县: 财政局"），或改用中文冒号“：”',
            )
        return at(
            p_line,
            "这一行的缩进不对：它比上一行缩进得多，但上一行的键已经有值。"
            "同一层的键请左端对齐；下一层的键只能写在没有值的“键:”下面",
        )
    if problem.startswith("did not find expected key") or problem.startswith("did not find expected '-'"):
        stripped = here.lstrip()
        before = here[:p_col]
        if p_line == c_line or stripped[:1] not in ("", "-") and p_col > len(here) - len(stripped):
            value = before.split(":", 1)[1].strip() if ":" in before else ""
            if value[:1] in ('"', "'"):
                return at(
                    p_line,
                    f"引号只能把整个值括起来，引号后面不能再有文字。请把整个值放在引号内：“{value[0]}……{value[0]}”",
                )
            if value[:1] in ("[", "{"):
                return at(
                    p_line,
                    f'值以“{value[0]}”开头时会被当作列表或映射，后面不能再有文字。请给整个值加引号，如 "{value[0]}……"',
                )
        if stripped.startswith("- ") or stripped == "-":
            return at(
                p_line,
                "列表项“- ”的缩进不对：同一列表的各项请左端对齐；列表应写在“键:”的下一行",
            )
        previous = _last_content_line(lines, p_line)
        mine, theirs = _indent(here), _indent(_line_text(lines, previous))
        if previous != p_line and mine != theirs and ":" in _line_text(lines, previous):
            return at(
                p_line,
                f"这一行（缩进{mine}个空格）与第{previous + 1 + offset_shown}行（缩进{theirs}个空格）对不齐，"
                "其中一行的缩进不对。同一层的键请左端对齐（只用空格），下一层的键比上一层多缩进两个空格",
            )
        return at(
            p_line,
            "这一行的缩进与上面同一层的键不一致。同一层的键请左端对齐（只用空格），"
            "下一层的键比上一层多缩进两个空格",
        )
    if context.startswith("while scanning a quoted scalar"):  # the quote opened here is never closed
        quote = _line_text(lines, c_line)[cm.column : cm.column + 1] if cm is not None else '"'
        return at(c_line, _UNCLOSED.format(quote=quote))
    if context.startswith("while parsing a quoted scalar"):  # a backslash escape in double quotes
        return at(
            p_line,
            "双引号中的反斜杠“\\”后面不是可用的转义字符。反斜杠本身请写成“\\\\”，或改用单引号括起整个值",
        )
    if problem.startswith("did not find expected ','"):
        closing = problem[-2]
        opened = _FLOW_CLOSE.get(closing, "括号")
        if p_line > c_line:  # the bracket opened above is never closed
            return at(
                c_line,
                f"这一行的{opened}没有闭合：请补上“{closing}”。值本身以“{opened[-2]}”开头时请给整个值加引号",
            )
        return at(
            p_line,
            f"{opened}中的各项要用英文逗号“, ”分开；值里含有英文冒号、逗号或括号时请给这个值加引号",
        )
    if problem.startswith("found unexpected ':'"):
        return at(p_line, "括号中的值里含有英文冒号：请给这个值加引号，或改用中文冒号“：”")
    if problem.startswith("did not find expected node content"):
        if context.startswith("while parsing a flow"):
            return at(p_line, "括号中多了一个逗号，或缺少值：各项之间只用一个英文逗号分开")
        return at(p_line, _QUOTE_IT.format(ch=ch or "}"))
    if problem.startswith("block sequence entries are not allowed"):
        return at(
            p_line,
            "这里不能写列表项“- ”：列表应另起一行写在“键:”下面并多缩进两个空格；值本身以“-”开头时请加引号",
        )
    if problem.startswith("mapping keys are not allowed"):
        return at(p_line, _QUOTE_IT.format(ch="?"))
    if context.startswith("while scanning a block scalar"):
        return at(
            p_line,
            "“|”或“>”表示多行文字，它后面不能接文字：请把文字从下一行开始写，并比键多缩进两个空格",
        )
    if context.startswith("while scanning an alias") or context.startswith("while scanning an anchor"):
        return at(p_line, _QUOTE_IT.format(ch=context.endswith("alias") and "*" or "&"))
    if problem.startswith("found undefined alias"):
        return at(p_line, _QUOTE_IT.format(ch="*"))
    if (
        context.startswith("while scanning a tag")
        or context.startswith("while parsing a tag")
        or "tag handle" in problem
    ):
        return at(p_line, _QUOTE_IT.format(ch="!"))
    if "directive" in context or "directive" in problem:
        return at(p_line, _QUOTE_IT.format(ch="%"))
    if "cannot start any token" in problem:
        return at(p_line, _QUOTE_IT.format(ch=ch) if ch else _GENERIC)
    if problem.startswith("but found another document") or problem.startswith(
        "did not find expected <document start>"
    ):
        return at(
            p_line,
            "只能有一个 YAML 文档：请删除多余的“---”或“...”行（Markdown 条目的元数据只写在开头两行“---”之间）",
        )
    if problem.startswith("exceeded maximum nesting depth"):
        return at(p_line, "嵌套层数过多，请把数据写得扁平一些")
    if "duplicate anchor" in context or "duplicate anchor" in problem:
        return at(p_line, _QUOTE_IT.format(ch="&"))
    return at(p_line, _GENERIC)


def decode(raw: bytes) -> tuple[str | None, list[YamlIssue]]:
    """Decode file bytes as UTF-8; name a BOM or a GBK file with the line of the first bad byte."""
    issues: list[YamlIssue] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        issues.append(YamlIssue(1, "文件开头有 BOM（字节顺序标记），请另存为“UTF-8（无BOM）”", "encoding"))
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), issues
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码（Word、WPS 常见），请用编辑器另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "请用编辑器另存为 UTF-8"
        issues.append(YamlIssue(line, f"文件不是 UTF-8 编码：{hint}", "encoding"))
        return None, issues
