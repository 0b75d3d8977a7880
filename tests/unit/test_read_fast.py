"""Reading's quick tests (round 2): each passes a text over only when the full check could find
nothing in it."""

from __future__ import annotations

import itertools

from gongkai_core import entry

# every way Python's case-insensitive matching may spell "files" (ſ is s, İ and ı are i, K-like folds
# are not in it), in each place BODY_FILE_REF looks for a reference
SPELLINGS = ["".join(c) for c in itertools.product("fF", "iIİı", "lL", "eE", "sSſ")]
PLACES = ["[附件]({}/a.pdf)", "[1]: {}/a.pdf", '<img src="{}/a.png">', "<a HREF=../{}/a.pdf>", "data = /{}/x"]


def test_every_body_file_reference_holds_what_the_quick_test_looks_for():
    found = 0
    for spelling, place in itertools.product(SPELLINGS, PLACES):
        body = "正文\n" + place.format(spelling) + "\n"
        if entry.BODY_FILE_REF.search(body) is not None:
            found += 1
            assert entry.BODY_FILES.search(body) is not None, body
    assert found >= len(PLACES) * 8  # at least the ASCII spellings are references


def test_a_body_without_files_has_no_reference():
    for body in ("[附件](a.pdf)", '<img src="x.png">', "file/ fi les/ filesx"):
        assert entry.BODY_FILES.search(body) is None
        assert entry.BODY_FILE_REF.search(body) is None
