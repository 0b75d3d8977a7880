"""Active and injected content neutralised (issue 15, deliverable 3 — attachment types aside).

- Text from content is text in every page: templates autoescape (a settings file cannot turn it
  off), so a `"`, `'`, `<`, `&` or `{{ }}` in a title, publisher, topic, summary, attachment title,
  change note or page title reads back exactly, inside <meta content>, <title> and the page, and
  adds no element; Jinja never evaluates it. Markup and control characters in metadata are refused.
- CSV downloads (tables, the catalog) never hold a cell a spreadsheet runs as a formula; genuine
  numbers stay numbers.
- sitemap.xml and the Atom feeds are well-formed XML with percent-encoded URLs, whatever the
  names, titles and SITEURL; names a URL cannot carry are refused by `check`.
- Nothing our commands print puts a control character on the terminal: each is shown as text
  (`\\x1b`, `U+009B`) so the editor can find it.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, BuiltSite, entry, make_project, run_cli

SITENAME = "示例县人民政府信息公开"
SITEURL = "https://示例县.gov.cn/公开 目录"
SITEURL_ASCII = "https://xn--fsq55hny6b.gov.cn/%E5%85%AC%E5%BC%80%20%E7%9B%AE%E5%BD%95"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# what a terminal acts on: C0 but tab and newline, DEL, C1, bidi controls, line separators
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")

# Text an editor may type that means something to HTML, XML or Jinja. Each is accepted by `check`.
HOSTILE = [
    'He said "yes" & left',
    "it's 'single' < and > more",
    "{{ 7*7 }} {% if true %}JINJA{% endif %} {# hidden #} {{ config }}",
    "&amp; &lt;b&gt; &#34; &quot; ]]> -->",
    '" onmouseover="alert(1)" data-x="',
    "' autofocus onfocus='alert(1)",
]
# ...and text that is refused: markup, controls (with the message a reader sees)
REFUSED_TITLES = {
    "markup": ("<script>alert(1)</script>", "网页代码"),
    "end-title": ("标题</title><script>alert(1)</script>", "网页代码"),
    "img": ('<img src=x onerror="alert(1)">', "网页代码"),
    "escape": ("清屏\x1b[2J标题", "控制字符"),
    "osc": ("窗口\x1b]0;pwned\x07标题", "控制字符"),
    "c1": ("C1\x9b31m标题", "控制字符"),
}


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar of `text` (controls as escapes, as an editor could write them)."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(text, ensure_ascii=False))


def _hostile_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"files/plan.pdf": b"%PDF-1.4\n% plan\n"}
    for i, text in enumerate(HOSTILE):
        extra = (
            f"summary: {_yaml(text)}\n"
            f"attachments:\n  - file: files/plan.pdf\n    title: {_yaml(text)}\n"
            f"changes:\n  - date: 2025-02-10\n    note: {_yaml(text)}\n"
        )
        files[f"policy/h{i}.md"] = entry(
            title=_yaml(text), publisher=_yaml(text), extra=extra, body=f"正文 {text}"
        )
        files[f"pages/p{i}.md"] = (
            f"---\ntitle: {_yaml(text)}\nslug: p{i}\norder: {i + 1}\n---\n\n页面正文。\n"
        )
    # accepted names that a URL must encode; table cells that a spreadsheet would run
    files["policy/中文名称.md"] = entry(
        title='=HYPERLINK("http://evil.example","点我")',
        publisher="＝1+1",
        extra="summary: '-2+3+cmd|'' /C calc''!A0'",
    )
    files["policy/ünï.cödé-x_1.md"] = entry(title="'@SUM(A1:A9)'", publisher="'+1+1'")
    sangong = (ROOT / "content" / "sangong" / "2024-czj.yaml").read_text(encoding="utf-8")
    for i, dep in enumerate(
        [
            '=HYPERLINK("http://evil.example","点我")',
            "@SUM(1+1)",
            "+cmd|' /C calc'!A0",
            "－1+1局",
            "\u3000＝2局",
            "-2+3",
            "﹢1局",
        ]
    ):
        text = sangong.replace("department: 示例县财政局", f"department: {_yaml(dep)}")
        files[f"sangong/dep{i}.yaml"] = text.replace("SL0000101/2024-00102", f"SL0000101/2024-0020{i}")
    return files


# A settings file trying to turn escaping off: autoescape False, and a finalize marking all safe.
HOSTILE_SETTINGS = """
from markupsafe import Markup as _Markup
JINJA_ENVIRONMENT = {"autoescape": False, "trim_blocks": True, "lstrip_blocks": True,
                     "finalize": lambda v: _Markup(v) if isinstance(v, str) else v}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> BuiltSite:
    """One public build of every hostile-but-accepted value, with a Chinese SITEURL."""
    project = make_project(tmp_path_factory.mktemp("active"), _hostile_files())
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(HOSTILE_SETTINGS)
    result = run_cli(project, "publish", "--output", "output", env_extra={"GONGKAI_SITEURL": SITEURL})
    return BuiltSite(project, project / "output", result.returncode, result.stdout, result.stderr)


