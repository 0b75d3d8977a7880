# The page size of column and catalog lists is Pelican's PAGINATED_TEMPLATES
# ({"column": 50, "catalog": 50} in pelicanconf.py).
DEFAULTS: dict = {}
