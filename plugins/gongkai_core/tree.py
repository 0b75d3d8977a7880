"""The shape of the site as data: the column tree and the standard catalogues (no Pelican).

`GONGKAI_STRUCTURE` names a folder (relative to the project) holding
  - `tree.yaml`: the columns as a tree. Each node is one line: a configured column
    (`- {column: budget, required: true, basis: 第二十条第（四）项}`), a section with its own page and
    children (`- section: statutory` + `title:` + `children:`), or the standard catalogues'
    index (`- standard: 基层政务公开标准目录`). Columns not placed in the tree follow its top level
    in the order of GONGKAI_COLUMNS, so a new column is never unreachable.
  - `standard/<area>.yaml`: the standard catalogue of one of the 26 基层 areas (data/standard_areas.yaml;
    国办发〔2019〕54号), one item per 公开事项, each linking to the column where it is published.
Without the setting the tree is the configured columns, flat. Every mistake in these files is a
ConfigProblem naming file:line, all of them at once (the build, check and audit refuse to start).
Navigation, breadcrumbs, the catalog's filters, the section and standard pages and the HTML
sitemap follow the tree (gongkai_catalog); `invoke audit` reports a required column left empty.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import yaml

from . import urls, yamlload
from .errors import ConfigError, ConfigProblem

SETTING = "GONGKAI_STRUCTURE"
TREE_FILE = "tree.yaml"
STANDARD_FOLDER = "standard"
AREAS_DATA = Path(__file__).resolve().parent / "data" / "standard_areas.yaml"
KEY = re.compile(r"[a-z][a-z0-9_-]{0,31}")

NODE_KEYS = ("column", "section", "standard", "title", "required", "basis", "children")
ITEM_KEYS = (
    "level1",
    "level2",
    "content",
    "basis",
    "deadline",
    "body",
    "channels",
    "audience",
    "mode",
    "levels",
    "column",
)
AREA_KEYS = ("title", "issuer", "items")
AUDIENCE = {"public": "全社会", "group": "特定群体"}
MODE = {"proactive": "主动", "on_request": "依申请"}
LEVELS = {"county": "县级", "township": "乡级"}
BOOLEAN = {"true": True, "false": False, "是": True, "否": False}


@cache
def areas() -> dict[str, str]:
    """The 26 基层 areas: key -> 领域 name, in the order of the data file."""
    raw = yaml.safe_load(AREAS_DATA.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in raw.items()}


@dataclass(frozen=True)
class Node:
    kind: str  # column | section | standard
    key: str  # the column key, the section key, or "standard"
    title: str
    required: bool = False
    basis: str = ""  # 依据, e.g. 《政府信息公开条例》第二十条第（四）项
    children: tuple["Node", ...] = ()
    line: int = 0

    @property
    def url(self) -> str:
        if self.kind == "column":
            return urls.column_page(self.key)
        if self.kind == "section":
            return urls.section_page(self.key)
        return urls.standard_page(None)

    @property
    def columns(self) -> tuple[str, ...]:
        """The column keys in this node's subtree (itself first), depth first."""
        own = (self.key,) if self.kind == "column" else ()
        return own + tuple(c for child in self.children for c in child.columns)

    def contains(self, here: str) -> bool:
        """Whether the page at output path `here` lies inside this node (navigation marks it current)."""
        head = here.split("/", 1)[0] if "/" in here else here
        if here == self.url or (self.kind, head) in (("column", self.key), ("standard", "standard")):
            return True
        return any(child.contains(here) for child in self.children)

    def walk(self, depth: int = 0):
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True)
class Item:
    """One 公开事项 of a standard catalogue."""

    level1: str  # 一级事项
    level2: str  # 二级事项
    content: str  # 公开内容（要素）
    basis: str  # 公开依据
    deadline: str  # 公开时限
    body: str  # 公开主体
    channels: tuple[str, ...]  # 公开渠道和载体
    audience: str  # 公开对象: public | group
    mode: str  # 公开方式: proactive | on_request
    levels: tuple[str, ...]  # 公开层级: county | township
    column: str | None  # the column where it is published
    line: int = 0

    @property
    def audience_label(self) -> str:
        return AUDIENCE.get(self.audience, self.audience)

    @property
    def mode_label(self) -> str:
        return MODE.get(self.mode, self.mode)

    @property
    def levels_label(self) -> str:
        return "、".join(LEVELS.get(v, v) for v in self.levels)


