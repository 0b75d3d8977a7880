"""The web editor confined (issue 15, deliverable 5).

The real `invoke edit` stack — our editor server with its proxy, the preview server, a real
decap-server from node_modules behind them — on a temporary git repository, driven with plain HTTP
as a hostile page or a local program would. Every refused request must leave the repository as it
was (every file outside .git/objects, the hooks and config, every ref); the legit saves Decap makes
must still work.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import ROOT, entry, make_project
from gongkai_cli import edit, editor_proxy

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules/decap-server/dist/index.js").exists() or shutil.which("node") is None,
    reason="缺少 node 或 node_modules/decap-server（npm ci）",
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PDF = b"%PDF-1.4\n% gongkai\n%%EOF\n"


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout


class Stack:
    def __init__(self, project: Path, outside: Path, session: edit.Session):
        self.project, self.outside, self.session = project, outside, session
        self.port, self.preview_port = session.port, session.preview_port
        self.origin = f"http://127.0.0.1:{self.port}"

    def request(
        self,
        port: int,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One raw HTTP request (the Host header exactly as given, default 127.0.0.1:port)."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
            if body is not None:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                if value is not None:
                    conn.putheader(name, value)
            conn.endheaders(body)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def api(self, body: object, **headers: str | None) -> tuple[int, dict]:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        sent = {"Origin": self.origin, "Content-Type": "application/json; charset=utf-8"}
        sent.update({k.replace("_", "-"): v for k, v in headers.items()})
        status, _, answer = self.request(self.port, "POST", "/api/v1", data, sent)
        try:
            return status, json.loads(answer)
        except ValueError:
            return status, {"raw": answer.decode("utf-8", "replace")}

    def state(self) -> dict[str, object]:
        """Everything a write could change: the files (symlinks as their targets), refs, hooks, config."""
        files: dict[str, str] = {}
        for folder, dirs, names in os.walk(self.project):
            rel_dir = Path(folder).relative_to(self.project)
            if rel_dir.parts[:2] == (".git", "objects"):
                dirs[:] = []
                continue
            for name in names + [d for d in dirs if (Path(folder) / d).is_symlink()]:
                p = Path(folder) / name
                rel = (rel_dir / name).as_posix()
                files[rel] = (
                    ("-> " + os.readlink(p)) if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest()
                )
        outside = {p.name: p.read_bytes() for p in self.outside.iterdir()}
        return {
            "files": files,
            "outside": outside,
            "refs": git(self.project, "for-each-ref"),
            "through the plugins link": (ROOT / "plugins/x.py").exists(),
            "log": git(self.project, "log", "--all", "--oneline"),
        }


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    base = tmp_path_factory.mktemp("editor")
    outside = base / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("outside the repository\n", encoding="utf-8")
    project = make_project(
        base,
        {
            "policy/existing.md": entry(title="已公开的示例文件", index_no="SL0000001/2025-00001"),
            "files/report.pdf": PDF,
            "files/.keep": "",
        },
    )
    (project / "secret").mkdir()
    (project / "secret/note.md").write_text(
        "---\ntitle: 仓库中 content/ 以外的文件\n---\n内部\n", encoding="utf-8"
    )
    # symbolic links inside content/: a column folder into the repository, a folder out of it, a file
    (project / "content/report").symlink_to("../secret", target_is_directory=True)
    (project / "content/files/outside").symlink_to(outside, target_is_directory=True)
    (project / "content/files/conf.pdf").symlink_to("../../pelicanconf.py")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "编辑测试"],
        ["config", "user.email", "editor@example.invalid"],
        ["add", "."],
        ["commit", "-q", "-m", "init"],
    ):
        git(project, *args)
    from pelican.settings import read_settings

    columns = read_settings(str(project / "pelicanconf.py")).get("GONGKAI_COLUMNS") or {}
    session = edit.Session(project, columns, port=0, server_port=0, preview_port=0)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            session.run()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            session.ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert session.ready.wait(180) and not errors, errors
    yield Stack(project, outside, session)
    session.stop.set()
    thread.join(60)


def entry_body(
    path: str,
    slug: str = "sl0000777-2025-00031",
    collection: str = "policy",
    raw: str | None = None,
    assets: list | None = None,
    workflow: bool = True,
) -> dict:
    return {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"slug": slug, "path": path, "raw": raw or entry(title="编辑器保存的条目")}],
            "assets": assets or [],
            "options": {
                "collectionName": collection,
                "commitMessage": "Create policy",
                "useWorkflow": workflow,
                "status": "draft",
            },
        },
    }


def media_body(path: str) -> dict:
    return {
        "action": "persistMedia",
        "params": {
            "branch": "main",
            "asset": {"path": path, "content": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "encoding": "base64"},
            "options": {"commitMessage": "Upload"},
        },
    }


def delete_bodies(path: str) -> list[dict]:
    options = {"commitMessage": "Delete"}
    return [
        {"action": "deleteFile", "params": {"branch": "main", "path": path, "options": options}},
        {"action": "deleteFiles", "params": {"branch": "main", "paths": [path], "options": options}},
    ]


def read_bodies(path: str) -> list[dict]:
    return [
        {"action": "getEntry", "params": {"branch": "main", "path": path}},
        {"action": "getMediaFile", "params": {"branch": "main", "path": path}},
        {"action": "entriesByFiles", "params": {"branch": "main", "files": [{"path": path}]}},
    ]


def assert_refused(stack: Stack, body: object, status: int = 403, **headers: str | None) -> dict:
    got, answer = stack.api(body, **headers)
    assert got == status, (got, answer, body if not isinstance(body, bytes) else body[:200])
    assert CHINESE.search(answer.get("error", "")), answer
    return answer


# ------------------------------------------------------------------ writes outside content/, every shape


OUTSIDE = [
    "pelicanconf.py",
    "plugins/x.py",
    "theme/templates/base.html",
    ".git/hooks/pre-commit",
    ".git/config",
    ".gitignore",
    "secret/note.md",
    "content/../x",
    "content/policy/../../pelicanconf.py",
    "/etc/passwd",
    "/tmp/gongkai-x.md",
    "~/.bashrc",
    "C:/x.md",
    "content\\..\\x",
    "content\\policy\\x.md",
    "content/policy\\..\\..\\pelicanconf.py",
    "content/%2e%2e/pelicanconf.py",
    "content%2f..%2fpelicanconf.py",
    "content/policy/%2e%2e%2f%2e%2e%2fpelicanconf.py",
    "content/./policy/x.md",
    "content//policy/x.md",
    "./content/policy/x.md",
    "content/policy/x.md/",
    "content/policy/x.md\x00.pdf",
    "content/.git/hooks/x",
    "content/policy/.hidden.md",
    "content/files/.htaccess",
    "Content/policy/x.md",
    "content/policy/x.md ",
    "content/policy/x\u202e.md",
    "content/policy/ｘ．md",
    "content/policy/..md",
    "content/\u0441ontent.md",
    "content",
    "content/",
    "",
    "content/policy/x.py",
    "content/policy/x.html",
    "content/pages/x.yaml",
    "content/files/x.md",
    "content/files/x.svg",
    "content/files/x.SVG",
    "content/files/x.html",
    "content/files/x.xml",
    "content/files/x.js",
    "content/files/x.pdf.html",
    "content/files/x",
    "content/files/x.pdf.",
    "content/report/x.md",
    "content/files/outside/x.pdf",
    "content/files/conf.pdf",
    "content/files/outside/keep.txt",
]


@pytest.mark.parametrize("path", OUTSIDE, ids=[repr(p)[1:-1][:40] or "empty" for p in OUTSIDE])
def test_writes_deletes_and_reads_outside_content_are_refused(stack, path):
    before = stack.state()
    bodies = [
        entry_body(path),
        media_body(path),
        entry_body(
            "content/policy/ok-entry.md",
            slug="ok-entry",
            assets=[{"path": path, "content": "eA==", "encoding": "base64"}],
        ),
        entry_body("content/policy/ok-entry.md", slug="ok-entry")
        | {
            "params": {
                **entry_body("content/policy/ok-entry.md", slug="ok-entry")["params"],
                "dataFiles": [
                    {"slug": "ok-entry", "path": "content/policy/ok-entry.md", "raw": "x", "newPath": path}
                ],
            }
        },
        *delete_bodies(path),
    ]
    for body in bodies:
        assert_refused(stack, body)
    for body in read_bodies(path):
        assert_refused(stack, body)
    assert stack.state() == before


def test_the_media_listing_and_folder_listings_name_only_allowed_files(stack):
    status, media = stack.api(
        {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "content/files"}}
    )
    assert status == 200
    assert sorted(m["path"] for m in media) == ["content/files/report.pdf"]  # no .keep, no symlinks
    for folder in (
        "content/report",
        "content/files",
        "content",
        "secret",
        "content/../secret",
        ".git",
        "/",
        "content/policy/",
    ):
        assert_refused(
            stack,
            {
                "action": "entriesByFolder",
                "params": {"branch": "main", "folder": folder, "extension": "md", "depth": 1},
            },
        )
    for folder in (
        "content/files/outside",
        "content",
        "content/policy",
        "/content/files",
        "content/files/",
        "content/files/..",
        ".",
        "",
        None,
    ):
        assert_refused(stack, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": folder}})
    status, entries = stack.api(
        {
            "action": "entriesByFolder",
            "params": {"branch": "main", "folder": "content/policy", "extension": "md", "depth": 1},
        }
    )
    assert status == 200 and [e["file"]["path"] for e in entries] == ["content/policy/existing.md"]
    assert_refused(
        stack,
        {
            "action": "entriesByFolder",
            "params": {"branch": "main", "folder": "content/policy", "extension": "md", "depth": 20},
        },
    )
    assert_refused(
        stack,
        {
            "action": "entriesByFolder",
            "params": {"branch": "main", "folder": "content/policy", "extension": "py", "depth": 1},
        },
    )


# ------------------------------------------------------------------ actions, branches, names, bodies


@pytest.mark.parametrize(
    "body",
    [
        {"action": "getNotes", "params": {"branch": "main", "collection": "policy", "slug": "x"}},
        {"action": "runGit", "params": {"branch": "main"}},
        {"action": "PersistEntry", "params": {"branch": "main"}},
        {"action": "__proto__", "params": {"branch": "main"}},
        {"action": "constructor", "params": {"branch": "main"}},
        {"action": "_key", "params": {"branch": "main"}},
        {"action": ["persistEntry"], "params": {}},
        {"params": {"branch": "main"}},
        ["persistEntry"],
    ],
    ids=lambda b: str(b.get("action") if isinstance(b, dict) else b)[:20],
)
def test_unknown_actions_are_refused(stack, body):
    before = stack.state()
    got, answer = stack.api(body)
    assert got in (400, 403) and CHINESE.search(answer["error"])
    assert stack.state() == before


BRANCHES = ["--orphan=evil", "cms/policy/x", "main~1", "HEAD", "other", "", None, ["main"], "main\n"]


@pytest.mark.parametrize("branch", BRANCHES, ids=[repr(b) for b in BRANCHES])
def test_other_branches_are_refused(stack, branch):
    before = stack.state()
    for body in (
        entry_body("content/policy/b.md", slug="b"),
        media_body("content/files/b.pdf"),
        {"action": "unpublishedEntries", "params": {}},
    ):
        body["params"]["branch"] = branch
        assert_refused(stack, body)
    assert stack.state() == before


NAMES = [
    ("policy", "../../x"),
    ("policy", "a/b"),
    ("policy", "--help"),
    ("policy", ".git"),
    ("../x", "a"),
    ("settings", "a"),
    ("policy", "a\nb"),
    ("policy", ""),
    ("policy", "x" * 300),
    (None, "a"),
]


@pytest.mark.parametrize(("collection", "slug"), NAMES, ids=[f"{c}-{s}"[:30] for c, s in NAMES])
def test_draft_names_and_statuses_are_checked(stack, collection, slug):
    before = stack.state()
    key = {"branch": "main", "collection": collection, "slug": slug}
    for action in (
        "unpublishedEntry",
        "deleteUnpublishedEntry",
        "publishUnpublishedEntry",
        "getDeployPreview",
    ):
        assert_refused(stack, {"action": action, "params": key})
    assert_refused(stack, {"action": "updateUnpublishedEntryStatus", "params": {**key, "newStatus": "draft"}})
    assert_refused(
        stack, {"action": "unpublishedEntry", "params": {"branch": "main", "id": f"{collection}/{slug}"}}
    )
    assert_refused(stack, entry_body("content/policy/n.md", slug=slug, collection=collection or "x"))
    assert_refused(
        stack,
        {
            "action": "updateUnpublishedEntryStatus",
            "params": {"branch": "main", "collection": "policy", "slug": "ok", "newStatus": "evil"},
        },
    )
    assert stack.state() == before


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b'{"action": "info", "action": "persistEntry"}',
        b'{"action": "info", "x": NaN}',
        b"\xff\xfe{}",
        b"[" * 100000 + b"]" * 100000,
    ],
    ids=["text", "duplicate-key", "nan", "not-utf8", "deep"],
)
def test_bodies_that_are_not_plain_json_are_refused(stack, raw):
    before = stack.state()
    assert_refused(stack, raw, status=400)
    assert stack.state() == before


def test_a_body_over_the_cap_is_refused_before_it_is_read(stack):
    with socket.create_connection(("127.0.0.1", stack.port), timeout=30) as s:
        s.sendall(
            f"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\nOrigin: {stack.origin}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {editor_proxy.MAX_BODY + 1}\r\n\r\n".encode()
        )
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        answer = b"".join(chunks).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.0 413") and "请求过大" in answer


# ------------------------------------------------------------------ drafts whose branch reaches outside


@pytest.mark.parametrize(
    ("slug", "change"),
    [("evil-settings", "settings"), ("evil-link", "symlink"), ("evil-hook", "outside-file")],
)
def test_a_draft_branch_that_changes_files_outside_content_is_not_merged(stack, slug, change):
    project = stack.project
    branch = f"cms/policy/{slug}"
    git(project, "checkout", "-q", "-b", branch)
    try:
        if change == "settings":
            with open(project / "pelicanconf.py", "a", encoding="utf-8") as f:
                f.write("\nSITENAME = '被草稿改掉的站名'\n")
        elif change == "symlink":
            (project / "content/policy" / f"{slug}.md").symlink_to("../../secret/note.md")
        else:
            (project / "secret/hook.sh").write_text("echo hi\n", encoding="utf-8")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "hostile draft")
    finally:
        git(project, "checkout", "-q", "main")
    before = stack.state()
    for action in ("publishUnpublishedEntry", "unpublishedEntry"):
        answer = assert_refused(
            stack, {"action": action, "params": {"branch": "main", "collection": "policy", "slug": slug}}
        )
        assert branch in answer["error"]
    assert_refused(stack, entry_body(f"content/policy/{slug}.md", slug=slug))
    assert stack.state() == before
    assert "被草稿改掉的站名" not in (project / "pelicanconf.py").read_text(encoding="utf-8")


# ------------------------------------------------------------------ Host and Origin, both servers


HOSTS = [
    "evil.example:{port}",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example:{port}",
    "127.0.0.1",
    "localhost",
    "127.0.0.2:{port}",
    "[::1]:{port}",
    "127.0.0.1:{other}",
    "",
    "LOCALHOST:{port} ",
]


@pytest.mark.parametrize("host", HOSTS)
def test_a_foreign_host_header_is_refused_on_both_servers(stack, host):
    before = stack.state()
    for port, other in ((stack.port, stack.preview_port), (stack.preview_port, stack.port)):
        shown = host.format(port=port, other=other)
        for path in ("/", "/admin/", "/admin/config.yml", "/index.html", "/policy/index.html"):
            status, _, body = stack.request(port, "GET", path, headers={"Host": shown})
            assert status == 421 and "主机名" in body.decode("utf-8"), (port, path, status)
    status, _, body = stack.request(
        stack.port,
        "POST",
        "/api/v1",
        json.dumps(media_body("content/files/h.pdf")).encode(),
        {
            "Host": host.format(port=stack.port, other=stack.preview_port),
            "Origin": stack.origin,
            "Content-Type": "application/json",
        },
    )
    assert status == 421
    assert stack.state() == before


ORIGINS = [
    "http://evil.example",
    "null",
    None,
    "http://127.0.0.1:{preview}",
    "http://127.0.0.1:{port}.evil.example",
    "https://127.0.0.1:{port}",
    "http://127.0.0.1:{port}/",
    "http://127.0.0.1",
    "http://[::1]:{port}",
]


@pytest.mark.parametrize("origin", ORIGINS, ids=[str(o) for o in ORIGINS])
def test_a_post_from_another_origin_is_refused(stack, origin):
    before = stack.state()
    shown = origin.format(port=stack.port, preview=stack.preview_port) if origin else None
    for body in (
        media_body("content/files/o.pdf"),
        entry_body("content/policy/o.md", slug="o"),
        {"action": "getEntry", "params": {"branch": "main", "path": "content/policy/existing.md"}},
    ):
        assert_refused(stack, body, Origin=shown)
    assert stack.state() == before


def test_cross_site_requests_and_other_methods_are_refused(stack):
    before = stack.state()
    assert_refused(stack, media_body("content/files/s.pdf"), Sec_Fetch_Site="cross-site")
    assert_refused(stack, media_body("content/files/s.pdf"), Sec_Fetch_Site="same-site")
    assert_refused(stack, media_body("content/files/s.pdf"), status=415, Content_Type="text/plain")
    for method in ("PUT", "DELETE", "OPTIONS", "PATCH"):
        status, _, _ = stack.request(stack.port, method, "/api/v1", b"{}", {"Origin": stack.origin})
        assert status == 405
    status, _, _ = stack.request(
        stack.preview_port,
        "POST",
        "/api/v1",
        json.dumps(media_body("content/files/p.pdf")).encode(),
        {"Origin": f"http://127.0.0.1:{stack.preview_port}", "Content-Type": "application/json"},
    )
    assert status == 405  # the preview origin has no API
    assert stack.state() == before


def test_decap_server_answers_only_the_proxy(stack):
    """On its own port, without this session's secret (or with the wrong Host), decap-server refuses all."""
    before = stack.state()
    port = stack.session.server_port
    assert port not in (stack.port, stack.preview_port)
    body = json.dumps(
        {
            "action": "persistMedia",
            "params": {
                "branch": "main",
                "asset": {"path": "pelicanconf.py", "content": "eA==", "encoding": "base64"},
                "options": {"commitMessage": "x"},
            },
        }
    ).encode()
    token = stack.session.forwarder.token
    for headers in (
        {},
        {editor_proxy.TOKEN_HEADER: "wrong" * 9},
        {editor_proxy.TOKEN_HEADER: token, "Host": "evil.example"},
        {editor_proxy.TOKEN_HEADER: token[:-1]},
        {"Origin": stack.origin},
    ):
        status, _, answer = stack.request(
            port, "POST", "/api/v1", body, {"Content-Type": "application/json", **headers}
        )
        assert status == 403 and "只接受" in answer.decode("utf-8")
    status, _, _ = stack.request(port, "GET", "/", headers={editor_proxy.TOKEN_HEADER: token})
    assert status == 403
    assert stack.state() == before
    # the admin page knows only our proxy: no decap-server port, no other host
    status, _, config = stack.request(stack.port, "GET", "/admin/config.yml")
    assert status == 200
    import yaml

    cfg = yaml.safe_load(config)
    assert cfg["backend"]["proxy_url"] == "/api/v1"
    assert cfg["site_url"] == f"http://127.0.0.1:{stack.preview_port}"
    admin = stack.session.work / "admin"
    assert not any(f":{port}" in p.read_text(encoding="utf-8") for p in admin.iterdir() if p.is_file())


