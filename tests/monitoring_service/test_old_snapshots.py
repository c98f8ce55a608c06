"""A snapshot frozen before budgets-as-of, rate indicators and forecast bases reads as stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jixiao.core.forecast import ProfileBasis
from jixiao.core.monitoring_report import freeze_report, thaw_report
from jixiao.services.monitoring import monitor_stored_year
from tests.monitoring_service.ledger import EARLIER_YEAR, store, store_ledger_year

pytestmark = pytest.mark.django_db


def _older(data: dict[str, Any]) -> dict[str, Any]:
    """The frozen report without the keys added since (as an older version wrote it)."""
    for progress in [data["department"], *data["sources"], *data["projects"]]:
        del progress["current_budget"]
    for status in data["indicators"]:
        del status["rate"]
    extra = data["report"]
    del extra["rounding_note"], extra["profile"]["basis"]
    for forecast in extra["forecasts"]:
        del forecast["profile_basis"]
    for line in extra["lines"]:
        del line["current_budget"]
    return data


def test_an_older_snapshot_thaws_with_what_it_stored() -> None:
    store(EARLIER_YEAR)
    store_ledger_year()
    report = monitor_stored_year("jc-dept", 2024, date(2024, 7, 31))
    older = thaw_report(_older(freeze_report(report)))
    assert older.result.projects[0].final_budget == report.result.projects[0].final_budget
    assert not any(p.adjusted_later for p in older.result.projects)
    assert not any(s.rate for s in older.result.indicators)
    assert [f.projected for f in older.forecasts] == [f.projected for f in report.forecasts]
    assert all(f.profile_basis is None for f in older.forecasts)
    assert older.profile.basis is ProfileBasis.department  # it has years: the department's
    assert older.rounding_note is False


def test_a_new_snapshot_thaws_to_the_same_report() -> None:
    store(EARLIER_YEAR)
    store_ledger_year()
    report = monitor_stored_year("jc-dept", 2024, date(2024, 7, 31))
    assert thaw_report(freeze_report(report)) == report