@dataclass(frozen=True)
class Area:
    key: str
    name: str  # 领域
    title: str
    issuer: str
    items: tuple[Item, ...]

    @property
    def url(self) -> str:
        return urls.standard_page(self.key)


@dataclass(frozen=True)
class Structure:
    nodes: tuple[Node, ...]
    column_names: dict = field(default_factory=dict)
    areas: tuple[Area, ...] = ()

    def all_nodes(self):
        for node in self.nodes:
            yield from node.walk()

    @cached_property
    def node_urls(self) -> frozenset[str]:
        """The page of every node (the navigation marks a node's own page aria-current="page")."""
        return frozenset(n.url for n, _ in self.all_nodes())

    @property
    def sections(self) -> list[Node]:
        return [n for n, _ in self.all_nodes() if n.kind == "section"]

    @property
    def column_order(self) -> list[str]:
        return [c for node in self.nodes for c in node.columns]

    @property
    def required(self) -> list[Node]:
        return [n for n, _ in self.all_nodes() if n.kind == "column" and n.required]

    def trail(self, key: str, kind: str = "column") -> list[tuple[str, str]]:
        """[label, url] from the top of the tree down to the node (itself included): breadcrumbs."""

        def find(nodes, above):
            for node in nodes:
                here = [*above, (node.title, node.url)]
                if node.kind == kind and node.key == key:
                    return here
                found = find(node.children, here)
                if found:
                    return found
            return None

        return find(self.nodes, []) or []

    def node(self, key: str, kind: str = "column") -> Node | None:
        return next((n for n, _ in self.all_nodes() if n.kind == kind and n.key == key), None)

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)


def flat(columns: dict[str, str]) -> Structure:
    """The tree of a site without GONGKAI_STRUCTURE: every column at the top, in configured order."""
    return Structure(tuple(Node("column", k, v) for k, v in columns.items()), dict(columns))


def folder_of(settings) -> Path | None:
    """The structure folder of the settings (relative to the project: the folder above PATH)."""
    value = settings.get(SETTING)
    if not value:
        return None
    folder = Path(str(value))
    if not folder.is_absolute():
        folder = Path(str(settings.get("PATH") or "content")).resolve().parent / folder
    return folder


def from_settings(settings) -> Structure:
    """The site's structure, or ConfigError with every problem of its files."""
    structure, problems = load(settings)
    if problems:
        raise ConfigError(problems)
    return structure


def load(settings) -> tuple[Structure, list[ConfigProblem]]:
    columns = settings.get("GONGKAI_COLUMNS") or {}
    columns = columns if isinstance(columns, dict) else {}
    folder = folder_of(settings)
    if folder is None:
        return flat(columns), []
    if not folder.is_dir():
        return flat(columns), [
            ConfigProblem(
                SETTING, settings.get(SETTING), "找不到这个目录：应为放置 tree.yaml 和 standard/ 的目录"
            )
        ]
    problems: list[ConfigProblem] = []
    tree_path = folder / TREE_FILE
    shown = _shown(tree_path, folder)
    nodes: list[Node] = []
    if tree_path.is_file():
        data = _read(tree_path, shown, problems)
        if data is not None:
            if not isinstance(data, yamlload.LineList):
                problems.append(ConfigProblem(f"{shown}:1", "", "栏目树应为列表：每个栏目一行，以“- ”开头"))
            else:
                nodes = _nodes(data, shown, columns, problems, set(), set())
    placed = {c for node in nodes for c in node.columns}
    nodes += [Node("column", k, v) for k, v in columns.items() if k not in placed]
    found_areas = _areas(folder / STANDARD_FOLDER, folder, columns, problems)
    return Structure(tuple(nodes), dict(columns), tuple(found_areas)), problems


def _shown(path: Path, folder: Path) -> str:
    return f"{folder.name}/{path.relative_to(folder).as_posix()}"


