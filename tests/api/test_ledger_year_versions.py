"""Each fiscal year's ledger has its own version: a payment entered in one department
leaves every other department's kept sums and page parts valid.

These tests commit (``transaction=True``): inside a transaction the cache is bypassed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.test_versioned_cache import _sums_run
from tests.web.conftest import YEAR, World

from jixiao.services.reading import ledger_totals
from jixiao.services.versioned_cache import year_ledger_stamp
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db(transaction=True)

HOME = f"/d/test-dept/{YEAR}/"


@pytest.fixture
def kept_world(world: World) -> Iterator[World]:
    cache.clear()
    yield world
    cache.clear()


def _goal_reads(world: World) -> int:
    """Queries against the goals while 首页 is served (read only to build its part)."""
    with CaptureQueriesContext(connection) as queries:
        assert world.client("finance").get(HOME).status_code == 200
    return sum("storage_performancegoal" in q["sql"] for q in queries)


def _pay(line: m.BudgetLine, amount: int = 1) -> m.Payment:
    return m.Payment.objects.create(budget_line=line, date=date(YEAR, 6, 1), amount=amount)


def test_a_payment_of_another_department_leaves_the_kept_sums_and_parts(
    kept_world: World,
) -> None:
    mine = kept_world.fiscal_year
    assert _sums_run(lambda: ledger_totals(mine)) == 1
    _goal_reads(kept_world)
    assert _goal_reads(kept_world) == 0
    other_line = m.BudgetLine.objects.filter(fiscal_year=kept_world.other_year).first()
    assert other_line is not None
    _pay(other_line)
    assert _sums_run(lambda: ledger_totals(mine)) == 0
    assert _goal_reads(kept_world) == 0


def test_a_payment_of_the_year_renews_its_sums_and_parts(kept_world: World) -> None:
    mine = kept_world.fiscal_year
    before = year_ledger_stamp(mine.pk)
    ledger_totals(mine)
    _goal_reads(kept_world)
    _pay(kept_world.line("L01"))
    assert year_ledger_stamp(mine.pk) != before
    assert _sums_run(lambda: ledger_totals(mine)) == 1
    assert _goal_reads(kept_world) > 0


def test_updates_deletes_and_raw_sql_each_renew_the_years_version(kept_world: World) -> None:
    mine, other = kept_world.fiscal_year, kept_world.other_year
    payment = _pay(kept_world.line("L01"))
    stamps = [year_ledger_stamp(mine.pk)]
    m.Payment.objects.filter(pk=payment.pk).update(amount=2)
    stamps.append(year_ledger_stamp(mine.pk))
    other_before = year_ledger_stamp(other.pk)
    moved_to = m.BudgetLine.objects.filter(fiscal_year=other).first()
    assert moved_to is not None
    with connection.cursor() as cursor:  # moved to the other year: both years change
        cursor.execute(
            "UPDATE storage_payment SET budget_line_id = %s WHERE id = %s",
            [moved_to.pk, payment.pk],
        )
    stamps.append(year_ledger_stamp(mine.pk))
    assert year_ledger_stamp(other.pk) != other_before
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM storage_payment WHERE id = %s", [payment.pk])
    assert len({*stamps, year_ledger_stamp(mine.pk)}) == 3
    assert None not in stamps
