"""The ledger summed per budget line and month, as database triggers keep it on every write.

``jixiao_line_month_sum`` (migration 0020 of ``jixiao.web.api``) holds, per budget line
and month, the sum of the payments and their number, changed in the same statement as
the payments whoever writes them (the ORM, an import, ``jixiao load``, raw SQL). Reading
it costs budget lines × months, not payments: the first request after a change to a
large ledger no longer waits for a GROUP BY over it.

Where the triggers are not in place (a database migrated without them, a payment table
rebuilt by a later migration on SQLite, which drops its triggers), every reader here
sums the payments themselves, so what is read is right either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from jixiao.core.money import CENT, ZERO

TABLE = "jixiao_line_month_sum"
TRIGGER = "jixiao_line_month_sums"
TRIGGERS = {"sqlite": 3, "postgresql": 4}
"""How many triggers keep the table (SQLite: insert, update, delete; PostgreSQL: also
truncate)."""


@dataclass(frozen=True)
class LineMonth:
    """The payments of one budget line in one month."""

    budget_line_id: int
    year: int
    month: int
    amount: Decimal
    payments: int


def _triggers_sql() -> str | None:
    """A query of how many of the triggers that keep the sums are in place."""
    prefix = f"substr({{name}}, 1, {len(TRIGGER) + 1}) = '{TRIGGER}_'"
    if connection.vendor == "sqlite":
        return (
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name = 'storage_payment' AND {prefix.format(name='name')}"
        )
    if connection.vendor == "postgresql":
        return (
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            f"WHERE c.relname = 'storage_payment' AND {prefix.format(name='t.tgname')}"
        )
    return None


def kept_by_triggers() -> bool:
    """Whether the triggers that keep the sums are all in place."""
    sql = _triggers_sql()
    if sql is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (count,) = cursor.fetchone()
    return int(count) == TRIGGERS[connection.vendor]


def _month_parts(column: str) -> str:
    if connection.vendor == "sqlite":
        return (
            f"CAST(strftime('%%Y', {column}) AS INTEGER), "
            f"CAST(strftime('%%m', {column}) AS INTEGER)"
        )
    return (
        f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER), "
        f"CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"
    )


def _cents(value: object) -> Decimal:
    """An amount read from the database, exact to the cent.

    PostgreSQL answers exact ``numeric``. SQLite answers a binary float (or an integer):
    rounded to the cent by the triggers, or a sum of payments carrying noise far below a
    cent; every payment has whole cents, so quantizing recovers the exact amount.
    """
    if value is None:
        return ZERO
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(CENT)
    return Decimal(str(value)).quantize(CENT)


def line_months(
    fiscal_year_ids: Iterable[int], first: date | None = None, last: date | None = None
) -> list[LineMonth]:
    """Every (budget line, month) with payments of the fiscal years' lines; with ``first``
    / ``last``: of the months from ``first``'s to ``last``'s (whole months)."""
    ids = sorted(set(fiscal_year_ids))
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    where = [f"l.fiscal_year_id IN ({marks})"]
    params: list[object] = list(ids)
    if first is not None:
        where.append("s.month >= %s")
        params.append(first.replace(day=1))
    if last is not None:
        where.append("s.month <= %s")
        params.append(last.replace(day=1))
    columns = f"s.budget_line_id, {_month_parts('s.month')}, s.amount, s.payments"
    joined = "s JOIN storage_budgetline l ON l.id = s.budget_line_id WHERE " + " AND ".join(where)
    # The triggers are tested first, in a query of their own: a query holding both ways
    # (the payments' branch cut off by a one-time filter) read no payment, but PostgreSQL
    # planned it by the payment table's size, and JIT-compiled it and started parallel
    # workers for it, ten times the cost of reading the sums.
    source = TABLE if kept_by_triggers() else _grouped_payments()
    sql = f"SELECT {columns} FROM {source} {joined}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LineMonth(int(line), int(year), int(month), _cents(amount), int(payments))
        for line, year, month, amount, payments in rows
    ]


def line_totals(fiscal_year_ids: Iterable[int]) -> dict[int, Decimal]:
    """Every budget line of the fiscal years with payments: the sum of its months (all
    of them, of any year), added up by the database — one row per line, not per month."""
    ids = sorted(set(fiscal_year_ids))
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    source = TABLE if kept_by_triggers() else _grouped_payments()
    sql = (
        f"SELECT s.budget_line_id, sum(s.amount) FROM {source} s "
        f"JOIN storage_budgetline l ON l.id = s.budget_line_id "
        f"WHERE l.fiscal_year_id IN ({marks}) GROUP BY s.budget_line_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    return {int(line): _cents(amount) for line, amount in rows}  # _cents: see there


def _grouped_payments() -> str:
    """The same rows as the kept table, summed from the payments (no triggers)."""
    if connection.vendor == "sqlite":
        month = "date(date, 'start of month')"
    else:
        month = "date_trunc('month', date)::date"
    return (
        f"(SELECT budget_line_id, {month} AS month, sum(amount) AS amount, "
        f"count(*) AS payments FROM storage_payment GROUP BY budget_line_id, {month})"
    )


def payments_between(
    fiscal_year_ids: Iterable[int], first: date, last: date
) -> dict[int, Decimal]:
    """The payments of the fiscal years' lines dated ``first`` to ``last``, summed per
    line by the database (for part of a month, which the kept sums do not split)."""
    ids = sorted(set(fiscal_year_ids))
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        "SELECT p.budget_line_id, sum(p.amount) FROM storage_payment p "
        "JOIN storage_budgetline l ON l.id = p.budget_line_id "
        f"WHERE l.fiscal_year_id IN ({marks}) AND p.date >= %s AND p.date <= %s "
        "GROUP BY p.budget_line_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, first, last])
        return {int(line): _cents(total) for line, total in cursor.fetchall()}


def rebuild() -> None:
    """Sum every payment anew into the kept table (after writing payments with the
    triggers disabled; in the caller's transaction)."""
    if connection.vendor == "sqlite":
        month, total = "date(date, 'start of month')", "round(sum(amount), 2)"
    else:
        month, total = "date_trunc('month', date)::date", "sum(amount)"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (budget_line_id, month, amount, payments) "
            f"SELECT budget_line_id, {month}, {total}, count(*) FROM storage_payment "
            f"GROUP BY budget_line_id, {month}"
        )


