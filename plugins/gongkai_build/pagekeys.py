"""Keys of rendered entry pages: when a page's key equals the one recorded for the previous
output, that page is not rendered again but linked from there (no Pelican here).

A page's key hashes everything its rendering can depend on:
  - the build: code of gongkai_core and of the plugins, the theme's templates, the settings,
    the build date, Pelican's and Jinja's versions, the static pages (navigation), and the
    listing facts of every entry the build shows (path, title, dates, column, publisher,
    索引号, state) — so a template that lists other entries can never show a stale list;
  - the entry: its file's read-cache key (bytes, path, columns, attachments), its gate state,
    its output name and template; for a column with data blocks (budget, 三公, land) also the
    keys of every entry of that column, since those pages compare years and link batches.
A body-only edit of one entry therefore re-renders one page. The listing facts count only for
pages whose template could show other entries (`template_shows_other_entries`: it uses a name
such as `articles` beyond its own entry, the static pages and the settings); for the others the
build key holds only what every entry is called and where it lives (path, column, slug, state),
since a link to another entry (`{filename}…`) depends on that. A title change therefore re-renders
the lists and that entry's page, not every page. The keys are kept in the record of the output
(`gongkai_build.record.BuildRecord.pages`) beside the inode, size and mtime of each file: a previous
output that was changed by hand, or built by another run, is never trusted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gongkai_core import columns as data_columns
from gongkai_core import tree

from .readcache import code_version


def _tree_digest(digest, folder: Path, suffixes: tuple[str, ...] | None = None) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and (suffixes is None or path.suffix in suffixes)
        ):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())


def plugin_dirs(settings: dict) -> list[Path]:
    """The package folders of the settings' PLUGINS (their code is part of every build key)."""
    import importlib.util

    found = []
    for plugin in settings.get("PLUGINS") or []:
        spec = importlib.util.find_spec(plugin if isinstance(plugin, str) else plugin.__name__)
        if spec is not None and spec.origin:
            found.append(Path(spec.origin).parent)
    return found


def _settings_repr(settings: dict, skip: set[str]) -> str:
    parts = []
    for key in sorted(settings):
        if key in skip or not key.isupper():
            continue
        text = repr(settings[key])
        if " at 0x" in text or " pid=" in text:  # functions, objects, processes: their identity is no content
            text = type(settings[key]).__name__
        parts.append(f"{key}={text}")
    return "\n".join(parts)


# Settings that differ from run to run without changing a page: where this run writes (a fresh
# staging folder each time) and the template filters (functions). Per-build state is not in the
# settings at all: it is the Build object (gongkai_build.build).
VOLATILE = {"OUTPUT_PATH", "JINJA_FILTERS"}


def build_key(
    settings: dict,
    plugin_dirs: list[Path],
    template_dirs: list[Path],
    versions: str,
    pages: list,
    listing: list[tuple],
    everywhere: object = None,
) -> str:
    """`everywhere`: what every page shows that comes from other entries and is not in `listing`
    (the touch-screen kiosk's keyboard, made of every shown title: `COVERED_NAMES`)."""
    digest = hashlib.sha256(f"{code_version()}\0{versions}\0".encode())
    _tree_digest(digest, Path(__file__).resolve().parent, (".py",))  # the build machinery itself
    for folder in plugin_dirs:
        _tree_digest(digest, folder, (".py",))
    for folder in template_dirs:
        _tree_digest(digest, folder)
    digest.update(_settings_repr(settings, VOLATILE).encode())
    # the site's shape (navigation and breadcrumbs on every page) is data beside the settings
    structure = tree.folder_of(settings)
    if structure is not None:
        _tree_digest(digest, structure)
    digest.update(
        repr(
            sorted(
                (k, str(v))
                for k, v in (settings.get("JINJA_FILTERS") or {}).items()
                if " at 0x" not in str(v)
            )
        ).encode()
    )
    digest.update(repr(pages).encode())
    digest.update(repr(listing).encode())
    digest.update(repr(everywhere).encode())
    return digest.hexdigest()


