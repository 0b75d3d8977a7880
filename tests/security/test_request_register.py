"""The register of 依申请公开 requests (`requests/`, beside content/) never reaches an output.

A canary in every field of a valid request (the text fields; its dates, choices and fee cannot hold
one and stay valid) and in every field of an invalid one (each value a canary), and in their file
names. The public build, the preview, a mirror and a ZIM are scanned: every file name and every
byte (the members of the Word form unzipped, the ZIM's entries read), in the encodings a page or an
index could use. The 依申请公开 page does show the register's counts — so the register was read.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from conftest import entry, make_project, run_cli
from gongkai_core import requests_register as rr

CANARY = "CANARYRQZ"


def canary(field: str) -> str:
    return f"{CANARY}{field.upper().replace('_', '')}"


VALID = {
    "request_no": canary("request_no"),
    "received_on": "2025-03-03",
    "channel": "online",
    "applicant_type": "natural_person",
    "applicant": canary("applicant"),
    "subject": f"申请公开{canary('subject')}",
    "supplement_asked_on": "2025-03-05",
    "supplement_received_on": "2025-03-07",
    "third_party_asked_on": "2025-03-10",
    "third_party_replied_on": "2025-03-12",
    "extended_on": "2025-03-20",
    "extension_reason": canary("extension_reason"),
    "replied_on": "2025-03-31",
    "outcome": "partly",
    "reason": canary("reason"),
    "fee": "0",
    "note": canary("note"),
}
APPEAL = {"kind": "reconsideration", "filed_on": "2025-05-06", "result": "upheld"}


def as_yaml(fields: dict[str, str], appeal: dict[str, str]) -> str:
    lines = [f"{k}: {v}" for k, v in fields.items()]
    lines.append("appeals:")
    lines += [f"  {'- ' if i == 0 else '  '}{k}: {v}" for i, (k, v) in enumerate(appeal.items())]
    return "\n".join(lines) + "\n"


def test_the_canaries_cover_every_field_of_the_register():
    assert {f.key for f in rr.REQUEST_FIELDS} == set(VALID) | {"appeals"}
    assert {f.key for f in rr.APPEAL_FIELDS} == set(APPEAL)


FILES = {
    "policy/a.md": entry(title="示例县公开的通知", body="公开正文。"),
    "pages/apply.md": "---\ntitle: 依申请公开\nslug: apply\nshows: requests\n---\n\n申请方式见下。\n",
    "pages/apply-form.md": "---\ntitle: 政府信息公开申请表\nslug: apply-form\nshows: request_form\n---\n\n请填写。\n",
}


def needles() -> list[bytes]:
    forms = {CANARY, CANARY.lower(), json.dumps(CANARY)[1:-1], urllib.parse.quote(CANARY)}
    forms |= {CANARY.encode("unicode_escape").decode()}
    return [f.encode("utf-8") for f in forms] + [f.encode("utf-16-le") for f in forms]


def leaks(root: Path) -> list[str]:
    """Every file under `root` whose name or bytes hold the canary; a zip's members unzipped."""
    wanted = needles()
    hits = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if CANARY.lower() in rel.lower():
            hits.append(rel)
        if not path.is_file():
            continue
        data = path.read_bytes()
        blobs = [data]
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                blobs += [z.read(n) for n in z.namelist()] + [" ".join(z.namelist()).encode()]
        if any(n in blob for n in wanted for blob in blobs):
            hits.append(rel)
    return hits


def zim_leaks(path: Path) -> list[str]:
    from libzim.reader import Archive

    wanted = needles()
    archive = Archive(path)
    hits = ["<file>"] if any(n in path.read_bytes() for n in wanted) else []
    for i in range(archive.all_entry_count):
        e = archive._get_entry_by_id(i)
        data = b"" if e.is_redirect else bytes(e.get_item().content)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data += b"".join(z.read(n) for n in z.namelist())
        if CANARY.lower() in (e.path + e.title).lower() or any(n in data for n in wanted):
            hits.append(e.path)
    for key in archive.metadata_keys:
        if any(n in bytes(archive.get_metadata(key)) for n in wanted):
            hits.append(f"M/{key}")
    return hits


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("register")
    project = make_project(base, FILES)
    folder = project / "requests"
    folder.mkdir()
    (folder / f"{canary('file')}.yaml").write_text(as_yaml(VALID, APPEAL), encoding="utf-8")
    invalid = {k: canary(k) for k in VALID}
    (folder / f"{canary('invalid_file')}.yaml").write_text(
        as_yaml(invalid, {k: canary(k) for k in APPEAL}), encoding="utf-8"
    )
    register = rr.load_register(project)
    assert [r.applicant for r in register.requests] == [canary("applicant")]  # the valid one is read
    assert register.problems  # the other is not
    made = {}
    for command, name in (("build", "output"), ("preview", "preview")):
        done = run_cli(project, command, "--output", name)
        assert done.returncode == 0, done.stderr
        made[command] = project / name
    mirror = base / "usb" / "gongkai"
    done = run_cli(project, "mirror", str(mirror))
    assert done.returncode == 0, done.stdout + done.stderr
    made["mirror"] = mirror
    zim = base / "site.zim"
    done = run_cli(project, "zim", str(zim))
    assert done.returncode == 0, done.stdout + done.stderr
    made["zim"] = zim
    return made


def test_the_register_is_read_for_the_counts(outputs):
    page = (outputs["build"] / "pages" / "apply.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row">2025年</th>(.*?)</tr>', page)
    assert row is not None
    # received 1, answered 1, disclosed or partly 1, other 0, fees 0
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["1", "1", "1", "0", "0"]
    assert (outputs["build"] / "pages" / "application-form.docx").is_file()


def test_the_scan_sees_what_it_looks_for(outputs, tmp_path):
    planted = tmp_path / "planted"
    planted.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f"<w:t>{canary('applicant')}</w:t>")
    (planted / "form.docx").write_bytes(buf.getvalue())
    (planted / f"{canary('x')}.html").write_text("x", encoding="utf-8")
    assert leaks(planted) == [f"{canary('x')}.html", "form.docx"]


@pytest.mark.parametrize("kind", ["build", "preview", "mirror"])
def test_no_byte_of_the_register_in_a_site_or_mirror(outputs, kind):
    root = outputs[kind]
    assert any(root.rglob("*.html"))
    assert leaks(root) == []


def test_no_byte_of_the_register_in_the_zim(outputs):
    assert zim_leaks(outputs["zim"]) == []
