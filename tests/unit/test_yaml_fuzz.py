"""Broken YAML of every kind an editor makes gets a Chinese message at a line of the file, never
PyYAML's English and never a traceback: valid entries truncated at every line, and a tab, a
full-width colon, a quote, a bracket … inserted at several places of every line."""

from __future__ import annotations

import re

from conftest import ROOT, entry
from gongkai_core import columns, schema
from gongkai_core.entry import read_entry
from gongkai_core.fieldspec import walk
from gongkai_core.site import DEFAULT_COLUMNS

INSERTS = (
    "\t",
    "：",
    '"',
    "'",
    "[",
    "{",
    "}",
    ",",
    ": ",
    "- ",
    "  ",
    "|",
    "@",
    "*",
    "&",
    "!",
    "%",
    "\\",
    "#",
)
# Names of formats, keys and programs that our messages use on purpose; everything else ASCII of
# three letters or more would be English left untranslated.
NAMES = {"YAML", "Tab", "Markdown", "UTF", "BOM", "GBK", "WPS", "Word", "HTML", "Pelican"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
QUOTED = re.compile(r"“[^”]*”")  # the editor's own text, echoed back


def _key_names() -> set[str]:
    names = set(NAMES) | set(DEFAULT_COLUMNS)
    tables = [
        schema.ENTRY_FIELDS,
        schema.REVIEW_FIELDS,
        schema.ATTACHMENT_FIELDS,
        schema.CHANGE_FIELDS,
        schema.PII_ALLOW_FIELDS,
        schema.ANNUAL_REPORT_FIELDS,
    ]
    tables += [m.FIELDS for m in columns.modules()]
    for fields in tables:
        for dotted, f in walk(fields):
            names.update(dotted.split("."))
            names.update(value for value, _label in f.choices)
    return names


KEY_NAMES = _key_names()


def _variants(text: str):
    lines = text.split("\n")
    for i in range(len(lines)):
        yield "\n".join(lines[:i])  # truncated before line i+1
    for i, line in enumerate(lines):
        colon = line.find(":")
        places = {0, len(line) - len(line.lstrip()), len(line) // 2, len(line)}
        if colon >= 0:
            places |= {colon, colon + 1, colon + 2}
        for at in sorted(p for p in places if 0 <= p <= len(line)):
            for ins in INSERTS:
                yield "\n".join([*lines[:i], line[:at] + ins + line[at:], *lines[i + 1 :]])


def _english(message: str) -> list[str]:
    return [w for w in WORD.findall(QUOTED.sub("", message)) if w not in KEY_NAMES]


def _sources() -> dict[str, str]:
    budget = (ROOT / "content/budget/2025-jyj.yaml").read_text(encoding="utf-8")
    land = (ROOT / "content/land/2025-02-compensation-plan.yaml").read_text(encoding="utf-8")
    return {
        "policy/a.md": entry(
            extra="doc_no: 示财发〔2025〕3号\nsummary: 摘要\nattachments:\n  - {file: files/a.pdf, title: 附件}"
        ),
        # the tables and lists of a data entry, cut to keep the run short
        "budget/b.yaml": "\n".join(budget.split("\n")[:48]),
        "land/c.yaml": "\n".join(land.split("\n")[:40]),
    }


def test_every_broken_yaml_gets_a_chinese_message_at_a_line_of_the_file(tmp_path):
    english: dict[str, str] = {}
    off: dict[str, str] = {}
    count = 0
    for rel, good in _sources().items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for text in _variants(good):
            path.write_text(text, encoding="utf-8")
            _entry, problems = read_entry(path, rel, DEFAULT_COLUMNS)  # raises nothing
            count += 1
            last = text.count("\n") + 1
            for p in problems:
                if _english(p.message):
                    english.setdefault(p.message, text)
                if not 1 <= p.line <= max(last, 1):
                    off.setdefault(f"{p.line}/{last}: {p.message}", text)
    assert count > 3000
    assert not english, "\n\n".join(f"{m}\n--- in:\n{t}" for m, t in list(english.items())[:5])
    assert not off, "\n\n".join(f"{m}\n--- in:\n{t}" for m, t in list(off.items())[:5])


def test_pure_python_parser_errors_are_explained_too():
    """Without libyaml PyYAML words its problems differently; they get the same Chinese messages."""
    import yaml

    from gongkai_core.yamlload import explain

    cases = {
        "review:\n  status: draft\n secrecy: pending\n": 3,
        "x: {a: 1\ny: 2\n": 1,
        "title: [a\ny: 2\n": 1,
        'title: "a\ny: 2\n': 1,
        "title: 好\n\tpublisher: x\n": 2,
        "title: 好\npublisher： x\ncolumn: policy\n": 2,
        "title: |x\n  a\n": 1,
        "title: @x\n": 1,
    }
    for text, line in cases.items():
        try:
            yaml.compose(text, Loader=yaml.BaseLoader)
        except yaml.MarkedYAMLError as exc:
            found, message = explain(exc, text)
            assert found == line and not _english(message), (text, found, message)
        else:  # pragma: no cover - each case is broken
            raise AssertionError(text)
