"""Nothing of the editors' web UI ever reaches the public output (issue 11)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, entry, make_project, run_cli

EDITOR_MARKS = ("decap", "cms-config-url", "gongkai-cms", "config.yml", "netlify", "/admin/")


def editor_traces(output) -> list[str]:
    hits = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if "admin" in rel.split("/") or "decap" in rel.lower():
            hits.append(rel)
        elif path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".css", ".txt", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [f"{rel}: {mark}" for mark in EDITOR_MARKS if mark in text]
    return hits


@pytest.mark.parametrize("command", ["publish", "build"])
def test_public_build_has_no_admin_and_no_editor_asset(tmp_path, command):
    project = make_project(tmp_path, {"policy/a.md": entry(title="公开的文件")})
    result = run_cli(project, command, "--output", "output")
    assert result.returncode == 0, result.stderr
    out = project / "output"
    assert (out / "index.html").exists()
    assert not (out / "admin").exists()
    assert editor_traces(out) == []


def test_editor_files_live_outside_theme_and_content():
    """The admin page and our CMS script are served by `edit` only; Pelican never sees them."""
    assert (ROOT / "plugins/gongkai_cli/admin/index.html").is_file()
    assert not list((ROOT / "theme").rglob("*decap*")) and not (ROOT / "theme/static/admin").exists()
    assert not (ROOT / "content/admin").exists()


def test_mirror_has_no_admin_and_no_editor_asset(tmp_path):
    project = make_project(tmp_path, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")  # the demo: every column has entries
    result = run_cli(project, "mirror", str(tmp_path / "kiosk"))
    assert result.returncode == 0, result.stdout + result.stderr
    files = [p for p in (tmp_path / "kiosk").rglob("*") if p.is_file()]
    assert any(p.name == "index.html" for p in files)
    assert editor_traces(tmp_path / "kiosk") == []
