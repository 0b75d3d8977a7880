"""The office's signature on a mirror, made and checked with OpenSSH's `ssh-keygen -Y`.

What is signed: the bag's tag manifest, `tagmanifest-sha256.txt`. It holds the SHA-256 of
bagit.txt, bag-info.txt (site, build date, source commit), the landing page and
manifest-sha256.txt, which holds the SHA-256 of every file of the site; `verify` re-hashes every
file against those manifests and refuses any file they do not list. So no file of a mirror can
change, appear or go without either a hash or the signature failing — in particular a copy edited
and then "re-hashed" (its manifests recomputed) no longer matches the signature.

The signature (`tagmanifest-sha256.txt.sig`, an armored SSH signature) is the only file of a
mirror that no manifest lists. Namespace `gongkai-mirror`: a signature the same key made for
anything else (git commits, files: other namespaces) is never taken for a mirror's.

Checking needs the office's public key, kept on the kiosk outside the mirror (a key inside the
copy being checked would prove nothing): a file of OpenSSH public key lines (`ssh-ed25519 AAAA…
comment`), or an allowed_signers file whose key parts are taken. Several keys may be listed (while a
key is being replaced). No Pelican here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import GongkaiError

NAMESPACE = "gongkai-mirror"
PRINCIPAL = "gongkai-mirror"  # the identity the allowed_signers file made for a check names
SIGNED = "tagmanifest-sha256.txt"
SIGNATURE = SIGNED + ".sig"
MAX_SIGNATURE = 64 * 1024
MAX_PUBKEY_FILE = 256 * 1024
KEY_ENV = "GONGKAI_MIRROR_KEY"  # the private key that `mirror` signs with
PUBKEY_ENV = "GONGKAI_MIRROR_PUBKEY"  # the public key(s) that `verify` checks against
_KEY_TYPE = re.compile(
    r"(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|"
    r"sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)"
)
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,3}")
_GOOD = re.compile(r"with (\S+) key (SHA256:[A-Za-z0-9+/=]+)")


class SignatureError(GongkaiError):
    """The mirror could not be signed, or the public key could not be read."""


def ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if not found:
        raise SignatureError(
            "找不到 ssh-keygen，无法签名或核验镜像：请安装 OpenSSH 客户端"
            "（Debian/Ubuntu：apt-get install openssh-client；scripts/bootstrap 会安装）。"
        )
    return found


def _tail(text: str) -> str:
    """ssh-keygen's own words, one line, without terminal controls (they reach our output)."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and "@@@" not in line]
    line = " ".join(lines[-3:])
    return "".join(ch for ch in line if ch.isprintable())[:300]


# ---- signing ----------------------------------------------------------------------------------


