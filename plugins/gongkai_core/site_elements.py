"""The site-level elements an inspection looks for (国办秘函〔2019〕19号), as GONGKAI_SITE_ELEMENTS:

    party_mark        the 党政机关网站标识's verification address (https://…), shown as a link in the footer
    party_mark_image  optional: the mark's image, a file under the theme's static folder (img/…)
    error_report      the 找错 entry (“我为政府网站找错”): an address
    consult           the 咨询建言 channel: an address (https://…, mailto:…) or a postal address as text
    service           the 办事 entry (政务服务网): an address
    web_report        the 政府网站工作年度报表: the 网址名 (slug) of a page in content/pages/

The theme shows them in the footer; `invoke audit` reports the missing ones. No Pelican.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .errors import ConfigProblem

SETTING = "GONGKAI_SITE_ELEMENTS"
LABELS = {
    "party_mark": "党政机关网站标识",
    "party_mark_image": "党政机关网站标识图片",
    "error_report": "找错",
    "consult": "咨询建言",
    "service": "办事服务",
    "web_report": "政府网站工作年度报表",
}
ADDRESS = re.compile(r"https?://[^\s<>\"']+")
MAIL = re.compile(r"mailto:[^\s<>\"']+@[^\s<>\"']+")
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def is_link(value: str) -> bool:
    """Whether the theme shows `value` as a link (else as text: a postal address)."""
    return bool(ADDRESS.fullmatch(value) or MAIL.fullmatch(value))


def problems(value, theme_static: Path | None = None) -> list[ConfigProblem]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [ConfigProblem(SETTING, value, "应为 {要素: 值} 的字典，要素见 docs/editing.md“网站基本要素”")]
    found = []
    for key, item in value.items():
        where = f"{SETTING}[{key!r}]"
        if key not in LABELS:
            close = difflib.get_close_matches(str(key), list(LABELS), n=1, cutoff=0.6)
            hint = (
                f"是否应为“{close[0]}”？"
                if close
                else "可用：" + "、".join(f"{k}（{v}）" for k, v in LABELS.items())
            )
            found.append(ConfigProblem(where, item, f"未知的网站要素。{hint}"))
        elif not isinstance(item, str) or not item.strip():
            found.append(ConfigProblem(where, item, f"{LABELS[key]}应为一段文字（不用时删去这一项）"))
        elif key in ("party_mark", "error_report", "service") and not ADDRESS.fullmatch(item):
            found.append(ConfigProblem(where, item, f"{LABELS[key]}应为以 https:// 或 http:// 开头的网址"))
        elif key == "consult" and item.startswith(("http", "mailto")) and not is_link(item):
            found.append(
                ConfigProblem(where, item, "咨询建言应为网址（https://…）、邮箱（mailto:…）或通信地址")
            )
        elif key == "web_report" and not SLUG.fullmatch(item):
            found.append(
                ConfigProblem(
                    where, item, "应为 content/pages/ 中年度报表页面的网址名（slug），如 web-report-2025"
                )
            )
        elif key == "party_mark_image":
            path = (theme_static / item) if theme_static is not None else None
            if (
                ".." in Path(item).parts
                or Path(item).is_absolute()
                or (path is not None and not path.is_file())
            ):
                found.append(
                    ConfigProblem(where, item, "应为主题 static 目录中的图片文件，如 img/party-mark.png")
                )
    return found
