"""Local and preview settings of the 示例县 demo site. `invoke build` uses this file."""

AUTHOR = "示例县人民政府办公室"
SITENAME = "示例县人民政府信息公开"
SITEURL = ""
ISSUER = "示例县人民政府办公室"  # 主办单位
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
THEME = "theme"

# Plugins are loaded explicitly; the build runner fails when any of them does not load.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "gongkai_gate",
    "gongkai_readers",
    "gongkai_catalog",
    "gongkai_search",
    "gongkai_columns",
    "gongkai_output",
    "gongkai_touch",
]

# Columns (栏目): key -> 中文名. Entries name their column by key.
GONGKAI_COLUMNS = {
    "policy": "政策文件",
    "budget": "预算决算",
    "sangong": "三公经费",
    "govbudget": "政府预决算",
    "land": "征地信息",
    "report": "公开年报",
    "interpretation": "政策解读",  # entries with `interprets: <索引号>` (docs/editing.md)
    "consultation": "意见征集",  # drafts for comment (opens/closes/comments) and their 采纳情况 (feedback_for)
    # the other 法定主动公开内容 of 条例 Art. 20 and 21 (prose columns)
    "organization": "机构职能",
    "planning": "规划计划",
    "statistics": "统计信息",
    "permits": "行政许可",
    "enforcement": "行政处罚和行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府采购",
    "projects": "重大建设项目",
    "emergencies": "突发公共事件",
    "recruitment": "公务员招考",
    "relief": "社会救助",
}
# 意见征集 online forms an entry may name in comments.form (fictional address for the demo)
GONGKAI_CONSULTATION_FORMS = {"yjzj": "https://www.example.gov.cn/hdjl/yjzj"}
# The column tree (navigation, breadcrumbs, catalog filters, sitemap) and the 基层 standard
# catalogues: structure/tree.yaml and structure/standard/<领域>.yaml (docs/editing.md “法定栏目与标准目录”).
GONGKAI_STRUCTURE = "structure"
GONGKAI_PREVIEW = False
GONGKAI_STRICT = False

# 索引号 code of each publishing body (发布机构 -> code; fictional codes). Entries of a listed body must
# use its code, and `invoke new 栏目 标题 --部门 机构` numbers with it (docs/editing.md “目录信息”).
GONGKAI_INDEX_CODES = {
    "示例县人民政府办公室": "SL0000001",
    "示例县卫生健康局": "SL0000103",
    "示例县自然资源局": "SL0000104",
}

# Footer identifiers of a Chinese government site (fictional values for the demo).
GONGKAI_FOOTER = {
    "site_id": "9999000001",  # 网站标识码
    "icp": "示ICP备00000001号",  # ICP备案号
    "police": "示公网安备 99990002000001号",  # 公安备案号
    "host": "示例县人民政府办公室",  # 主办单位
    "contact": "0000-1234567",  # 联系电话（办公电话）
}

# What an inspection looks for on every site (docs/editing.md “网站基本要素”; fictional addresses):
# the 党政机关网站标识, the 找错 entry, the 咨询建言 channel, the 办事 entry, the 年度报表 page.
GONGKAI_SITE_ELEMENTS = {
    "party_mark": "https://bszs.shili.example/sitename?id=9999000001",
    "error_report": "https://zhaocuo.shili.example/?site=9999000001",
    "consult": "mailto:zxjy@shili.example",
    "service": "https://zwfw.shili.example/",
    "web_report": "web-report-2025",
}

# invoke audit (docs/audit.md). The demo's entries were moved into this repository at once, long after
# their 发布日期: files first committed by this day are not checked for back-dating.
GONGKAI_AUDIT = {"imported_until": "2026-12-07"}

# Entries live in content/<column>/; pages in content/pages/; attachments in content/files/
# and are copied only for published entries by the gate plugin — never via STATIC_PATHS.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "files", "extra"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
ARTICLE_URL = "{category}/{slug}.html"
ARTICLE_SAVE_AS = "{category}/{slug}.html"
PAGE_URL = "pages/{slug}.html"
PAGE_SAVE_AS = "pages/{slug}.html"
SLUGIFY_SOURCE = "basename"

# Pelican's own listings and feeds are off: columns, the catalog and feeds come from
# gongkai_catalog, built from the gate's published list only.
DIRECT_TEMPLATES = ["index", "search", "404"]
PAGINATED_TEMPLATES = {"index": None, "column": 50, "catalog": 50, "search": None}
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = TAG_FEED_ATOM = None

# Pelican's content cache keys on file mtimes only; it would not notice a changed gate rule
# or build date, so it stays off. Incremental speed comes from our own write-if-changed.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = True
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
WITH_FUTURE_DATES = True  # the gate decides embargoes, not Pelican
TYPOGRIFY = False
