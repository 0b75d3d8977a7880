"""The build date: SOURCE_DATE_EPOCH when set, else now; always in Asia/Shanghai."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Asia/Shanghai")


def build_datetime(environ: dict | None = None) -> datetime:
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch not in (None, ""):
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(SITE_TZ)
    return datetime.now(tz=SITE_TZ)


def build_date(environ: dict | None = None) -> date:
    return build_datetime(environ).date()
