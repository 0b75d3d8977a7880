"""`invoke status`: what waits for which reviewer, and what is embargoed until when."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai_build.readcache import stores
from gongkai_core import clock
from gongkai_core.site import load_site

ROLES = (
    ("drafted", "拟稿"),
    ("section", "科室负责人审核"),
    ("secrecy", "保密审查"),
    ("approved", "单位主要负责人审定"),
)


def collect(content: Path, columns: dict[str, str], signoff_policy=None, links_config=None) -> dict:
    today = clock.build_date()
    site = load_site(
        content,
        today,
        columns or None,
        project_root=Path.cwd(),
        signoff_policy=signoff_policy,
        links_config=links_config,
        **stores(Path.cwd(), read=False),
    )
    waiting: dict[str, list[dict]] = {key: [] for key, _ in ROLES}
    embargoed, refused = [], []
    for entry in sorted(site.entries, key=lambda e: e.path):
        step = entry.review.waiting_step()
        item = {
            "path": entry.path,
            "title": entry.title,
            "index_no": entry.index_no,
            "publisher": entry.publisher,
            "status": entry.review.status,
        }
        if step is not None and entry.disclosure == "proactive":
            prior = [so for _k, _z, so in entry.review.steps() if so is not None]
            since = max((so.on for so in prior), default=entry.date_written)
            item["since"] = since.isoformat()
            item["days"] = (today - since).days
            waiting[step].append(item)
        elif entry.review.secrecy == "failed" and entry.review.status != "withdrawn":
            refused.append(item)
        elif site.verdicts[entry.path].embargoed_until and step is None:
            item["until"] = entry.date_published.isoformat()
            embargoed.append(item)
    return {
        "build_date": today.isoformat(),
        "waiting": waiting,
        "embargoed": embargoed,
        "secrecy_failed": refused,
        "invalid": sorted(site.invalid_paths),
    }


def run_status(
    content: Path, columns: dict[str, str], as_json: bool = False, signoff_policy=None, links_config=None
) -> int:
    data = collect(content, columns, signoff_policy, links_config)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    print(f"审核待办（截至 {data['build_date']}）")
    for key, zh in ROLES:
        items = data["waiting"][key]
        print(f"\n【待{zh}】{len(items)} 条")
        for item in items:
            print(f"  {item['path']}  {item['title']}（{item['publisher']}，已等待 {item['days']} 天）")
    print(f"\n【保密审查未通过，不会公开】{len(data['secrecy_failed'])} 条")
    for item in data["secrecy_failed"]:
        print(f"  {item['path']}  {item['title']}（{item['publisher']}）")
    print(f"\n【已审定，待到发布日期】{len(data['embargoed'])} 条")
    for item in data["embargoed"]:
        print(f"  {item['path']}  {item['title']}  将于 {item['until']} 公开")
    if data["invalid"]:
        print(f"\n【有错误，须先修改】{len(data['invalid'])} 个文件（invoke check 查看详情）")
        for path in data["invalid"]:
            print(f"  {path}")
    return 0
