"""Every error key of the column modules has its section in docs/columns.md, and the core stays Pelican-free."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

CORE = ROOT / "plugins" / "gongkai_core"
MODULES = (
    *sorted((CORE / "columns").glob("*.py")),
    CORE / "workdays.py",
)  # every column module, the calendar


def test_every_rule_key_is_documented():
    source = "".join(path.read_text(encoding="utf-8") for path in MODULES)
    keys = set(re.findall(r'"((?:budget|govbudget|sangong|land|holidays)\.[a-z_]+)"', source))
    keys |= {"budget.income_total", "budget.expenditure_total"}  # built as f"budget.{side}_total"
    documented = set(
        re.findall(r"^### (\S+)$", (ROOT / "docs" / "columns.md").read_text(encoding="utf-8"), re.M)
    )
    assert sorted(keys - documented) == []


def test_column_modules_never_import_pelican():
    probe = (
        "import sys; sys.modules['pelican'] = None; "
        "import gongkai_core.columns.budget, gongkai_core.columns.sangong, gongkai_core.columns.land, "
        "gongkai_core.columns, gongkai_core.workdays, "
        "gongkai_core.charts, gongkai_core.datatable, gongkai_core.annual_report"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
