# The page size of column and catalog lists is Pelican's PAGINATED_TEMPLATES
# ({"column": 50, "catalog": 50} in pelicanconf.py).
DEFAULTS: dict = {
    # the folder of the site's shape (gongkai_core.tree): tree.yaml (the column tree) and
    # standard/<领域>.yaml (the 基层 standard catalogues); None: the columns, flat
    "GONGKAI_STRUCTURE": None,
    # site-level elements an inspection looks for (gongkai_core.site_elements; docs/editing.md)
    "GONGKAI_SITE_ELEMENTS": {},
}
