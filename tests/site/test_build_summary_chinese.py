"""What a build prints is Chinese: Pelican's own English summary (“Done: Processed 3 articles …”)
is not shown; ours (完成：…) is. The web editor prints the preview build's output as it is."""

from __future__ import annotations

import re

from conftest import entry, make_project, run_cli


def test_a_preview_build_prints_only_our_chinese_summary(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(index_no="SL0000001/2025-00001")})
    result = run_cli(project, "preview", "--output", str(tmp_path / "preview"))
    assert result.returncode == 0, result.stderr
    printed = result.stdout + result.stderr
    assert "完成：1 条已公开" in printed
    assert not re.search(r"Done|Processed|articles?|seconds", printed), printed
