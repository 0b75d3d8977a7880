"""links.check_links(web=True): the built site as a web server serves it — what `invoke audit`
checks (the kiosk mirror uses the same function in offline mode, tests/unit/test_links.py)."""

from __future__ import annotations

from pathlib import Path

from gongkai_core.links import SiteHost, check_links

HOST = SiteHost("https://gongkai.example.gov.cn/xxgk")


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_web_mode_accepts_directory_pages_and_root_links_and_keeps_the_rest(tmp_path):
    root = _tree(
        tmp_path / "site",
        {
            "index.html": (
                '<a href="policy/">dir</a>\n<a href="/policy/a.html#sec">abs</a>\n'
                '<a href="/">home</a><a href="https://gongkai.example.gov.cn/xxgk/policy/">host</a>\n'
                '<a href="files/">no index</a>\n<a href="/policy/gone.html">gone</a>\n'
                '<a href="policy/a.html#nope">anchor</a><a href="https://www.gov.cn/">ext</a>'
            ),
            "policy/index.html": '<a href="a.html">a</a>',
            "policy/a.html": '<h2 id="sec">一</h2>\n\n<a href="../../x.html">out</a>',
            "files/a.pdf": "PDF",
        },
    )
    report = check_links(root, HOST, web=True)
    assert sorted((b.page, b.line, b.url, b.kind, b.reason) for b in report.broken) == [
        ("index.html", 4, "files/", "directory", "指向没有首页（index.html）的目录"),
        ("index.html", 5, "/policy/gone.html", "missing", "文件不存在"),
        ("index.html", 6, "policy/a.html#nope", "anchor", "页面中没有锚点“nope”"),
        ("policy/a.html", 3, "../../x.html", "outside", "指向网站目录之外"),
    ]
    assert [e.url for e in report.external] == ["https://www.gov.cn/"]
    # the same tree offline: directory and root-absolute links do not work from file://
    offline = {(b.url, b.kind) for b in check_links(root, HOST).broken}
    assert {
        ("policy/", "directory"),
        ("/", "root"),
        ("/policy/a.html#sec", "root"),
        ("https://gongkai.example.gov.cn/xxgk/policy/", "own_host"),
    } <= offline
