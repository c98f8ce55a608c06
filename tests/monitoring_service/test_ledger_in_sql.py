"""The ledger is summed by the database, and the sums are the sums."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.core.forecast import DEFAULT_PROFILE, cumulative_shares
from jixiao.core.money import ZERO
from jixiao.services.monitoring import (
    history_profile,
    ledger_execution,
    monitor_stored_year,
    monthly_execution,
)
from jixiao.storage import models as m
from tests.conftest import DEMO
from tests.monitoring_service.ledger import EARLIER_YEAR, store, store_ledger_year

pytestmark = pytest.mark.django_db


def _python_sums(fiscal_year: m.FiscalYear, as_of: date) -> dict[str, list[Decimal]]:
    """The same sums recomputed row by row (what the service must not do)."""
    sums: dict[str, list[Decimal]] = {}
    for line in fiscal_year.budget_lines.all():
        months = [ZERO] * 12
        for payment in line.payments.all():
            if payment.date <= as_of:
                months[payment.date.month - 1] += payment.amount
        sums[line.code] = months
    return sums


def _add_random_ledger(fiscal_year: m.FiscalYear, count: int, seed: int) -> None:
    rng = random.Random(seed)
    lines = list(fiscal_year.budget_lines.filter(executed__isnull=True))
    start = date(fiscal_year.year, 1, 1)
    payments = []
    for _ in range(count):
        refund = rng.random() < 0.1
        cents = rng.randint(1, 5_000_000)
        payments.append(m.Payment(
            budget_line=rng.choice(lines),
            date=start + timedelta(days=rng.randint(0, 365)),
            amount=Decimal(-cents if refund else cents) / 100,
            is_refund=refund,
        ))  # fmt: skip
    m.Payment.objects.bulk_create(payments)


def test_the_monthly_sums_equal_a_row_by_row_recomputation_with_refunds() -> None:
    fiscal_year = store_ledger_year()
    _add_random_ledger(fiscal_year, 600, seed=7)
    for as_of in (date(2024, 1, 31), date(2024, 7, 15), date(2024, 7, 31), date(2024, 12, 31)):
        expected = _python_sums(fiscal_year, as_of)
        lines = monthly_execution(fiscal_year, as_of)
        assert {line.code: list(line.monthly) for line in lines} == {
            code: months for code, months in expected.items() if code != "B02"
        }


def test_it_counts_a_refund_in_the_month_it_was_made() -> None:
    lines = {line.code: line for line in monthly_execution(store_ledger_year(), date(2024, 7, 31))}
    assert lines["L01"].monthly[6] == Decimal("250000.00")  # 25.5 − 0.5 万元
    assert lines["L01"].executed_through(7) == Decimal("950000")


def test_payments_after_the_date_are_left_out_even_within_its_month() -> None:
    lines = {line.code: line for line in monthly_execution(store_ledger_year(), date(2024, 7, 30))}
    assert lines["L02"].monthly[6] == ZERO
    assert lines["L02"].executed_through(12) == Decimal("600000")


def _grouped(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "GROUP BY" in q["sql"].upper() and f'FROM "{table}"' in q["sql"]
    ]


def test_whole_months_are_read_from_the_kept_sums_not_the_payments() -> None:
    fiscal_year = store_ledger_year()
    with CaptureQueriesContext(connection) as queries:
        monthly_execution(fiscal_year, date(2024, 7, 31))
    assert _grouped(queries, "storage_payment") == []
    assert any("jixiao_line_month_sum" in q["sql"] for q in queries.captured_queries)
    assert len(_grouped(queries, "storage_budgetadjustment")) == 1  # the later adjustments


def test_part_of_a_month_is_summed_from_that_month_s_payments_only() -> None:
    fiscal_year = store_ledger_year()
    with CaptureQueriesContext(connection) as queries:
        monthly_execution(fiscal_year, date(2024, 7, 15))
    (grouped,) = [q["sql"] for q in queries.captured_queries if "storage_payment" in q["sql"]
                  and "GROUP BY" in q["sql"].upper()
                  and "jixiao_line_month_sum" not in q["sql"]]  # fmt: skip
    assert "SUM(" in grouped.upper() and "2024-07-01" in grouped


def test_a_line_with_only_an_executed_total_is_left_out_with_a_warning() -> None:
    ledger = ledger_execution(store_ledger_year(), date(2024, 7, 31))
    assert "B02" not in {line.code for line in ledger.lines}
    (finding,) = ledger.findings
    assert finding.id == "line-without-ledger"
    assert "B02" in finding.message and "决算口径" in finding.message


def test_a_line_without_payments_or_total_is_monitored_with_nothing_spent() -> None:
    lines = {line.code: line for line in monthly_execution(store_ledger_year(), date(2024, 7, 31))}
    assert lines["L03"].monthly == (ZERO,) * 12


def test_the_profile_comes_from_the_earlier_years_project_ledger() -> None:
    store(EARLIER_YEAR)
    profile = history_profile(store_ledger_year())
    assert profile.years == (2023,)
    monthly = [ZERO] * 12
    monthly[2], monthly[5], monthly[11] = Decimal(100000), Decimal(200000), Decimal(700000)
    assert profile.shares == cumulative_shares(monthly)  # 基本支出 B01 is left out
    assert profile.source == "本部门2023年支出台账"


def test_without_an_earlier_ledger_the_default_profile_is_used() -> None:
    assert history_profile(store_ledger_year()) is DEFAULT_PROFILE


def test_the_latest_indicator_progress_on_or_before_the_date_is_used() -> None:
    store_ledger_year()
    july = monitor_stored_year("jc-dept", 2024, date(2024, 7, 31)).result.indicators
    june = monitor_stored_year("jc-dept", 2024, date(2024, 7, 30)).result.indicators
    october = monitor_stored_year("jc-dept", 2024, date(2024, 10, 31)).result.indicators
    assert (july[0].progress, july[0].progress_as_of) == ("2个", date(2024, 7, 31))
    assert july[0].likelihood is not None and july[0].likelihood.value == "有可能"
    assert (june[0].progress, june[0].progress_as_of) == ("1个", date(2024, 6, 30))
    assert october[0].progress == "4个"
    assert july[1].progress is None  # no progress recorded: shown as not reported


def test_a_year_of_published_totals_only_says_it_cannot_be_monitored_by_month() -> None:
    store(DEMO.read_text(encoding="utf-8"))
    report = monitor_stored_year("liwan-ghzy", 2023, date(2023, 7, 31))
    assert report.result.projects == () and report.forecasts == ()
    assert report.result.department.light is None
    assert [f.id for f in report.result.findings][:1] == ["year-without-lines"]
