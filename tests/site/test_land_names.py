"""Household names of a 征地 list never leave the project unmasked: canaries in a real publish of the
demo content, searched for in every output byte (pages, CSV/JSON downloads, search index, feeds)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, BuiltSite, make_project, run_cli

DECISION = "land/2025-04b-decision.yaml"
CANARIES = {"王建国": "司马懿澄", "李秀英": "欧阳霁翀"}  # full names whose given names occur nowhere else


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("land-names"), {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    path = project / "content" / DECISION
    text = path.read_text(encoding="utf-8")
    for name, canary in CANARIES.items():
        assert name in text
        text = text.replace(name, canary)
    path.write_text(text, encoding="utf-8")
    result = run_cli(project, "publish", "--output", "output")
    return BuiltSite(project, project / "output", result.returncode, result.stdout, result.stderr)


def test_no_output_byte_holds_a_household_name(site):
    assert site.exit_code == 0, site.stderr
    for canary in CANARIES.values():
        assert site.leaks(canary) == []
        assert site.leaks(canary[2:]) == []  # nor the given name alone
    page = site.text("land/2025-04b-decision.html")
    assert "司马某某" in page and "欧阳某某" in page
    csv = site.text("land/2025-04b-decision/households.csv")
    assert csv.splitlines()[1:3] == [
        "司马某某,东风村,四组,0.2130,3.20,18.53",
        "欧阳某某,石桥村,二组,0.1560,2.34,12.17",
    ]


def test_the_mask_rule_is_a_checked_setting(site):
    conf = site.project / "pelicanconf.py"
    original = conf.read_text(encoding="utf-8")
    try:
        conf.write_text(original + '\nGONGKAI_COLUMNS_LAND_NAME_MASK = "none"\n', encoding="utf-8")
        result = run_cli(site.project, "build", "--output", "shown")
        assert result.returncode != 0
        assert (
            "配置项 GONGKAI_COLUMNS_LAND_NAME_MASK = 'none'：应为以下隐名规则之一：“mou”姓氏后每个字写作“某”（张某某）；"
            "“star”姓氏后写一个“*”（张*）（网站上不显示户主全名）"
        ) in result.stdout + result.stderr
        conf.write_text(original + '\nGONGKAI_COLUMNS_LAND_NAME_MASK = "star"\n', encoding="utf-8")
        result = run_cli(site.project, "build", "--output", "shown")
        assert result.returncode == 0, result.stderr
        page = (site.project / "shown" / "land" / "2025-04b-decision.html").read_text(encoding="utf-8")
        assert "司马*" in page and "欧阳*" in page and "司马某某" not in page
    finally:
        conf.write_text(original, encoding="utf-8")