VERSION_INSERT_TRIGGERS = {
    "jixiao_ledger_version_insert": (
        "INSERT INTO jixiao_ledger_version (id, version) VALUES (1, random()) "
        "ON CONFLICT (id) DO UPDATE SET version = random()"
    ),
    "jixiao_ledger_year_version_insert": (
        "UPDATE jixiao_ledger_year_version SET version = random() WHERE fiscal_year_id IN "
        "(SELECT fiscal_year_id FROM storage_budgetline WHERE id IN "
        "(SELECT budget_line_id FROM storage_payment WHERE id > %s))"
    ),
}
"""The insert triggers of the cache versions (``services.versioned_cache``) on the ledger,
and what each does for all the rows inserted after a payment id, once: each sets its
version to a new random number, so once for many rows is the same as once per row."""


MonthSums = dict[tuple[int, date], list[Any]]
"""(budget line id, first day of the month) → [sum of the amounts, number of payments]."""


def month_sums(payments: Iterable[tuple[int, date, Decimal]]) -> MonthSums:
    """Payments (budget line id, date, amount) summed as the kept table sums them."""
    sums: MonthSums = {}
    months: dict[date, date] = {}
    for line, day, amount in payments:
        month = months.get(day)
        if month is None:
            month = months[day] = day.replace(day=1)
        found = sums.get((line, month))
        if found is None:
            sums[line, month] = [amount, 1]
        else:
            found[0] += amount
            found[1] += 1
    return sums


@contextmanager
def adding_many_on_sqlite(summed: Callable[[], MonthSums] | None = None) -> Iterator[None]:
    """Payments inserted inside (nothing else is written to the ledger there) are added
    to the kept sums in one statement at the end, not one row at a time: on SQLite,
    whose triggers run per row, the insert triggers are set aside meanwhile (in the
    caller's transaction, so no one else sees them missing) and put back as they were;
    the cache versions they keep are set anew once. Elsewhere, or without the triggers,
    nothing changes.

    ``summed``: what the payments inserted sum to (``month_sums``), when the caller has
    them at hand; then the new payments are not read back and grouped (a tenth of a
    second for 100,000). Should the block fail, they are read back all the same."""
    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        yield
        return
    name = f"{TRIGGER}_insert"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        found = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(id), 0) FROM storage_payment")
        (last_id,) = cursor.fetchone()
    if found is None or not kept_by_triggers():
        yield
        return
    versions = _set_aside_version_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")
    done = False
    try:
        yield
        done = True
    finally:  # whatever was inserted is added, and the triggers are back
        if done and summed is not None:
            _add_sums(summed())
        else:
            _add_payments_after(last_id)
        with connection.cursor() as cursor:
            cursor.execute(found[0])
            for trigger, sql in versions.items():
                once = VERSION_INSERT_TRIGGERS[trigger]
                cursor.execute(once, [last_id] if "%s" in once else [])
                cursor.execute(sql)


def _set_aside_version_triggers() -> dict[str, str]:
    """The version insert triggers in place on the ledger (name → SQL), dropped."""
    names = list(VERSION_INSERT_TRIGGERS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name = 'storage_payment' AND name IN ({', '.join(['%s'] * len(names))})",
            names,
        )
        found = dict(cursor.fetchall())
        for trigger in found:
            cursor.execute(f"DROP TRIGGER {trigger}")
    return found


_ADD = (
    "ON CONFLICT (budget_line_id, month) DO UPDATE SET "
    "amount = round(amount + excluded.amount, 2), payments = payments + excluded.payments"
)


def _add_sums(sums: MonthSums) -> None:
    """Sums of new payments added to the kept table (rounded as the statement below rounds
    the payments it groups: the same figure for the same sum)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (budget_line_id, month, amount, payments) "
            f"VALUES (%s, %s, round(%s, 2), %s) {_ADD}",
            [(line, month.isoformat(), amount, n) for (line, month), (amount, n) in sums.items()],
        )


def _add_payments_after(last_id: int) -> None:
    month = "date(date, 'start of month')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (budget_line_id, month, amount, payments) "
            f"SELECT budget_line_id, {month}, round(sum(amount), 2), count(*) "
            f"FROM storage_payment WHERE id > %s GROUP BY budget_line_id, {month} {_ADD}",
            [last_id],
        )