# What a page template may use and still show nothing of other entries: its own entry or page,
# the static pages (in the build key), the settings (upper case, in the build key), Jinja's own.
OWN_NAMES = frozenset(
    {
        "article",
        "page",
        "pages",
        "output_file",
        "loop",
        "self",
        "super",
        "caller",
        "varargs",
        "kwargs",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "gk_urls",
        "gk_tree",
        "gk_fragment",  # gongkai_build.fragments: the same text as rendering the part it wraps
        "gk_page_names",  # gongkai_build.listing: the static pages' output names
    }
)  # gongkai_core.urls (a JINJA_GLOBALS of gongkai_readers): addresses, no entries

# Names that do carry something of other entries, but whose whole value is in every page's key, so a
# page using them is still rebuilt exactly when what it shows changes: the touch-screen kiosk's
# keyboard (`gk_touch`, words of every shown title: `Build.touch`, hashed by the writer as
# `build_key(everywhere=…)`). An entry's own links to other entries come as `article.gk_links`
# (gongkai_core.policylinks.EntryLinks: each linked entry's title, 索引号, 文号, date and address),
# which the writer adds to that entry's page key; a data column's page (`article.gk_view`) has the keys
# of every entry of its column in its page key (`column_keys`).
COVERED_NAMES = frozenset({"gk_touch"})


def _template_names(node) -> list[str] | None:
    """The template names an extends/include/import may load: constants, either branch of a
    conditional, each name of a list; None when it is chosen at render time from anything else."""
    from jinja2 import nodes

    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.Const) and isinstance(node.value, (tuple, list)):
        return list(node.value) if all(isinstance(v, str) for v in node.value) else None
    if isinstance(node, (nodes.Tuple, nodes.List)):
        found: list[str] = []
        for item in node.items:
            names = _template_names(item)
            if names is None:
                return None
            found += names
        return found
    if isinstance(node, nodes.CondExpr):
        first = _template_names(node.expr1)
        second = [] if node.expr2 is None else _template_names(node.expr2)
        return None if first is None or second is None else first + second
    return None


def template_shows_other_entries(environment, name: str) -> bool:
    """Whether a page template (with what it extends, includes and imports) uses any name that
    could carry other entries' titles or dates (articles, dates, gk_by_column, …). Unknown means yes."""
    from jinja2 import nodes

    seen: set[str] = set()
    todo = [name]
    loads: set[str] = set()
    bound: set[str] = set()
    try:
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = environment.loader.get_source(environment, current)[0]
            tree = environment.parse(source)
            for node in tree.find_all((nodes.Extends, nodes.FromImport, nodes.Import, nodes.Include)):
                refs = _template_names(node.template)
                if refs is None:
                    return True  # a template chosen at render time: cannot tell
                todo.extend(refs)
            for node in tree.find_all(nodes.Name):
                (loads if node.ctx == "load" else bound).add(node.name)
            for node in tree.find_all(nodes.Macro):
                bound.add(node.name)
            for node in tree.find_all(nodes.FromImport):
                bound.update(n if isinstance(n, str) else n[-1] for n in node.names)
            for node in tree.find_all(nodes.Import):
                bound.add(node.target)
    except Exception:  # noqa: BLE001 - a template we cannot read: assume the worst
        return True
    return any(not (n in OWN_NAMES or n in COVERED_NAMES or n.isupper()) for n in loads - bound)


def column_keys(entries, source_keys: dict[str, str]) -> dict[str, str]:
    """For each data-block column, one hash over the keys of all its entries."""
    found = {}
    for column in data_columns.keys():
        keys = sorted(source_keys.get(e.path, "?") for e in entries if e.column == column)
        found[column] = hashlib.sha256("\n".join(keys).encode()).hexdigest()
    return found


def page_key(build: str, name: str, template: str, source_key: str, state: str, column: str) -> str:
    return hashlib.sha256(
        f"{build}\0{name}\0{template}\0{source_key}\0{state}\0{column}".encode()
    ).hexdigest()
