"""The data columns have one registry (gongkai_core.columns) and a declared protocol: every column
module has what `base.DataColumn` names, and a new column module (the made-up 许可公示 `permit` in
fake_column.py, registered here) is picked up by validation, the output plan, reserved entry names,
the Decap CMS config and the gongkai_columns glue without anything else being touched."""

from __future__ import annotations

import json
import types
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import fake_column
import pytest
from column_helpers import load_block
from test_budget import GOOD as GOOD_BUDGET
from conftest import review_block
from decap_keys import schema_keys

from gongkai_core import columns, decap, outputplan, schema
from gongkai_core.columns import base
from gongkai_core.site import load_site

COLUMNS = {"policy": "政策文件", "permit": "许可公示"}


@pytest.fixture
def permit_column():
    columns.register(fake_column)
    yield fake_column
    columns.unregister("permit")


def test_the_registry_finds_the_column_modules_of_its_package():
    assert columns.keys() == ("budget", "govbudget", "land", "sangong")
    for module in columns.modules():
        assert base.missing_members(module) == [], module.__name__
        assert columns.get(module.KEY) is module and module.BLOCK == module.KEY
        assert columns.template(module.KEY) == module.TEMPLATE
    assert columns.get("policy") is None and columns.template("policy") == "policy"
    assert not hasattr(schema, "DATA_BLOCK_COLUMNS")  # one registry: the old list is gone


def test_what_the_columns_generate_comes_from_their_modules():
    assert columns.generated_patterns("policy") == ()
    assert columns.reserved_slug("land", "places") and columns.reserved_slug("land", "index2")
    assert columns.reserved_slug("sangong", "2025-by-total") and columns.reserved_slug(
        "sangong", "sangong-2025-budget"
    )
    assert not columns.reserved_slug("policy", "places") and not columns.reserved_slug("land", "2025")


def test_a_module_lacking_part_of_the_protocol_is_refused():
    half = types.ModuleType("half_column")
    half.KEY, half.BLOCK, half.TEMPLATE, half.FIELDS = "half", "half", "half", ()
    half.validate = fake_column.validate
    with pytest.raises(TypeError, match="lacks GENERATED, read, parse, validate_set, tables, views, pages"):
        columns.register(half)
    assert columns.get("half") is None
    clash = types.ModuleType("clash")
    clash.__dict__.update({name: getattr(fake_column, name) for name in base.MEMBERS}, KEY="budget")
    with pytest.raises(TypeError, match="two data columns with the key 'budget'"):
        columns.register(clash)


def test_a_new_column_module_is_in_the_registry(permit_column):
    assert columns.keys() == ("budget", "govbudget", "land", "permit", "sangong")
    assert columns.get("permit") is fake_column and columns.template("permit") == "permit"


def _permit_entry(
    number: str, holder: str | None = "示例县某公司", column: str = "permit", n: int = 1
) -> str:
    lines = [
        f"title: 许可公示{n}",
        f"index_no: SL0000001/2025-{n:05d}",
        "publisher: 示例县行政审批局",
        f"column: {column}",
        "date_written: 2025-01-20",
        "date_published: 2025-02-01",
        "disclosure: proactive",
        review_block(),
        "permit:",
        f"  number: {number}",
    ]
    if holder:
        lines.append(f"  holder: {holder}")
    return "\n".join(lines) + "\n"


def test_validation_asks_the_new_column(permit_column, tmp_path):
    content = tmp_path / "content"
    files = {
        "permit/a.yaml": _permit_entry("XK-001", n=1),
        "permit/b.yaml": _permit_entry("XK-001", n=2),  # the same number: validate_set
        "permit/c.yaml": _permit_entry("XK-003", holder=None, n=3),  # no holder: validate
        "policy/d.yaml": _permit_entry("XK-004", column="policy", n=4),  # a block of another column
        "permit/all-permits.yaml": _permit_entry("XK-005", n=5),  # the name of a page the column generates
    }
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    site = load_site(content, date(2026, 1, 1), COLUMNS, project_root=tmp_path)
    found = {(p.path.rpartition("/")[2], p.key) for p in site.problems}
    assert found == {
        ("b.yaml", "permit.duplicate"),
        ("c.yaml", "permit.holder"),
        ("d.yaml", "permit"),
        ("all-permits.yaml", "slug"),
    }
    assert site.parsed["content/permit/a.yaml"] == fake_column.Permit("XK-001", "示例县某公司")


def test_the_output_plan_allows_what_the_new_column_generates(permit_column):
    plan = outputplan.OutputPlan()
    outputplan.column_patterns(plan, list(COLUMNS))
    assert plan.allows("permit/all-permits.html") and plan.allows("permit/all-permits.csv")
    assert not plan.allows("policy/all-permits.html")
    assert columns.reserved_slug("permit", "all-permits")


