"""`invoke annual-report YEAR` (`python -m gongkai_cli.annual_report YEAR [--content content]
[--settings pelicanconf.py] [--publisher 机关] [--force]`): the draft of the year's 政府信息公开工作年度报告.

The command's side only: it reads the settings file with Pelican and hands the dict to the core
(gongkai_core.annual_report.draft_options, write_draft), which counts and writes the draft.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai_core import annual_report, audit, clock, placeholder
from gongkai_core.errors import GongkaiError

from .audit import _settings as read_settings
from .new import DEFAULT_CODE, next_index_no  # the same unused-number rule as `invoke new`


def _settings(path: Path) -> dict:
    """The settings file when there is one, else {} (the defaults)."""
    return read_settings(str(path)) if path.is_file() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="annual-report", description="生成政府信息公开工作年度报告草稿")
    parser.add_argument("year", type=int)
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--publisher", help="报告机关（默认：设置中的 ISSUER，本级政府）")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    try:
        today = clock.build_date()
    except GongkaiError as exc:  # a malformed SOURCE_DATE_EPOCH
        print(str(exc), file=sys.stderr)
        return 1
    if not 2000 <= args.year <= today.year:
        print(f"年度“{args.year}”无效：应为 2000 至 {today.year} 之间的年份", file=sys.stderr)
        return 1
    try:
        settings = _settings(Path(args.settings))
        # the expected reports and normative columns the audit checks
        config = audit.config_from_settings(settings.get("GONGKAI_AUDIT"), annual_report.issuer(settings))
        options = annual_report.draft_options(settings, config, args.publisher)
        content = Path(args.content)
        target, f = annual_report.write_draft(
            content,
            args.year,
            today,
            next_index_no(content, DEFAULT_CODE, today.year),
            args.force,
            publisher=options.publisher,
            region=options.region,
            columns=options.columns,
            level=options.level,
            normative_columns=options.normative_columns,
        )
    except GongkaiError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已生成草稿：{target.as_posix()}")
    print(
        f"{f.year}年主动公开 {f.entries} 条；行政规范性文件 制发 {f.normative_issued}、废止 {f.normative_repealed}、"
        f"失效 {f.normative_expired}、现行有效 {f.normative_in_force}。"
        f"请补充“{annual_report.TODO}”处、删去标题中的“{placeholder.DRAFT}”后送审"
        "（invoke check 会逐项列出尚未完成之处）。"
    )
    for path in f.undated_ends:
        print(
            f"注意：{path} 标为废止或失效，但没有 valid_until（废止或失效日期），未计入任何年度",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    from gongkai_core.termsafe import filtered_output

    with filtered_output():  # no control character from content onto the terminal
        sys.exit(main())
