"""`invoke audit`: run the compliance rules (gongkai_core.audit) and write the report.

Writes <report>/index.html (for leaders, printable) and <report>/audit.json (for tools).
Exit 1 when a binding rule fails; with --strict also when a binding rule cannot be decided
(a missing holiday calendar, no built site to check). Settings: GONGKAI_AUDIT in pelicanconf.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gongkai_build.readcache import stores
from gongkai_core import audit, audit_html, clock, git_history, requests_register, tree
from gongkai_core.site import load_site


def _settings(settings_file: str) -> dict:
    from pelican.settings import read_settings

    return read_settings(settings_file)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def run_audit(content: Path, settings_file: str, site: Path | None, report_dir: Path, strict: bool) -> int:
    settings = _settings(settings_file)
    columns = settings.get("GONGKAI_COLUMNS") or {}
    config = audit.config_from_settings(settings.get("GONGKAI_AUDIT"), settings.get("ISSUER"))
    from gongkai_gate.settings import links_config

    from .check import signoff_policy

    loaded = load_site(
        content,
        clock.build_date(),
        columns or None,
        project_root=Path.cwd(),
        **stores(Path.cwd(), read=False),
        signoff_policy=signoff_policy(settings_file, uncommitted_as_current_user=False),
        links_config=links_config(settings),
        index_codes=settings.get("GONGKAI_INDEX_CODES") or None,
    )
    # entry pages are where urls.entry_page puts them: the settings check refuses another ARTICLE_SAVE_AS
    register = requests_register.project_register(Path.cwd())  # requests/, never published
    report = audit.run_audit(
        loaded,
        columns,
        config,
        site,
        audit.default_page_path,
        register=register,
        structure=tree.from_settings(settings),
        elements=settings.get("GONGKAI_SITE_ELEMENTS") or {},
        history=git_history.first_seen(Path.cwd(), content.as_posix()),
    )
    _write(
        report_dir / "audit.json",
        json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )
    _write(report_dir / "index.html", audit_html.render(report, settings.get("SITENAME") or "", columns))
    print(f"合规自查（截至 {report.build_date}）：")
    for r in report.results:
        flag = "约束性" if r.rule.binding else "提示性"
        print(f"  [{audit.STATUS_ZH[r.status]}] {r.rule.title}（{flag}）：{r.summary}")
    for year in report.calendar["missing"]:
        print(
            f"注意：缺少{year}年的节假日安排，相关条目的工作日未计算。请按国务院办公厅当年的通知录入："
            f"invoke holidays add {year} --from 文件（不带 --from 运行可看到文件格式）。"
        )
    code = report.exit_code(strict)
    failed = report.binding_failures
    if failed:
        print(f"有 {len(failed)} 项约束性规则不通过：" + "、".join(r.rule.title for r in failed))
    elif strict and report.binding_unknown:
        print("严格模式：以下约束性规则无法判定：" + "、".join(r.rule.title for r in report.binding_unknown))
    print(f"报告：{report_dir / 'index.html'}（JSON：{report_dir / 'audit.json'}）")
    return code