def sign(key: Path, data: bytes) -> bytes:
    """The armored signature of `data` by the private key file `key` (ssh-keygen asks for its
    passphrase on the terminal when it has one)."""
    try:
        done = subprocess.run(
            [ssh_keygen(), "-q", "-Y", "sign", "-f", str(key), "-n", NAMESPACE],
            input=data,
            capture_output=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SignatureError(f"签名超时：ssh-keygen 在等待私钥 {key} 的口令？") from exc
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or b"-----BEGIN SSH SIGNATURE-----" not in done.stdout:
        if "UNPROTECTED PRIVATE KEY FILE" in err or "are too open" in err:
            why = (
                f"私钥文件 {key} 的权限过宽（其他用户可读），ssh-keygen 拒绝使用。请运行 chmod 600 {key}；"
                "在 FAT/exFAT 格式的 U 盘上无法设置权限，请用 ext4 格式的 U 盘，或挂载时加 fmask=0177"
            )
        elif "passphrase" in err:
            why = f"私钥 {key} 的口令不正确（或没有终端可以输入口令）"
        else:
            why = f"ssh-keygen 无法用 {key} 签名：{_tail(err) or '未知原因'}"
        raise SignatureError(f"镜像签名失败：{why}。镜像未更新，原有镜像未改动。")
    return done.stdout


def key_problem(key: Path, forbidden: dict[str, Path]) -> str | None:
    """Why `key` may not be used to sign, or None. `forbidden` names folders (label -> path) a
    private key must never be in: the content repository, the mirror."""
    if not key.is_file():
        return f"签名私钥 {key} 不存在或不是文件"
    real = key.resolve()
    for label, folder in forbidden.items():
        try:
            inside = real.is_relative_to(folder.resolve())
        except OSError:
            inside = False
        if inside:
            return (
                f"签名私钥 {key} 位于{label} {folder} 中：私钥不得放在仓库或镜像里（会被提交、拷贝或发布）。"
                "请把它移到仓库之外（如只在签名时插上的 U 盘），见 docs/kiosk.md"
            )
    head = key.read_bytes()[:200]
    if head.lstrip().startswith((b"ssh-", b"ecdsa-", b"sk-")):
        return f"{key} 是公钥：签名要用私钥（没有 .pub 后缀的那个文件），公钥给查阅点用于核验"
    return None


# ---- checking ---------------------------------------------------------------------------------


def read_public_keys(path: Path) -> list[str]:
    """The `type base64` parts of every public key in `path` (public key or allowed_signers lines)."""
    try:
        if path.stat().st_size > MAX_PUBKEY_FILE:
            raise SignatureError(f"公钥文件 {path} 过大，不像公钥文件")
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise SignatureError(f"公钥文件 {path} 不存在") from exc
    except IsADirectoryError as exc:
        raise SignatureError(f"公钥文件 {path} 是目录，应为 .pub 文件") from exc
    if "PRIVATE KEY" in text:
        raise SignatureError(
            f"{path} 是私钥，不是公钥：查阅点只需要公钥（.pub 文件）。私钥不要拷贝到查阅点，"
            "已经拷贝的请删除并按 docs/kiosk.md 更换密钥"
        )
    keys = []
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue
        tokens = line.split()
        for i, token in enumerate(tokens[:-1]):
            if _KEY_TYPE.fullmatch(token) and _BASE64.fullmatch(tokens[i + 1]):
                keys.append(f"{token} {tokens[i + 1]}")
                break
    if not keys:
        raise SignatureError(
            f"公钥文件 {path} 中没有 OpenSSH 公钥（应有形如“ssh-ed25519 AAAA… 单位名”的一行）"
        )
    return keys


@dataclass(frozen=True)
class SignatureCheck:
    state: str  # good | unsigned | bad (missing with a key given, or not matching) | untrusted | unchecked

    # unsigned / unchecked (a signature, but no public key to check it against) do not fail a check;
    # bad always does, untrusted (another key) does.
    message: str
    key: str = ""  # "ED25519 SHA256:…" of the key that made the signature, when known

    @property
    def ok(self) -> bool:
        return self.state == "good"

    @property
    def failed(self) -> bool:
        return self.state in ("bad", "untrusted")


def _run_check(args: list[str], data: bytes) -> tuple[bool, str]:
    try:
        done = subprocess.run(
            [ssh_keygen(), "-Y", *args], input=data, capture_output=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired:
        return False, ""
    out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    m = _GOOD.search(out)
    return done.returncode == 0 and m is not None, f"{m.group(1)} {m.group(2)}" if m else ""


def check(directory: Path, pubkey: Path | None) -> SignatureCheck:
    """Check the signature of the mirror in `directory` against `pubkey` (None: none given)."""
    sig_path, signed_path = directory / SIGNATURE, directory / SIGNED
    if not sig_path.exists() and not sig_path.is_symlink():
        if pubkey is None:
            return SignatureCheck(
                "unsigned",
                "注意：此镜像没有签名。上面的校验只能证明文件与清单一致，不能证明镜像来自本单位："
                "改动文件后重新生成清单的镜像同样能通过。制作时请用 --key 签名，"
                "查阅点用 --pubkey 核验（见 docs/kiosk.md）。",
            )
        return SignatureCheck(
            "bad", f"签名缺失：镜像中没有签名文件 {SIGNATURE}，无法证明镜像来自本单位、未被改动。"
        )
    if sig_path.is_symlink() or not sig_path.is_file() or sig_path.stat().st_size > MAX_SIGNATURE:
        return SignatureCheck("bad", f"签名文件 {SIGNATURE} 被替换（符号链接、目录或过大），签名无效。")
    if signed_path.is_symlink() or not signed_path.is_file():
        return SignatureCheck("bad", f"签名无效：{SIGNED} 缺失或被替换。")
    data = signed_path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="gongkai-verify-") as tmp:
        sig = Path(tmp) / "sig"
        sig.write_bytes(sig_path.read_bytes())
        intact, key = _run_check(["check-novalidate", "-n", NAMESPACE, "-s", str(sig)], data)
        if not intact:  # evidence of tampering, whether or not a public key was given
            return SignatureCheck(
                "bad",
                f"签名无效：{SIGNED} 与签名文件 {SIGNATURE} 不符。镜像在签名之后被改动过"
                "（即使每个文件都与清单一致，清单本身也已被改写），或签名已损坏。",
            )
        if pubkey is None:
            return SignatureCheck(
                "unchecked",
                f"注意：此镜像有签名（{key}），但未提供本单位公钥（--pubkey 或环境变量 "
                "GONGKAI_MIRROR_PUBKEY），签名未核验：任何人都能用自己的密钥签名，"
                "只有与本单位公钥核对才能证明镜像来自本单位。",
                key,
            )
        if pubkey.resolve().is_relative_to(directory.resolve()):
            return SignatureCheck(
                "bad",
                f"公钥 {pubkey} 在被校验的镜像之中：这样的公钥证明不了什么（改动镜像的人可以一并替换它）。"
                "请使用查阅点自己保存的本单位公钥。",
            )
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(
            "".join(f'{PRINCIPAL} namespaces="{NAMESPACE}" {k}\n' for k in read_public_keys(pubkey)),
            encoding="utf-8",
        )
        good, _ = _run_check(
            ["verify", "-f", str(allowed), "-I", PRINCIPAL, "-n", NAMESPACE, "-s", str(sig)], data
        )
    if good:
        return SignatureCheck("good", f"签名有效：清单由本单位密钥（{key}）签名，镜像自签名后未被改动。", key)
    return SignatureCheck(
        "untrusted",
        f"签名无效：镜像由另一个密钥（{key}）签名，不是所给的本单位公钥 {pubkey}。"
        "这不是本单位制作的镜像（或本单位已更换密钥而查阅点的公钥未更新）。",
        key,
    )


def configured(option: str | None, env: str) -> Path | None:
    """The path from the command-line option, else from the environment variable, else None."""
    value = option or os.environ.get(env, "")
    return Path(value).expanduser() if value else None
