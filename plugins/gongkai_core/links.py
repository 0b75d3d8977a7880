"""Links of an offline copy: make them work from `file://`, and prove that they do.

A kiosk opens the site from disk with no network and no web server, so a link works only
when it names a file relative to the page: `/policy/x.html` (root of the *disk*), `policy/`
(no directory index on file://) and `https://<our host>/…` all break. `rewrite_html` turns
each of those into a relative link to a file; `check_links` walks every page of a tree and
lists every href/src that does not resolve to a file in it (fragments included). With
`web=True` it checks a tree as a web server serves it (`/x` from the site root, `dir/` as
`dir/index.html`): what `invoke audit` checks on the built site — one link checker for both.

No Pelican here: the mirror command and the tests both call these on a plain directory.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# attributes that hold one URL; srcset is handled apart (a list of URLs)
URL_ATTRS = ("href", "src", "action", "poster", "data")
_ATTR_RE = re.compile(
    r"""(?P<pre>\s(?P<name>href|src|action|poster|data)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""",
    re.IGNORECASE | re.DOTALL,
)
_CSS_URL_RE = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "about:", "blob:")


def _split(url: str) -> tuple[str, str]:
    """('path', '?query#fragment')"""
    cut = min([i for i in (url.find("?"), url.find("#")) if i >= 0], default=len(url))
    return url[:cut], url[cut:]


@dataclass(frozen=True)
class SiteHost:
    """The web address the site is published under, to recognise links back to it."""

    url: str = ""

    def local_path(self, url: str) -> str | None:
        """'/policy/x.html' for a link to our own host, else None."""
        if not self.url:
            return None
        base = urlsplit(self.url)
        if not base.netloc:
            return None
        target = urlsplit(url if "://" in url else f"{base.scheme or 'https'}:{url}")
        if target.netloc.lower() != base.netloc.lower() or target.scheme not in ("http", "https", ""):
            return None
        prefix = base.path.rstrip("/")
        path = target.path
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix) :]
        elif prefix:
            return None
        query = "?" + target.query if target.query else ""
        fragment = "#" + target.fragment if target.fragment else ""
        return (path or "/") + query + fragment


def offline_url(url: str, page: str, is_dir: Callable[[str], bool], host: SiteHost = SiteHost()) -> str:
    """The link `url` found on page `page` (a path relative to the site root, '/'-separated),
    rewritten so that it works from file://. Links to other hosts and special schemes are
    returned unchanged; `is_dir(rel)` says whether a site-root-relative path is a directory."""
    raw = url.strip()
    if not raw or raw.startswith("#") or raw.lower().startswith(_SKIP_SCHEMES):
        return url
    own = host.local_path(raw) if (raw.startswith("//") or "://" in raw) else None
    if own is not None:
        raw = own
    elif raw.startswith("//") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
        return url  # another host: left as it is, reported by check_links
    path, rest = _split(raw)
    page_dir = posixpath.dirname(page)
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    elif path:
        target = posixpath.normpath(posixpath.join(page_dir, path))
    else:
        return url  # '?q=…' or '' : the page itself
    if target in (".", ""):
        target = ""
    if path.endswith("/") or target == "" or is_dir(target):
        target = posixpath.join(target, "index.html") if target else "index.html"
    rel = posixpath.relpath(target, page_dir or ".")
    return rel + rest


def rewrite_html(text: str, page: str, is_dir: Callable[[str], bool], host: SiteHost = SiteHost()) -> str:
    """Every URL attribute of an HTML page made to work from file:// (bytes elsewhere untouched)."""

    def one(m: re.Match) -> str:
        new = offline_url(m.group("url"), page, is_dir, host)
        return f"{m.group('pre')}{m.group('q')}{new}{m.group('q')}"

    return _ATTR_RE.sub(one, text)


def rewrite_css(text: str, page: str, is_dir: Callable[[str], bool], host: SiteHost = SiteHost()) -> str:
    def one(m: re.Match) -> str:
        return f"url({m.group('q')}{offline_url(m.group('url'), page, is_dir, host)}{m.group('q')})"

    return _CSS_URL_RE.sub(one, text)


# ---- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Link:
    page: str  # the page holding the link, relative to the root
    url: str  # as written
    reason: str = ""  # Chinese: why it is broken
    line: int = 0  # line of the tag (or CSS url()) in the page, 0 when unknown
    kind: str = ""  # missing | directory | root | outside | anchor | own_host | external
    target: str = ""  # the file it points at, relative to the root (missing, directory, anchor)

    def __str__(self) -> str:
        return f"{self.page}: {self.url}" + (f"（{self.reason}）" if self.reason else "")


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[Link] = field(default_factory=list)
    external: list[Link] = field(default_factory=list)  # other hosts: do not work offline

    @property
    def ok(self) -> bool:
        return not self.broken


def _urls_in(soup) -> Iterable[tuple[int, str]]:
    """(line, url) of every URL attribute and srcset candidate."""
    for tag in soup.find_all(True):
        line = tag.sourceline or 0
        for name in URL_ATTRS:
            value = tag.get(name)
            if isinstance(value, str):
                yield line, value
        srcset = tag.get("srcset")
        if isinstance(srcset, str):
            for part in srcset.split(","):
                if part.strip():
                    yield line, part.strip().split()[0]


def check_links(root: Path | str, host: SiteHost = SiteHost(), *, web: bool = False) -> LinkReport:
    """Every href/src (and action, srcset, CSS url()) of every page under `root` must name a
    file under `root`, and a #fragment an id on that page. Links to other hosts are listed in
    `external`; links to our own web host, root-absolute or directory links are broken — unless
    `web` is set: then the tree is checked as served over http(s), where `/x` starts at `root`
    and a directory holding index.html is a page."""
    from bs4 import BeautifulSoup

    root = Path(root)
    report = LinkReport()
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}

    def parse(rel: str):
        soup = BeautifulSoup((root / rel).read_text(encoding="utf-8", errors="replace"), "html.parser")
        ids[rel] = {t.get("id") for t in soup.find_all(id=True)}
        ids[rel] |= {t.get("name") for t in soup.find_all("a", attrs={"name": True})}
        return soup

    def ids_of(rel: str) -> set[str]:
        if rel not in ids:
            parse(rel)
        return ids[rel]

    def check(page: str, url: str, line: int = 0) -> None:
        report.links += 1
        raw = url.strip()
        if not raw or raw.lower().startswith(_SKIP_SCHEMES):
            return
        if raw.startswith("//") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
            own = host.local_path(raw)
            if own is not None and not web:
                report.broken.append(
                    Link(page, url, "指向网站服务器的绝对地址，离线时无法打开", line, "own_host")
                )
                return
            if own is None:
                report.external.append(Link(page, url, "外部网站链接，离线时无法打开", line, "external"))
                return
            raw = own
        path, rest = _split(raw)
        fragment = rest.split("#", 1)[1] if "#" in rest else ""
        if path.startswith("/") and not web:
            report.broken.append(Link(page, url, "以“/”开头的地址在本地磁盘上指向磁盘根目录", line, "root"))
            return
        if path.startswith("/"):
            target = posixpath.normpath(unquote(path).lstrip("/")) if path.strip("/") else "."
        else:
            joined = posixpath.join(posixpath.dirname(page), unquote(path))
            target = posixpath.normpath(joined) if path else page
        if target.startswith("../") or target == "..":
            report.broken.append(
                Link(page, url, "指向镜像目录之外" if not web else "指向网站目录之外", line, "outside")
            )
            return
        index = "index.html" if target == "." else f"{target}/index.html"
        if web and target not in files and index in files:
            target = index
        if target not in files:
            is_dir = any(f.startswith(target + "/") for f in files)
            if is_dir:
                report.broken.append(
                    Link(
                        page,
                        url,
                        "指向目录而不是文件（离线时没有目录首页）"
                        if not web
                        else "指向没有首页（index.html）的目录",
                        line,
                        "directory",
                        target,
                    )
                )
            else:
                report.broken.append(Link(page, url, "文件不存在", line, "missing", target))
            return
        if fragment and target.endswith((".html", ".htm")) and unquote(fragment) not in ids_of(target):
            report.broken.append(
                Link(page, url, f"页面中没有锚点“{unquote(fragment)}”", line, "anchor", target)
            )

    for rel in sorted(files):
        if rel.endswith((".html", ".htm")):
            report.pages += 1
            for line, url in _urls_in(parse(rel)):
                check(rel, url, line)
        elif rel.endswith(".css"):
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
            for m in _CSS_URL_RE.finditer(text):
                check(rel, m.group("url"), text.count("\n", 0, m.start()) + 1)
    report.broken.sort()
    report.external.sort()
    return report
