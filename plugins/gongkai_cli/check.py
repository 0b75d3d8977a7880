"""`invoke check`: validate all content, no rendering; what a pre-commit hook runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gongkai_core import clock
from gongkai_build.progress import Progress
from gongkai_build.readcache import stores
from gongkai_core.site import load_site


def signoff_policy(settings_file: str, uncommitted_as_current_user: bool = True):
    """The sign-off rules of the settings file, as the build applies them (docs/gate.md “审核签字”).
    For check (before a commit), lines not committed yet count as committed by the current git identity;
    status and audit, like publish, count only what is committed."""
    from gongkai_core.errors import ConfigError
    from gongkai_core.signoff import policy_from_settings
    from pelican.settings import read_settings

    policy, problems = policy_from_settings(read_settings(settings_file), uncommitted_as_current_user)
    if problems:
        raise ConfigError(problems)
    return policy


def run_check(
    content: Path,
    columns: dict[str, str],
    quiet: bool = False,
    signoff_policy=None,
    index_codes: dict[str, str] | None = None,
) -> int:
    start = time.monotonic()
    if not content.is_dir():
        print(f"找不到内容目录 {content}", file=sys.stderr)
        return 1
    # the same read cache as the builds: unchanged files are not parsed again (gongkai_build.readcache);
    # a body check read without rendering is rendered (and cached) by the next build
    progress = Progress()
    site = load_site(
        content,
        clock.build_date(),
        columns or None,
        project_root=Path.cwd(),
        **stores(content.resolve().parent),
        progress=progress.reader("检查条目"),
        render=False,  # check shows no HTML: bodies are rendered by the build
        signoff_policy=signoff_policy,
        index_codes=index_codes,
    )
    for problem in site.problems:
        print(problem)
    files = len(site.entries) + len(site.pages) + len(site.invalid_paths)
    took = time.monotonic() - start
    if site.problems:
        print(
            f"检查了 {files} 个文件，发现 {len(site.problems)} 个问题（{len(site.invalid_paths)} 个文件），"
            f"用时 {took:.1f} 秒。请按提示修改后再提交。",
            file=sys.stderr,
        )
        return 1
    if not quiet:
        print(
            f"检查了 {files} 个文件，没有发现问题（{len(site.published())} 条可公开），用时 {took:.1f} 秒。"
        )
    return 0
