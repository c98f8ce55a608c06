"""The ledger's sums are kept between requests and recomputed as soon as the ledger changes.

These tests commit (``transaction=True``): inside a transaction the cache is bypassed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import FIRST, YEAR, first_department_text, store_text

from jixiao.services.monitoring import monitor_stored_year
from jixiao.services.reading import department_year, ledger_totals
from jixiao.services.versioned_cache import ledger_version
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fiscal_year(small_year_text: str) -> Iterator[m.FiscalYear]:
    cache.clear()
    yield store_text(first_department_text(small_year_text))
    cache.clear()


def _sums_run(run: object) -> int:
    """How many times a call sums the ledger: reads the monthly sums the triggers keep,
    or groups the payments."""
    with CaptureQueriesContext(connection) as queries:
        assert callable(run)
        run()
    return sum(
        "FROM jixiao_line_month_sum" in q["sql"]
        or ("GROUP BY" in q["sql"] and "storage_payment" in q["sql"])
        for q in queries
    )


def _l01(fiscal_year: m.FiscalYear) -> Decimal:
    line = next(x for x in department_year(FIRST, YEAR).lines if x.code == "L01")
    assert line.executed is not None
    return line.executed


def test_the_sums_are_kept_while_the_ledger_is_unchanged(fiscal_year: m.FiscalYear) -> None:
    assert _sums_run(lambda: ledger_totals(fiscal_year)) == 1
    assert _sums_run(lambda: ledger_totals(fiscal_year)) == 0
    as_of = date(YEAR, 10, 31)
    # monitoring: the year's sums by line and month (the department has no earlier year,
    # whose sums would be read for the profile, not kept)
    assert _sums_run(lambda: monitor_stored_year(FIRST, YEAR, as_of)) == 1
    assert _sums_run(lambda: monitor_stored_year(FIRST, YEAR, as_of)) == 0
    assert _sums_run(lambda: monitor_stored_year(FIRST, YEAR, date(YEAR, 9, 30))) == 1


def test_an_added_or_removed_payment_is_counted_at_once(fiscal_year: m.FiscalYear) -> None:
    as_of = date(YEAR, 10, 31)

    def l01_in_october() -> Decimal:
        report = monitor_stored_year(FIRST, YEAR, as_of)
        line = next(x for x in report.lines if x.code == "L01")
        return line.monthly[9]

    assert _l01(fiscal_year) == Decimal("1100000.00")  # 40 + 70.5 - 0.5 万元
    assert l01_in_october() == Decimal("-5000.00")
    line = m.BudgetLine.objects.get(fiscal_year=fiscal_year, code="L01")
    added = m.Payment.objects.create(budget_line=line, date=date(YEAR, 10, 9), amount=1234)
    assert _l01(fiscal_year) == Decimal("1101234.00")
    assert l01_in_october() == Decimal("-3766.00")
    # removing one and adding another of the same amount on another date
    added.delete()
    m.Payment.objects.create(budget_line=line, date=date(YEAR, 11, 9), amount=1234)
    assert l01_in_october() == Decimal("-5000.00")
    m.Payment.objects.filter(budget_line=line, date=date(YEAR, 11, 9)).delete()
    assert _l01(fiscal_year) == Decimal("1100000.00")


def test_every_change_to_the_ledger_changes_its_version(fiscal_year: m.FiscalYear) -> None:
    line = m.BudgetLine.objects.get(fiscal_year=fiscal_year, code="L01")
    start = ledger_version()
    assert start is not None  # the triggers are in place
    payment = m.Payment.objects.create(budget_line=line, date=date(YEAR, 5, 5), amount=1)
    after_insert = ledger_version()
    m.Payment.objects.filter(pk=payment.pk).update(amount=2)
    after_update = ledger_version()
    with connection.cursor() as cursor:  # not through the ORM at all
        cursor.execute("DELETE FROM storage_payment WHERE id = %s", [payment.pk])
    after_delete = ledger_version()
    assert len({start, after_insert, after_update, after_delete}) == 4


def test_without_the_triggers_nothing_is_kept(
    fiscal_year: m.FiscalYear, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.services import versioned_cache

    monkeypatch.setattr(versioned_cache, "_ledger_years_in_place", lambda triggers: False)
    assert _sums_run(lambda: ledger_totals(fiscal_year)) == 1
    assert _sums_run(lambda: ledger_totals(fiscal_year)) == 1


def test_inside_a_transaction_nothing_is_kept(fiscal_year: m.FiscalYear) -> None:
    from django.db import transaction

    with transaction.atomic():
        assert _sums_run(lambda: ledger_totals(fiscal_year)) == 1
        assert _sums_run(lambda: ledger_totals(fiscal_year)) == 1
