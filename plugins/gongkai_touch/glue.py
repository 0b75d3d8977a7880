"""The touch-screen kiosk mode (issue 20): with GONGKAI_TOUCH on, every page is rendered for a
touch screen (base.html: html.gk-touch, theme/js/kiosk.js, the on-screen keyboard) and the
keyboard offers the site's most frequent words (gongkai_core.touch) of the entries this build
shows. Nothing here runs with the mode off."""

from __future__ import annotations

from collections.abc import Mapping

from gongkai_build.build import current
from gongkai_build.settings import check_whole
from gongkai_core import touch
from gongkai_core.errors import ConfigProblem
from pelican import signals


def find_config_problems(settings: Mapping[str, object]) -> list[ConfigProblem]:
    found = []
    if not isinstance(settings.get("GONGKAI_TOUCH"), bool):
        found.append(ConfigProblem("GONGKAI_TOUCH", settings.get("GONGKAI_TOUCH"), "应为 True 或 False"))
    idle = settings.get("GONGKAI_TOUCH_IDLE")
    if not isinstance(idle, int) or isinstance(idle, bool) or idle < 15:
        found.append(ConfigProblem("GONGKAI_TOUCH_IDLE", idle, "应为不小于 15 的整数（秒）"))
    terms = settings.get("GONGKAI_TOUCH_TERMS")
    if not isinstance(terms, int) or isinstance(terms, bool) or not 1 <= terms <= 60:
        found.append(ConfigProblem("GONGKAI_TOUCH_TERMS", terms, "应为 1 到 60 的整数（个）"))
    return found


def check_settings(pelican) -> None:
    check_whole(pelican.settings)  # every plugin's settings, all problems at once (gongkai_build.settings)


def add_keyboard(generator) -> None:
    """The keyboard of this build's shown entries, for every template (`gk_touch`)."""
    settings = generator.settings
    if not settings.get("GONGKAI_TOUCH"):
        return
    titles = [a.entry.title for a in generator.articles if hasattr(a, "entry")]
    keyboard = touch.keyboard(
        titles,
        settings["GONGKAI_TOUCH_IDLE"],
        settings["GONGKAI_TOUCH_TERMS"],
        exclude=[str(settings.get("SITENAME") or ""), str(settings.get("ISSUER") or "")],
    )
    current().touch = keyboard  # every page shows it: part of every page key (gongkai_output)
    generator.context["gk_touch"] = keyboard


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(add_keyboard)
