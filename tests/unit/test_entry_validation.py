"""Every kind of bad input an editor can make gets `path:line: 中文说明 (key)`."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import entry, review_block
from gongkai_core.dates import DateFormatError, parse_date
from gongkai_core.site import DEFAULT_COLUMNS, load_site

BUILD_DATE = date(2026, 11, 1)


def check(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    content = tmp_path / "content"
    for rel, data in files.items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    site = load_site(content, BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path)
    return [str(p) for p in site.problems]


def test_valid_entry_has_no_problem(tmp_path):
    assert check(tmp_path, {"policy/ok.md": entry()}) == []


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = "---\ntitle: 好\nindex_no: SL0000001/2025-00001\npublisher: 示例县: 局: x\n---\n正文\n"
    assert check(tmp_path, {"policy/bad.md": text}) == [
        "content/policy/bad.md:4: YAML 格式错误：值里含有英文冒号“: ”。请给整个值加引号"
        '（如 publisher: "示例县: 财政局"），或改用中文冒号“：” (yaml)'
    ]


def test_gbk_file_is_named_as_gbk(tmp_path):
    problems = check(tmp_path, {"policy/gbk.md": entry(title="示例县文件").encode("gb18030")})
    assert problems == [
        "content/policy/gbk.md:2: 文件不是 UTF-8 编码：看起来是 GBK/GB18030 编码（Word、WPS 常见），请用编辑器另存为 UTF-8 (encoding)"
    ]


def test_bom_is_reported(tmp_path):
    problems = check(tmp_path, {"policy/bom.md": "\ufeff" + entry()})
    assert problems == [
        "content/policy/bom.md:1: 文件开头有 BOM（字节顺序标记），请另存为“UTF-8（无BOM）” (encoding)"
    ]


def test_unknown_key_suggests_the_nearest(tmp_path):
    problems = check(tmp_path, {"policy/k.md": entry(extra="publsher_name: 示例县\n标题: 重复")})
    assert "content/policy/k.md:9: 未知的键“publsher_name”。是否应为“publisher”？ (publsher_name)" in problems
    assert "content/policy/k.md:10: 未知的键“标题”。请把中文键名“标题”改为“title” (标题)" in problems


def test_unknown_review_key(tmp_path):
    problems = check(tmp_path, {"policy/r.md": entry(review=review_block(extra="aproved_by: 某人"))})
    assert any(
        p.startswith("content/policy/r.md:")
        and "未知的键“aproved_by”。是否应为“approved_by”？ (review.aproved_by)" in p
        for p in problems
    ), problems


def test_missing_required_keys_are_all_listed(tmp_path):
    text = "---\ntitle: 只有标题\n---\n正文\n"
    problems = check(tmp_path, {"policy/m.md": text})
    for key, label in (
        ("index_no", "索引号"),
        ("publisher", "发布机构"),
        ("column", "栏目"),
        ("date_written", "成文日期"),
        ("date_published", "发布日期"),
        ("disclosure", "公开属性"),
        ("review", "审核"),
    ):
        assert f"content/policy/m.md:2: 缺少必填项“{label}” ({key})" in problems


def test_unknown_enum_value_lists_the_allowed(tmp_path):
    problems = check(tmp_path, {"policy/e.md": entry(disclosure="public")})
    assert problems == [
        "content/policy/e.md:8: “公开属性”的值“public”无效。可选值：proactive（主动公开）、on_request（依申请公开）、"
        "not_disclosed（不予公开） (disclosure)"
    ]


def test_chinese_enum_value_gets_the_english_one(tmp_path):
    problems = check(tmp_path, {"policy/e.md": entry(disclosure="主动公开")})
    assert problems[0].startswith(
        "content/policy/e.md:8: “公开属性”请写英文值“proactive”，而不是“主动公开”。"
    )


def test_impossible_date(tmp_path):
    problems = check(tmp_path, {"policy/d.md": entry(date_written="2025-02-30")})
    assert problems == [
        "content/policy/d.md:6: “成文日期”“2025-02-30”不是存在的日期（2025年没有2月30日） (date_written)"
    ]


def test_not_a_date(tmp_path):
    problems = check(tmp_path, {"policy/d.md": entry(date_published="下周一")})
    assert problems == [
        "content/policy/d.md:7: “发布日期”“下周一”不是日期，请写成 2025-01-20 或 2025年1月20日 (date_published)"
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2025-01-20", date(2025, 1, 20)),
        ("2025年1月20日", date(2025, 1, 20)),
        ("２０２５年１月２０日", date(2025, 1, 20)),
        ("２０２５－０１－２０", date(2025, 1, 20)),
        ("2025/1/5", date(2025, 1, 5)),
    ],
)
def test_dates_editors_write(text, expected):
    assert parse_date(text) == expected


def test_full_width_date_in_entry_is_accepted(tmp_path):
    assert check(tmp_path, {"policy/fw.md": entry(date_written="２０２５年１月２０日")}) == []


def test_feb_30_is_rejected():
    with pytest.raises(DateFormatError):
        parse_date("2025-02-30")


def test_duplicate_index_no_names_both_files(tmp_path):
    problems = check(
        tmp_path,
        {
            "policy/a.md": entry(index_no="SL0000001/2025-00099"),
            "policy/b.md": entry(index_no="SL0000001/2025-00099"),
        },
    )
    assert problems == [
        "content/policy/a.md:3: 索引号“SL0000001/2025-00099”与 content/policy/b.md:3 重复，索引号在全站必须唯一 (index_no)",
        "content/policy/b.md:3: 索引号“SL0000001/2025-00099”与 content/policy/a.md:3 重复，索引号在全站必须唯一 (index_no)",
    ]


def test_missing_attachment(tmp_path):
    problems = check(
        tmp_path, {"policy/a.md": entry(extra="attachments:\n  - file: files/nope.pdf\n    title: 附件")}
    )
    assert problems == [
        "content/policy/a.md:10: 附件“files/nope.pdf”不存在（应位于 content/files/nope.pdf），请检查文件名和大小写 "
        "(attachments[0].file)"
    ]


def test_attachment_escaping_content(tmp_path):
    (tmp_path / "secret.txt").write_text("x")
    problems = check(
        tmp_path, {"policy/a.md": entry(extra="attachments:\n  - file: ../secret.txt\n    title: 附件")}
    )
    assert problems == [
        "content/policy/a.md:10: 附件“../secret.txt”不能发布：路径中不能有“..”“.”或空的一段（不能跳出 files/ 目录）"
        "（应位于 content/files/） (attachments[0].file)"
    ]


def test_bad_index_no_format(tmp_path):
    problems = check(tmp_path, {"policy/i.md": entry(index_no="2025-12")})
    assert problems == [
        "content/policy/i.md:3: 索引号“2025-12”格式不对：应为“代码/年份-序号”，代码为4–18位字母或数字，"
        "如 SL0000001/2025-00012 (index_no)"
    ]


def test_doc_no_with_wrong_brackets(tmp_path):
    problems = check(tmp_path, {"policy/n.md": entry(extra="doc_no: 示财发﹝2025﹞3号")})
    assert problems == [
        "content/policy/n.md:9: 文号“示财发﹝2025﹞3号”的年份括号应为六角括号〔〕（如 示财发〔2025〕3号） (doc_no)"
    ]


def test_missing_front_matter(tmp_path):
    assert check(tmp_path, {"policy/x.md": "# 只有正文\n"}) == [
        "content/policy/x.md:1: 缺少开头的元数据块：文件第一行应为“---”，元数据写完后再用一行“---”结束 (front_matter)"
    ]


def test_approved_without_all_signoffs(tmp_path):
    problems = check(tmp_path, {"policy/s.md": entry(review=review_block(section=None))})
    assert problems == [
        "content/policy/s.md:10: 状态为“已审定”，但缺少科室审核签字（section_by 和 section_on） (review.section_by)"
    ]


def test_signoffs_out_of_order(tmp_path):
    problems = check(tmp_path, {"policy/o.md": entry(review=review_block(secrecy_on="2025-01-19"))})
    assert problems == [
        "content/policy/o.md:17: 保密审查日期 2025-01-19 早于科室审核日期 2025-01-21，签字应依次进行 (review.secrecy_on)"
    ]


def test_secret_marking_is_an_error(tmp_path):
    problems = check(tmp_path, {"policy/m.md": entry(body="秘密★1年\n\n内容")})
    assert problems[0].startswith(
        "content/policy/m.md:22: 文件含有密级标志（如“秘密★”）。涉密信息不得进入本仓库"
    )
    problems = check(tmp_path, {"policy/m.md": entry(extra="secrecy_level: 机密")})
    assert (
        "content/policy/m.md:9: 密级为“机密”：涉密信息不得进入本仓库。请立即删除此文件，并请管理员从 git 历史中彻底清除 (secrecy_level)"
        in problems
    )


def test_pure_yaml_entry_reads_like_markdown(tmp_path):
    md = entry(title="同一条目", index_no="SL0000001/2025-00001", body="正文")
    yaml_text = md.split("---\n")[1] + "body: 正文\n"
    content = tmp_path / "content"
    (content / "policy").mkdir(parents=True)
    (content / "policy" / "a.md").write_text(md, encoding="utf-8")
    (tmp_path / "other" / "policy").mkdir(parents=True)
    (tmp_path / "other" / "policy" / "a.yaml").write_text(yaml_text, encoding="utf-8")
    a = load_site(content, BUILD_DATE, project_root=tmp_path).entries[0]
    b = load_site(tmp_path / "other", BUILD_DATE, project_root=tmp_path).entries[0]
    for name in (
        "title",
        "index_no",
        "publisher",
        "column",
        "date_written",
        "date_published",
        "disclosure",
        "review",
        "validity",
        "attachments",
        "changes",
    ):
        assert getattr(a, name) == getattr(b, name), name
    assert a.body.strip() == b.body.strip() == "正文"
    assert (a.source_kind, b.source_kind) == ("markdown", "yaml")


def test_all_problems_of_all_files_in_one_run(tmp_path):
    problems = check(
        tmp_path,
        {
            "policy/a.md": entry(date_written="2025-13-01", disclosure="x"),
            "policy/b.md": entry(extra="foo: 1"),
            "land/c.md": "---\n: :\n---\n",
        },
    )
    files = {p.split(":")[0] for p in problems}
    assert files == {"content/policy/a.md", "content/policy/b.md", "content/land/c.md"}
    assert len(problems) >= 4


def test_personal_data_in_published_text(tmp_path):
    problems = check(
        tmp_path, {"policy/p.md": entry(body="联系人手机 138 0013 8000，身份证 11010519491231002X。")}
    )
    assert problems == [
        "content/policy/p.md:22: 发现居民身份证号码“110105********002X”：公开文本不得含有个人信息，请删除或打码（如 110105********002X）；"
        "确需公开的，请在 pii_allow 中列出该号码并写明理由 (pii.id_card)",
        "content/policy/p.md:22: 发现手机号码“138****8000”：公开文本不得含有个人信息，请删除或打码（如 138****8000）；"
        "确需公开的，请在 pii_allow 中列出该号码并写明理由 (pii.mobile)",
    ]


def test_pii_allow_with_reason_lets_it_through(tmp_path):
    extra = "pii_allow:\n  - value: 13800138000\n    reason: 单位公开的值班手机"
    assert check(tmp_path, {"policy/p.md": entry(body="值班手机 13800138000。", extra=extra)}) == []


def test_core_never_imports_pelican():
    probe = (
        "import sys; sys.modules['pelican'] = None; import gongkai_core.gate, gongkai_core.pii, "
        "gongkai_core.site, gongkai_core.entry, gongkai_core.catalog"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_oversized_attachment(tmp_path):
    big = tmp_path / "content" / "files" / "big.pdf"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as fh:  # sparse: 2 GB on paper, nothing on disk
        fh.truncate(2 * 2**30)
    problems = check(
        tmp_path, {"policy/a.md": entry(extra="attachments:\n  - file: files/big.pdf\n    title: 附件")}
    )
    assert problems == [
        "content/policy/a.md:10: 附件“files/big.pdf”有 2048 MB，超过 200 MB 上限：请压缩或拆分后再上传"
        "（查阅点和手机用户难以下载过大的文件） (attachments[0].file)"
    ]


def test_markup_in_metadata_is_refused(tmp_path):
    problems = check(tmp_path, {"policy/x.md": entry(title="通知<script>alert(1)</script>")})
    assert problems == [
        "content/policy/x.md:2: “标题”中含有网页代码“<script>”：元数据里不能写 HTML 标签（常从 Word 或网页复制带入），"
        "请删除 (title)"
    ]


def test_cleared_optional_field_is_absent_and_cleared_required_is_missing(tmp_path):
    assert check(tmp_path, {"policy/a.md": entry(extra="valid_until: \"\"\ndoc_no: ''")}) == []
    problems = check(tmp_path, {"policy/b.md": entry(publisher='""')})
    assert problems == ["content/policy/b.md:4: 缺少必填项“发布机构” (publisher)"]


def test_front_matter_without_closing_line(tmp_path):
    assert check(tmp_path, {"policy/x.md": "---\ntitle: 标题\n正文\n"}) == [
        "content/policy/x.md:1: 元数据块没有结束：请在元数据之后、正文之前加一行“---” (front_matter)"
    ]


def test_tab_indentation(tmp_path):
    assert check(
        tmp_path, {"policy/t.md": "---\ntitle: 测试\n\tindex_no: SL0000001/2025-00001\n---\n正文\n"}
    ) == ["content/policy/t.md:3: YAML 格式错误：" + TAB + " (yaml)"]


TAB = "这一行用了 Tab 缩进或对齐。请把 Tab 全部改为空格（同一层的键左端对齐，下一层多缩进两个空格）"
FRONT = "---\ntitle: 测试\nindex_no: SL0000001/2025-00001\n{line}\ncolumn: policy\n---\n正文\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "publisher：示例县测试局",
            "4: YAML 格式错误：键名“publisher”后面是中文冒号“：”。请改为英文冒号加一个空格：“publisher: ” (yaml)",
        ),
        (
            "publisher： 示例县测试局",
            "4: YAML 格式错误：键名“publisher”后面是中文冒号“：”。请改为英文冒号加一个空格：“publisher: ” (yaml)",
        ),
        (
            "publisher:示例县测试局",
            "4: YAML 格式错误：“publisher:”后面缺少空格。请写成“publisher: 示例县测试局”（英文冒号后加一个空格） (yaml)",
        ),
        (
            "publisher 示例县测试局",
            "4: YAML 格式错误：这一行缺少英文冒号“:”：每行应写成“键: 值”（冒号后加一个空格）。"
            "若这一行是上一行的值的接续，请把整个值写在一行或用引号括起来 (yaml)",
        ),
        ("\tpublisher: 示例县测试局", "4: YAML 格式错误：" + TAB + " (yaml)"),
        (
            "  publisher: 示例县测试局",
            "4: YAML 格式错误：这一行的缩进不对：它比上一行缩进得多，但上一行的键已经有值。"
            "同一层的键请左端对齐；下一层的键只能写在没有值的“键:”下面 (yaml)",
        ),
        (
            'publisher: "示例县测试局',
            '4: YAML 格式错误：这一行的引号“"”没有闭合。请在值的末尾补上同样的引号，或去掉开头的引号 (yaml)',
        ),
        (
            'publisher: "示例县"测试局',
            '4: YAML 格式错误：引号只能把整个值括起来，引号后面不能再有文字。请把整个值放在引号内：“"……"” (yaml)',
        ),
        (
            "publisher: [示例县测试局",
            "4: YAML 格式错误：这一行的方括号“[”没有闭合：请补上“]”。值本身以“[”开头时请给整个值加引号 (yaml)",
        ),
        (
            "publisher: 【示例县】测试局",  # full-width brackets are plain text
            None,
        ),
        (
            "publisher: [示例县]测试局",
            '4: YAML 格式错误：值以“[”开头时会被当作列表或映射，后面不能再有文字。请给整个值加引号，如 "[……" (yaml)',
        ),
        (
            "publisher: @示例县测试局",
            '4: YAML 格式错误：值以“@”开头时会被当作 YAML 的特殊符号：请给整个值加引号，如 "@……" (yaml)',
        ),
        (
            "publisher: - 示例县测试局",
            "4: YAML 格式错误：这里不能写列表项“- ”：列表应另起一行写在“键:”下面并多缩进两个空格；"
            "值本身以“-”开头时请加引号 (yaml)",
        ),
        (
            "publisher: |示例县测试局",
            "4: YAML 格式错误：“|”或“>”表示多行文字，它后面不能接文字：请把文字从下一行开始写，"
            "并比键多缩进两个空格 (yaml)",
        ),
        (
            'publisher: "示例县\\测试局"',
            "4: YAML 格式错误：双引号中的反斜杠“\\”后面不是可用的转义字符。反斜杠本身请写成“\\\\”，"
            "或改用单引号括起整个值 (yaml)",
        ),
    ],
)
def test_yaml_error_causes_in_chinese_at_their_line(tmp_path, line, expected):
    """Each common cause of a YAML error: the line of the offending character and what to do."""
    problems = check(tmp_path, {"policy/y.md": FRONT.format(line=line)})
    if expected is None:
        assert not any("(yaml)" in p for p in problems), problems
    else:
        assert problems[0] == "content/policy/y.md:" + expected, problems
        assert len(problems) == 1


def test_unclosed_quote_names_its_own_line_not_the_end(tmp_path):
    text = '---\ntitle: "测试\nindex_no: SL0000001/2025-00001\npublisher: 示例县测试局\ncolumn: policy\n---\n正文\n'
    assert check(tmp_path, {"policy/q.md": text}) == [
        'content/policy/q.md:2: YAML 格式错误：这一行的引号“"”没有闭合。请在值的末尾补上同样的引号，或去掉开头的引号 (yaml)'
    ]


def test_full_width_colon_in_a_nested_block_names_its_line(tmp_path):
    text = entry(review="review:\n  status： draft\n  secrecy: pending")
    line = text.split("\n").index("  status： draft") + 1
    assert check(tmp_path, {"policy/n.md": text}) == [
        f"content/policy/n.md:{line}: YAML 格式错误：键名“status”后面是中文冒号“：”。"
        "请改为英文冒号加一个空格：“status: ” (yaml)"
    ]


def test_only_full_width_colons_is_not_a_bare_word(tmp_path):
    assert check(tmp_path, {"policy/w.md": "---\ntitle：测试\n---\n正文\n"}) == [
        "content/policy/w.md:2: YAML 格式错误：键名“title”后面是中文冒号“：”。请改为英文冒号加一个空格：“title: ” (yaml)"
    ]


def test_less_indented_key_in_a_block(tmp_path):
    text = entry(review="review:\n  status: draft\n secrecy: pending")
    line = text.split("\n").index(" secrecy: pending") + 1
    assert check(tmp_path, {"policy/i.md": text}) == [
        f"content/policy/i.md:{line}: YAML 格式错误：这一行（缩进1个空格）与第{line - 1}行（缩进2个空格）对不齐，"
        "其中一行的缩进不对。同一层的键请左端对齐（只用空格），下一层的键比上一层多缩进两个空格 (yaml)"
    ]


def test_unclosed_quote_above_a_flow_table_names_its_line(tmp_path):
    text = (
        BUDGET_HEAD.replace("title: 示例县", 'title: "示例县')
        + 'budget:\n  functional:\n    rows:\n      - {code: "205", name: 教育支出}\n      - {code: "20501", name: x}\n'
    )
    assert check(tmp_path, {"budget/b.yaml": text}) == [
        'content/budget/b.yaml:1: YAML 格式错误：这一行的引号“"”没有闭合。请在值的末尾补上同样的引号，或去掉开头的引号 (yaml)'
    ]


BUDGET_HEAD = (
    "title: 示例县测试局2025年部门预算\nindex_no: SL0000001/2025-00001\npublisher: 示例县测试局\ncolumn: budget\n"
    "date_written: 2025-01-20\ndate_published: 2025-02-01\ndisclosure: proactive\n" + review_block() + "\n"
)


def test_comma_decimal_in_a_flow_mapping_is_named_as_such(tmp_path):
    text = BUDGET_HEAD + "budget:\n  summary:\n    income:\n      - {item: 工资, amount: 2924,74}\n"
    line = text.split("\n").index("      - {item: 工资, amount: 2924,74}") + 1
    problems = check(tmp_path, {"budget/b.yaml": text})
    assert (
        f"content/budget/b.yaml:{line}: “amount: 2924,74”中的逗号应为小数点：请写成 2924.74"
        "（花括号 {…} 里的逗号用来分隔各项） (budget.summary.income[0].amount)"
    ) in problems
    assert not any("未知的键" in p for p in problems), problems


def test_thousands_comma_in_a_flow_mapping(tmp_path):
    text = BUDGET_HEAD + "budget:\n  summary:\n    income:\n      - {item: 工资, amount: 2,924.74}\n"
    line = text.split("\n").index("      - {item: 工资, amount: 2,924.74}") + 1
    assert (
        f"content/budget/b.yaml:{line}: “amount: 2,924.74”中的逗号把数字分成了两半：花括号 {{…}} 里的逗号用来分隔各项，"
        "数字不能带千分位逗号，请写成 2924.74 (budget.summary.income[0].amount)"
    ) in check(tmp_path, {"budget/b.yaml": text})


def test_comma_decimal_in_a_block_value(tmp_path):
    text = BUDGET_HEAD + "budget:\n  summary:\n    income_total: 2924,74\n"
    line = text.split("\n").index("    income_total: 2924,74") + 1
    assert (
        f"content/budget/b.yaml:{line}: 收入总计“2924,74”中的逗号应为小数点：请写成 2924.74（单位：万元） "
        "(budget.summary.income_total)"
    ) in check(tmp_path, {"budget/b.yaml": text})


def test_unclosed_brace_names_the_line_that_opened_it(tmp_path):
    text = (
        BUDGET_HEAD
        + "budget:\n  summary:\n    income:\n      - {item: 工资, amount: 29\n      - {item: 奖金, amount: 1}\n"
    )
    line = text.split("\n").index("      - {item: 工资, amount: 29") + 1
    assert check(tmp_path, {"budget/b.yaml": text}) == [
        f"content/budget/b.yaml:{line}: YAML 格式错误：这一行的花括号“{{”没有闭合：请补上“}}”。"
        "值本身以“{”开头时请给整个值加引号 (yaml)"
    ]


def test_misspelt_column_suggests_the_right_one(tmp_path):
    problems = check(tmp_path, {"policy/c.md": entry(column="polcy")})
    assert problems == [
        "content/policy/c.md:5: “栏目”的值“polcy”无效。是否应为“policy”？可选值：policy（政策文件）、budget（预算决算）、"
        "sangong（三公经费）、govbudget（政府预决算）、land（征地信息）、report（公开年报）、interpretation（政策解读）、consultation（意见征集） (column)"
    ]
