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


def _build(node, offset: int, issues: list[YamlIssue], path: str = "", depth: int = 0):
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
        issues.append(
            YamlIssue(line, f"嵌套层数过多（超过 {MAX_DEPTH} 层），请把数据写得扁平一些", path or "yaml")
        )
        return None
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line = line
        out.lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(YamlIssue(key_node.start_mark.line + 1 + offset, "键名必须是文字", "yaml"))
                continue
            key = key_node.value
            kline = key_node.start_mark.line + 1 + offset
            dotted = f"{path}.{key}" if path else key
            if key == "<<" and key_node.style in (None, ""):
                issues.append(YamlIssue(kline, "不支持 YAML 合并键“<<”：请直接写出每个键和值", dotted))
                continue
            if key in out:
                issues.append(
                    YamlIssue(kline, f"键“{key}”重复出现（第{out.lines[key]}行已有），请删除其中一个", dotted)
                )
                continue
            out[key] = _build(value_node, offset, issues, dotted, depth + 1)
            out.lines[key] = kline
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList()
        out.line = line
        out.lines = []
        for i, item in enumerate(node.value):
            out.append(_build(item, offset, issues, f"{path}[{i}]", depth + 1))
            out.lines.append(item.start_mark.line + 1 + offset)
        return out
    value = node.value
    if node.style in (None, "") and value in NULLS:
        return None
    return value


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
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or "无法解析"
        return None, [
            YamlIssue(
                line, f"YAML 格式错误：{_explain(what)}。请检查缩进、冒号后的空格和引号是否成对", "yaml"
            )
        ]
    except yaml.YAMLError as exc:
        return None, [YamlIssue(1 + line_offset, f"YAML 格式错误：{exc}", "yaml")]
    if node is None:
        return LineDict(), []
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
                f"不支持 YAML 标签（以 ! 开头，如 !!python/object）：“{_shown(tag)}”。"
                "请删除标签；值本身以 ! 开头时请加引号",
                "yaml",
            )
    return None


_EXPLAIN = {
    "mapping values are not allowed": "这里不能出现“键: 值”（常见原因：冒号后缺空格、上一行缩进不对或值里含英文冒号未加引号）",
    "could not find expected ':'": "缺少英文冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "found a tab character": "不能用 Tab 缩进，请改用空格",
    "found undefined alias": "引用了未定义的别名",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "列表项“-”的缩进不一致",
    "found unexpected end of stream": "引号没有闭合",
    "exceeded maximum nesting depth": "嵌套层数过多，请把数据写得扁平一些",
    "but found another document": "只能有一个 YAML 文档（不要再写一个“---”）",
}


def _explain(problem: str) -> str:
    for en, zh in _EXPLAIN.items():
        if problem.startswith(en):
            return zh
    return problem


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
