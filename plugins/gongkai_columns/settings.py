"""Settings of gongkai_columns, with their defaults; the glue reads no other GONGKAI_COLUMNS_* key."""

DEFAULTS: dict = {
    "GONGKAI_COLUMNS_CHART_WIDTH": 640,  # px, viewBox width of the budget bar chart
    "GONGKAI_COLUMNS_OUTLINE_SIZE": (320, 240),  # px, box of the parcel outline drawing
    "GONGKAI_COLUMNS_CSV_BOM": True,  # a BOM so that spreadsheet programs read the Chinese text as UTF-8
    # from this many CSV/JSON tables on, a forked process writes them beside the page rendering
    "GONGKAI_COLUMNS_PARALLEL_MIN_TABLES": 500,
    # how household names show in 征地 tables (gongkai_core.namemask.RULES): "mou" 张某某, "star" 张*
    "GONGKAI_COLUMNS_LAND_NAME_MASK": "mou",
}
