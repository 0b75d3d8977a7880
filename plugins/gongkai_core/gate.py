"""The publication gate: one pure rule, a reason for every refusal. Fail closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .entry import Entry

PUBLISHED = "published"
WITHDRAWN = "withdrawn"  # was public; leaves a notice page with none of its content
WITHHELD = "withheld"


@dataclass(frozen=True)
class Verdict:
    state: str  # published | withdrawn | withheld
    reasons: tuple[str, ...] = ()
    embargoed_until: date | None = None

    @property
    def published(self) -> bool:
        return self.state == PUBLISHED


def _signoff_reasons(entry: Entry) -> list[str]:
    reasons = []
    previous = None
    for _key, zh, so in entry.review.steps():
        if so is None:
            reasons.append(f"缺少{zh}签字")
            continue
        if previous and so.on < previous[1]:
            reasons.append(f"{zh}日期 {so.on} 早于{previous[0]}日期 {previous[1]}")
        previous = (zh, so.on)
    approved = entry.review.approved
    if approved and entry.date_published < approved.on:
        reasons.append(f"发布日期 {entry.date_published} 早于审定日期 {approved.on}")
    return reasons


def decide(entry: Entry, build_date: date) -> Verdict:
    """Published only when every condition of DESIGN.md holds; otherwise say why.
    Withdrawn is decided from the entry, never from a message: its review status is `withdrawn`
    and every other condition holds (it was public, so it leaves a notice page)."""
    review = entry.review
    disclosure: list[str] = []
    if entry.disclosure != "proactive":
        disclosure.append(
            {"on_request": "公开属性为依申请公开，不主动公开", "not_disclosed": "公开属性为不予公开"}.get(
                entry.disclosure, "公开属性不是主动公开"
            )
        )
    status: list[str] = []
    if review.status != "approved":
        status.append(
            {"draft": "审核状态为草稿", "in_review": "审核中，尚未审定", "withdrawn": "已撤回"}.get(
                review.status, f"审核状态“{review.status}”不是已审定"
            )
        )
    others: list[str] = []  # every condition after the review status
    if review.secrecy != "passed":
        others.append(
            {"pending": "保密审查尚未完成", "failed": "保密审查未通过"}.get(review.secrecy, "保密审查未通过")
        )
    others.extend(_signoff_reasons(entry))
    embargo = None
    if entry.date_published > build_date:
        embargo = entry.date_published
        others.append(f"发布日期 {entry.date_published} 尚未到（构建日期 {build_date}）")
    reasons = (*disclosure, *status, *others)
    if not reasons:
        return Verdict(PUBLISHED)
    if review.status == "withdrawn" and not disclosure and not others:
        return Verdict(WITHDRAWN, reasons)
    return Verdict(WITHHELD, reasons, embargo)