def _read(path: Path, shown: str, problems: list[ConfigProblem]):
    text, issues = yamlload.decode(path.read_bytes())
    for issue in issues:
        problems.append(ConfigProblem(f"{shown}:{issue.line}", "", issue.message))
    if text is None:
        return None
    data, issues = yamlload.load(text.replace("\r\n", "\n"))
    for issue in issues:
        problems.append(ConfigProblem(f"{shown}:{issue.line}", "", issue.message))
    return data


def _unknown(data, known: tuple[str, ...], where: str, problems: list[ConfigProblem]) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"是否应为“{close[0]}”？" if close else "可用的键：" + "、".join(known)
            problems.append(ConfigProblem(f"{where}:{data.line_of(key)}", key, f"未知的键“{key}”。{hint}"))


def _text(data, key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _nodes(data, shown, columns, problems, seen_columns: set, seen_sections: set) -> list[Node]:
    nodes = []
    for i, raw in enumerate(data):
        line = data.line_of(i)
        where = f"{shown}:{line}"
        if not isinstance(raw, yamlload.LineDict):
            problems.append(
                ConfigProblem(
                    where, raw, "每个栏目应写成“键: 值”，如 - {column: budget} 或 - section: statutory"
                )
            )
            continue
        _unknown(raw, NODE_KEYS, shown, problems)
        kinds = [k for k in ("column", "section", "standard") if k in raw]
        if len(kinds) != 1:
            problems.append(
                ConfigProblem(
                    where,
                    dict(raw),
                    "每个节点须有且只有 column（栏目）、section（分组）、standard（标准目录）之一",
                )
            )
            continue
        kind = kinds[0]
        required = _text(raw, "required")
        if required and required not in BOOLEAN:
            problems.append(ConfigProblem(where, required, "required 应为 true 或 false"))
        children = raw.get("children")
        if kind == "column":
            key = _text(raw, "column")
            if key not in columns:
                close = difflib.get_close_matches(key, list(columns), n=1, cutoff=0.6)
                hint = f"是否应为“{close[0]}”？" if close else ""
                problems.append(
                    ConfigProblem(
                        where,
                        key,
                        f"栏目“{key}”没有在 GONGKAI_COLUMNS 中配置。{hint}"
                        "请先在 pelicanconf.py 的 GONGKAI_COLUMNS 中加上它，或从栏目树中删除这一行",
                    )
                )
                continue
            if key in seen_columns:
                problems.append(
                    ConfigProblem(where, key, f"栏目“{key}”在栏目树中出现了两次：每个栏目只放一处")
                )
                continue
            seen_columns.add(key)
            if children is not None:
                problems.append(ConfigProblem(where, key, "栏目节点不能有 children：分组请用 section"))
            title = _text(raw, "title") or str(columns[key])
        elif kind == "section":
            key = _text(raw, "section")
            title = _text(raw, "title")
            if not KEY.fullmatch(key) or key in seen_sections:
                problems.append(
                    ConfigProblem(
                        where,
                        key,
                        "分组键应为小写英文字母开头的字母、数字、“-”或“_”，且不重复（它是分组页面的网址）",
                    )
                )
                continue
            seen_sections.add(key)
            if not title:
                problems.append(ConfigProblem(where, key, f"分组“{key}”缺少 title（中文名称）"))
                continue
            if not isinstance(children, yamlload.LineList) or not children:
                problems.append(ConfigProblem(where, key, f"分组“{title}”应有 children：其下的栏目列表"))
                continue
        else:
            key, title = "standard", _text(raw, "standard") or "基层政务公开标准目录"
            if children is not None:
                problems.append(ConfigProblem(where, title, "标准目录节点不能有 children"))
        kids = (
            _nodes(children, shown, columns, problems, seen_columns, seen_sections)
            if kind == "section"
            else []
        )
        nodes.append(
            Node(kind, key, title, BOOLEAN.get(required, False), _text(raw, "basis"), tuple(kids), line)
        )
    return nodes


def _areas(folder: Path, root: Path, columns, problems: list[ConfigProblem]) -> list[Area]:
    if not folder.is_dir():
        return []
    known = areas()
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        shown = _shown(path, root)
        if path.suffix not in (".yaml", ".yml"):
            problems.append(ConfigProblem(f"{shown}:1", path.name, "标准目录文件应为 <领域键>.yaml"))
            continue
        if path.stem not in known:
            close = difflib.get_close_matches(path.stem, list(known), n=1, cutoff=0.5)
            hint = f"是否应为“{close[0]}.yaml”（{known[close[0]]}）？" if close else ""
            problems.append(
                ConfigProblem(
                    f"{shown}:1",
                    path.stem,
                    f"“{path.stem}”不是26个基层政务公开领域之一。{hint}领域键见 gongkai_core/data/standard_areas.yaml",
                )
            )
            continue
        data = _read(path, shown, problems)
        if data is None:
            continue
        if not isinstance(data, yamlload.LineDict):
            problems.append(ConfigProblem(f"{shown}:1", "", "标准目录应为“键: 值”：title、issuer、items"))
            continue
        _unknown(data, AREA_KEYS, shown, problems)
        raw_items = data.get("items")
        if not isinstance(raw_items, yamlload.LineList) or not raw_items:
            problems.append(
                ConfigProblem(f"{shown}:{data.line_of('items')}", "", "缺少 items：公开事项的列表")
            )
            continue
        items = [
            it
            for i, raw in enumerate(raw_items)
            if (it := _item(raw, raw_items.line_of(i), shown, columns, problems))
        ]
        name = known[path.stem]
        found.append(
            Area(
                path.stem,
                name,
                _text(data, "title") or f"{name}领域基层政务公开标准目录",
                _text(data, "issuer"),
                tuple(items),
            )
        )
    return found


def _item(raw, line: int, shown: str, columns, problems: list[ConfigProblem]) -> Item | None:
    where = f"{shown}:{line}"
    if not isinstance(raw, yamlload.LineDict):
        problems.append(ConfigProblem(where, raw, "每个公开事项应为“键: 值”的块"))
        return None
    _unknown(raw, ITEM_KEYS, shown, problems)
    bad = len(problems)
    for key, label in (
        ("level1", "一级事项"),
        ("level2", "二级事项"),
        ("basis", "公开依据"),
        ("deadline", "公开时限"),
        ("body", "公开主体"),
    ):
        if not _text(raw, key):
            problems.append(ConfigProblem(f"{shown}:{raw.line_of(key)}", key, f"缺少“{label}”（{key}）"))

    def choice(key: str, label: str, allowed: dict, default: str) -> str:
        value = _text(raw, key) or default
        if value not in allowed:
            listed = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            problems.append(ConfigProblem(f"{shown}:{raw.line_of(key)}", value, f"“{label}”可选：{listed}"))
        return value

    def listing(key: str) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(v for v in re.split(r"[、，,]\s*", value.strip()) if v)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        problems.append(ConfigProblem(f"{shown}:{raw.line_of(key)}", value, f"“{key}”应为文字列表"))
        return ()

    audience = choice("audience", "公开对象", AUDIENCE, "public")
    mode = choice("mode", "公开方式", MODE, "proactive")
    levels = listing("levels") or ("county",)
    for level in levels:
        if level not in LEVELS:
            problems.append(
                ConfigProblem(
                    f"{shown}:{raw.line_of('levels')}",
                    level,
                    "“公开层级”可选：county（县级）、township（乡级）",
                )
            )
    column = _text(raw, "column") or None
    if column is not None and column not in columns:
        problems.append(
            ConfigProblem(
                f"{shown}:{raw.line_of('column')}",
                column,
                f"栏目“{column}”没有在 GONGKAI_COLUMNS 中配置：公开事项应链接到发布它的栏目",
            )
        )
    channels = listing("channels")
    if not channels:
        problems.append(
            ConfigProblem(f"{shown}:{raw.line_of('channels')}", "", "缺少“公开渠道和载体”（channels）")
        )
    if len(problems) > bad:
        return None
    return Item(
        _text(raw, "level1"),
        _text(raw, "level2"),
        _text(raw, "content"),
        _text(raw, "basis"),
        _text(raw, "deadline"),
        _text(raw, "body"),
        channels,
        audience,
        mode,
        levels,
        column,
        line,
    )
