"""The web editor offers the register of 依申请公开 requests to the local user only: the config
`invoke edit` serves on 127.0.0.1 has its collection (every field of the register's schema), the
config written for a shared server (`invoke edit --write-config`) has none, and the proxy lets
Decap write only plain `.yaml` files directly in `requests/`, and only when the config has it."""

from __future__ import annotations

import yaml
import pytest

from conftest import ROOT
from gongkai_cli import edit
from gongkai_cli.editor_proxy import ApiPolicy, Places, Refused
from gongkai_core import decap
from gongkai_core import requests_register as rr

COLUMNS = {"policy": "政策文件"}


def local() -> dict:
    return edit.build_config(COLUMNS, "main", "http://127.0.0.1:8001")


def collection(config: dict, name: str) -> dict | None:
    return next((c for c in config["collections"] if c["name"] == name), None)


def test_the_local_editor_has_the_register_with_every_field():
    found = collection(local(), decap.REGISTER_COLLECTION)
    assert found is not None
    assert (found["folder"], found["extension"], found["label"]) == ("requests", "yaml", "依申请公开登记")
    assert [f["name"] for f in found["fields"]] == [f.key for f in rr.REQUEST_FIELDS]
    outcome = next(f for f in found["fields"] if f["name"] == "outcome")
    assert {"label": "不予公开：属于国家秘密（withheld:1）", "value": "withheld:1"} in outcome["options"]
    assert found["editor"] == {"preview": False}


def test_a_config_for_a_shared_server_has_no_register(tmp_path):
    edit.write_config(tmp_path / "admin", COLUMNS, None, "main", repo=ROOT)
    written = (tmp_path / "admin" / "config.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(written)
    assert collection(config, decap.REGISTER_COLLECTION) is None
    assert all(c["folder"] != "requests" for c in config["collections"])
    assert "request_no" not in written and "依申请公开登记" not in written


@pytest.fixture
def policy(tmp_path):
    (tmp_path / "content" / "policy").mkdir(parents=True)
    return ApiPolicy(tmp_path, "main", Places(local()))


def test_the_proxy_lets_the_local_editor_write_a_register_file(policy):
    assert policy.entry_path("requests/YSQ-2025-0001.yaml") == "requests/YSQ-2025-0001.yaml"
    assert policy.any_path("requests/YSQ-2025-0001.yaml") == "requests/YSQ-2025-0001.yaml"


@pytest.mark.parametrize(
    "path",
    [
        "requests/sub/YSQ.yaml",
        "requests/YSQ.md",
        "requests/.hidden.yaml",
        "requests",
        "requestsx/a.yaml",
        "requests/../pelicanconf.py",
    ],
)
def test_the_proxy_refuses_anything_else_there(policy, path):
    with pytest.raises(Refused):
        policy.any_path(path)


def test_without_the_register_in_the_config_the_proxy_refuses_it(tmp_path):
    (tmp_path / "content").mkdir()
    shared = decap.config(COLUMNS, decap.proxy_backend("main", "/api/v1"))
    refusing = ApiPolicy(tmp_path, "main", Places(shared))
    with pytest.raises(Refused, match="条目只能保存在 content/policy/、content/pages/ 中"):
        refusing.entry_path("requests/YSQ-2025-0001.yaml")
    with pytest.raises(Refused, match="附件只能保存在 content/files/ 中"):
        refusing.any_path("requests/YSQ-2025-0001.yaml")


def test_a_symbolic_link_for_the_register_folder_is_refused(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "requests").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(Refused, match="符号链接"):
        ApiPolicy(tmp_path, "main", Places(local())).entry_path("requests/YSQ-2025-0001.yaml")
