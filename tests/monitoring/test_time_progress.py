"""序时进度: elapsed days ÷ days in the year, or completed months ÷ 12."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.monitoring import MonitoringError, time_progress


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 1, 1), Decimal(1) / Decimal(365)),
        (date(2023, 7, 2), Decimal(183) / Decimal(365)),
        (date(2024, 2, 29), Decimal(60) / Decimal(366)),
        (date(2024, 7, 31), Decimal(213) / Decimal(366)),
        (date(2023, 12, 31), Decimal(1)),
        (date(2024, 12, 31), Decimal(1)),
    ],
)
def test_by_days_it_counts_the_as_of_day_as_elapsed_over_365_or_366(as_of, expected):
    assert time_progress(as_of.year, as_of, "days") == expected


@pytest.mark.parametrize(
    ("as_of", "completed_months"),
    [
        (date(2024, 1, 1), 0),
        (date(2024, 1, 31), 1),
        (date(2024, 2, 28), 1),  # a leap year: February is not over yet
        (date(2024, 2, 29), 2),
        (date(2023, 2, 28), 2),
        (date(2024, 7, 15), 6),
        (date(2024, 7, 31), 7),
        (date(2024, 12, 30), 11),
        (date(2024, 12, 31), 12),
    ],
)
def test_by_months_the_current_month_counts_only_on_its_last_day(as_of, completed_months):
    assert time_progress(as_of.year, as_of, "months") == Decimal(completed_months) / 12


def test_the_year_is_complete_on_the_thirty_first_of_december_either_way():
    assert time_progress(2024, date(2024, 12, 31), "days") == 1
    assert time_progress(2024, date(2024, 12, 31), "months") == 1


@pytest.mark.parametrize("as_of", [date(2023, 12, 31), date(2025, 1, 1)])
def test_a_date_outside_the_year_is_refused_in_chinese(as_of):
    with pytest.raises(MonitoringError, match=f"监控日期{as_of.isoformat()}不在2024年度内"):
        time_progress(2024, as_of, "days")


def test_an_unknown_basis_is_refused_in_chinese():
    with pytest.raises(MonitoringError, match="不认识的序时进度口径"):
        time_progress(2024, date(2024, 7, 31), "weeks")  # type: ignore[arg-type]
