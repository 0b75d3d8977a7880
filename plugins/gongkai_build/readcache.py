"""The read cache: what reading one content file gave, keyed by everything reading depends on.

Reading a file (parse, validate, render the body, scan it for personal data, parse its column
data block) depends only on
  - the file's bytes and the path shown in messages,
  - the configured columns,
  - the other files under content/ (validation checks that attachments and body-linked files
    exist and how large they are): their names and sizes, as one fingerprint,
  - our code and its libraries: the source of gongkai_core and the versions of PyYAML,
    Markdown and nh3, as the cache's version (a changed rule never serves an old result);
    the project's own holiday calendar (`holidays/`, gongkai_core.workdays) counts as code too.
So the key of a file is a SHA-256 of all of that. The gate verdict is never cached: it depends
on the build date and is cheap to decide again; rules across files (unique 索引号, budget sets)
run on every build.

What depends on other files' bytes is not in this cache: the text of attachments, scanned for
personal data and 涉密 marks, is kept by ContentCache (below) keyed by each file's SHA-256.

One pickle file per version under `.gongkai/cache/`, written atomically, pruned to the files of
the last run. It maps each key to that file's result pickled on its own: the worker processes
pickle a result once, to send it, and the same bytes are saved — the reader unpickles them for
its own use, but the whole is never pickled again. A cache that cannot be read is ignored (and rewritten), never trusted in part.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import gongkai_core
from gongkai_core import attachment_text, workdays
from gongkai_core.site import FileResult

CACHE_FORMAT = 2  # 2: each result pickled on its own (bytes by key)


def _library_versions() -> str:
    found = []
    for name in ("PyYAML", "Markdown", "nh3"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


def code_version() -> str:
    """Hash of gongkai_core's files (code and data) and the libraries reading uses."""
    digest = hashlib.sha256(f"{CACHE_FORMAT};{_library_versions()}".encode())
    core = Path(gongkai_core.__file__).resolve().parent
    for path in sorted(core.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix in (".py", ".json", ".yaml", ".csv")
        ):
            digest.update(path.relative_to(core).as_posix().encode())
            digest.update(path.read_bytes())
    for path in workdays.project_files():  # the project's holidays/ extends the shipped data
        digest.update(f"{workdays.PROJECT_FOLDER}/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def assets_fingerprint(content_root: Path, others: list[Path]) -> str:
    """Names and sizes of the content files that are neither entries nor pages."""
    digest = hashlib.sha256()
    for path in others:
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        digest.update(f"{path.relative_to(content_root).as_posix()}\0{size}\n".encode())
    return digest.hexdigest()


def file_key(prefix: bytes, shown: str, data: bytes) -> str:
    digest = hashlib.sha256(prefix)
    digest.update(shown.encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def cache_folder(project_root: Path) -> Path:
    """Where a project keeps its caches and the record of its last complete build."""
    return project_root / ".gongkai" / "cache"


def stores(project_root: Path, read: bool = True) -> dict:
    """The stores `gongkai_core.site.load_site` reads through, as its keyword arguments: the read
    cache (with `read`), and the attachment-text store — used whenever the project has a cache
    folder, also by commands run without the read cache (status, audit, a rebuild of a few entries)."""
    folder = cache_folder(project_root)
    found: dict = {"cache": ReadCache(folder) if read else None}
    if read or folder.is_dir():
        found["text_cache"] = ContentCache(folder, "attachments", attachment_version())
    return found


def attachment_version() -> str:
    """The attachment-text store's version: our code and the libraries that read attachments."""
    found = []
    for name in attachment_text.LIBRARIES:
        try:
            found.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            found.append("?")
    return f"{code_version()}-{'-'.join(found)}".replace("/", "_")


class ReadCache:
    """A store of reading results (the `cache` of gongkai_core.site.load_site)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = code_version()
        self.path = folder / f"read-{self.version}.pickle"
        self.old: dict[str, bytes] = {}  # key -> pickled FileResult
        self.new: dict[str, bytes] = {}
        self.hits = 0
        self.changed = False  # a result was put (new, or replacing one read without HTML)
        self.keys: dict[str, str] = {}  # shown path -> key, of this run
        try:
            with open(self.path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, dict):
                self.old = loaded
        except FileNotFoundError:
            pass
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            self.old = {}

    def prefix(self, columns: dict[str, str], content_root: Path, others: list[Path]) -> bytes:
        """What every key of this run starts with: version, columns, content folder, other files."""
        return (
            f"{self.version}\0{sorted(columns.items())!r}\0{content_root.resolve()}\0"
            f"{assets_fingerprint(content_root, others)}\0"
        ).encode()

    key = staticmethod(file_key)

    def get(self, key: str, need_html: bool = False) -> FileResult | None:
        """The cached result; with `need_html`, not one that check read without rendering."""
        data = self.old.get(key)
        if data is None:
            return None
        try:
            found = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged entry is read again, never trusted
            return None
        if not isinstance(found, FileResult):
            return None
        if need_html and found.obj is not None and found.html is None:
            return None
        self.hits += 1
        self.new[key] = data
        return found

    def put(self, key: str, result: FileResult, data: bytes | None = None) -> None:
        """Keep `result`; `data` is it already pickled (by a worker), if it was."""
        self.new[key] = data if data is not None else pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self.changed = True

    def save(self) -> None:
        """Write what this run used (nothing when nothing changed); drop other versions."""
        if not self.changed and self.new.keys() == self.old.keys():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".read-", dir=self.folder)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.new, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for stale in self.folder.glob("read-*.pickle"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
        except OSError:
            # A read-only project still builds; it only reads everything again next time.
            return


@dataclass
class _Stat:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str


class ContentCache:
    """Results keyed by a file's bytes (SHA-256), for work on non-entry files (attachment text).

    The read cache above keys entries by their bytes but knows other files only by name and size;
    what depends on an attachment's bytes is kept here. So that an unchanged file is not even
    hashed again, its digest is remembered with its size, mtime, ctime and inode (as git's index
    does; ctime cannot be set back by hand); a file changed within RACY_SECONDS of being looked at
    is always hashed. One pickle per `name` and version under `.gongkai/cache/`, written
    atomically, holding only what this run used. Without a folder nothing is kept."""

    RACY_SECONDS = 2

    def __init__(self, folder: Path | None, name: str, version: str) -> None:
        self.folder = folder
        self.path = folder / f"{name}-{version}.pickle" if folder is not None else None
        self.name = name
        self.old_stats: dict[str, _Stat] = {}
        self.old: dict[str, bytes] = {}
        self.stats: dict[str, _Stat] = {}
        self.new: dict[str, bytes] = {}
        self.changed = False
        self.hits = 0
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as fh:
                stats, results = pickle.load(fh)
            if isinstance(stats, dict) and isinstance(results, dict):
                self.old_stats, self.old = stats, results
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a damaged cache is ignored and rewritten, never trusted in part
            self.old_stats, self.old = {}, {}

    def digest(self, path: Path) -> str:
        """SHA-256 of the file's bytes (OSError when it cannot be read)."""
        import time

        key = str(path.resolve())
        st = path.stat()
        known = self.old_stats.get(key) or self.stats.get(key)
        if (
            known is not None
            and known.size == st.st_size
            and known.mtime_ns == st.st_mtime_ns
            and known.ctime_ns == st.st_ctime_ns
            and known.inode == st.st_ino
            and time.time() - max(st.st_mtime, st.st_ctime) > self.RACY_SECONDS
        ):
            self.stats[key] = known
            return known.digest
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        found = digest.hexdigest()
        self.stats[key] = _Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, found)
        self.changed = True
        return found

    def get(self, digest: str):
        data = self.new.get(digest) or self.old.get(digest)
        if data is None:
            return None
        try:
            found = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged result is computed again
            return None
        self.hits += 1
        self.new[digest] = data
        return found

    def put(self, digest: str, value) -> None:
        self.new[digest] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.changed = True

    def save(self) -> None:
        if self.path is None or (
            not self.changed
            and self.new.keys() == self.old.keys()
            and self.stats.keys() == self.old_stats.keys()
        ):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.name}-", dir=self.folder)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((self.stats, self.new), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for stale in self.folder.glob(f"{self.name}-*.pickle"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
        except OSError:
            return
