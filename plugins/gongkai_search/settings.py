"""Settings of the search plugin; the glue merges {**DEFAULTS, **user} once."""

DEFAULTS: dict[str, object] = {
    # leading characters of each entry's text (summary, body, data values) that are indexed;
    # 240 keeps a 10,000-entry site under 200 KB gzipped for a first query (bench/search_results.md)
    "GONGKAI_SEARCH_BODY_CHARS": 240,
    # characters of that text shipped for result snippets
    "GONGKAI_SEARCH_SNIPPET_CHARS": 120,
    "GONGKAI_SEARCH_TITLE_BOOST": 10,
    # static pages (公开指南, 依申请公开, …) are searchable too
    "GONGKAI_SEARCH_INCLUDE_PAGES": True,
    # from this many documents on, the index is built in a second process beside the page writing
    "GONGKAI_SEARCH_PARALLEL_FROM": 500,
    # lunr.js from npm (package-lock.json pins it), relative to the project folder
    "GONGKAI_SEARCH_LUNR_JS": "node_modules/lunr/lunr.min.js",
}

POSITIVE_INTS = (
    "GONGKAI_SEARCH_BODY_CHARS",
    "GONGKAI_SEARCH_SNIPPET_CHARS",
    "GONGKAI_SEARCH_TITLE_BOOST",
    "GONGKAI_SEARCH_PARALLEL_FROM",
)
PAGES_COLUMN = ("pages", "公开指南等页面")
