"""The entry schema as data: keys, Chinese labels, kinds, required flags and choices.

Validation, the editors' docs and the Decap CMS config are all generated from this one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # text | date | choice | markdown | list | mapping
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, 中文)
    hint: str = ""
    fields: tuple["Field", ...] = field(default=())  # for mapping / list of mappings


VALIDITY = (("current", "有效"), ("expired", "失效"), ("repealed", "废止"))
DISCLOSURE = (("proactive", "主动公开"), ("on_request", "依申请公开"), ("not_disclosed", "不予公开"))
STATUS = (("draft", "草稿"), ("in_review", "审核中"), ("approved", "已审定"), ("withdrawn", "已撤回"))
SECRECY = (("pending", "待审查"), ("passed", "已通过"), ("failed", "未通过"))
LANG = (("zh-CN", "简体中文"), ("zh-Hant", "繁體中文"))
# 体裁分类 of the catalogue guideline: the 15 kinds of official document (《党政机关公文处理工作条例》
# Art. 8, GB/T 9704-2012) and the other forms a disclosure catalogue holds.
GENRE = (
    ("resolution", "决议"),
    ("decision", "决定"),
    ("order", "命令（令）"),
    ("communique", "公报"),
    ("announcement", "公告"),
    ("public_notice", "通告"),
    ("opinion", "意见"),
    ("notice", "通知"),
    ("bulletin", "通报"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("motion", "议案"),
    ("letter", "函"),
    ("minutes", "纪要"),
    ("plan", "规划、计划、方案"),
    ("statistics", "统计信息"),
    ("guide", "办事指南"),
    ("other", "其他"),
)

REVIEW_FIELDS = (
    Field("status", "审核状态", "choice", True, STATUS),
    Field("drafted_by", "拟稿人", "text", hint="拟稿人提出公开属性"),
    Field("drafted_on", "拟稿日期", "date"),
    Field("section_by", "科室负责人", "text"),
    Field("section_on", "科室审核日期", "date"),
    Field("secrecy", "保密审查", "choice", True, SECRECY),
    Field("secrecy_by", "保密审查人", "text"),
    Field("secrecy_on", "保密审查日期", "date"),
    Field("approved_by", "单位主要负责人", "text"),
    Field("approved_on", "审定日期", "date"),
    Field("withdrawn_on", "撤回日期", "date", hint="仅在状态为“已撤回”时填写"),
    Field("note", "审核意见", "text"),
)

ATTACHMENT_FIELDS = (
    Field("file", "文件", "text", True, hint="相对于 content/ 的路径，如 files/2025-budget.pdf"),
    Field("title", "附件名称", "text", True),
)
CHANGE_FIELDS = (
    Field("date", "变更日期", "date", True),
    Field("note", "变更说明", "text", True),
)
PII_ALLOW_FIELDS = (
    Field("value", "允许公开的号码", "text", True),
    Field("reason", "理由", "text", True),
)

# The figures a 年度报告 entry states, so that `invoke audit` can check them (docs/audit.md).
ANNUAL_REPORT_PROACTIVE_FIELDS = (
    Field("entries", "本年主动公开信息条数", "count"),
    Field("normative_issued", "规范性文件本年制发件数", "count"),
    Field("normative_repealed", "规范性文件本年废止件数", "count"),
    Field("normative_expired", "规范性文件本年失效件数", "count"),
    Field("normative_in_force", "规范性文件现行有效件数", "count"),
)
ANNUAL_REPORT_FIELDS = (
    Field("year", "报告年度", "year", True),
    Field(
        "level",
        "报告层级",
        "choice",
        False,
        (("government", "本级政府（3月31日前公布）"), ("agency", "部门（1月31日前公布）")),
    ),
    Field("proactive", "主动公开情况", "mapping", True, fields=ANNUAL_REPORT_PROACTIVE_FIELDS),
)

# Links between entries and the dates of a consultation (gongkai_core.policylinks; docs/editing.md
# “政策解读、意见征集和规范性文件库”).
DRAFT_TYPES = (("decision", "重大行政决策"), ("normative", "行政规范性文件"), ("other", "其他"))
COMMENT_FIELDS = (
    Field("address", "通信地址", "text"),
    Field("email", "电子邮箱", "text"),
    Field("form", "在线表单", "text", hint="GONGKAI_CONSULTATION_FORMS 中配置的表单名"),
)
LINK_FIELDS = (
    Field("interprets", "解读的文件", "text", hint="仅政策解读栏目：所解读文件的索引号（必填）"),
    Field("replaces", "替代的文件", "text", hint="本文件替代（废止）的文件的索引号；多个时写成列表"),
    Field("amended_by", "修改文件", "text", hint="修改本文件的文件的索引号；多个时写成列表"),
    Field("repealed_on", "废止日期", "date", hint="有效性为废止时填写；有效期至（valid_until）另写"),
    Field("opens", "征求意见开始日期", "date", hint="仅意见征集栏目"),
    Field(
        "closes", "征求意见截止日期", "date", hint="仅意见征集栏目；不少于30日，规范性文件草案不少于7个工作日"
    ),
    Field("draft_type", "草案类型", "choice", False, DRAFT_TYPES),
    Field("comments", "意见反馈方式", "mapping", fields=COMMENT_FIELDS, hint="仅意见征集栏目：至少写一种"),
    Field(
        "feedback_for", "采纳情况对应的意见征集", "text", hint="仅意见征集栏目的采纳情况：征求意见稿的索引号"
    ),
)

ENTRY_FIELDS = (
    Field("title", "标题", "text", True),
    Field("index_no", "索引号", "text", True, hint="格式：代码/年份-序号，如 SL0000001/2025-00012"),
    Field("publisher", "发布机构", "text", True),
    Field("doc_no", "文号", "text", hint="如 示财发〔2025〕3号，使用六角括号〔〕"),
    Field("column", "栏目", "choice", True),  # choices come from the site's configured columns
    Field(
        "topic", "主题分类", "text", hint="国务院主题分类的大类，或“大类\\小类”，如 财政、金融、审计\\财政"
    ),
    Field("keywords", "关键词", "text", hint="主题词或关键词，多个用顿号“、”分隔"),
    Field("genre", "体裁分类", "choice", False, GENRE),
    Field("date_written", "成文日期", "date", True),
    Field("date_published", "发布日期", "date", True),
    Field("validity", "有效性", "choice", False, VALIDITY),
    Field("valid_until", "有效期至", "date"),
    Field("disclosure", "公开属性", "choice", True, DISCLOSURE),
    Field("summary", "内容概述", "text"),
    Field("lang", "正文文字", "choice", False, LANG),
    Field("review", "审核", "mapping", True, fields=REVIEW_FIELDS),
    Field("attachments", "附件", "list", fields=ATTACHMENT_FIELDS),
    Field("changes", "变更说明", "list", fields=CHANGE_FIELDS),
    Field("pii_allow", "允许公开的个人信息", "list", fields=PII_ALLOW_FIELDS),
    Field(
        "annual_report",
        "年度报告数据",
        "mapping",
        fields=ANNUAL_REPORT_FIELDS,
        hint="仅公开年报栏目使用：报告年度和主动公开数字，invoke audit 据此核对",
    ),
    *LINK_FIELDS,
    Field("secrecy_level", "密级", "text", hint="涉密信息不得进入本仓库；此项只能为“非密”"),
    Field("body", "正文", "markdown", hint="仅 YAML 条目使用；Markdown 条目的正文写在 --- 之后"),
)

# What a static page's template adds to its body (gongkai_core.application_form, docs/requests.md)
PAGE_SHOWS = (
    ("requests", "依申请公开：办理流程图、各年度办理统计、申请表下载"),
    ("request_form", "政府信息公开申请表（可打印填写）"),
)

PAGE_FIELDS = (
    Field("title", "标题", "text", True),
    Field("slug", "网址名", "text"),
    Field("order", "导航顺序", "text"),
    Field("status", "状态", "choice", False, (("published", "发布"), ("draft", "草稿"))),
    Field("summary", "内容概述", "text"),
    Field("lang", "正文文字", "choice", False, LANG),
    Field(
        "shows",
        "页面附加内容",
        "choice",
        False,
        PAGE_SHOWS,
        hint="仅依申请公开页面和申请表页面使用（docs/requests.md）",
    ),
)

# What an attachment (or a file linked from a body) may be: documents, spreadsheets and images that
# a browser shows or downloads but never runs. No .html/.htm/.svg/.xml/.js (script on the site's own
# origin), no archives or executables, no old binary Office/WPS files (their text cannot be read, so
# nothing proves they hold no personal data: LEGACY_OFFICE says what to save them as).
ATTACHMENT_SUFFIXES = frozenset(
    {
        ".pdf",
        ".ofd",
        ".docx",
        ".xlsx",
        ".pptx",
        ".csv",
        ".txt",
        ".odt",
        ".ods",
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
    }
)
LEGACY_OFFICE = {
    ".doc": ".docx",
    ".wps": ".docx",
    ".xls": ".xlsx",
    ".et": ".xlsx",
    ".ppt": ".pptx",
    ".dps": ".pptx",
}

# Column data blocks (budget:, sangong:, land:) are declared and validated by their own modules,
# listed by the registry gongkai_core.columns (keys()).
