"""The 财政局 pages with nothing kept: the departments' figures are computed together
(``summaries.summarise_years``), in a fixed number of queries for the whole city-year,
and are the very figures each department's own summary gives (``summarise_year``).

The city mixes departments in different states: a year with ledger and undated lines,
one with an earlier year (the spending profile, last year's goals), one without goals,
one monitored under other rules, one with many lines and payments, goals
submitted / approved, a 全年预计执行数 stated, 整改 overdue, a 抽查 scored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.services import spot_checks
from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus, WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from jixiao.web.summaries import summarise_year, summarise_years
from jixiao.web.views import bureau as bureau_views
from tests.web.conftest import PASSWORD, YEAR, department_text, sized_text, store_text


def _without_goals(text: str) -> str:
    return text[: text.index("\ngoals:")] + "\n"


def _year_before(text: str) -> str:
    return text.replace("year: 2024", "year: 2023").replace("2024-", "2023-")


def _city(small_year_text: str, departments: int = 5) -> list[m.FiscalYear]:
    def text(code: str) -> str:
        return department_text(small_year_text, code, f"{code}局")

    store_text(_year_before(text("d2")))
    years = [
        store_text(text("d1")),
        store_text(text("d2")),
        store_text(_without_goals(text("d3"))),
        store_text(text("d4")),
        store_text(sized_text(text("d5"), 6, 4)),
    ]
    for n in range(6, departments + 1):
        years.append(store_text(text(f"d{n}")))
    m.FiscalYear.objects.filter(pk=years[3].pk).update(monitoring_rules="monitoring-absolute")
    goals = m.PerformanceGoal.objects.filter(fiscal_year=years[0], project__isnull=False)
    goals.update(declaration_status=WorkflowStatus.approved)
    goals.filter(project__code="P001").update(evaluation_status=WorkflowStatus.submitted)
    m.PerformanceGoal.objects.filter(fiscal_year=years[1]).update(
        declaration_status=WorkflowStatus.submitted
    )
    goal = m.PerformanceGoal.objects.get(fiscal_year=years[1], project__code="P001")
    m.StatedForecast.objects.create(goal=goal, date=date(YEAR, 4, 30), amount=Decimal(3_000_000))
    m.Rectification.objects.create(
        fiscal_year=years[4], issue="逾期未整改", deadline=date(YEAR, 3, 1),
        status=RectificationStatus.in_progress,
    )  # fmt: skip
    [check] = spot_checks.draw_at_random(YEAR, 1, 1, "财政局")
    m.BureauScore.objects.create(
        spot_check=check, item="decision-goal", score=Decimal(2), framework_version="2020.1",
        user_name="财政局",
    )  # fmt: skip
    return years


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_of",
    [date(YEAR, 5, 20), date(YEAR, 7, 31), date(YEAR, 12, 31)],
    ids=["mid-month", "month-end", "year-end"],
)
def test_the_figures_computed_together_are_each_department_s_own(
    small_year_text: str, as_of: date
) -> None:
    years = _city(small_year_text)
    together = summarise_years([fy.pk for fy in years], as_of)
    assert set(together) == {fy.pk for fy in years}
    for fy in years:
        alone = summarise_year(fy.department.code, YEAR, as_of)
        assert together[fy.pk] == alone, fy.department.code
        assert bureau_views._figures(together[fy.pk]) == bureau_views._figures(alone)
    d1, d2, d3, d4 = (together[fy.pk] for fy in years[:4])
    # the states the city was built with do show
    assert d1.monitoring is not None and d1.grade is not None
    assert d2.monitoring is not None and d2.monitoring.profile != d1.monitoring.profile
    assert d3.grade is None or d3.grade.total != d1.grade.total
    assert d4.monitoring is not None and d4.monitoring.result.rules != d1.monitoring.result.rules


@pytest.mark.django_db
def test_the_cold_pages_run_as_many_queries_for_five_departments_as_for_eight(
    small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the test's transaction nothing is kept: every department is computed."""
    monkeypatch.setattr(bureau_views.timezone, "localdate", lambda: date(YEAR + 1, 3, 1))
    _city(small_year_text, departments=5)
    client = Client()
    client.force_login(create_account("bureau-cold", Role.bureau, PASSWORD).user)
    pages = (f"/bureau/{YEAR}/", f"/bureau/{YEAR}/ranking/", f"/bureau/{YEAR}/queue/")

    def counts() -> list[int]:
        found = []
        for path in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    five = counts()
    for n in (6, 7, 8):
        store_text(department_text(small_year_text, f"d{n}", f"d{n}局"))
    assert "d8局" in client.get(pages[0]).content.decode()
    assert counts() == five


@pytest.fixture
def emptied_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _table(client: Client) -> str:
    page = client.get(f"/bureau/{YEAR}/").content.decode()
    table = page[page.index('id="departments"') :]
    return table[: table.index("</table>")]


@pytest.mark.django_db(transaction=True)
def test_the_first_request_computes_the_missing_departments_together_and_keeps_each(
    small_year_text: str, monkeypatch: pytest.MonkeyPatch, emptied_cache: None
) -> None:
    """Committed data, nothing kept: the first request computes every department in one
    go; after a change to one department only that one is computed again, alone or not."""
    monkeypatch.setattr(bureau_views.timezone, "localdate", lambda: date(YEAR + 1, 3, 1))
    years = _city(small_year_text, departments=6)
    computed: list[set[int]] = []
    together = bureau_views.summarise_years

    def counted(ids: set[int], as_of: date) -> object:
        computed.append(set(ids))
        return together(ids, as_of)

    monkeypatch.setattr(bureau_views, "summarise_years", counted)
    client = Client()
    client.force_login(create_account("bureau-cold", Role.bureau, PASSWORD).user)
    first = _table(client)
    assert computed == [{fy.pk for fy in years}]
    assert client.get(f"/bureau/{YEAR}/ranking/").status_code == 200  # figures kept
    assert computed == [{fy.pk for fy in years}]
    m.BudgetLine.objects.filter(fiscal_year=years[2], code="L01").update(name="改名")
    again = _table(client)
    assert computed[1:] == [{years[2].pk}]
    assert again == first  # the name is not on the page; the figures are unchanged
    payment = m.Payment.objects.filter(budget_line__fiscal_year=years[2]).first()
    assert payment is not None
    m.Payment.objects.filter(pk=payment.pk).update(amount=payment.amount + Decimal(1_000_000))
    changed = _table(client)
    assert computed[2:] == [{years[2].pk}] and changed != first

