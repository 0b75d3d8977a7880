"""Authenticity for kiosks (issue 15, deliverables 7 and 6): signed mirrors, a reproducible ZIM,
and nothing unpublished in either.

A mirror is signed with an ed25519 key made here by ssh-keygen; `verify --pubkey` must catch a
copy edited and then re-hashed (bagit recomputes its manifests), a copy signed by somebody else,
a missing signature; the private key must never sit in the repository or the mirror. Every byte
of the mirror and of every ZIM entry is scanned for the canaries of a draft, an embargoed and an
on-request entry. Two ZIM exports of the same site are the same bytes. A full disk is a Chinese
message naming the folder, with nothing left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import bagit
import pytest
from conftest import EPOCH, BuiltSite, entry, make_project, run_cli

PUBLIC = "PUBLICMARKK7"  # on the public site: the scans below must find it (they can fail)
CANARIES = {"draft": "CANARYDRAFTK7", "embargoed": "CANARYEMBARGOK7", "on_request": "CANARYONREQK7"}
PAGE = "data/policy/ok-one.html"


def _attach(name: str, title: str) -> str:
    return f"attachments:\n  - file: files/{name}\n    title: {title}"


FILES = {
    "policy/ok-one.md": entry(
        title="示例县公开通知一", body=f"正文 {PUBLIC}。", extra=_attach("public.txt", "公开附件")
    ),
    "files/public.txt": f"公开附件正文 {PUBLIC}\n",
    "policy/ok-two.md": entry(title="示例县公开通知二", body="第二份公开文件。"),
    "policy/draft.md": entry(
        title=f"草稿{CANARIES['draft']}",
        body=f"{CANARIES['draft']} 草稿正文",
        status="draft",
        secrecy="pending",
        secrecy_on=None,
        approved=None,
        extra=_attach("draft-only.txt", "草稿附件"),
    ),
    "files/draft-only.txt": f"草稿附件 {CANARIES['draft']}\n",
    "policy/embargo.md": entry(
        title=f"未到发布日期{CANARIES['embargoed']}",
        body=f"{CANARIES['embargoed']} 正文",
        date_published="2027-03-01",
        extra=_attach("embargo-only.csv", "未到期附件"),
    ),
    "files/embargo-only.csv": f"项目,金额\n{CANARIES['embargoed']},1\n",
    "policy/onreq.md": entry(
        title=f"依申请公开{CANARIES['on_request']}",
        body=f"{CANARIES['on_request']} 正文",
        disclosure="on_request",
    ),
}


def keygen(path: Path, comment: str) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)], check=True
    )
    return path


def verify(dest: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli(dest.parent, "verify", str(dest), *args, env_extra=env)


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def needles(canary: str) -> list[bytes]:
    forms = {
        canary,
        canary.lower(),
        json.dumps(canary)[1:-1],
        urllib.parse.quote(canary),
        canary.encode("unicode_escape").decode(),
    }
    return [f.encode("utf-8") for f in forms] + [f.encode("utf-16-le") for f in forms]


def zim_leaks(path: Path, canary: str) -> list[str]:
    """Every ZIM entry (site files, metadata, the Xapian indexes) whose path, title or bytes hold
    the canary, and "<file>" when the raw file does."""
    from libzim.reader import Archive

    wanted = needles(canary)
    archive = Archive(path)
    hits = ["<file>"] if any(n in path.read_bytes() for n in wanted) else []
    for i in range(archive.all_entry_count):
        e = archive._get_entry_by_id(i)
        data = b"" if e.is_redirect else bytes(e.get_item().content)
        if canary.lower() in (e.path + e.title).lower() or any(n in data for n in wanted):
            hits.append(e.path)
    for key in archive.metadata_keys:
        if any(n in bytes(archive.get_metadata(key)) for n in wanted):
            hits.append(f"M/{key}")
    return hits


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """A project with published and unpublished entries; the office's key and a stranger's
    (outside the project); a signed mirror, an unsigned one, and two fresh ZIM exports."""
    base = tmp_path_factory.mktemp("kiosk-auth")
    project = make_project(base, FILES)
    keys = base / "keys"
    keys.mkdir()
    office, other = keygen(keys / "office", "示例县 镜像签名"), keygen(keys / "other", "stranger")
    signed, unsigned = base / "usb" / "signed", base / "usb" / "unsigned"
    made = run_cli(project, "mirror", str(signed), "--key", str(office))
    assert made.returncode == 0, made.stdout + made.stderr
    assert "已用本单位私钥签名" in made.stdout
    plain = run_cli(project, "mirror", str(unsigned))
    assert plain.returncode == 0, plain.stderr
    assert "注意：镜像没有签名（未配置私钥" in plain.stdout
    zims = []
    for name in ("a.zim", "b.zim"):
        out = base / "zim" / name
        done = run_cli(project, "zim", str(out))
        assert done.returncode == 0, done.stderr
        zims.append(out)
    return {
        "project": project,
        "office": office,
        "other": other,
        "signed": signed,
        "unsigned": unsigned,
        "zims": zims,
        "base": base,
    }


def copy_of(kiosk, name: str) -> Path:
    dest = kiosk["base"] / "copies" / name
    shutil.copytree(kiosk["signed"], dest, symlinks=True)
    return dest


# ---- a signed mirror, checked ------------------------------------------------------------------


def test_signed_mirror_verifies_against_the_office_key(kiosk):
    dest, office = kiosk["signed"], kiosk["office"]
    assert (dest / "tagmanifest-sha256.txt.sig").read_text().startswith("-----BEGIN SSH SIGNATURE-----")
    bagit.Bag(str(dest)).validate()  # still a valid bag for any BagIt tool
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-f", f"{office}.pub"], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    rotation = kiosk["base"] / "keys" / "both.pub"  # while a key is replaced: old and new listed
    rotation.write_text(Path(f"{kiosk['other']}.pub").read_text() + Path(f"{office}.pub").read_text())
    allowed = kiosk["base"] / "keys" / "allowed_signers"
    allowed.write_text(f'office@example namespaces="gongkai-mirror" {Path(f"{office}.pub").read_text()}')
    for args, env in (
        (["--pubkey", f"{office}.pub"], None),
        ([], {"GONGKAI_MIRROR_PUBKEY": f"{office}.pub"}),
        (["--pubkey", str(rotation)], None),
        (["--pubkey", str(allowed)], None),
    ):
        ok = verify(dest, *args, env=env)
        assert ok.returncode == 0, (args, ok.stdout + ok.stderr)
        lines = ok.stdout.splitlines()
        assert lines[0].startswith(f"校验通过：{dest} 共 ")
        assert lines[1] == f"签名有效：清单由本单位密钥（ED25519 {fingerprint}）签名，镜像自签名后未被改动。"


def _edit_page(dest: Path) -> None:
    page = dest / PAGE
    page.write_bytes(page.read_bytes().replace("正文".encode(), "伪造".encode(), 1))
    bagit.Bag(str(dest)).save(manifests=True)


def _add_page(dest: Path) -> None:
    (dest / "data/policy/forged.html").write_text("<p>伪造的通知</p>", encoding="utf-8")
    bagit.Bag(str(dest)).save(manifests=True)


def _remove_attachment(dest: Path) -> None:
    (dest / "data/files/public.txt").unlink()
    page = dest / PAGE
    page.write_text(
        page.read_text(encoding="utf-8").replace("files/public.txt", "index.html"), encoding="utf-8"
    )
    bagit.Bag(str(dest)).save(manifests=True)


def _edit_bag_info(dest: Path) -> None:
    bag = bagit.Bag(str(dest))
    bag.info["Gongkai-Build-Date"] = "2030-01-01"
    bag.save()


def _replace_landing_page(dest: Path) -> None:
    (dest / "index.html").write_text(
        '<meta http-equiv="refresh" content="0; url=https://evil.example/">', encoding="utf-8"
    )
    bagit.Bag(str(dest)).save()


def _add_tag_file(dest: Path) -> None:
    (dest / "readme.html").write_text("<p>请访问 evil.example</p>", encoding="utf-8")
    bagit.Bag(str(dest)).save()


def _rewrite_tagmanifest_only(dest: Path) -> None:
    path = dest / "tagmanifest-sha256.txt"
    path.write_text(path.read_text(encoding="utf-8") + "0" * 64 + " extra.txt\n", encoding="utf-8")


@pytest.mark.parametrize(
    "tamper",
    [
        _edit_page,
        _add_page,
        _remove_attachment,
        _edit_bag_info,
        _replace_landing_page,
        _add_tag_file,
        _rewrite_tagmanifest_only,
    ],
)
def test_a_copy_edited_and_rehashed_fails_the_signature(kiosk, tamper):
    dest = copy_of(kiosk, tamper.__name__)
    tamper(dest)
    if tamper is not _rewrite_tagmanifest_only:
        bagit.Bag(str(dest)).validate()  # the hashes alone are consistent again: only the signature can tell
    for args in (["--pubkey", f"{kiosk['office']}.pub"], []):  # a broken signature fails even without a key
        bad = verify(dest, *args)
        assert bad.returncode == 1, (args, bad.stdout + bad.stderr)
        lines = bad.stderr.splitlines()
        assert (
            "签名无效：tagmanifest-sha256.txt 与签名文件 tagmanifest-sha256.txt.sig 不符。"
            "镜像在签名之后被改动过（即使每个文件都与清单一致，清单本身也已被改写），或签名已损坏。" in lines
        )
        assert lines[-1].endswith("，签名无效。请勿使用此镜像，处理办法见 docs/kiosk.md。")
        assert "校验通过" not in bad.stdout + bad.stderr and "Traceback" not in bad.stderr


def _resign_with(key: Path, dest: Path) -> None:
    data = (dest / "tagmanifest-sha256.txt").read_bytes()
    sig = subprocess.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-f", str(key), "-n", "gongkai-mirror"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    (dest / "tagmanifest-sha256.txt.sig").write_bytes(sig)


def test_a_copy_resigned_by_another_key_fails_and_without_a_key_says_it_is_unproved(kiosk):
    dest = copy_of(kiosk, "resigned")
    _edit_page(dest)
    _resign_with(kiosk["other"], dest)
    bad = verify(dest, "--pubkey", f"{kiosk['office']}.pub")
    assert bad.returncode == 1
    assert any(
        line.startswith("签名无效：镜像由另一个密钥（ED25519 SHA256:")
        and f"不是所给的本单位公钥 {kiosk['office']}.pub" in line
        for line in bad.stderr.splitlines()
    ), bad.stderr
    unproved = verify(dest)  # no key configured: hashes decide, and the output says origin is not proved
    assert unproved.returncode == 0, unproved.stderr
    assert (
        "签名未核验：任何人都能用自己的密钥签名，只有与本单位公钥核对才能证明镜像来自本单位。"
        in unproved.stdout
    )


def _delete_signature(dest: Path) -> None:
    (dest / "tagmanifest-sha256.txt.sig").unlink()


def _signature_from_another_namespace(dest: Path) -> None:  # the office key, signing "a file", not a mirror
    key = dest.parent.parent / "keys" / "office"
    data = (dest / "tagmanifest-sha256.txt").read_bytes()
    sig = subprocess.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-f", str(key), "-n", "file"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    (dest / "tagmanifest-sha256.txt.sig").write_bytes(sig)


def _garbage_signature(dest: Path) -> None:
    (dest / "tagmanifest-sha256.txt.sig").write_text(
        "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"
    )


def _signature_symlink(dest: Path) -> None:
    sig = dest / "tagmanifest-sha256.txt.sig"
    saved = dest.parent / f"{dest.name}.sig"
    shutil.move(sig, saved)
    sig.symlink_to(saved)


@pytest.mark.parametrize(
    "tamper,message",
    [
        (
            _delete_signature,
            "签名缺失：镜像中没有签名文件 tagmanifest-sha256.txt.sig，无法证明镜像来自本单位、未被改动。",
        ),
        (_signature_from_another_namespace, "签名无效：tagmanifest-sha256.txt 与签名文件"),
        (_garbage_signature, "签名无效：tagmanifest-sha256.txt 与签名文件"),
        (
            _signature_symlink,
            "签名文件 tagmanifest-sha256.txt.sig 被替换（符号链接、目录或过大），签名无效。",
        ),
    ],
)
def test_a_missing_or_foreign_signature_fails_when_a_key_is_given(kiosk, tamper, message):
    dest = copy_of(kiosk, tamper.__name__)
    tamper(dest)
    bad = verify(dest, "--pubkey", f"{kiosk['office']}.pub")
    assert bad.returncode == 1, bad.stdout
    assert any(line.startswith(message) for line in bad.stderr.splitlines()), bad.stderr
    assert bad.stderr.splitlines()[-1].endswith("，签名无效。请勿使用此镜像，处理办法见 docs/kiosk.md。")


def test_an_unsigned_mirror_says_so_and_fails_when_a_key_is_given(kiosk):
    dest = kiosk["unsigned"]
    assert not (dest / "tagmanifest-sha256.txt.sig").exists()
    plain = verify(dest)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[1].startswith(
        "注意：此镜像没有签名。上面的校验只能证明文件与清单一致，不能证明镜像来自本单位"
    )
    strict = verify(dest, "--pubkey", f"{kiosk['office']}.pub")
    assert strict.returncode == 1
    assert "签名缺失：镜像中没有签名文件 tagmanifest-sha256.txt.sig" in strict.stderr


@pytest.mark.parametrize("case", ["inside-mirror", "private-key", "missing", "not-a-key"])
def test_a_public_key_that_proves_nothing_is_refused(kiosk, case):
    dest = copy_of(kiosk, f"pubkey-{case}")
    if case == "inside-mirror":  # whoever edits the mirror could replace a key kept in it
        pubkey = dest / "office.pub"
        shutil.copy(f"{kiosk['office']}.pub", pubkey)
        expected = f"公钥 {pubkey} 在被校验的镜像之中"
    elif case == "private-key":
        pubkey, expected = kiosk["office"], f"{kiosk['office']} 是私钥，不是公钥"
    elif case == "missing":
        pubkey, expected = dest.parent / "nope.pub", f"公钥文件 {dest.parent / 'nope.pub'} 不存在"
    else:
        pubkey = dest.parent / "notes.pub"
        pubkey.write_text("这里本应是公钥\n", encoding="utf-8")
        expected = f"公钥文件 {pubkey} 中没有 OpenSSH 公钥"
    bad = verify(dest, "--pubkey", str(pubkey))
    assert bad.returncode == 1
    assert expected in bad.stderr and "Traceback" not in bad.stderr
    assert "校验通过" not in bad.stdout


# ---- the private key stays out of the repository and the mirror --------------------------------


@pytest.mark.parametrize("place", ["content", "project", "mirror", "public-half", "missing", "env"])
def test_mirror_refuses_a_private_key_in_the_repository_or_the_mirror(kiosk, place):
    project = kiosk["project"]
    dest = copy_of(kiosk, f"key-{place}")
    before = tree(dest)
    env = None
    if place in ("content", "env"):
        key = project / "content" / "files" / f"office-{place}"
        expected = f"签名私钥 {key} 位于内容仓库 {project} 中"
    elif place == "project":
        key, expected = project / "office", f"签名私钥 {project / 'office'} 位于内容仓库 {project} 中"
    elif place == "mirror":
        key, expected = dest / "office", f"签名私钥 {dest / 'office'} 位于镜像目录 {dest} 中"
    elif place == "public-half":
        key, expected = Path(f"{kiosk['office']}.pub"), "是公钥：签名要用私钥"
    else:
        key, expected = dest.parent / "no-such-key", f"签名私钥 {dest.parent / 'no-such-key'} 不存在"
    if place not in ("public-half", "missing"):
        shutil.copy(kiosk["office"], key)
        os.chmod(key, 0o600)
    try:
        args = ["mirror", str(dest)] + ([] if place == "env" else ["--key", str(key)])
        if place == "env":
            env = {"GONGKAI_MIRROR_KEY": str(key)}
        result = run_cli(project, *args, env_extra=env)
    finally:
        if key.is_relative_to(project) or key.is_relative_to(dest):
            key.unlink()
    assert result.returncode == 1, result.stdout
    assert expected in result.stderr and "镜像未更新，原有镜像未改动。" in result.stderr
    assert tree(dest) == before
    assert [p.name for p in dest.parent.iterdir() if p.name.startswith(f".{dest.name}.")] == []


def test_mirror_refuses_when_the_private_key_would_be_published(tmp_path):
    """A copy of the key kept as a published attachment: the mirror would carry the secret."""
    key = keygen(tmp_path / "office", "示例县")
    project = make_project(
        tmp_path,
        {
            "policy/ok.md": entry(title="示例县公开通知", extra=_attach("key.txt", "说明")),
            "files/key.txt": key.read_bytes(),
        },
    )
    dest = tmp_path / "m"
    result = run_cli(project, "mirror", str(dest), "--key", str(key))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"签名私钥 {key} 出现在镜像中（data/files/key.txt）：私钥绝不能随镜像发出。" in result.stderr
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.")] == []


# ---- only what the gate published, in the mirror and in the ZIM --------------------------------


def test_mirror_and_zim_hold_no_byte_of_an_unpublished_entry(kiosk, tmp_path):
    from_mirror = tmp_path / "from-mirror.zim"
    done = run_cli(
        kiosk["project"],
        "zim",
        str(from_mirror),
        "--from",
        str(kiosk["signed"]),
        "--pubkey",
        f"{kiosk['office']}.pub",
    )
    assert done.returncode == 0, done.stderr
    mirrors = [BuiltSite(kiosk["project"], kiosk[name], 0, "", "") for name in ("signed", "unsigned")]
    zims = [*kiosk["zims"], from_mirror]
    for site in mirrors:
        assert site.leaks(PUBLIC) != []  # the scan sees the site (it could fail)
    for path in zims:
        assert zim_leaks(path, PUBLIC) != []
    for state, canary in CANARIES.items():
        for site in mirrors:
            assert site.leaks(canary) == [], (state, site.output)
        for path in zims:
            assert zim_leaks(path, canary) == [], (state, path)


def test_zim_from_a_mirror_that_fails_its_signature_is_refused(kiosk, tmp_path):
    dest = copy_of(kiosk, "zim-tampered")
    _edit_page(dest)
    out = tmp_path / "x.zim"
    result = run_cli(
        kiosk["project"], "zim", str(out), "--from", str(dest), "--pubkey", f"{kiosk['office']}.pub"
    )
    assert result.returncode == 1
    assert "签名无效" in result.stderr and "镜像未通过校验，未导出 ZIM。" in result.stderr
    assert not out.exists() and not out.with_name("x.zim.tmp").exists()


def test_two_zim_exports_of_the_same_site_are_byte_identical(kiosk):
    from libzim.reader import Archive

    a, b = kiosk["zims"]
    assert a.read_bytes() == b.read_bytes()
    archive = Archive(a)
    assert archive.check()  # the rewritten UUIDs and checksum still make a valid ZIM
    assert archive.has_fulltext_index and archive.has_title_index
    from libzim.search import Query, Searcher

    found = Searcher(archive).search(Query().set_query(PUBLIC.lower()))
    assert "policy/ok-one.html" in list(found.getResults(0, 10))


# ---- staging folders: permissions, a full disk ---------------------------------------------------


def test_mirror_staging_and_output_folders_get_the_umask_permissions(kiosk, tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    dirs, files = 0o777 & ~umask, 0o666 & ~umask
    dest = kiosk["signed"]
    modes = {stat_mode for p in dest.rglob("*") if p.is_dir() for stat_mode in [p.stat().st_mode & 0o777]}
    assert modes | {dest.stat().st_mode & 0o777} == {dirs}
    assert {p.stat().st_mode & 0o777 for p in dest.rglob("*") if p.is_file()} == {files}
    # while a mirror is being made, its staging folders beside DEST are not mode 700 either
    marker = tmp_path / "paused"
    target = tmp_path / "m"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, GONGKAI_MIRROR_PAUSE=f"staging:{marker}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "mirror", str(target)],
        cwd=kiosk["project"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the mirror never reached the pause point"
        staging = sorted(p for p in tmp_path.iterdir() if p.name.startswith(".m.") and p.is_dir())
        assert [p.name.split("-")[0] for p in staging] == [".m.build", ".m.new"]
        assert {p.stat().st_mode & 0o777 for p in staging} == {dirs}
    finally:
        proc.kill()
        proc.wait()


def _blocks_kib(root: Path) -> int:
    return sum(p.lstat().st_blocks for p in root.rglob("*")) // 2


@pytest.mark.parametrize(
    "command,room", [("mirror", "64k"), ("mirror", "300k"), ("zim", "300k"), ("zim", "site")]
)
def test_a_full_disk_is_a_message_naming_the_folder_and_leaves_nothing(kiosk, tmp_path, command, room):
    """The output folder on a small tmpfs (in a private mount namespace): the command fails in
    Chinese, names the folder, and leaves no staging folder or partial file on the full disk.
    "site": room for the built site but not for the ZIM too, so libzim is the one to hit the wall."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = f"{_blocks_kib(kiosk['signed'] / 'data') + 40}k" if room == "site" else room
    target = disk / ("m" if command == "mirror" else "site.zim")
    script = (
        f"mount -t tmpfs -o size={size} tmpfs {disk} && cd {kiosk['project']} && "
        f"SOURCE_DATE_EPOCH={EPOCH} {sys.executable} -m gongkai_cli {command} {target}; "
        f"echo \"RC=$?\" >&2; ls -A {disk} | sed 's/^/LEFT:/' >&2"
    )
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    err = done.stderr
    assert "RC=1" in err, done.stdout + err
    assert "Traceback" not in err and "程序内部错误" not in err
    assert "磁盘空间不足" in err and str(disk) in err, err
    if room == "site":
        assert f"写入 ZIM 文件 {target} 失败：磁盘空间不足（{disk} 所在的磁盘已满）" in err
    assert [line for line in err.splitlines() if line.startswith("LEFT:")] == []