def _soup(site: BuiltSite, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.text(rel), "html.parser")


def _assert_nothing_injected(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        injected = [a for a in tag.attrs if a.startswith("on") or a in ("autofocus", "data-x")]
        assert not injected, str(tag)[:200]
    assert len(soup.find_all("script")) == 1  # the theme's prefs.js only


@pytest.mark.parametrize("i", range(len(HOSTILE)), ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_entry_text_reads_back_exactly_and_injects_nothing(hostile_site, i):
    assert hostile_site.exit_code == 0, hostile_site.stderr
    text = HOSTILE[i]
    soup = _soup(hostile_site, f"policy/h{i}.html")
    assert soup.find("meta", attrs={"name": "ArticleTitle"})["content"] == text
    assert soup.title.get_text() == f"{text} - {SITENAME}"
    assert soup.h1.get_text() == text
    meta = {tr.th.get_text(): tr.td.get_text() for tr in soup.select("table.gk-meta tr")}
    assert meta["发布机构"] == text and meta["内容概述"] == text
    assert soup.select_one(".gk-attachments__item a").get_text() == text
    assert soup.select_one(".gk-changes__list li").get_text().endswith(text)
    assert soup.select_one(".gk-breadcrumbs [aria-current=page]").get_text() == text
    # the body is Markdown (entities are entities there), rendered and sanitised
    assert soup.select_one(".gk-body p").get_text() == html.unescape(f"正文 {text}")
    _assert_nothing_injected(soup)
    # the page's own title, in its page, in every page's navigation and on the home page
    page = _soup(hostile_site, f"pages/p{i}.html")
    assert page.title.get_text() == f"{text} - {SITENAME}" and page.h1.get_text() == text
    _assert_nothing_injected(page)
    home = _soup(hostile_site, "index.html")
    assert text in [a.get_text() for a in home.select(".gk-nav a")]
    assert text in [a.get_text() for a in home.select(".gk-links a")]
    _assert_nothing_injected(home)
    # the catalog's row of the entry
    catalog = _soup(hostile_site, "catalog/index.html")
    row = next(
        tr
        for tr in catalog.select("table.gk-list tbody tr")
        if tr.select_one("a")["href"].endswith(f"policy/h{i}.html")
    )
    cells = row.find_all("td")
    assert cells[1].select_one("a").get_text() == text and cells[2].get_text() == text
    assert cells[1].select_one(".gk-list__summary").get_text() == text  # 内容概述 under the title
    _assert_nothing_injected(catalog)
    # the machine-readable catalog carries the text as it is
    rows = json.loads(hostile_site.text("catalog/catalog.json"))["entries"]
    assert next(r for r in rows if r["url"] == f"policy/h{i}.html")["title"] == text


def test_zim_titles_are_the_page_titles_text(hostile_site):
    from gongkai_core.zim import _FileItem

    for i, text in enumerate(HOSTILE):
        assert _FileItem(hostile_site.output, f"policy/h{i}.html").get_title() == f"{text} - {SITENAME}"


TRUSTED = {  # every `|safe` of the theme: the body sanitised by gongkai_core.render, constant markup
    "article.content|safe",
    "page.content|safe",
    "set chrome_lang = (' lang=\"zh-CN\"' if article.text_lang != 'zh-CN' else '')|safe",
    "set chrome_lang = (' lang=\"zh-CN\"' if page_lang != 'zh-CN' else '')|safe",
}


def test_templates_mark_only_trusted_html_safe():
    """No template turns autoescape off, and `|safe` is only on trusted HTML — so the build test
    above, with every text field hostile, covers every template."""
    found = set()
    for path in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"autoescape\s+false", text, re.IGNORECASE), path
        for m in re.finditer(r"\{[{%]-?\s*(.*?)\s*-?[}%]\}", text, re.DOTALL):
            if re.search(r"\|\s*safe\b", m.group(1)):
                found.add(m.group(1))
    assert found == TRUSTED


# ---- CSV -----------------------------------------------------------------------------------------

FORMULA_START = re.compile(
    r"^[\s\u200b-\u200f\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b]"
    r"|^[\t\r\n]"
)
NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def _csv_cells(data: str) -> list[list[str]]:
    """Cells as a spreadsheet reads them: a CR or LF outside quotes would start a new row (csv refuses it)."""
    return list(csv.reader(io.StringIO(data.lstrip("\ufeff"), newline="")))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not FORMULA_START.match(value) or NUMBER.fullmatch(value), (value, row)


def test_csv_downloads_hold_no_formula(hostile_site):
    assert hostile_site.exit_code == 0, hostile_site.stderr
    files = sorted(p for p in hostile_site.output.rglob("*.csv"))
    assert len(files) > 5
    for path in files:
        _assert_no_formula(_csv_cells(path.read_text(encoding="utf-8")))
    catalog = _csv_cells(hostile_site.text("catalog/catalog.csv"))
    by_url = {r[-1]: r for r in catalog[1:]}
    assert by_url["policy/中文名称.html"][1:3] == ['\'=HYPERLINK("http://evil.example","点我")', "'＝1+1"]
    assert by_url["policy/中文名称.html"][10] == "'-2+3+cmd|' /C calc'!A0"
    assert by_url["policy/ünï.cödé-x_1.html"][1:3] == ["'@SUM(A1:A9)", "'+1+1"]
    assert by_url["policy/h0.html"][1] == HOSTILE[0]  # ordinary text: unchanged
    cross = _csv_cells(hostile_site.text("sangong/sangong-2024-budget.csv"))
    departments = {r[0] for r in cross[1:]}
    assert {
        '\'=HYPERLINK("http://evil.example","点我")',
        "'@SUM(1+1)",
        "'+cmd|' /C calc'!A0",
        "'－1+1局",
        "'＝2局",
        "'-2+3",
        "'﹢1局",
        "合计",
    } == departments
    # genuine numbers stay numbers: amounts, negative changes and rates
    assert all(r[1] == "13.60" and r[-1] == "-7.48%" for r in cross[1:-1])
    own = _csv_cells(hostile_site.text("sangong/dep0/sangong.csv"))
    assert any(re.fullmatch(r"-\d+\.\d\d", v) for r in own for v in r)
    # JSON downloads keep the text as it is
    doc = json.loads(hostile_site.text("sangong/sangong-2024-budget.json"))
    assert '=HYPERLINK("http://evil.example","点我")' in [r[doc["columns"][0]["key"]] for r in doc["rows"]]


@pytest.mark.parametrize(
    "cell, shown",
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1", "'\n=1"),
        ("  =1+1", "'  =1+1"),
        ("\u3000=1", "'\u3000=1"),
        ("\u00a0@x", "'\u00a0@x"),
        ("\u200b=1", "'\u200b=1"),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠x", "'＠x"),
        ("﹦1", "'﹦1"),
        ("-", "'-"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("-6.25%", "-6.25%"),
        ("-1,234.5", "-1,234.5"),
        ("-.5", "-.5"),
        ("—", "—"),
        ("合计", "合计"),
        ("1+1", "1+1"),
        ("a=b", "a=b"),
        (Decimal("-12.50"), "-12.50"),
        (-3, "-3"),
        (None, ""),
        ("名称\r=1+1", "名称\r=1+1"),
        ("名称\n@x", "名称\n@x"),
        ('a,"b"', 'a,"b"'),
    ],
)
def test_csv_cell_neutralised_unless_a_number(cell, shown):
    from gongkai_core.datatable import DataTable, to_csv

    table = DataTable(
        "t",
        "表",
        "万元",
        ("项目", "金额"),
        ("name", "amount"),
        ((cell, Decimal("-0.50")), ("合计", Decimal("1.00"))),
    )
    rows = _csv_cells(to_csv(table))
    assert rows[1] == [shown, "-0.50"] and rows[2] == ["合计", "1.00"]
    if isinstance(cell, str):
        header = _csv_cells(to_csv(DataTable("t", "表", "", (cell, "b"), ("a", "b"), ())))[0]
        assert header[0] == shown


def test_catalog_csv_cells_neutralised(tmp_path):
    from gongkai_core.catalog import FIELDS, write_csv

    values = ["=1+1", "@A1", "+1", "-1-1", "＝x", " =x", "-3.50", "正常"]
    rows = [{k: v for k, _ in FIELDS} for v in values]
    write_csv(tmp_path / "c.csv", rows)
    got = _csv_cells((tmp_path / "c.csv").read_text(encoding="utf-8"))
    assert [r[0] for r in got[1:]] == ["'=1+1", "'@A1", "+1", "'-1-1", "'＝x", "' =x", "-3.50", "正常"]


# ---- XML -----------------------------------------------------------------------------------------


def test_sitemap_and_feeds_are_well_formed_with_encoded_urls(hostile_site):
    assert hostile_site.exit_code == 0, hostile_site.stderr
    sitemap = ET.parse(hostile_site.output / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") for u in sitemap.iter(f"{SITEMAP}url")]
    assert locs and all(loc.isascii() and loc.startswith(SITEURL_ASCII + "/") for loc in locs)
    paths = {unquote(urlsplit(loc).path) for loc in locs}
    for name in ("policy/中文名称.html", "policy/ünï.cödé-x_1.html", "policy/h0.html", "pages/p0.html"):
        assert f"/公开 目录/{name}" in paths
        assert (hostile_site.output / name).is_file()
    for key in ("policy", "sangong", "budget", "land", "report"):
        feed = ET.parse(hostile_site.output / "feeds" / f"{key}.atom.xml").getroot()
        for link in feed.iter(f"{ATOM}link"):
            href = link.get("href")
            assert href.isascii() and href.startswith(SITEURL_ASCII + "/"), href
    feed = ET.parse(hostile_site.output / "feeds" / "policy.atom.xml").getroot()
    items = {e.find(f"{ATOM}link").get("href"): e for e in feed.iter(f"{ATOM}entry")}
    for i, text in enumerate(HOSTILE):
        item = items[f"{SITEURL_ASCII}/policy/h{i}.html"]
        assert item.findtext(f"{ATOM}title") == text
        assert item.findtext(f"{ATOM}author/{ATOM}name") == text
        # <summary type="html">: HTML-escaped text, so a feed reader shows the text, runs nothing
        summary = BeautifulSoup(item.findtext(f"{ATOM}summary"), "html.parser")
        assert summary.get_text() == text and not summary.find(True)
    assert f"{SITEURL_ASCII}/policy/%E4%B8%AD%E6%96%87%E5%90%8D%E7%A7%B0.html" in items


@pytest.mark.parametrize(
    "name",
    [
        "a&b<c>.html",
        "q\"u'o.html",
        "中文 名#1?x%41.html",
        "50%.html",
        "x]]>y.html",
        "tab\tname.html",
        "esc\x1b[2J.html",
        "c1\x9b.html",
        "sp ace/in dir.html",
    ],
)
def test_sitemap_well_formed_for_any_file_name(tmp_path, name):
    from gongkai_core.catalog import write_sitemap

    out = tmp_path / "out"
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    (out / name).write_text("x", encoding="utf-8")
    (out / "ok.html").write_text("x", encoding="utf-8")
    for site_url in ("", "https://example.gov.cn", SITEURL, "https://a.example/x?y=1&z='2'"):
        write_sitemap(out / "sitemap.xml", site_url, [(name, None), ("ok.html", None)], out)
        root = ET.parse(out / "sitemap.xml").getroot()
        locs = [u.findtext(f"{SITEMAP}loc") for u in root.iter(f"{SITEMAP}url")]
        assert len(locs) == 2 and all(loc.isascii() and " " not in loc for loc in locs)
        mine = next(loc for loc in locs if not loc.endswith("/ok.html"))
        base = next(loc for loc in locs if loc.endswith("/ok.html"))[: -len("/ok.html")]
        assert unquote(mine[len(base) + 1 :]) == name  # the file's own name, #, ? and % included


@pytest.fixture(scope="module")
def refused_project(tmp_path_factory) -> Path:
    """Names a URL cannot carry, markup and control characters in metadata, a YAML key with ESC."""
    files: dict[str, str | bytes] = {"policy/ok.md": entry(title="示例县正常的通知")}
    for i, name in enumerate(
        ["a&b<c>", "q\"u'o", "x#y?z", "50%", "clear\x1b[2Jname", "bidi\u202ename", "c1\x9bname", "cr\rname"]
    ):
        files[f"policy/{name}.md"] = entry(title=f"文件名{i}")
    for key, (title, _) in REFUSED_TITLES.items():
        files[f"policy/title-{key}.md"] = entry(title=_yaml(title))
    files["policy/key.md"] = entry(extra='"bad\\e[2Jkey\\u009b\\u202e\\x7f\\rx": 1')
    return make_project(tmp_path_factory.mktemp("refused"), files)


def test_refused_names_and_markup_are_named_and_never_published(refused_project):
    check = run_cli(refused_project, "check")
    assert check.returncode == 1
    shown = check.stdout + check.stderr
    for name in (
        "a&b<c>.md",
        "q\"u'o.md",
        "x#y?z.md",
        "50%.md",
        "clear\\x1b[2Jname.md",
        "c1U+009Bname.md",
        "bidiU+202Ename.md",
        "cr\\x0dname.md",
    ):
        assert f"content/policy/{name}" in shown, name
    for key, (_, message) in REFUSED_TITLES.items():
        assert re.search(rf"content/policy/title-{key}\.md:\d+: .*{message}", shown), key
    publish = run_cli(refused_project, "publish", "--output", "public")
    assert publish.returncode == 1 and not (refused_project / "public").exists()
    build = run_cli(refused_project, "build", "--output", "output")
    assert build.returncode == 0, build.stderr
    site = BuiltSite(refused_project, refused_project / "output", 0, build.stdout, build.stderr)
    assert sorted(p.name for p in (site.output / "policy").glob("*.html")) == ["index.html", "ok.html"]
    for needle in ("alert(1)", "pwned", "31m", "文件名"):
        assert site.leaks(needle) == [], needle
    ET.parse(site.output / "sitemap.xml")
    ET.parse(site.output / "feeds" / "policy.atom.xml")


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("status",),
        ("status", "--json"),
        ("build", "--output", "o"),
        ("publish", "--output", "p"),
        ("audit", "--no-site", "--report", "r"),
    ],
    ids=" ".join,
)
def test_command_output_shows_control_characters_as_text(refused_project, command):
    result = run_cli(refused_project, *command)
    assert result.returncode in (0, 1), result.stderr
    for stream in (result.stdout, result.stderr):
        assert not TERMINAL_CONTROL.search(stream), repr(TERMINAL_CONTROL.search(stream).group(0))
    shown = result.stdout + result.stderr
    if command == ("status", "--json"):
        listed = json.loads(result.stdout)["invalid"]
        assert "content/policy/clear\x1b[2Jname.md" in listed  # JSON keeps the name (\u001b escaped)
    elif command[0] in ("check", "build", "publish"):
        assert "clear\\x1b[2Jname.md" in shown and "bad\\x1b[2Jkey" in shown


def test_progress_line_keeps_its_carriage_return_content_does_not():
    from gongkai_build.progress import Progress
    from gongkai_core.termsafe import SafeStream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    stream = SafeStream(terminal)
    progress = Progress(stream, interval=0)
    progress.update("读取条目", 5, 10)
    stream.write("content/policy/x.md:3: 未知的键“\rOK\x1b[2J\x1b]0;t\x07\x9b\u202e”\n")
    progress.update("读取条目", 10, 10)
    text = terminal.getvalue()
    assert text.startswith("\r读取条目 5/10") and "\r读取条目 10/10" in text
    assert "未知的键“\\x0dOK\\x1b[2J\\x1b]0;t\\x07U+009BU+202E”\n" in text
    assert text.count("\r") == 2 and "\x1b" not in text and "\x07" not in text
