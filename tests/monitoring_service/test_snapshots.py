"""Snapshots: the reported monitoring stays as it was when later payments arrive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.snapshots import thaw
from jixiao.services.monitoring import (
    compare_snapshots,
    list_snapshots,
    monitor_stored_year,
    snapshot_report,
    take_snapshot,
)
from jixiao.storage import models as m
from tests.monitoring_service.ledger import store_ledger_year

pytestmark = pytest.mark.django_db

JULY = date(2024, 7, 31)


def _late_payment(amount: str = "1000000.00") -> None:
    line = m.BudgetLine.objects.get(fiscal_year__year=2024, code="L01")
    m.Payment.objects.create(budget_line=line, date=date(2024, 7, 10), amount=Decimal(amount))


def test_a_snapshot_is_unchanged_after_new_payments_are_added() -> None:
    store_ledger_year()
    reported = monitor_stored_year("jc-dept", 2024, JULY, snapshot=True)
    assert reported.snapshot_id is not None
    _late_payment()  # a July payment entered in August
    again = monitor_stored_year("jc-dept", 2024, JULY)
    assert again.result.project("P01").executed == Decimal("1950000")
    frozen = snapshot_report(reported.snapshot_id)
    assert frozen == reported
    assert frozen.result.project("P01").executed == Decimal("950000")
    assert frozen.forecasts == reported.forecasts and frozen.plan == reported.plan


def test_compare_shows_what_changed_between_two_snapshots() -> None:
    store_ledger_year()
    before = monitor_stored_year("jc-dept", 2024, JULY, snapshot=True)
    _late_payment()
    after = monitor_stored_year("jc-dept", 2024, JULY, snapshot=True)
    assert before.snapshot_id is not None and after.snapshot_id is not None
    (change,) = compare_snapshots(before.snapshot_id, after.snapshot_id)
    assert change.project_code == "P01"
    assert change.executed_change == Decimal("1000000")
    assert (change.light_before, change.light_after) == (
        before.result.project("P01").light,
        after.result.project("P01").light,
    )


def test_the_stored_result_is_the_cores_frozen_form() -> None:
    store_ledger_year()
    report = monitor_stored_year("jc-dept", 2024, JULY)
    snapshot = take_snapshot(report)
    snapshot.refresh_from_db()
    assert thaw(snapshot.result) == report.result
    assert snapshot.rules == report.result.rules.name
    assert snapshot.as_of == JULY
    assert [s.id for s in list_snapshots("jc-dept", 2024)] == [snapshot.id]


def test_a_snapshot_cannot_be_modified() -> None:
    store_ledger_year()
    snapshot = take_snapshot(monitor_stored_year("jc-dept", 2024, JULY))
    snapshot.result["time_progress"] = "1"
    with pytest.raises(m.FrozenError):
        snapshot.save()
    stored = m.MonitoringSnapshot.objects.get(pk=snapshot.pk)
    assert stored.result["time_progress"] != "1"
