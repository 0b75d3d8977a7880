"""Settings of the output plugin and their defaults."""

DEFAULTS = {
    # The previous complete output, set by gongkai_cli.build for the build it stages aside:
    # files whose bytes did not change are hard-linked from it instead of written again.
    "GONGKAI_PREVIOUS_OUTPUT": None,
    "GONGKAI_OUTPUT_FINAL": None,  # set by gongkai_cli.build: the output the staged build will replace
    "GONGKAI_OUTPUT_STATS": None,  # filled in by the writer: files linked and written
}
