"""update_search_index: changing some documents' text gives exactly the index built from scratch."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

from gongkai_core.search_index import (
    IndexSettings,
    SearchDoc,
    build_search_index,
    update_search_index,
    write_search_index,
)

WORDS = [
    "政府信息公开",
    "预算",
    "三公经费",
    "征地",
    "补偿",
    "安置",
    "耕地保护",
    "防汛",
    "应急",
    "教育",
    "招生",
    "示例县",
    "财政局",
    "公告",
    "通知",
    "方案",
    "2024年",
    "2025年",
    "乡村振兴",
    "营商环境",
]


def corpus(count: int, seed: int = 3) -> list[SearchDoc]:
    rng = random.Random(seed)
    return [
        SearchDoc(
            url=f"policy/{n}.html",
            title="".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))),
            index_no=f"SL0000001/2025-{n:05d}",
            publisher=rng.choice(["示例县财政局", "示例县教育局"]),
            column="policy",
            column_name="政策文件",
            year="2025",
            date=f"2025-01-{1 + n % 28:02d}",
            summary="，".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))),
        )
        for n in range(count)
    ]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def apply(folder: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        if text is None:
            (folder / name).unlink()
        else:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")


def check_update(tmp_path: Path, docs: list[SearchDoc], edits: dict[int, str], settings=None) -> bool:
    """True when the update was possible (and then equal to a fresh build); False when it declined."""
    settings = settings or IndexSettings()
    before = build_search_index(docs, settings)
    old = tmp_path / "old"
    write_search_index(before, old)
    new_docs = list(docs)
    for n, summary in edits.items():
        new_docs[n] = replace(docs[n], summary=summary)
    result = update_search_index(before.state, old, {new_docs[n].url: new_docs[n] for n in edits})
    fresh = tmp_path / "fresh"
    after = build_search_index(new_docs, settings)
    write_search_index(after, fresh)
    if result is None:
        return False
    files, state = result
    updated = tmp_path / "updated"
    shutil.copytree(old, updated)
    apply(updated, files)
    assert files_of(updated) == files_of(fresh)
    assert state == after.state
    for _edit in edits:  # only the shards of the edited terms and the edited docs' store files were written
        assert len(files) < len(before.files) / 2
    return True


def test_a_word_added_to_one_text(tmp_path: Path) -> None:
    docs = corpus(300)
    assert check_update(tmp_path, docs, {7: docs[7].summary + "，防汛"})


def test_a_brand_new_term_and_a_term_that_disappears(tmp_path: Path) -> None:
    docs = corpus(300)
    edits = {
        12: "独一无二的词语出现在这里，" + docs[12].summary[:-3],
        40: docs[40].summary.replace("预算", "测算"),
    }
    assert check_update(tmp_path, docs, edits)


def test_several_documents_and_many_seeds(tmp_path: Path) -> None:
    done = 0
    for seed in range(12):
        rng = random.Random(seed)
        docs = corpus(200, seed)
        edits = {}
        for n in rng.sample(range(len(docs)), rng.randint(1, 3)):
            words = docs[n].summary.split("，")
            rng.shuffle(words)
            edits[n] = "，".join(
                words[: rng.randint(15, len(words))] + [rng.choice(WORDS + ["新词甲乙", "丙丁"])]
            )
        done += check_update(tmp_path / str(seed), docs, edits)
    assert done >= 6  # most edits keep the rounded average length; the others decline, never differ


def test_text_beyond_what_is_indexed_changes_nothing(tmp_path: Path) -> None:
    docs = corpus(100)
    settings = IndexSettings(body_chars=40)
    assert check_update(tmp_path, docs, {5: docs[5].summary[:30] + "，结尾改写"}, settings)


def test_an_attachment_or_table_text_edited(tmp_path: Path) -> None:
    """The parts (tables, attachments) are body text too: an edit of one is an update like any other."""
    docs = corpus(200)
    docs[9] = replace(docs[9], parts=(("附件：方案", "附件里的应急预案"),))
    before = build_search_index(docs)
    old = tmp_path / "old"
    write_search_index(before, old)
    new_docs = list(docs)
    new_docs[9] = replace(docs[9], parts=(("附件：方案", "附件里的防汛预案"),))
    files, state = update_search_index(before.state, old, {new_docs[9].url: new_docs[9]})
    after = build_search_index(new_docs)
    fresh, updated = tmp_path / "fresh", tmp_path / "updated"
    write_search_index(after, fresh)
    shutil.copytree(old, updated)
    apply(updated, files)
    assert files_of(updated) == files_of(fresh) and state == after.state
    assert len([name for name in files if name.startswith("x/")]) == 1  # that document's text file only


def test_a_changed_title_or_date_is_declined(tmp_path: Path) -> None:
    docs = corpus(50)
    index = build_search_index(docs)
    write_search_index(index, tmp_path)
    assert update_search_index(index.state, tmp_path, {docs[3].url: replace(docs[3], title="新标题")}) is None
    assert (
        update_search_index(index.state, tmp_path, {docs[3].url: replace(docs[3], date="2030-01-01")}) is None
    )
    assert update_search_index(index.state, tmp_path, {"policy/none.html": docs[3]}) is None


def test_an_edit_writes_only_the_shards_of_the_terms_whose_count_changed(tmp_path: Path) -> None:
    """A posting depends on nothing but its own text (the page computes idf): adding a few words to
    a body rewrites the shards of those words' terms and that document's text file, nothing else,
    while its length stays in its class."""
    from collections import Counter

    from gongkai_core.search_index import _fields_of, _shard_name, length_class

    docs = corpus(300)
    settings = IndexSettings()
    before = build_search_index(docs, settings)
    old = tmp_path / "old"
    write_search_index(before, old)
    for n in range(len(docs)):  # a document whose length class the edit keeps
        edited = replace(docs[n], summary=docs[n].summary + "，防汛")
        was = Counter(_fields_of(docs[n], settings)["body"])
        now = Counter(_fields_of(edited, settings)["body"])
        if length_class(sum(was.values())) == length_class(sum(now.values())):
            break
    changed = {t for t in {*was, *now} if was[t] != now[t]}
    last = docs[n].summary[-1]  # the joint of the run before the new one: its last character, a space, 防
    assert changed == {"防", "汛", "防汛", f"{last} 防"}
    files, _ = update_search_index(before.state, old, {edited.url: edited})
    number = [d.url for d in before.state.docs].index(edited.url)
    assert set(files) == {_shard_name(t, before.shards) for t in changed} | {f"x/{number}.js"}
