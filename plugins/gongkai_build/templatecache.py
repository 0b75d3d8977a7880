"""Compiled templates kept between builds (`.gongkai/cache/templates/`, beside the read cache)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import readcache


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, in `.gongkai/cache/templates/`: a build compiles the
    theme's ~30 templates again otherwise (a third of a second of every rebuild). Jinja keys each
    by the template's name and source checksum, and its marker names the Python and Jinja versions,
    so an edited template or an upgrade is compiled again. A folder that cannot be written is no
    cache: the templates are compiled as without one."""

    def __init__(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        super().__init__(str(folder), "%s.jinja")

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged file (Jinja lets pickle's errors through): compiled again
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def __repr__(self) -> str:  # the settings are hashed into page keys: no address, no path
        return "CompiledTemplates()"


def compiled_templates(project_root: Path) -> CompiledTemplates:
    return CompiledTemplates(readcache.cache_folder(project_root) / "templates")


def cache_exists(project_root: Path) -> bool:
    return readcache.cache_folder(project_root).is_dir()
