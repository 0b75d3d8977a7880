"""Plugin settings: defaults merged once, then every problem reported together (MkDocs-style)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping

from .errors import ConfigError, ConfigProblem


def merge_and_check(settings: MutableMapping, defaults: dict,
                    find_problems: Callable[[MutableMapping], list[ConfigProblem]]) -> None:
    """Fill in the plugin's defaults, then raise one ConfigError listing every problem found."""
    for key, value in defaults.items():
        settings.setdefault(key, value)
    problems = find_problems(settings)
    if problems:
        raise ConfigError(problems)
