"""The gate rule on its own: published only when every condition holds, a reason otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gongkai_core import clock, gate
from gongkai_core.entry import Entry, Review, SignOff

D = date.fromisoformat


def make(**kw) -> Entry:
    review = Review(
        "approved",
        "passed",
        SignOff("张三", D("2025-01-20")),
        SignOff("李四", D("2025-01-21")),
        SignOff("王五", D("2025-01-22")),
        SignOff("赵六", D("2025-01-23")),
    )
    base = Entry(
        path="content/policy/x.md",
        source_kind="markdown",
        slug="x",
        title="t",
        index_no="SL0000001/2025-00001",
        publisher="p",
        column="policy",
        date_written=D("2025-01-20"),
        date_published=D("2025-02-01"),
        disclosure="proactive",
        review=review,
    )
    return replace(base, **kw)


TODAY = D("2026-11-01")


def test_approved_entry_is_published():
    assert gate.decide(make(), TODAY) == gate.Verdict("published")


@pytest.mark.parametrize(
    "change,reason",
    [
        ({"disclosure": "on_request"}, "公开属性为依申请公开，不主动公开"),
        ({"disclosure": "not_disclosed"}, "公开属性为不予公开"),
    ],
)
def test_disclosure(change, reason):
    verdict = gate.decide(make(**change), TODAY)
    assert verdict.state == "withheld" and verdict.reasons == (reason,)


@pytest.mark.parametrize("status,reason", [("draft", "审核状态为草稿"), ("in_review", "审核中，尚未审定")])
def test_status(status, reason):
    entry = make()
    entry = replace(entry, review=replace(entry.review, status=status))
    assert gate.decide(entry, TODAY).reasons == (reason,)


@pytest.mark.parametrize("secrecy,reason", [("pending", "保密审查尚未完成"), ("failed", "保密审查未通过")])
def test_secrecy(secrecy, reason):
    entry = make()
    entry = replace(entry, review=replace(entry.review, secrecy=secrecy))
    assert gate.decide(entry, TODAY).reasons == (reason,)


@pytest.mark.parametrize(
    "step,zh",
    [("drafted", "拟稿"), ("section", "科室审核"), ("secrecy_signoff", "保密审查"), ("approved", "审定")],
)
def test_each_missing_signoff(step, zh):
    entry = make()
    entry = replace(entry, review=replace(entry.review, **{step: None}))
    assert gate.decide(entry, TODAY).reasons == (f"缺少{zh}签字",)


def test_signoffs_out_of_order():
    entry = make()
    entry = replace(entry, review=replace(entry.review, section=SignOff("李四", D("2025-01-19"))))
    assert gate.decide(entry, TODAY).reasons == ("科室审核日期 2025-01-19 早于拟稿日期 2025-01-20",)


def test_published_before_approval():
    verdict = gate.decide(make(date_published=D("2025-01-22")), TODAY)
    assert verdict.reasons == ("发布日期 2025-01-22 早于审定日期 2025-01-23",)


def test_embargo_until_date_published():
    entry = make(date_published=D("2026-11-02"))
    verdict = gate.decide(entry, TODAY)
    assert verdict.state == "withheld"
    assert verdict.embargoed_until == D("2026-11-02")
    assert verdict.reasons == ("发布日期 2026-11-02 尚未到（构建日期 2026-11-01）",)
    assert gate.decide(entry, D("2026-11-02")).published


def test_withdrawn_after_publication_leaves_a_notice():
    entry = make()
    entry = replace(entry, review=replace(entry.review, status="withdrawn", withdrawn_on=D("2025-03-01")))
    assert gate.decide(entry, TODAY).state == "withdrawn"


def test_withdrawn_that_was_never_public_leaves_nothing():
    entry = make(disclosure="on_request")
    entry = replace(entry, review=replace(entry.review, status="withdrawn"))
    assert gate.decide(entry, TODAY).state == "withheld"


def test_build_date_from_source_date_epoch_in_shanghai():
    # 2026-10-31 16:30 UTC is already 2026-11-01 in Asia/Shanghai
    assert clock.build_date({"SOURCE_DATE_EPOCH": "1793464200"}) == D("2026-11-01")
    assert clock.build_date({"SOURCE_DATE_EPOCH": "1793464199"}) == D("2026-11-01")
    assert clock.build_date({"SOURCE_DATE_EPOCH": "1793462399"}) == D("2026-10-31")
