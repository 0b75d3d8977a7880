"""Offline links (gongkai_core.links) and the BagIt manifest check (gongkai_core.manifest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai_core.links import SiteHost, check_links, offline_url, rewrite_css, rewrite_html
from gongkai_core.manifest import BagInfo, make_bag, verify_bag

DIRS = {"policy", "files", "catalog", "theme", "theme/css"}
HOST = SiteHost("https://gongkai.example.gov.cn/xxgk")


def is_dir(rel: str) -> bool:
    return rel in DIRS


@pytest.mark.parametrize(
    ("url", "page", "want"),
    [
        ("/policy/a.html", "policy/index.html", "a.html"),
        ("/policy/a.html", "index.html", "policy/a.html"),
        ("/", "policy/a.html", "../index.html"),
        ("policy/", "index.html", "policy/index.html"),
        ("../catalog", "policy/a.html", "../catalog/index.html"),
        ("/theme/css/site.css", "pages/about.html", "../theme/css/site.css"),
        ("https://gongkai.example.gov.cn/xxgk/policy/a.html#p2", "pages/about.html", "../policy/a.html#p2"),
        ("//gongkai.example.gov.cn/xxgk/", "policy/a.html", "../index.html"),
        ("/search.html?q=%E5%BE%81", "policy/a.html", "../search.html?q=%E5%BE%81"),
        ("a.html", "policy/index.html", "a.html"),
        ("#main", "policy/a.html", "#main"),
        ("?page=2", "policy/a.html", "?page=2"),
        ("https://www.gov.cn/zhengce/", "policy/a.html", "https://www.gov.cn/zhengce/"),
        ("https://gongkai.example.gov.cn/other/x", "policy/a.html", "https://gongkai.example.gov.cn/other/x"),
        ("mailto:gk@example.gov.cn", "policy/a.html", "mailto:gk@example.gov.cn"),
    ],
)
def test_offline_url(url, page, want):
    assert offline_url(url, page, is_dir, HOST) == want


def test_rewrite_html_touches_only_url_attributes():
    html = (
        '<a href="/policy/">政策</a><img src="/files/a.png" alt="href=&quot;/x&quot;">'
        '<form action="/search.html"><p>正文 /policy/ 不是链接</p>'
    )
    assert rewrite_html(html, "pages/about.html", is_dir, HOST) == (
        '<a href="../policy/index.html">政策</a><img src="../files/a.png" alt="href=&quot;/x&quot;">'
        '<form action="../search.html"><p>正文 /policy/ 不是链接</p>'
    )


def test_rewrite_css_urls():
    assert (
        rewrite_css("a{background:url('/files/bg.png')}", "theme/css/site.css", is_dir)
        == "a{background:url('../../files/bg.png')}"
    )


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_check_links_finds_every_kind_of_broken_link(tmp_path):
    root = _tree(
        tmp_path / "site",
        {
            "index.html": (
                '<a href="policy/a.html#sec">ok</a><a href="policy/">dir</a>'
                '<a href="/policy/a.html">abs</a><a href="policy/gone.html">gone</a>'
                '<a href="policy/a.html#nope">anchor</a>'
                '<a href="https://gongkai.example.gov.cn/xxgk/index.html">host</a>'
                '<a href="https://www.gov.cn/">ext</a><a href="#top" id="top">self</a>'
                '<img srcset="files/a.png 1x, files/b.png 2x" alt="">'
            ),
            "policy/a.html": '<h2 id="sec">一</h2><a href="../index.html">home</a><a href="../../x.html">out</a>',
            "files/a.png": "png",
            "theme/site.css": "a{background:url(../files/none.png)}",
        },
    )
    report = check_links(root, HOST)
    broken = {(b.page, b.url): b.reason for b in report.broken}
    assert broken == {
        ("index.html", "policy/"): "指向目录而不是文件（离线时没有目录首页）",
        ("index.html", "/policy/a.html"): "以“/”开头的地址在本地磁盘上指向磁盘根目录",
        ("index.html", "policy/gone.html"): "文件不存在",
        ("index.html", "policy/a.html#nope"): "页面中没有锚点“nope”",
        (
            "index.html",
            "https://gongkai.example.gov.cn/xxgk/index.html",
        ): "指向网站服务器的绝对地址，离线时无法打开",
        ("index.html", "files/b.png"): "文件不存在",
        ("policy/a.html", "../../x.html"): "指向镜像目录之外",
        ("theme/site.css", "../files/none.png"): "文件不存在",
    }
    assert [str(e) for e in report.external] == [
        "index.html: https://www.gov.cn/（外部网站链接，离线时无法打开）"
    ]
    assert report.pages == 2


def test_verify_bag_names_missing_modified_and_unexpected_files(tmp_path):
    bag = _tree(
        tmp_path / "m", {"index.html": "<p>首页</p>", "policy/a.html": "<p>甲</p>", "files/a.pdf": "PDF"}
    )
    make_bag(bag, BagInfo("示例县人民政府信息公开", "2026-11-01", "0" * 40, "示例县人民政府办公室"))
    assert verify_bag(bag).ok
    assert "Gongkai-Source-Commit: " + "0" * 40 in (bag / "bag-info.txt").read_text(encoding="utf-8")
    (bag / "data/policy/a.html").write_text("<p>乙</p>", encoding="utf-8")  # same size, other bytes
    (bag / "data/files/a.pdf").unlink()
    (bag / "data/files/extra.pdf").write_text("X", encoding="utf-8")
    found = [str(f) for f in verify_bag(bag).findings]
    assert found[0] == "缺少文件：data/files/a.pdf"
    assert found[1].startswith("文件被修改：data/policy/a.html（SHA-256 应为 ")
    assert found[2] == "多出文件：data/files/extra.pdf（不在校验清单中）"
    assert len(found) == 3
