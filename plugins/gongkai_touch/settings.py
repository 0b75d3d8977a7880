"""Settings of the touch-screen kiosk mode; the glue merges {**DEFAULTS, **user} once."""

DEFAULTS: dict[str, object] = {
    # the touch-screen mode of a 查阅点 kiosk (invoke mirror --touch sets it for one mirror)
    "GONGKAI_TOUCH": False,
    # seconds without a touch before a page returns to the home page (at least 15)
    "GONGKAI_TOUCH_IDLE": 120,
    # how many of the site's most frequent words the on-screen keyboard offers as buttons
    "GONGKAI_TOUCH_TERMS": 24,
}
