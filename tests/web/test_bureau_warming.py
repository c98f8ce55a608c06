"""The worker computes the 财政局 pages' per-department parts ahead of the first request
(``web.warming``): after it has run, the bureau workspace and ranking compute no
department's summary, and their query counts do not grow with the number of departments.

These tests commit (``transaction=True``): inside a transaction nothing is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.storage import models as m
from jixiao.web import warming
from jixiao.web.views import bureau as bureau_views
from jixiao.web.warming import BureauWarmer
from tests.web.conftest import YEAR, World, department_text, store_text

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = (f"/bureau/{YEAR}/", f"/bureau/{YEAR}/ranking/")
TODAY = date(YEAR + 1, 3, 1)  # the year is past: its pages are shown at 31 December


@pytest.fixture
def kept_world(world: World) -> Iterator[World]:
    cache.clear()
    yield world
    cache.clear()


def _no_summaries(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a department's summary was computed by the request")

    monkeypatch.setattr(bureau_views, "summarise_year", refuse)
    monkeypatch.setattr(bureau_views, "summarise_years", refuse)


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_after_the_warm_up_the_bureau_pages_compute_no_department(
    kept_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bureau_views.timezone, "localdate", lambda: TODAY)
    warmer = BureauWarmer()
    assert warmer(TODAY) == 2  # both departments of the year
    assert warmer(TODAY) == 0  # nothing changed since
    bureau = kept_world.client("bureau")
    with monkeypatch.context() as patched:
        _no_summaries(patched)
        page = bureau.get(PAGES[0]).content.decode()
        assert "测试区测试局" in page
        ranking = bureau.get(PAGES[1]).content.decode()
        assert 'id="ranking"' in ranking and "测试区测试局" in ranking
    m.BudgetLine.objects.filter(fiscal_year=kept_world.fiscal_year).update(name="改名")
    assert warmer(TODAY) == 1  # only the changed department
    with monkeypatch.context() as patched:
        _no_summaries(patched)
        assert bureau.get(PAGES[0]).status_code == 200


def test_the_warm_up_stops_after_its_time_and_goes_on_at_the_next_call(
    kept_world: World,
) -> None:
    warmer = BureauWarmer()
    assert warmer(TODAY, seconds=0) == 1
    assert warmer(TODAY, seconds=0) == 1
    assert warmer(TODAY) == 0


def test_the_kept_bureau_pages_run_as_many_queries_for_three_departments_as_for_two(
    kept_world: World, small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bureau_views.timezone, "localdate", lambda: TODAY)
    admin = kept_world.client("admin")
    warmer = BureauWarmer()
    warmer(TODAY)
    for path in PAGES:
        admin.get(path)  # the whole kept as well
    two = [_count(admin, path) for path in PAGES]
    store_text(department_text(small_year_text, "third-dept", "第三局"))
    warmer(TODAY)
    for path in PAGES:
        assert "第三局" in admin.get(path).content.decode()
    # the page around the kept whole: the same queries however many departments
    assert [_count(admin, path) for path in PAGES] == two
    # and with the whole to put together again from the kept parts (a changed department)
    m.Department.objects.filter(code="third-dept").update(name="第三局（改）")
    warmer(TODAY)
    three = [_count(admin, path) for path in PAGES]
    m.Department.objects.filter(code="third-dept").update(name="第三局")
    store_text(department_text(small_year_text, "fourth-dept", "第四局"))
    warmer(TODAY)
    assert [_count(admin, path) for path in PAGES] == three


def test_a_failing_department_does_not_keep_the_others_of_its_chunk_from_being_computed(
    kept_world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    failing = kept_world.fiscal_year.pk
    real = warming.department_row

    def row(fy: m.FiscalYear, *args: Any) -> object:
        if fy.pk == failing:
            raise RuntimeError("broken department")
        return real(fy, *args)

    monkeypatch.setattr(warming, "department_row", row)
    warmer = BureauWarmer()
    with caplog.at_level(logging.ERROR, logger=warming.__name__):
        assert warmer(TODAY) == 1  # the other department of the chunk
    logged = [record.getMessage() for record in caplog.records]
    assert logged == [f"预先计算财政局页面：部门年度 {failing} 未能计算"]
    assert warmer(TODAY) == 0  # not tried again until it changes: the page computes it


def test_the_time_left_is_looked_at_before_each_chunk_and_sizes_it(
    kept_world: World, small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock that moves one second for each department computed: the first chunk is one
    department (the pace unknown), the next as many as the time left allows."""
    store_text(department_text(small_year_text, "third-dept", "第三局"))
    clock = [0.0]
    sizes: list[int] = []
    real_figures, real_row = warming.computed_figures, warming.department_row

    def figures(ids: list[int], *args: Any) -> object:
        sizes.append(len(ids))
        return real_figures(ids, *args)

    def row(*args: Any) -> object:
        clock[0] += 1
        return real_row(*args)

    monkeypatch.setattr(warming, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(warming, "computed_figures", figures)
    monkeypatch.setattr(warming, "department_row", row)
    warmer = BureauWarmer()
    assert warmer(TODAY, seconds=1.5) == 2  # a second chunk begun with time left, none after
    assert sizes == [1, 1]
    assert warmer(TODAY, seconds=0) == 1  # one at least, whatever the time
    store_text(department_text(small_year_text, "fourth-dept", "第四局"))
    m.BudgetLine.objects.filter(fiscal_year=kept_world.fiscal_year).update(name="改名")
    sizes.clear()
    assert warmer(TODAY, seconds=100) == 2
    assert sizes == [2]  # together: the time left holds both at the pace measured
