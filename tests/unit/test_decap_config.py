"""The Decap CMS config is generated from the entry schema: every key has a field and back."""

from __future__ import annotations

import re

import pytest
import yaml

from gongkai_core import decap, schema
from gongkai_core.entry import INDEX_NO

COLUMNS = {"policy": "政策文件", "budget": "预算决算", "sangong": "三公经费", "land": "征地信息", "report": "公开年报"}


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
    keys = decap.schema_keys(None if name == "pages" else name)
    fields = decap.config_keys(collection(config, name))
    assert sorted(keys - fields) == [], "schema keys without an editor field"
    assert sorted(fields - keys) == [], "editor fields without a schema key"


def test_the_coverage_check_can_fail(config):
    policy = collection(config, "policy")
    review = next(f for f in policy["fields"] if f["name"] == "review")
    trimmed = {**policy, "fields": [*policy["fields"], {"name": "extra", "label": "多余"}]}
    trimmed["fields"] = [f if f is not review else {**review, "fields": review["fields"][1:]}
                         for f in trimmed["fields"]]
    keys, fields = decap.schema_keys("policy"), decap.config_keys(trimmed)
    assert keys - fields == {"review.status"}
    assert fields - keys == {"extra"}


def test_labels_required_flags_enums_and_dates_follow_the_schema(config):
    fields = fields_by_path(collection(config, "policy")["fields"])
    for f in schema.ENTRY_FIELDS:
        if f.key in ("body", "column"):
            continue
        assert fields[f.key]["label"] == f.label
        assert fields[f.key]["required"] is f.required
    assert fields["disclosure"]["widget"] == "select"
    assert [o["value"] for o in fields["disclosure"]["options"]] == [v for v, _ in schema.DISCLOSURE]
    assert fields["disclosure"]["options"][0]["label"] == "主动公开（proactive）"
    assert fields["date_published"]["widget"] == "datetime"
    assert fields["date_published"]["format"] == "YYYY-MM-DD"
    assert fields["date_published"]["time_format"] is False
    assert fields["column"] == {"name": "column", "label": "栏目", "widget": "hidden", "default": "policy",
                                "required": True}


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


def test_index_no_pattern_is_the_readers_with_a_chinese_message(config):
    index_no = fields_by_path(collection(config, "policy")["fields"])["index_no"]
    regex, message = index_no["pattern"]
    assert regex == INDEX_NO.pattern
    assert re.search(regex, "SL0000001/2025-00012") and not re.search(regex, "2025-12")
    assert "代码/年份-序号" in message


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
