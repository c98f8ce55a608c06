"""Each fiscal year's records have their own data version: editing one department leaves
every other department's kept parts valid, and the 财政局 pages compute again only the
department that changed.

These tests commit (``transaction=True``): inside a transaction the cache is bypassed.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, models
from tests.web.conftest import FIRST, OTHER, YEAR, World

from jixiao.services.versioned_cache import data_tables, year_stamp
from jixiao.storage import models as m
from jixiao.web.views import bureau as bureau_views

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept_world(world: World) -> Iterator[World]:
    cache.clear()
    yield world
    cache.clear()


def _owner(model: type[models.Model]) -> models.Field[Any, Any] | None:
    """The foreign key that leads a record towards its fiscal year."""
    for field in model._meta.fields:
        related = field.related_model if field.is_relation and not field.null else None
        if related is not None and related._meta.app_label == "storage":
            return field
    return None


def _years_of(record: models.Model) -> set[int]:
    """The fiscal years a record belongs to, by walking its foreign keys in Python."""
    if isinstance(record, m.FiscalYear):
        return {record.pk}
    if isinstance(record, m.Department):
        return set(record.fiscal_years.values_list("pk", flat=True))
    field = _owner(type(record))
    if field is None:  # of no year: every year's version changes
        return set(m.FiscalYear.objects.values_list("pk", flat=True))
    return _years_of(getattr(record, field.name))


def _stamps() -> dict[int, str | None]:
    return {pk: year_stamp(pk) for pk in m.FiscalYear.objects.values_list("pk", flat=True)}


def _tables_without_year_triggers() -> list[str]:
    """Watched tables lacking the year data version's triggers: a table added (or, on
    SQLite, rebuilt) by a later storage migration needs them from a jixiao_api migration
    that calls ``sqlite_create`` / ``postgres_create`` of 0021_data_year_versions with the
    table's path to its fiscal year."""
    migration = importlib.import_module("jixiao.web.api.migrations.0021_data_year_versions")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [migration.NAME + "%"],
            )
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                [migration.NAME + "%"],
            )
        triggered = {table for (table,) in cursor.fetchall()}
    return sorted(data_tables() - triggered)


def test_every_watched_table_has_the_year_triggers(kept_world: World) -> None:
    assert _tables_without_year_triggers() == []


def test_a_change_to_a_record_renews_its_years_version_only(kept_world: World) -> None:
    by_table = {model._meta.db_table: model for model in m.FiscalYear._meta.apps.get_models()}
    touched = 0
    for table in sorted(data_tables()):
        record = by_table[table].objects.order_by("pk").first()
        if record is None:
            continue
        before = _stamps()
        assert None not in before.values()  # every watched table has its triggers
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [record.pk])
        after = _stamps()
        changed = {pk for pk in before if before[pk] != after[pk]}
        assert changed == _years_of(record), table
        touched += 1
    assert touched >= 15


def test_editing_one_department_leaves_the_others_version(kept_world: World) -> None:
    mine, other = kept_world.fiscal_year, kept_world.other_year
    before = _stamps()
    goal = m.PerformanceGoal.objects.filter(fiscal_year=mine).first()
    assert goal is not None
    m.Indicator.objects.filter(goal=goal).update(level3="修改后的指标")
    after = _stamps()
    assert after[other.pk] == before[other.pk]
    assert after[mine.pk] != before[mine.pk]


def test_a_later_year_watches_its_departments_earlier_years(kept_world: World) -> None:
    mine = kept_world.fiscal_year
    later = m.FiscalYear.objects.create(department=mine.department, year=YEAR + 1)
    before = year_stamp(later.pk)
    m.KeyTask.objects.filter(fiscal_year=mine).update(text="改写的重点工作任务")
    assert year_stamp(later.pk) != before


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each department's summary is computed for the 财政局 pages, one by
    one or together with the other departments missing from the cache."""
    computed: Counter[str] = Counter()
    summarise = bureau_views.summarise_year

    def counting(department: str, year: int, as_of: date, *rest: Any) -> Any:
        computed[department] += 1
        return summarise(department, year, as_of, *rest)

    summarise_many = bureau_views.summarise_years

    def counting_many(fiscal_year_ids: Any, as_of: date) -> Any:
        result = summarise_many(fiscal_year_ids, as_of)
        codes = m.FiscalYear.objects.filter(pk__in=list(result)).values_list(
            "department__code", flat=True
        )
        computed.update(codes)
        return result

    monkeypatch.setattr(bureau_views, "summarise_year", counting)
    monkeypatch.setattr(bureau_views, "summarise_years", counting_many)
    return computed


@pytest.mark.parametrize("page", ["", "ranking/"])
def test_after_a_change_only_that_department_is_computed_again(
    kept_world: World, summaries: Counter[str], page: str
) -> None:
    bureau = kept_world.client("bureau")
    path = f"/bureau/{YEAR}/{page}"
    assert bureau.get(path).status_code == 200
    assert summaries == {FIRST: 1, OTHER: 1}
    assert bureau.get(path).status_code == 200
    assert summaries == {FIRST: 1, OTHER: 1}  # all kept

    line = m.BudgetLine.objects.get(fiscal_year=kept_world.other_year, code="L01")
    m.Payment.objects.create(budget_line=line, date=date(YEAR, 6, 1), amount=1_000_000)
    assert bureau.get(path).status_code == 200
    assert summaries == {FIRST: 1, OTHER: 2}

    m.PerformanceGoal.objects.filter(fiscal_year=kept_world.fiscal_year).update(
        declaration_status="submitted"
    )
    assert bureau.get(path).status_code == 200
    assert summaries == {FIRST: 2, OTHER: 2}


def test_the_changed_department_shows_its_new_figures(
    kept_world: World, summaries: Counter[str]
) -> None:
    bureau = kept_world.client("bureau")
    before = bureau.get(f"/bureau/{YEAR}/").content.decode()
    assert "更名后的另一局" not in before
    with connection.cursor() as cursor:  # not through the ORM at all
        cursor.execute(
            "UPDATE storage_department SET name = %s WHERE code = %s", ["更名后的另一局", OTHER]
        )
    after = bureau.get(f"/bureau/{YEAR}/").content.decode()
    assert "更名后的另一局" in after
    assert summaries == {FIRST: 1, OTHER: 2}


def test_a_payment_leaves_the_stages_and_the_queue_kept(
    kept_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: Counter[str] = Counter()
    for name in ("stage_status", "review_queue"):
        original = getattr(bureau_views.service, name)

        def counting(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            computed[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(bureau_views.service, name, counting)
    bureau = kept_world.client("bureau")
    for path in (f"/bureau/{YEAR}/", f"/bureau/{YEAR}/queue/"):
        assert bureau.get(path).status_code == 200
    assert computed == {"stage_status": 1, "review_queue": 2}
    line = m.BudgetLine.objects.get(fiscal_year=kept_world.other_year, code="L01")
    m.Payment.objects.create(budget_line=line, date=date(YEAR, 6, 1), amount=1_000_000)
    for path in (f"/bureau/{YEAR}/", f"/bureau/{YEAR}/queue/"):
        assert bureau.get(path).status_code == 200
    assert computed == {"stage_status": 1, "review_queue": 2}
    m.PerformanceGoal.objects.filter(fiscal_year=kept_world.other_year).update(
        declaration_status="submitted"
    )
    assert bureau.get(f"/bureau/{YEAR}/").status_code == 200
    assert computed == {"stage_status": 2, "review_queue": 3}
