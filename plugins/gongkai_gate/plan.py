"""The output allow-list of one build, filled from the gate's verdicts (gongkai_core.outputplan)."""

from __future__ import annotations

from pathlib import Path

from gongkai_core import application_form, gate, outputplan, tree, urls
from gongkai_core import columns as data_columns

from gongkai_build.build import Build


def output_plan(state: Build, settings) -> outputplan.OutputPlan:
    """Every file this build may write: shown entries' pages, downloads and declared files; withdrawn
    entries' notice pages; shown static pages; the theme's static files; the generated names."""
    plan = outputplan.OutputPlan()
    outputplan.column_patterns(plan, list(settings["GONGKAI_COLUMNS"]))
    outputplan.normative_outputs(plan)
    outputplan.structure_outputs(plan, tree.from_settings(settings))
    for entry in state.shown_entries():
        files = sorted({a.file for a in entry.attachments} | set(entry.linked_files))
        outputplan.entry_outputs(
            plan, entry.column, entry.slug, files, data_columns.get(entry.column) is not None
        )
    for entry in state.site.entries:
        if state.site.verdicts[entry.path].state == gate.WITHDRAWN:
            plan.allow(urls.entry_page(entry.column, entry.slug), f"撤回说明 {entry.column}/{entry.slug}")
    for page in state.site.pages:
        if page.status == "published" or state.preview:
            plan.allow(urls.page_page(page.slug), f"页面 {page.slug}")
            if application_form.offers_form(page.shows):
                plan.allow(urls.application_form_download(), "政府信息公开申请表（Word）")
    theme = Path(settings["THEME"])
    target = str(settings.get("THEME_STATIC_DIR") or "theme").strip("/")
    for folder in settings.get("THEME_STATIC_PATHS") or ["static"]:
        outputplan.static_outputs(plan, theme / folder, target, Path(settings["PATH"]))
    return plan
