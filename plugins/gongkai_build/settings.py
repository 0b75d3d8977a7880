"""The settings checked whole, once per build, before anything is read (as MkDocs does).

Every Gongkai plugin named in PLUGINS declares its settings in `<plugin>/settings.py` (`DEFAULTS`)
and may check them in `<plugin>/glue.py` (`find_config_problems(settings)`). Whichever plugin's
`initialized` handler runs first calls `check_whole`: every plugin's defaults are merged, every
plugin's checks run, and all their problems (with the gate's unknown-key check, which names the
nearest known setting) are raised together as one ConfigError. Later calls in the same build do
nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping

from gongkai_core.errors import ConfigError, ConfigProblem

from .build import current


def gongkai_plugins(settings: MutableMapping) -> list[str]:
    names = [p if isinstance(p, str) else getattr(p, "__name__", "") for p in settings.get("PLUGINS") or []]
    return [name for name in names if name.startswith("gongkai_")]


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists and imports something missing: a real error
            raise
        return None


def check_whole(settings: MutableMapping) -> None:
    build = current()
    if build.settings_checked:
        return
    checks = []
    for plugin in gongkai_plugins(settings):
        declared = _module(f"{plugin}.settings")
        for key, value in getattr(declared, "DEFAULTS", {}).items():
            settings.setdefault(key, value)
        glue = _module(f"{plugin}.glue")
        if glue is not None and callable(getattr(glue, "find_config_problems", None)):
            checks.append(glue.find_config_problems)
    problems: list[ConfigProblem] = []
    for check in checks:
        for problem in check(settings):
            if problem not in problems:
                problems.append(problem)
    build.settings_checked = True
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: str(p.key)))
