"""The Decap CMS config is generated from the entry schema: every key has a field and back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from decap_keys import config_keys, schema_keys

from gongkai_core import decap, schema
from gongkai_core.entry import INDEX_NO

COLUMNS = {
    "policy": "政策文件",
    "budget": "预算决算",
    "sangong": "三公经费",
    "land": "征地信息",
    "report": "公开年报",
}


@pytest.fixture(scope="module")
def config():
    return decap.config(COLUMNS, decap.proxy_backend("main", "http://127.0.0.1:8081/api/v1"))


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def fields_by_path(fields, prefix=""):
    out = {}
    for f in fields:
        out[prefix + f["name"]] = f
        out.update(fields_by_path(f.get("fields", ()), prefix + f["name"] + "."))
    return out


def test_a_collection_per_column_and_pages(config):
    assert [c["name"] for c in config["collections"]] == [*COLUMNS, "pages"]
    assert config["locale"] == "zh_Hans"
    assert config["publish_mode"] == "editorial_workflow"
    assert (config["media_folder"], config["public_folder"]) == ("content/files", "files")


@pytest.mark.parametrize("name", [*COLUMNS, "pages"])
def test_every_schema_key_has_a_field_and_every_field_a_schema_key(config, name):
    keys = schema_keys(None if name == "pages" else name)
    fields = config_keys(collection(config, name))
    assert sorted(keys - fields) == [], "schema keys without an editor field"
    assert sorted(fields - keys) == [], "editor fields without a schema key"


def test_the_coverage_check_can_fail(config):
    policy = collection(config, "policy")
    review = next(f for f in policy["fields"] if f["name"] == "review")
    trimmed = {**policy, "fields": [*policy["fields"], {"name": "extra", "label": "多余"}]}
    trimmed["fields"] = [
        f if f is not review else {**review, "fields": review["fields"][1:]} for f in trimmed["fields"]
    ]
    keys, fields = schema_keys("policy"), config_keys(trimmed)
    assert keys - fields == {"review.status"}
    assert fields - keys == {"extra"}


def test_labels_required_flags_enums_and_dates_follow_the_schema(config):
    fields = fields_by_path(collection(config, "policy")["fields"])
    for f in schema.ENTRY_FIELDS:
        if f.key in ("body", "column") or not decap.offered(f.key, "policy"):
            continue
        assert fields[f.key]["label"] == f.label
        assert fields[f.key]["required"] is f.required
    assert fields["disclosure"]["widget"] == "select"
    assert [o["value"] for o in fields["disclosure"]["options"]] == [v for v, _ in schema.DISCLOSURE]
    assert fields["disclosure"]["options"][0]["label"] == "主动公开（proactive）"
    assert fields["date_published"]["widget"] == "gk-date"  # shown as 2025-01-20 in any browser
    assert fields["date_published"]["format"] == "YYYY-MM-DD"
    assert fields["column"] == {
        "name": "column",
        "label": "栏目",
        "widget": "hidden",
        "default": "policy",
        "required": True,
    }


def test_review_block_carries_the_four_sign_offs(config):
    review = fields_by_path(collection(config, "sangong")["fields"])["review"]
    names = [f["name"] for f in review["fields"]]
    for step in ("drafted", "section", "secrecy", "approved"):
        assert f"{step}_by" in names and f"{step}_on" in names
    assert review["required"] is True


def test_attachments_upload_into_content_files(config):
    attachment = fields_by_path(collection(config, "policy")["fields"])["attachments.file"]
    assert attachment["widget"] == "file"
    assert (attachment["media_folder"], attachment["public_folder"]) == ("/content/files", "files")


def js_tests(cases: list[tuple[str, str]]) -> list[bool]:
    """RegExp(source).test(value) in node, as Decap's form validates a field's pattern."""
    node = shutil.which("node")
    assert node, "node is needed (scripts/bootstrap installs it)"
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(([s, v]) => RegExp(s).test(v))));"
    )
    out = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout)


def test_index_no_pattern_is_the_readers_with_a_chinese_message(config):
    index_no = fields_by_path(collection(config, "policy")["fields"])["index_no"]
    regex, message = index_no["pattern"]
    assert "代码/年份-序号" in message
    # the form runs it as JavaScript: it must accept and refuse what the reader does
    values = [
        "SL0000001/2025-00012",
        "SL0000777/2025-00031",
        "abcd/2025-1",
        "2025-12",
        "SL0000001/2025-00012\n",
        "ASL0000001/2025-00012Z",
        "A/2025-1Z",
        "SL0000001/2025-",
        " SL0000001/2025-00012",
        "ＳＬ0000001/2025-1",
    ]
    assert js_tests([(regex, v) for v in values]) == [bool(INDEX_NO.search(v)) for v in values]
    assert js_tests([(regex, "SL0000001/2025-00012")]) == [True]


SAMPLES = {  # values the reader accepts and refuses, for every pattern the form checks
    "index_no": ["SL0000001/2025-00012", "2025-12", "SL0000001/2025-00012\n", "A/2025-1Z"],
    "doc_no": [
        "示财发〔2025〕3号",
        "示文旅发〔2025〕2号",
        "示财发[2025]3号",
        "示财发〔2025〕03号",
        "〔2025〕3号",
    ],
    "secrecy_level": ["非密", "秘密", "非密\n"],
    "code": ["201", "20106", "2010601", "2010", "x201"],
    "slug": ["guide", "about-us", "Guide", "-x"],
    "order": ["1", "10", "a"],
}


@pytest.mark.parametrize("key", sorted(decap.PATTERNS))
def test_every_form_pattern_is_javascript_agreeing_with_python(key):
    regex, _ = decap.PATTERNS[key]
    values = SAMPLES[key]
    python = [bool(re.search(regex.replace("$", r"\Z"), v)) for v in values]
    assert any(python) and not all(python)
    assert js_tests([(regex, v) for v in values]) == python


@pytest.mark.parametrize(
    "pattern",
    [r"(?P<year>\d{4})", r"(?i)abc", r"a{,3}", r"x\a", r"x\N{DIGIT ONE}", r"(?>ab)", r"a++", r"[]a]"],
)
def test_a_reader_pattern_javascript_would_read_otherwise_is_refused(pattern):
    with pytest.raises(decap.DecapConfigError):
        decap.form_regex(re.compile(pattern))


def test_required_inside_an_optional_block_is_not_forced_in_the_form(config):
    land = fields_by_path(collection(config, "land")["fields"])
    assert land["land.approval"]["required"] is False
    assert land["land.approval.number"]["required"] is False  # checked by invoke check once filled
    assert land["land.area.total"]["required"] is True
    assert land["land.outline"]["widget"] == decap.GEOJSON_WIDGET
    sangong = fields_by_path(collection(config, "sangong")["fields"])
    assert sangong["sangong.current.vehicle"]["widget"] == "number"
    assert sangong["sangong.counts.vehicles_held"]["value_type"] == "int"


def test_config_is_plain_yaml(config):
    assert yaml.safe_load(yaml.safe_dump(config, allow_unicode=True)) == config


def test_the_annual_report_block_is_offered_only_on_the_report_form(config):
    for c in config["collections"]:
        names = {f["name"] for f in c["fields"]}
        assert ("annual_report" in names) is (c["name"] == "report"), c["name"]


def test_new_files_named_by_day_commits_in_chinese_and_the_next_index_no_prefilled():
    made = decap.config(
        COLUMNS,
        decap.proxy_backend("main", "/api/v1"),
        defaults={"policy": {"index_no": "SL0000007/2026-00012"}},
    )
    policy = collection(made, "policy")
    assert policy["slug"] == "{{year}}-{{month}}-{{day}}"
    assert fields_by_path(policy["fields"])["index_no"]["default"] == "SL0000007/2026-00012"
    assert "default" not in fields_by_path(collection(made, "budget")["fields"])["index_no"]
    messages = made["backend"]["commit_messages"]
    assert set(messages) >= {"create", "update", "delete", "uploadMedia", "deleteMedia"}
    for text in messages.values():
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\{\{[^}]*\}\}", "", text)), text
