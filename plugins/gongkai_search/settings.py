"""Settings of the search plugin; the glue merges {**DEFAULTS, **user} once."""

DEFAULTS: dict[str, object] = {
    # characters of each entry's body, data tables and attachments that are indexed (all of them
    # up to this many; bench/search_results.md has the sizes at 10,000 and 50,000 entries)
    "GONGKAI_SEARCH_BODY_CHARS": 100_000,
    "GONGKAI_SEARCH_TITLE_BOOST": 10,
    # static pages (公开指南, 依申请公开, …) are searchable too
    "GONGKAI_SEARCH_INCLUDE_PAGES": True,
    # from this many documents on, the index is built in a second process beside the page writing
    "GONGKAI_SEARCH_PARALLEL_FROM": 500,
}

POSITIVE_INTS = (
    "GONGKAI_SEARCH_BODY_CHARS",
    "GONGKAI_SEARCH_TITLE_BOOST",
    "GONGKAI_SEARCH_PARALLEL_FROM",
)
PAGES_COLUMN = ("pages", "公开指南等页面")
