"""Deliberate errors and the Problem record every validator returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must fix, pointing at a file and a line."""

    path: str
    line: int
    message: str  # Chinese: what is wrong and how to fix it
    key: str = field(default="")  # English key, e.g. "review.secrecy_on"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.key})"


class GongkaiError(Exception):
    """Base of all our deliberate errors; never raised itself."""


class ContentError(GongkaiError):
    """Invalid content; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class ConfigProblem:
    key: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"配置项 {self.key} = {self.value!r}：{self.message}"


class ConfigError(GongkaiError):
    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PublishAborted(GongkaiError):
    """The public build failed; the previous output is untouched."""


class MirrorError(GongkaiError):
    """A mirror file is missing, altered or unexpected."""


def rel(path: Path | str, root: Path | str | None = None) -> str:
    """A path as editors see it: relative to root (or the cwd) when possible."""
    p = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return p.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return p.as_posix()
