"""The layers kept honest: gongkai_core (the domain rules) imports no CLI, no Pelican glue and no
Pelican — at import time or later, inside a function — and its modules import each other without
a cycle. The dependency points one way: gongkai_cli and the glue packages → gongkai_core.

- every core module is imported in a fresh interpreter where Pelican, gongkai_cli and every glue
  package cannot be imported (a meta path finder refuses them and records the attempt);
- under the same block, the core functions `invoke check` and `invoke annual-report` run on a copy
  of the demo content, and give what the real commands give;
- the source is read (ast): no import of a package outside the allowed ones, anywhere in a file;
- the imports among core modules (module level, inside functions, and the column registry's dynamic
  lookups) have no cycle: an import put off into a function hides a cycle from Python, not from this test.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from conftest import EPOCH, ROOT

PLUGINS = ROOT / "plugins"
CORE = PLUGINS / "gongkai_core"
# Pelican, and every package of ours but the core: the CLI and the glue (found, not listed, so a
# new glue package is blocked too)
BLOCKED = (
    "pelican",
    *sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file() and p.name != "gongkai_core"),
)

# Runs first in the child interpreter, before anything of ours is imported.
BLOCKER = r"""
import importlib.abc, json, sys

BLOCKED = frozenset(sys.argv[1].split(","))
TRIED = []


class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            TRIED.append(name)  # recorded even when the caller swallows the ImportError
            raise ImportError(f"{name} may not be imported by gongkai_core (tests/unit/test_layers.py)")
        return None


already = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
if already:
    sys.exit(f"imported before the block was in place: {already}")
sys.meta_path.insert(0, Blocked())


def report(**result):
    result["tried"] = sorted(set(TRIED))
    result["loaded"] = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
    print(json.dumps(result, ensure_ascii=False, default=str))
"""

IMPORT_EVERY_MODULE = (
    BLOCKER
    + r"""
import importlib, pkgutil, traceback

import gongkai_core

names, failures = ["gongkai_core"], {}
for info in pkgutil.walk_packages(gongkai_core.__path__, "gongkai_core.",
                                  onerror=lambda name: failures.setdefault(name, traceback.format_exc())):
    names.append(info.name)
    try:
        importlib.import_module(info.name)
    except BaseException:
        failures[info.name] = traceback.format_exc()
report(modules=names, failures=failures)
"""
)

# What gongkai_cli/check.py run_check and gongkai_cli/annual_report.py main do with the core,
# given the settings the CLI would have read (with Pelican, in the parent).
CHECK_AND_ANNUAL_REPORT = (
    BLOCKER
    + r"""
import pickle
from pathlib import Path

from gongkai_core import annual_report, audit, clock
from gongkai_core.signoff import policy_from_settings
from gongkai_core.site import load_site

settings = pickle.loads(Path(sys.argv[2]).read_bytes())
year, index_no = int(sys.argv[3]), sys.argv[4]
project = Path.cwd()
content = project / "content"
today = clock.build_date()
policy, config_problems = policy_from_settings(settings, uncommitted_as_current_user=True)
runs = []
for _ in range(2):  # twice: the same (the read cache and progress line are the CLI's, gongkai_build)
    site = load_site(content, today, settings.get("GONGKAI_COLUMNS") or None, project_root=project,
                     progress=None,
                     render=False, signoff_policy=policy)
    runs.append({"problems": [str(p) for p in site.problems], "published": len(site.published()),
                 "files": len(site.entries) + len(site.pages) + len(site.invalid_paths),
                 "states": sorted({v.state for v in site.verdicts.values()})})
config = audit.config_from_settings(settings.get("GONGKAI_AUDIT"), annual_report.issuer(settings))
options = annual_report.draft_options(settings, config)
target, figures = annual_report.write_draft(
    content, year, today, index_no, force=True, publisher=options.publisher, region=options.region,
    columns=options.columns, level=options.level, normative_columns=options.normative_columns)
report(config_problems=[str(p) for p in config_problems], runs=runs, draft=str(target.relative_to(project)),
       figures=figures.proactive())
