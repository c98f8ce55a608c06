"""The monthly sums the triggers keep per budget line equal a GROUP BY over the payments,
whatever sequence of inserts, updates and deletes (through the ORM or raw SQL) came
before; the bulk paths (``jixiao load --replace``, the ledger import) leave them exact.

The same tests run on PostgreSQL when the suite is pointed at it (``tests/run.py``);
the truncate test is PostgreSQL's only (SQLite has no TRUNCATE).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.core.money import CENT
from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.excel.layouts import LEDGER_KIND
from jixiao.services import ledger_sums
from jixiao.services.excel_export import export_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.storing import insert_payments, store_dataset
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

Sums = dict[tuple[int, int, int], tuple[Decimal, int]]


def _kept() -> Sums:
    assert ledger_sums.kept_by_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ledger_sums.TABLE} WHERE payments <= 0")
        assert cursor.fetchone()[0] == 0  # a (line, month) without payments has no row
    lines = m.BudgetLine.objects.values_list("fiscal_year_id", flat=True).distinct()
    return {
        (row.budget_line_id, row.year, row.month): (row.amount, row.payments)
        for row in ledger_sums.line_months(lines)
    }


def _grouped() -> Sums:
    """The same sums, by a GROUP BY over the payments read back exactly."""
    sums: Sums = {}
    for line, day, amount in m.Payment.objects.values_list("budget_line_id", "date", "amount"):
        total, count = sums.get((line, day.year, day.month), (Decimal(0), 0))
        sums[(line, day.year, day.month)] = (total + amount, count + 1)
    return {key: (total.quantize(CENT), count) for key, (total, count) in sums.items()}


def _lines(count: int) -> list[int]:
    department, _ = m.Department.objects.get_or_create(code="sums", name="合计测试局")
    fiscal_year, _ = m.FiscalYear.objects.get_or_create(department=department, year=2024)
    ids = []
    for n in range(count):
        line, _ = m.BudgetLine.objects.get_or_create(
            fiscal_year=fiscal_year, code=f"L{n}", name=f"预算行{n}",
            defaults={"funding_source": "general_public_budget", "nature": "basic",
                      "initial_budget": Decimal(0), "final_budget": Decimal(0)},
        )  # fmt: skip
        ids.append(line.pk)
    return ids


amounts = st.integers(-(10**11), 10**11).map(lambda cents: Decimal(cents).scaleb(-2))
days = st.integers(0, 500).map(lambda n: date(2023, 11, 1) + timedelta(days=n))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 2), days, amounts),
        st.tuples(st.just("bulk"), st.lists(st.tuples(st.integers(0, 2), days, amounts))),
        st.tuples(st.just("amount"), st.integers(0, 30), amounts),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 2), days),
        st.tuples(st.just("same"), st.integers(0, 30)),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("delete_month"), st.integers(0, 2), days),
        st.tuples(st.just("raw_shift"), st.integers(0, 2)),
    ),
    max_size=25,
)


def _nth(n: int) -> m.Payment | None:
    payments = list(m.Payment.objects.order_by("id"))
    return payments[n % len(payments)] if payments else None


def _apply(operation: tuple[object, ...], lines: list[int]) -> None:
    kind, *args = operation
    if kind == "insert":
        line, day, amount = args
        m.Payment.objects.create(budget_line_id=lines[line], date=day, amount=amount)
    elif kind == "bulk":
        m.Payment.objects.bulk_create(
            m.Payment(budget_line_id=lines[line], date=day, amount=amount)
            for line, day, amount in args[0]
        )
    elif kind in ("amount", "move", "same", "delete") and (payment := _nth(args[0])):
        if kind == "amount":
            m.Payment.objects.filter(pk=payment.pk).update(amount=args[1])
        elif kind == "move":
            payment.budget_line_id, payment.date = lines[args[1]], args[2]
            payment.save()
        elif kind == "same":
            payment.save()
        else:
            payment.delete()
    elif kind == "delete_month":
        line, day = args
        m.Payment.objects.filter(
            budget_line_id=lines[line], date__year=day.year, date__month=day.month
        ).delete()
    elif kind == "raw_shift":  # several rows of one line in one statement, not the ORM
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE storage_payment SET amount = amount + 0.01 WHERE budget_line_id = %s",
                [lines[args[0]]],
            )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_the_kept_sums_equal_a_group_by_after_any_writes(ops: list[tuple[object, ...]]) -> None:
    lines = _lines(3)
    for operation in ops:
        _apply(operation, lines)
    assert _kept() == _grouped()


def test_sums_of_large_amounts_stay_exact_to_the_cent() -> None:
    (line,) = _lines(1)
    amounts = [Decimal("12345678901.23"), Decimal("0.01"), Decimal("-0.07"), Decimal("0.1")]
    for _ in range(50):
        m.Payment.objects.bulk_create(
            m.Payment(budget_line_id=line, date=date(2024, 5, 3), amount=a) for a in amounts
        )
    for payment in m.Payment.objects.all()[:70]:
        payment.delete()
    assert _kept() == _grouped()


def _stored_sums() -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT budget_line_id, month, amount, payments FROM {ledger_sums.TABLE} "
            "ORDER BY budget_line_id, month"
        )
        return [tuple(row) for row in cursor.fetchall()]


def test_payments_added_in_bulk_leave_the_same_sums_whether_summed_or_read_back() -> None:
    line, other = _lines(2)
    m.Payment.objects.create(budget_line_id=line, date=date(2024, 5, 3), amount=Decimal("0.10"))
    amounts = [Decimal("12345678901.23"), Decimal("0.01"), Decimal("-0.07"), Decimal("0.1")]
    rows = [
        ((line, other)[n % 2], date(2024, 1 + n % 12, 1 + n % 28), amounts[n % 4])
        for n in range(300)
    ]
    stored = []
    for summed in (None, lambda: ledger_sums.month_sums(rows)):
        with transaction.atomic():
            with ledger_sums.adding_many_on_sqlite(summed):
                insert_payments((at, day, amount, amount < 0, "", "") for at, day, amount in rows)
            assert _kept() == _grouped()
            stored.append(_stored_sums())
            transaction.set_rollback(True)
    assert stored[0] == stored[1]
    kinds = [[type(value) for row in sums for value in row] for sums in stored]
    assert kinds[0] == kinds[1]  # the same storage classes too (SQLite: REAL or INTEGER)


def test_truncate_empties_the_kept_sums() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite deletes row by row")
    (line,) = _lines(1)
    m.Payment.objects.create(budget_line_id=line, date=date(2024, 1, 2), amount=Decimal(5))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before TRUNCATE
        cursor.execute("TRUNCATE storage_payment")
    assert _kept() == {} == _grouped()


def test_load_replace_and_ledger_import_leave_the_sums_exact(
    small_year_text: str, tmp_path: Path
) -> None:
    dataset = parse_dataset(small_year_text.encode())
    store_dataset(dataset)
    assert _kept() == _grouped() != {}
    ledger = export_workbook("test-dept", 2024, LEDGER_KIND, tmp_path / "ledger.xlsx")
    store_dataset(dataset, replace=True)
    assert _kept() == _grouped()
    m.Payment.objects.filter(amount__lt=0).delete()  # the import adds it back
    m.Payment.objects.create(
        budget_line=m.BudgetLine.objects.get(code="L01"), date=date(2024, 3, 9), amount=7
    )
    import_workbook(ledger)
    assert m.Payment.objects.filter(amount__lt=0).exists()
    assert _kept() == _grouped() != {}


def test_without_the_triggers_the_payments_are_summed(small_year_text: str) -> None:
    store_dataset(parse_dataset(small_year_text.encode()))
    expected = _grouped()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ledger_sums.TABLE}")  # stale
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {ledger_sums.TRIGGER}_insert")
        else:
            cursor.execute(f"DROP TRIGGER {ledger_sums.TRIGGER}_insert ON storage_payment")
    assert not ledger_sums.kept_by_triggers()
    lines = m.BudgetLine.objects.values_list("fiscal_year_id", flat=True).distinct()
    read = {
        (row.budget_line_id, row.year, row.month): (row.amount, row.payments)
        for row in ledger_sums.line_months(lines)
    }
    assert read == expected
    ledger_sums.rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ledger_sums.TABLE}")
        assert cursor.fetchone()[0] == len(expected)