def test_the_editor_config_has_the_new_columns_block(permit_column):
    collection = decap.entry_collection("permit", COLUMNS)
    assert collection["extension"] == "yaml"
    block = [f for f in collection["fields"] if f["name"] == "permit"]
    assert [f["name"] for f in block[0]["fields"]] == ["number", "holder"]
    assert {"permit", "permit.number", "permit.holder"} <= schema_keys("permit")
    assert "permit" not in schema_keys("policy")


class _Writer:
    def __init__(self) -> None:
        self.written: list[tuple[str, str, dict]] = []

    def write_file(self, name, template, context, **kwargs) -> None:
        self.written.append((name, template, kwargs))


def test_the_glue_shows_and_writes_the_new_column(permit_column, tmp_path):
    from gongkai_columns import glue
    from gongkai_columns.settings import DEFAULTS

    from gongkai_core import yamlload

    def article(slug: str, number: str):
        data, _ = yamlload.load(_permit_entry(number))
        entry = SimpleNamespace(
            path=f"content/permit/{slug}.yaml",
            column="permit",
            data=data["permit"],
            index_no=f"SL0000001/2025-{slug}",
        )
        return SimpleNamespace(entry=entry, slug=slug, url=f"permit/{slug}.html")

    articles = [article("b", "XK-002"), article("a", "XK-001")]
    settings = {**DEFAULTS, "OUTPUT_PATH": str(tmp_path), "RELATIVE_URLS": True}
    generator = SimpleNamespace(
        articles=articles, settings=settings, context={}, get_template=lambda name: name
    )
    from gongkai_build.build import Build

    with Build(tmp_path).active():  # as inside a run (nothing read yet: the models are parsed here)
        glue.prepare(generator)
        assert [a.gk_view.model.number for a in articles] == ["XK-002", "XK-001"]
        assert articles[1].gk_view.shown.url == "permit/a.html"
        writer = _Writer()
        glue.write(generator, writer)
    assert [(name, template) for name, template, _ in writer.written] == [
        ("permit/all-permits.html", "permit_list")
    ]
    view = writer.written[0][2]["gk_view"]
    assert [p.number for p in view.permits] == ["XK-001", "XK-002"]  # the shown entries by path
    assert (tmp_path / "permit" / "a" / "permit.csv").read_text(
        encoding="utf-8-sig"
    ) == "许可证号,持证单位\nXK-001,示例县某公司\n"
    doc = json.loads((tmp_path / "permit" / "a" / "permit.json").read_text(encoding="utf-8"))
    assert doc["source"] == "permit/a.html" and doc["index_no"] == "SL0000001/2025-a"


def test_every_column_module_is_a_module_of_the_package():
    package = Path(columns.__file__).parent
    assert sorted(p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "base")) == list(
        columns.keys()
    )


def test_reading_checks_a_block_once_and_keeps_no_state_between_blocks(monkeypatch):
    """`read` validates and parses from one typed copy; no module remembers the last block (a memo in
    a module global served the previous block's typed copy to whoever asked next)."""
    from gongkai_core import fieldspec
    from gongkai_core.columns import budget

    calls = []
    real = budget.check_data_block
    monkeypatch.setattr(budget, "check_data_block", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    data = load_block(GOOD_BUDGET, "budget")
    model, problems = budget.read(data, "content/budget/a.yaml")
    assert problems == [] and model.department and calls == ["content/budget/a.yaml"]
    assert not [name for name in vars(fieldspec) if name.isupper() and name.startswith("_LAST")]
    bad = load_block(GOOD_BUDGET.replace("fiscal_year: 2025", "fiscal_year: 二〇二五"), "budget")
    assert budget.read(bad, "content/budget/b.yaml")[0] is None
    assert budget.read(data, "content/budget/a.yaml")[0] == model  # the first block, read again: same model


def test_the_plans_patterns_allow_as_each_of_them_does() -> None:
    """OutputPlan.allows tries its patterns as one alternation: the same answer as trying each."""
    import random
    import re

    from gongkai_core.outputplan import OutputPlan

    plan = OutputPlan()
    regexes = [
        r"budget/(?:index\d*)\.html",
        r"catalog/(?:\d{4}/)?index\d*\.html",
        r"search/[a-z0-9/]+\.js",
        r"a|b",
    ]
    for regex in regexes:
        plan.allow_pattern(regex, "x")
    rng = random.Random(1)
    pieces = ["budget/", "catalog/", "search/", "index", "2025/", "12", ".html", ".js", "a", "b", "x/"]
    for _ in range(3000):
        path = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        assert plan.allows(path) == any(re.fullmatch(r, path) for r in regexes), path
    plan.allow_pattern(r"late/\d+\.html", "y")  # a pattern added after a check counts too
    assert plan.allows("late/3.html") and not OutputPlan().allows("late/3.html")
