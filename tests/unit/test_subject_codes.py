"""The 支出功能分类 catalogue (gongkai_core/data/functional_codes) checking each 科目编码 against its
name in a budget, with the nearest code suggested; the whole message line is pinned."""

from __future__ import annotations

from column_helpers import PATH, code_line, line_of, problems, swap
from gongkai_core import subject_codes
from gongkai_core.columns import budget
from test_budget import GOOD


def check(text: str) -> list[str]:
    return problems(text, budget, "budget")


def test_the_catalogue_years_and_the_demo_codes():
    assert subject_codes.years() == (2024, 2025)
    codes = subject_codes.catalogue(2025)
    assert codes["2050203"] == "初中教育"
    assert codes["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert all(len(code) in (3, 5, 7) and code.isdigit() for code in codes)
    for code in codes:  # every 款 and 项 has its 类 and 款
        assert len(code) == 3 or code[: len(code) - 2] in codes, code


def test_a_known_code_with_another_name_suggests_the_code_of_that_name():
    text = swap(GOOD, '"2010602", name: 一般行政管理事务', '"2010602", name: 机关服务')
    assert check(text) == [
        f"{PATH}:{code_line(text, '2010602')}: 科目编码 2010602 在2025年支出功能分类科目中是“一般行政管理事务”，"
        "与所填名称“机关服务”不符：“机关服务”的编码是 2010603，请核对编码或名称 (budget.code_name)"
    ]


def test_a_name_not_in_the_catalogue_is_named_as_such():
    text = swap(GOOD, '"2010602", name: 一般行政管理事务', '"2010602", name: 行政管理杂项')
    assert check(text) == [
        f"{PATH}:{code_line(text, '2010602')}: 科目编码 2010602 在2025年支出功能分类科目中是“一般行政管理事务”，"
        "与所填名称“行政管理杂项”不符：请按2025年支出功能分类科目更正名称，或核对编码 (budget.code_name)"
    ]


def test_an_unknown_code_suggests_the_nearest_by_name():
    text = swap(GOOD, '"2010602", name: 一般行政管理事务', '"2010697", name: 财政委托业务')
    assert check(text) == [
        f"{PATH}:{code_line(text, '2010697')}: 科目编码 2010697（财政委托业务）不在2025年支出功能分类科目中："
        "最接近的是 2010608 财政委托业务支出，请核对 (budget.code_unknown)"
    ]


def test_an_unknown_code_with_a_known_name_gives_that_code():
    text = swap(GOOD, '"2010601", name: 行政运行', '"2010691", name: 行政运行')
    assert check(text) == [
        f"{PATH}:{code_line(text, '2010691')}: 科目编码 2010691（行政运行）不在2025年支出功能分类科目中："
        "“行政运行”的编码是 2010601，请核对 (budget.code_unknown)"
    ]


def test_the_summary_expenditure_codes_are_checked_too():
    text = swap(GOOD, '{code: "201", item: 一般公共服务支出', '{code: "201", item: 教育支出')
    assert check(text) == [
        f"{PATH}:{line_of(text, 'item: 教育支出')}: 科目编码 201 在2025年支出功能分类科目中是“一般公共服务支出”，"
        "与所填名称“教育支出”不符：“教育支出”的编码是 205，请核对编码或名称 (budget.code_name)"
    ]


def test_full_width_and_half_width_brackets_are_one_name():
    assert subject_codes.check(2025, "2100202", "中医(民族)医院") is None
    assert subject_codes.check(2025, "2100202", "中医（民族）医院 ") is None


def test_a_year_without_a_catalogue_is_not_checked():
    text = swap(GOOD, "fiscal_year: 2025", "fiscal_year: 2019")
    text = swap(text, '"2010602", name: 一般行政管理事务', '"2010602", name: 机关服务')
    assert check(text) == []