# ------------------------------------------------------------------ what still works


def test_legit_saves_work_and_stay_in_content(stack):
    project = stack.project
    commits = len(git(project, "log", "--all", "--oneline").splitlines())
    status, answer = stack.api(media_body("content/files/new-upload.pdf"))
    assert status == 200, answer
    assert (project / "content/files/new-upload.pdf").read_bytes() == b"<script>alert(1)</script>"
    raw = entry(title="编辑器保存的条目", index_no="SL0000777/2025-00031")
    status, answer = stack.api(
        entry_body(
            "content/policy/sl0000777-2025-00031.md",
            raw=raw,
            assets=[
                {"path": "content/files/with-entry.pdf", "content": "JVBERi0xLjQK", "encoding": "base64"}
            ],
        )
    )
    assert status == 200, answer
    assert "cms/policy/sl0000777-2025-00031" in git(project, "branch", "--list")
    status, answer = stack.api(
        {
            "action": "updateUnpublishedEntryStatus",
            "params": {
                "branch": "main",
                "collection": "policy",
                "slug": "sl0000777-2025-00031",
                "newStatus": "pending_publish",
            },
        }
    )
    assert status == 200, answer
    status, answer = stack.api(
        {
            "action": "publishUnpublishedEntry",
            "params": {"branch": "main", "collection": "policy", "slug": "sl0000777-2025-00031"},
        }
    )
    assert status == 200, answer
    assert (project / "content/policy/sl0000777-2025-00031.md").read_text(encoding="utf-8") == raw
    assert (project / "content/files/with-entry.pdf").read_bytes() == b"%PDF-1.4\n"
    assert git(project, "status", "--porcelain") == ""
    changed = git(
        project,
        "log",
        "--name-only",
        "--format=",
        f"-{len(git(project, 'log', '--oneline').splitlines()) - 1}",
    )
    assert {line.split("/")[0] for line in changed.split()} <= {"content"}
    assert len(git(project, "log", "--all", "--oneline").splitlines()) > commits
    status, answer = stack.api(
        {"action": "getEntry", "params": {"branch": "main", "path": "content/policy/sl0000777-2025-00031.md"}}
    )
    assert status == 200 and answer["data"] == raw
    status, answer = stack.api(delete_bodies("content/files/new-upload.pdf")[1])
    assert status == 200 and not (project / "content/files/new-upload.pdf").exists()