"""
)


def _child(script: str, *args: str, cwd: Path) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, "-c", script, ",".join(BLOCKED), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["tried"] == [], f"gongkai_core tried to import {result['tried']}:\n{done.stderr}"
    assert result["loaded"] == []
    return result


def _modules() -> dict[str, Path]:
    """Every module of gongkai_core by dotted name."""
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(PLUGINS).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def test_every_core_module_imports_with_pelican_cli_and_glue_blocked(tmp_path):
    result = _child(IMPORT_EVERY_MODULE, cwd=tmp_path)
    assert result["failures"] == {}, "\n".join(result["failures"].values())
    assert sorted(result["modules"]) == sorted(_modules())  # the walk saw every file


def _demo_project(base: Path) -> Path:
    project = base / "site"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
    for name in ("theme", "plugins", "structure"):  # the settings name them
        (project / name).symlink_to(ROOT / name)
    return project


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _plain(value) -> bool:
    """Made of built-in values only (unpickling it imports nothing of Pelican's)."""
    if type(value) in (dict, list, tuple, set, frozenset):
        items = value.items() if isinstance(value, dict) else ((v, None) for v in value)
        return all(_plain(k) and _plain(v) for k, v in items)
    return type(value) in (str, int, float, bool, type(None), date, datetime)


def test_check_and_annual_report_run_on_the_core_alone(tmp_path):
    from gongkai_cli.new import DEFAULT_CODE, next_index_no
    from gongkai_core import clock
    from pelican.settings import read_settings

    blocked, real = _demo_project(tmp_path / "blocked"), _demo_project(tmp_path / "real")
    today = clock.build_date({"SOURCE_DATE_EPOCH": EPOCH})
    year = today.year - 1
    index_no = next_index_no(blocked / "content", DEFAULT_CODE, today.year)  # as the command numbers it
    read = read_settings(str(blocked / "pelicanconf.py"))  # as the CLI reads it
    plain = {k: v for k, v in read.items() if _plain(v)}  # less Pelican's own objects (PaginationRule)
    assert not [k for k in set(read) - set(plain) if k.startswith("GONGKAI_") or k == "ISSUER"]
    settings = tmp_path / "settings.pickle"
    settings.write_bytes(pickle.dumps(plain))

    result = _child(CHECK_AND_ANNUAL_REPORT, str(settings), str(year), index_no, cwd=blocked)

    # the real commands, on an identical copy, say the same
    check = _cli(real, "gongkai_cli", "check")
    cold, cached = result["runs"]
    assert cold == cached and result["config_problems"] == []
    if cold["problems"]:
        assert (check.returncode, check.stdout.splitlines()) == (1, cold["problems"])
    else:
        assert check.returncode == 0, check.stdout + check.stderr
        assert check.stdout.startswith(
            f"检查了 {cold['files']} 个文件，没有发现问题（{cold['published']} 条可公开）"
        )
    assert {"published", "withdrawn", "withheld"} <= set(cold["states"])  # the demo shows every gate state
    made = _cli(real, "gongkai_cli.annual_report", str(year), "--force")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[0] == f"已生成草稿：{result['draft']}"
    assert f"{year}年主动公开 {result['figures']['entries']} 条；" in made.stdout
    assert (blocked / result["draft"]).read_bytes() == (real / result["draft"]).read_bytes()


# ---------------------------------------------------------------- the source, read


def _allowed_top_level() -> set[str]:
    """What the core may import: the standard library, itself, and the libraries pinned in
    requirements.txt — but never Pelican, the CLI or the glue."""
    pinned = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[=<>!~\[; ]", line.strip(), maxsplit=1)[0]
        if name and not name.startswith("#"):
            pinned.add(re.sub(r"[-_.]+", "-", name).lower())
    provided = {
        top
        for top, dists in metadata.packages_distributions().items()
        if any(re.sub(r"[-_.]+", "-", d).lower() in pinned for d in dists)
    }
    return (set(sys.stdlib_module_names) | {"gongkai_core"} | provided) - set(BLOCKED)


def _package_of(name: str, path: Path) -> list[str]:
    return name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]


def _imports(name: str, path: Path, tree: ast.AST):
    """(line, absolute module name, dynamic) of every import in a file: statements anywhere, and
    calls of importlib.import_module / __import__ / find_spec with a literal name (dynamic; of an
    f-string, its literal start and "*")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, False
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(name, path)
                keep = len(package) - node.level + 1
                if keep < 1:  # climbs out of gongkai_core
                    yield (
                        node.lineno,
                        "." * node.level + (node.module or ",".join(a.name for a in node.names)),
                        False,
                    )
                else:
                    yield (
                        node.lineno,
                        ".".join([*package[:keep], *([node.module] if node.module else [])]),
                        False,
                    )
            else:
                yield node.lineno, node.module or "", False
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__", "find_spec"):
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, arg.value, True
                elif (
                    isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant)
                ):
                    yield node.lineno, str(arg.values[0].value) + "*", True


def test_core_source_imports_only_the_standard_library_its_own_modules_and_pinned_libraries():
    allowed = _allowed_top_level()
    assert {"yaml", "markdown"} <= allowed and not allowed & {"pelican", "gongkai_cli", "gongkai_gate"}
    bad = []
    for name, path in _modules().items():
        for line, module, _dynamic in _imports(name, path, ast.parse(path.read_bytes(), str(path))):
            top = module.partition(".")[0].rstrip("*")
            if module.startswith(".") or top not in allowed:
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    assert bad == [], (
        "gongkai_core may not import these (the CLI and the glue import the core, not back):\n"
        + "\n".join(bad)
    )


def _runtime_imports(tree: ast.AST):
    """Every import statement that can run: at module level and inside functions and classes alike
    (an import a function makes is a dependency all the same, only a later one), but not those under
    `if TYPE_CHECKING:` (never run)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    """Module → the core modules it imports, wherever in the file (module level or in a function,
    `if TYPE_CHECKING:` left out), plus its dynamic lookups (importlib.import_module(f"gongkai_core.columns.{…}"),
    the column registry: an edge to every module whose name starts so)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_bytes(), str(path))
        edges: set[str] = set()
        for node in _runtime_imports(tree):
            for _line, module, _dynamic in _imports(name, path, node):
                edges.add(module)
                if isinstance(node, ast.ImportFrom):  # from . import entry: a module, not a name
                    edges.update(f"{module}.{a.name}" for a in node.names)
        for _line, module, dynamic in _imports(name, path, tree):  # dynamic lookups, wherever they are
            if not dynamic:
                continue
            if module.startswith("gongkai_core.") and module.endswith("*"):
                edges |= {m for m in modules if m.startswith(module[:-1])}
            elif module.startswith("gongkai_core.") and not module.endswith("*"):
                edges.add(module)
        graph[name] = {m for m in edges if m in modules and m != name and m != "gongkai_core"}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        if node in stack:
            return [*stack[stack.index(node) :], node]
        if node in done:
            return None
        stack.append(node)
        for nxt in sorted(graph[node]):
            found = walk(nxt)
            if found:
                return found
        stack.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        found = walk(start)
        if found:
            return found
    return None


def test_core_modules_import_each_other_without_a_cycle():
    graph = _graph()
    assert "gongkai_core.annual_report_block" in graph["gongkai_core.entry"]  # the graph sees imports
    assert "gongkai_core.columns" in graph["gongkai_core.entry"]  # the column registry
    assert "gongkai_core.columns.budget" in graph["gongkai_core.columns"]  # and what it finds
    assert "gongkai_core.tokenizer" in graph["gongkai_core.signoff"]  # and imports inside functions
    cycle = _cycle(graph)
    assert cycle is None, "import cycle in gongkai_core: " + " → ".join(cycle or [])


def test_the_cycle_check_counts_imports_inside_functions_but_not_type_checking_ones():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from . import entry\nelse:\n    from . import paths\n"
        "def f():\n    from . import signoff\n    import gongkai_core.site\n"
        "class C:\n    def g(self):\n        if True:\n            from .errors import Problem\n"
    )
    path = CORE / "probe.py"
    found = {
        m for node in _runtime_imports(tree) for _line, m, _dyn in _imports("gongkai_core.probe", path, node)
    }
    assert found == {"typing", "gongkai_core", "gongkai_core.site", "gongkai_core.errors"}
    names = {
        a.name for node in _runtime_imports(tree) if isinstance(node, ast.ImportFrom) for a in node.names
    }
    assert names == {"TYPE_CHECKING", "paths", "signoff", "Problem"}
