"""The editor speaks Chinese only: admin/gongkai-locale.js over Decap's own zh_Hans covers every
phrase of Decap's English table (what Decap would otherwise fall back to), and no phrase the editor
can show has an English word or the blog vocabulary (帖子). Read from the pinned bundle with node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

BUNDLE = ROOT / "node_modules/decap-cms/dist/decap-cms.js"
LOCALE = ROOT / "plugins/gongkai_cli/admin/gongkai-locale.js"

pytestmark = pytest.mark.skipif(
    not BUNDLE.exists() or shutil.which("node") is None,
    reason="缺少 node 或 node_modules/decap-cms（npm ci）",
)

# node: Decap's English and Chinese tables out of the bundle (the object literal around a phrase
# only that table has), then our script run against a CMS that hands out the Chinese one.
SCRIPT = r"""
const fs = require("fs");
const [bundle, locale] = process.argv.slice(1);
const s = fs.readFileSync(bundle, "utf8");
function table(marker) {
  const at = s.indexOf(marker);
  const start = s.lastIndexOf("{auth:{", at);
  let depth = 0, quote = null, i = start;
  for (; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === "\\") { i++; continue; } if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'" || c === "`") { quote = c; continue; }
    if (c === "{") depth++; else if (c === "}" && --depth === 0) break;
  }
  return (0, eval)("(" + s.slice(start, i + 1) + ")");
}
const en = table("Oops, you've missed a required field");
const zh = table("你漏掉了一个必填项");
let registered = null;
global.window = { CMS: { getLocale: () => zh, registerLocale: (name, phrases) => { registered = [name, phrases]; } } };
(0, eval)(fs.readFileSync(locale, "utf8"));
function flat(o, p, out) {
  for (const k in o) { const v = o[k], key = p ? p + "." + k : k;
    if (v && typeof v === "object") flat(v, key, out); else out[key] = v; }
  return out;
}
process.stdout.write(JSON.stringify({ name: registered[0], en: flat(en, "", {}), ours: flat(registered[1], "", {}) }));
"""

# Names of other products and keys a phrase may name as they are spelled.
ALLOWED = {"GitHub", "GitLab", "Gitea", "Bitbucket", "Azure", "Forgejo", "Ctrl", "Enter", "invoke", "edit"}
FORMATS = {"workflow.workflow.dateFormat"}  # a dayjs format, not shown as written


@pytest.fixture(scope="module")
def tables():
    out = subprocess.run(
        ["node", "-e", SCRIPT, str(BUNDLE), str(LOCALE)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_every_phrase_of_decap_has_a_chinese_one(tables):
    assert tables["name"] == "zh_Hans"
    assert len(tables["en"]) > 200
    assert sorted(set(tables["en"]) - set(tables["ours"])) == []


def test_no_phrase_shows_an_english_word_or_a_blog_word(tables):
    bad = {}
    for key, text in tables["ours"].items():
        if not isinstance(text, str) or key in FORMATS:
            continue
        words = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"%\{[^}]*\}", "", text))) - ALLOWED
        if words or "帖子" in text or "博客" in text:
            bad[key] = text
    assert bad == {}


def test_what_the_issue_named_is_fixed(tables):
    ours = tables["ours"]
    assert ours["workflow.workflow.newPost"] == "新建条目"
    assert ours["workflow.workflow.dateFormat"] == "YYYY年M月D日"  # not “December 1”
    assert ours["editor.editorToolbar.changesSaved"] == "没有未保存的修改"  # true of an empty form too
    assert "一个" not in ours["ui.toast.missingRequiredField"]  # gongkai-cms.js says how many