# ------------------------------------------------------------------ the preview's own origin


def test_the_preview_has_its_own_origin_and_the_sites_csp(stack):
    base_csp = re.search(
        r'http-equiv="Content-Security-Policy" content="([^"]+)"',
        (ROOT / "theme/templates/base.html").read_text(encoding="utf-8"),
    ).group(1)
    assert stack.preview_port != stack.port
    status, headers, body = stack.request(stack.preview_port, "GET", "/")
    assert status == 200 and "预览" in body.decode("utf-8")
    assert (
        headers["content-security-policy"].startswith(base_csp)
        and "frame-ancestors 'none'" in headers["content-security-policy"]
    )
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-resource-policy"] == "same-origin"
    # the editor origin serves only the editor: no preview pages, no drafts
    for path in ("/index.html", "/policy/index.html", "/files/report.pdf", "/theme/css/site.css"):
        status, _, _ = stack.request(stack.port, "GET", path)
        assert status == 404, path
    status, headers, _ = stack.request(stack.port, "GET", "/admin/")
    csp = headers["content-security-policy"]
    assert (
        "script-src 'self' 'unsafe-eval';" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp and headers["x-frame-options"] == "DENY"
    # another site may not pull the preview's pages into its own (a script or image of a draft)
    status, _, _ = stack.request(
        stack.preview_port,
        "GET",
        "/index.html",
        headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"},
    )
    assert status == 403


ACTIVE = {
    "x.html": b"<script>alert(document.domain)</script>",
    "x.htm": b"<script>1</script>",
    "x.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "x.xml": b'<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    "x.xhtml": b"<script>1</script>",
    "x.js": b"alert(1)",
    "x.pdf": PDF,
    "x.txt": b"<script>1</script>",
    "x.css": b"body{}",
    "x.json": b"{}",
    "noext": b"<script>1</script>",
}


@pytest.fixture
def preview_server(tmp_path):
    folder = tmp_path / "preview"
    (folder / "files").mkdir(parents=True)
    (folder / "index.html").write_text("<p>预览</p>", encoding="utf-8")
    (folder / "page.svg").write_bytes(ACTIVE["x.svg"])
    for name, data in ACTIVE.items():
        (folder / "files" / name).write_bytes(data)
    (folder / "files" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    handler = functools.partial(editor_proxy.PreviewHandler, preview=folder, csp=editor_proxy.SITE_CSP)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "path",
    [f"/files/{n}" for n in ACTIVE]
    + [
        "/FILES/x.html",
        "/files/../files/x.html",
        "/files/x.html?x=.png",
        "/files/x.html#.png",
        "/files/%78.html",
        "/page.svg",
    ],
)
def test_drafts_attachments_cannot_run_on_the_preview_origin(stack, preview_server, path):
    status, headers, _ = stack.request(preview_server, "GET", path)
    if path in ("/FILES/x.html", "/files/../files/x.html"):
        assert status == 404  # the error page, sandboxed like the rest
    else:
        assert status == 200 and headers["content-type"] == "application/octet-stream", (path, headers)
        assert headers["content-disposition"] == "attachment"
    assert headers["content-security-policy"].startswith("sandbox")
    assert headers["x-content-type-options"] == "nosniff"


def test_images_under_files_are_shown_as_images_in_a_sandbox(stack, preview_server):
    status, headers, body = stack.request(preview_server, "GET", "/files/photo.png")
    assert status == 200 and headers["content-type"] == "image/png" and body.startswith(b"\x89PNG")
    assert headers["content-security-policy"].startswith("sandbox")
