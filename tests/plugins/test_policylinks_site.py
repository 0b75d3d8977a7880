"""政策解读, 意见征集 and the 规范性文件库 in a real strict publish: what the pages show, both directions
of every link, nothing of a withheld document, the library pages and download declared and written.
The build date is conftest.EPOCH, 2026-11-01."""

from __future__ import annotations

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup

from conftest import entry, make_project, run_cli, BuiltSite

SIGNED = dict(drafted="2026-09-01", section="2026-09-01", secrecy_on="2026-09-01", approved="2026-09-01")
SECRET = "示例县尚未公开的保密测试办法"
FORM = "https://www.example.gov.cn/hdjl/yjzj"  # pelicanconf.py GONGKAI_CONSULTATION_FORMS["yjzj"]


def doc(slug_no: int, title: str, extra: str = "", validity: str = "current", **kw) -> str:
    return entry(
        title=title,
        index_no=f"SL0000001/2026-{slug_no:05d}",
        date_written="2026-09-01",
        date_published=kw.pop("published", "2026-09-07"),
        extra=f"doc_no: 示测规〔2026〕{slug_no}号\nvalidity: {validity}\n{extra}",
        **{**SIGNED, **kw},
    )


def other(
    column: str,
    no: int,
    title: str,
    extra: str,
    published: str = "2026-09-07",
    written: str = "2026-09-01",
    **kw,
) -> str:
    return entry(
        title=title,
        index_no=f"SL0000001/2026-{no:05d}",
        column=column,
        date_written=written,
        date_published=published,
        extra=extra,
        **{**SIGNED, **kw},
    )


