"""Public build: strict (any problem fails), atomic (via invoke publish), never preview."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("GONGKAI_SITEURL", "")
RELATIVE_URLS = not SITEURL
GONGKAI_STRICT = True
GONGKAI_PREVIEW = False
