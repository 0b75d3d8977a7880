"""What one build gives back to the command that ran it (complete or fast; no Pelican here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Build


@dataclass
class BuildResult:
    output: Path
    seconds: float
    published: int
    withheld: int
    problems: int
    unchanged: int = 0  # files linked from the previous output (not written again)
    not_rendered: int = 0  # entry pages of those that were not even rendered (unchanged inputs)
    build: Build | None = field(default=None, repr=False)  # what the Pelican run read, decided and wrote
    fast: bool = False  # only changed entries were rendered (gongkai_build.fastrebuild)
