"""Settings of the gate plugin and their defaults."""

from gongkai_core.site import DEFAULT_COLUMNS

DEFAULTS = {
    "GONGKAI_COLUMNS": DEFAULT_COLUMNS,
    "GONGKAI_PREVIEW": False,  # show unpublished entries, marked 预览·未公开 (never publishable)
    "GONGKAI_STRICT": False,  # any invalid entry fails the build (publishconf)
    "GONGKAI_BUILD_DATE": None,  # filled in at start: clock.build_date()
    "GONGKAI_ONLY": None,  # set by gongkai_cli.incremental: read only these entries (content-relative paths)
    "GONGKAI_CACHE": True,  # reuse what reading unchanged files gave (.gongkai/cache; never the verdicts)
}
CHOICES = {"GONGKAI_PREVIEW": (True, False), "GONGKAI_STRICT": (True, False), "GONGKAI_CACHE": (True, False)}