FILES = {
    "policy/doc.md": doc(1, "示例县测试管理办法", "replaces: SL0000001/2026-00002\n"),
    "policy/old.md": doc(
        2, "示例县旧测试办法", "repealed_on: 2026-09-30\n", "repealed", published="2026-09-01"
    ),
    "policy/secret.md": doc(3, SECRET, status="in_review", approved=None),
    "interpretation/qa.md": other(
        "interpretation", 11, "《示例县测试管理办法》政策解读", "interprets: SL0000001/2026-00001\n"
    ),
    # a 解读 of a withheld document waits with it: no error, nothing shown
    "interpretation/secret-qa.md": other(
        "interpretation",
        12,
        "保密测试办法的解读",
        "interprets: SL0000001/2026-00003\n",
        status="in_review",
        approved=None,
    ),
    "consultation/open.md": other(
        "consultation",
        21,
        "关于测试规划（征求意见稿）公开征求意见的公告",
        "opens: 2026-10-20\ncloses: 2026-11-30\ncomments:\n  email: zhengqiu@example.gov.cn\n  form: yjzj\n",
        published="2026-10-20",
    ),
    "consultation/closed.md": other(
        "consultation",
        22,
        "关于测试办法（征求意见稿）公开征求意见的公告",
        "draft_type: normative\nopens: 2026-08-10\ncloses: 2026-08-21\ncomments:\n  address: 示例县测试局法规股\n",
        published="2026-08-10",
        written="2026-08-03",
        drafted="2026-08-03",
        section="2026-08-03",
        secrecy_on="2026-08-03",
        approved="2026-08-03",
    ),
    "consultation/feedback.md": other(
        "consultation",
        23,
        "测试办法（征求意见稿）意见采纳情况",
        "feedback_for: SL0000001/2026-00022\n",
        published="2026-09-01",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("policylinks"), FILES)
    result = run_cli(project, "publish", "--output", "output")
    return BuiltSite(project, project / "output", result.returncode, result.stdout, result.stderr)


def soup(site: BuiltSite, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.text(rel), "html.parser")


def links_box(site: BuiltSite, rel: str) -> dict[str, list[tuple[str, str]]]:
    """The 相关信息 box of a page: {heading: [(link text, href)]}."""
    box = soup(site, rel).find("section", class_="gk-links")
    if box is None:
        return {}
    return {
        h3.get_text(): [(a.get_text(), a["href"]) for a in h3.find_next_sibling("ul").find_all("a")]
        for h3 in box.find_all("h3")
    }


def text(site: BuiltSite, rel: str) -> str:
    return re.sub(r"\s+", " ", soup(site, rel).get_text(" "))


def test_strict_publish_succeeds(site):
    assert site.exit_code == 0, site.stderr


def test_document_and_interpretation_link_both_ways(site):
    assert links_box(site, "policy/doc.html")["政策解读"] == [
        ("《示例县测试管理办法》政策解读", "../interpretation/qa.html")
    ]
    assert links_box(site, "interpretation/qa.html") == {
        "本解读对应的文件": [("示例县测试管理办法", "../policy/doc.html")]
    }


def test_replaced_document_links_both_ways_and_shows_its_repeal_date(site):
    assert links_box(site, "policy/doc.html")["本文件替代的文件"] == [
        ("示例县旧测试办法", "../policy/old.html")
    ]
    assert links_box(site, "policy/old.html") == {
        "本文件已被以下文件替代": [("示例县测试管理办法", "../policy/doc.html")]
    }
    assert "有效性 废止（自 2026-09-30 起废止）" in text(site, "policy/old.html")


def test_nothing_of_a_withheld_document_or_its_waiting_interpretation_leaks(site):
    assert site.leaks(SECRET) == []
    assert site.leaks("保密测试办法的解读") == []
    assert site.leaks("SL0000001/2026-00003") == []


def test_consultation_state_as_of_the_build_date_with_its_ways_to_comment(site):
    page = soup(site, "consultation/open.html")
    state = page.find(class_="gk-consultation__state").get_text(" ", strip=True)
    assert state == "进行中 （截至 2026-11-01 ，本页在网站更新时刷新，以征求意见时间为准）"
    box = page.find("section", class_="gk-consultation")
    assert [a["href"] for a in box.find_all("a")] == ["mailto:zhengqiu@example.gov.cn"]
    # the configured form is on another host: shown as its address, not linked
    assert box.find(class_="gk-consultation__form").get_text() == FORM
    closed = text(site, "consultation/closed.html")
    assert (
        "已结束" in closed and "征求意见已结束，不再接收意见" in closed and "示例县测试局法规股" not in closed
    )
    assert "草案类型 行政规范性文件 征求意见时间 2026-08-10 至 2026-08-21" in closed


def test_consultation_and_its_feedback_link_both_ways(site):
    assert links_box(site, "consultation/closed.html") == {
        "意见采纳情况": [("测试办法（征求意见稿）意见采纳情况", "../consultation/feedback.html")]
    }
    assert links_box(site, "consultation/feedback.html") == {
        "对应的意见征集": [("关于测试办法（征求意见稿）公开征求意见的公告", "../consultation/closed.html")]
    }


def test_normative_library_pages_filter_by_validity(site):
    current = soup(site, "catalog/normative/current.html")
    rows = [tr.th.a.get_text() for tr in current.find("table").tbody.find_all("tr")]
    assert rows == ["示例县测试管理办法"]
    assert current.find("table").caption.get_text() == "规范性文件库（现行有效）（共 1 件）"
    nav = current.find("nav", attrs={"aria-label": "按有效性筛选"})
    assert nav.find(attrs={"aria-current": "page"}).get_text() == "现行有效（1）"
    assert [a.get_text() for a in nav.find_all("a")] == ["全部（2）", "废止（1）"]
    # an empty choice is said (0) but not offered as a link (tests/site/test_notfound_filters.py)
    assert [s.get_text() for s in nav.select("span.gk-filter__none")] == ["失效（0）"]
    repealed = text(site, "catalog/normative/repealed.html")
    assert (
        "示例县旧测试办法" in repealed
        and "自 2026-09-30 起废止" in repealed
        and "已被替代： 示测规〔2026〕1号" in repealed
    )
    assert "没有失效的规范性文件" in text(site, "catalog/normative/expired.html")
    assert "截至 2026-11-01" in text(site, "catalog/normative/index.html")


def test_current_list_download(site):
    table = list(csv.reader(io.StringIO(site.text("catalog/normative/current.csv").lstrip("\ufeff"))))
    assert table[0][:3] == ["索引号", "标题", "文号"]
    assert [(r[0], r[6], r[9], r[10]) for r in table[1:]] == [
        ("SL0000001/2026-00001", "现行有效", "示测规〔2026〕2号（SL0000001/2026-00002）", "policy/doc.html")
    ]
    assert '"count": 1' in site.text("catalog/normative/current.json")


def test_strict_publish_refuses_a_link_to_a_withheld_document_and_writes_nothing(tmp_path):
    files = {
        "policy/secret.md": FILES["policy/secret.md"],
        "interpretation/qa.md": other("interpretation", 11, "解读", "interprets: SL0000001/2026-00003\n"),
    }
    project = make_project(tmp_path, files)
    result = run_cli(project, "publish", "--output", "output")
    assert result.returncode != 0
    assert (
        "content/interpretation/qa.md:9: “解读的文件”指向的条目（索引号“SL0000001/2026-00003”）尚未公开，"
        "本条目不能先于它公开：请待其公开后再发布，或先删去此项 (interprets)"
    ) in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert not (project / "output").exists()


def test_bad_consultation_form_setting_is_a_clear_error(tmp_path):
    project = make_project(
        tmp_path, {"policy/doc.md": FILES["policy/doc.md"].replace("replaces: SL0000001/2026-00002\n", "")}
    )
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write('\nGONGKAI_CONSULTATION_FORMS = {"yjzj": "javascript:alert(1)"}\n')
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode != 0
    assert (
        "配置项 GONGKAI_CONSULTATION_FORMS['yjzj'] = {'yjzj': 'javascript:alert(1)'}：网址应以 https:// 或 http:// 开头，"
        "不含空格、引号和尖括号，如 https://www.example.gov.cn/hdjl/yjzj"
    ) in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_demo_shows_each_kind_of_link_and_both_consultation_states(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr

    def box(rel: str) -> dict[str, list[str]]:
        return {k: [t for t, _ in v] for k, v in links_box(demo_site, rel).items()}

    assert box("policy/2026-tender-rules.html") == {
        "政策解读": ["《示例县政府投资项目招标投标管理办法》政策解读"],
        "本文件替代的文件": ["示例县政府投资项目招标投标监督管理办法"],
    }
    assert box("policy/2024-tender-rules.html") == {
        "本文件已被以下文件替代": ["示例县政府投资项目招标投标管理办法"]
    }
    assert box("policy/2025-farmland-protection.html") == {
        "修改本文件的文件": [
            "示例县人民政府关于修改《示例县人民政府关于加强耕地保护和改进占补平衡的实施意见》的决定"
        ]
    }
    assert "本解读对应的文件" in box("interpretation/2026-market-scales-qa.html")
    assert box("consultation/2026-tender-rules-draft.html") == {
        "意见采纳情况": ["《示例县政府投资项目招标投标管理办法（征求意见稿）》意见采纳情况"]
    }
    assert "进行中" in text(demo_site, "consultation/2026-elderly-care-plan-draft.html")
    assert "已结束" in text(demo_site, "consultation/2026-tender-rules-draft.html")
    current = text(demo_site, "catalog/normative/current.html")
    assert "示例县政府投资项目招标投标管理办法" in current and "招标投标监督管理办法" not in current
    assert "示例县政府投资项目招标投标监督管理办法" in text(demo_site, "catalog/normative/repealed.html")
