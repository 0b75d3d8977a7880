"""A port that cannot be listened on, said in Chinese: which address, why, which option changes it.

`serve` and `edit` both listen on 127.0.0.1; the usual cause is the other one (or a second copy of
the same command) already running on that port — the README's first command leaves `invoke serve`
running on 8000, where `invoke edit` starts by default.
"""

from __future__ import annotations

import errno
import socket

HOST = "127.0.0.1"

REASONS = {
    errno.EADDRINUSE: "端口已被占用",
    errno.EACCES: "没有权限使用这个端口（1024 以下的端口需要管理员权限）",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def reason(exc: OSError) -> str:
    return REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}")


def in_use_message(what: str, port: int, exc: OSError, option: str) -> str:
    """'无法在 127.0.0.1:8000 启动编辑器：端口已被占用……'"""
    hint = (
        "，例如已有一个 invoke serve 或 invoke edit 在运行。请先按 Ctrl+C 关闭它，"
        if exc.errno == errno.EADDRINUSE
        else "。请"
    )
    return f"无法在 {HOST}:{port} {what}：{reason(exc)}{hint}或用 {option} 换一个端口（如 {option} {port + 10 if port else 8010}）。"


def check_free(port: int) -> OSError | None:
    """None when `port` on 127.0.0.1 can be listened on now, else why not (for a port a child process
    will take: its own message would be English, or just an exit code)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            return exc
    return None
