"""The build date: SOURCE_DATE_EPOCH when set, else now; always in Asia/Shanghai.

SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) must be what
`date +%s` prints: ASCII decimal digits only, no sign, no spaces, no fraction or exponent. Any
other value is an error (ClockError, a Chinese message naming the variable), never a silent
fallback to "now": a build that was meant to be reproducible must not quietly become one that
is not. Set but empty is an error too (a CI script whose `$(git log -1 --format=%ct)` printed
nothing); to build with today's date, unset the variable.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .errors import GongkaiError

SITE_TZ = ZoneInfo("Asia/Shanghai")
VARIABLE = "SOURCE_DATE_EPOCH"
# 2999-12-31 23:59:59 in Asia/Shanghai: later dates are typing mistakes, and date arithmetic on a
# build date near year 9999 (deadlines, "years ago") would overflow.
MAX_EPOCH = 32503651199
_DIGITS = re.compile(r"[0-9]+")


class ClockError(GongkaiError):
    """SOURCE_DATE_EPOCH is set but is no valid time."""


def _shown(value: str) -> str:
    """The value as a terminal may print it: controls escaped, cut at 40 characters."""
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    return text if len(text) <= 40 else text[:40] + "…"


def epoch_problem(value: str) -> str | None:
    """Why `value` is no valid SOURCE_DATE_EPOCH, or None when it is."""
    if value == "":
        why = "为空"
    elif not _DIGITS.fullmatch(value):
        why = "不是十进制整数（只能是 0-9 的数字，不能有正负号、空格、小数点或指数）"
    elif len(value) > 20 or int(value) > MAX_EPOCH:
        why = f"超出允许的范围（最大 {MAX_EPOCH}，即 2999-12-31）"
    else:
        return None
    return (
        f"环境变量 {VARIABLE} 的值“{_shown(value)}”无效：{why}。它应为从 1970-01-01 00:00 UTC 起的秒数，"
        f"与 date +%s 的输出相同，如 1793505600；不需要固定构建日期时请取消它（unset {VARIABLE}）。"
    )


def build_datetime(environ: dict | None = None) -> datetime:
    env = os.environ if environ is None else environ
    epoch = env.get(VARIABLE)
    if epoch is None:
        return datetime.now(tz=SITE_TZ)
    problem = epoch_problem(epoch)
    if problem:
        raise ClockError(problem)
    return datetime.fromtimestamp(int(epoch), tz=UTC).astimezone(SITE_TZ)


def build_date(environ: dict | None = None) -> date:
    return build_datetime(environ).date()


def check_environment(environ: dict | None = None) -> None:
    """Raise ClockError now if SOURCE_DATE_EPOCH is malformed (commands call this first)."""
    build_datetime(environ)
