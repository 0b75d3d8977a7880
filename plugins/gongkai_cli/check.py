"""`invoke check`: validate all content, no rendering; what a pre-commit hook runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gongkai_core import clock, requests_register
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


def links_config(settings_file: str):
    """The settings the links between entries depend on (GONGKAI_CONSULTATION_FORMS), as the build has them."""
    from gongkai_gate.settings import links_config as from_settings
    from pelican.settings import read_settings

    return from_settings(read_settings(settings_file))


def run_check(
    content: Path,
    columns: dict[str, str],
    quiet: bool = False,
    signoff_policy=None,
    links_config=None,
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
        links_config=links_config,
        index_codes=index_codes,
    )
    for problem in site.problems:
        print(problem)
    # the register of 依申请公开 requests (requests/ beside content/, never published), when there is one
    register = requests_register.project_register(content.resolve().parent)
    for problem in register.problems if register else ():
        print(problem)
    if register and register.problems:
        print(
            f"依申请公开登记簿有 {len(register.problems)} 个问题：这些申请不计入年度报告和公开页面的统计"
            "（invoke requests 查看待办，docs/requests.md）。",
            file=sys.stderr,
        )
    files = len(site.entries) + len(site.pages) + len(site.invalid_paths)
    took = time.monotonic() - start
    if register and register.problems and not site.problems:
        return 1
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
