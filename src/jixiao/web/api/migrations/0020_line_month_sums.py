"""Each budget line's payments summed per month, kept by triggers on every write.

Monitoring and the ledger totals summed a department-year's payments with a GROUP BY
each time they were computed afresh, so the first request after any change to a large
ledger waited for it. ``jixiao_line_month_sum`` holds, per budget line and month (the
first day of the month), the sum of the payments' amounts and their number; triggers on
``storage_payment`` change it in the statement that changes the payments (insert,
update, delete; truncate on PostgreSQL), so reading it costs lines × months whatever the
size of the ledger. A (line, month) without payments has no row, as in the GROUP BY.

Amounts keep the payments' own type: exact ``numeric`` on PostgreSQL. SQLite stores
decimals as binary floating point; its triggers round every new sum to the cent, so a
sum never drifts from the exact one however many changes it has seen.

The table is written by the triggers only, so it has no Django model
(``jixiao.services.ledger_sums`` reads it, and rebuilds it when asked). Creating the
triggers fills it from the payments already stored.
"""

from typing import Any

from django.db import migrations

TABLE = "jixiao_line_month_sum"
NAME = "jixiao_line_month_sums"

REBUILD = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} (budget_line_id, month, amount, payments) "
    "SELECT budget_line_id, {month}, sum(amount), count(*) FROM storage_payment "
    "GROUP BY budget_line_id, {month}",
]

# SQLite: row triggers only.
SQLITE_MONTH = "date({row}.date, 'start of month')"


def _sqlite_add(row: str) -> str:
    month = SQLITE_MONTH.format(row=row)
    return (
        f"INSERT INTO {TABLE} (budget_line_id, month, amount, payments) "
        f"VALUES ({row}.budget_line_id, {month}, round({row}.amount, 2), 1) "
        "ON CONFLICT (budget_line_id, month) DO UPDATE SET "
        "amount = round(amount + excluded.amount, 2), payments = payments + 1"
    )


def _sqlite_subtract(row: str) -> str:
    month = SQLITE_MONTH.format(row=row)
    where = f"budget_line_id = {row}.budget_line_id AND month = {month}"
    return (
        f"UPDATE {TABLE} SET amount = round(amount - {row}.amount, 2), "
        f"payments = payments - 1 WHERE {where}; "
        f"DELETE FROM {TABLE} WHERE {where} AND payments = 0"
    )


SQLITE_CHANGED = (
    "OLD.budget_line_id IS NOT NEW.budget_line_id OR OLD.date IS NOT NEW.date "
    "OR OLD.amount IS NOT NEW.amount"
)
SQLITE_TRIGGERS = {
    "insert": f"AFTER INSERT ON storage_payment BEGIN {_sqlite_add('NEW')}; END",
    "update": (
        f"AFTER UPDATE ON storage_payment WHEN {SQLITE_CHANGED} "
        f"BEGIN {_sqlite_subtract('OLD')}; {_sqlite_add('NEW')}; END"
    ),
    "delete": f"AFTER DELETE ON storage_payment BEGIN {_sqlite_subtract('OLD')}; END",
}


def _sqlite_create() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (budget_line_id integer NOT NULL, "
        "month date NOT NULL, amount decimal NOT NULL, payments integer NOT NULL, "
        "PRIMARY KEY (budget_line_id, month))",
        *(f"CREATE TRIGGER {NAME}_{name} {body}" for name, body in SQLITE_TRIGGERS.items()),
        *(
            statement.replace("{month}", "date(date, 'start of month')").replace(
                "sum(amount)", "round(sum(amount), 2)"
            )
            for statement in REBUILD
        ),
    ]


def _sqlite_drop() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {NAME}_{name}" for name in SQLITE_TRIGGERS),
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


# PostgreSQL: one statement per changed statement, over its transition tables, so a COPY
# of a million payments adds each (line, month) once.
PG_MONTH = "date_trunc('month', date)::date"


def _pg_grouped(rows: str) -> str:
    return (
        f"SELECT budget_line_id, {PG_MONTH} AS month, sum(amount) AS amount, "
        f"count(*) AS payments FROM {rows} GROUP BY 1, 2"
    )


def _pg_add(rows: str) -> str:
    return (
        f"INSERT INTO {TABLE} AS s (budget_line_id, month, amount, payments) "
        f"SELECT * FROM ({_pg_grouped(rows)}) g ORDER BY 1, 2 "
        "ON CONFLICT (budget_line_id, month) DO UPDATE SET "
        "amount = s.amount + excluded.amount, payments = s.payments + excluded.payments"
    )


def _pg_subtract(rows: str) -> str:
    return (
        f"UPDATE {TABLE} s SET amount = s.amount - g.amount, payments = s.payments - g.payments "
        f"FROM ({_pg_grouped(rows)}) g "
        "WHERE s.budget_line_id = g.budget_line_id AND s.month = g.month; "
        f"DELETE FROM {TABLE} s WHERE s.payments = 0 AND (s.budget_line_id, s.month) IN "
        f"(SELECT budget_line_id, {PG_MONTH} FROM {rows})"
    )


PG_FUNCTIONS = {
    "insert": _pg_add("new_rows"),
    "update": f"{_pg_subtract('old_rows')}; {_pg_add('new_rows')}",
    "delete": _pg_subtract("old_rows"),
    "truncate": f"DELETE FROM {TABLE}",
}
PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "truncate": "",
}


def _postgres_create() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {TABLE} (budget_line_id bigint NOT NULL, "
        "month date NOT NULL, amount numeric(24, 2) NOT NULL, payments bigint NOT NULL, "
        "PRIMARY KEY (budget_line_id, month))",
        *(
            f"CREATE OR REPLACE FUNCTION {NAME}_{name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {body}; RETURN NULL; END $$"
            for name, body in PG_FUNCTIONS.items()
        ),
        *(
            f"CREATE TRIGGER {NAME}_{name} AFTER {name.upper()} ON storage_payment "
            f"{PG_REFERENCING[name]} FOR EACH STATEMENT EXECUTE FUNCTION {NAME}_{name}()"
            for name in PG_FUNCTIONS
        ),
        *(statement.replace("{month}", PG_MONTH) for statement in REBUILD),
    ]


def _postgres_drop() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {NAME}_{name} ON storage_payment" for name in PG_FUNCTIONS),
        *(f"DROP FUNCTION IF EXISTS {NAME}_{name}()" for name in PG_FUNCTIONS),
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0019_data_version_after_storage_0025"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": _postgres_create()}),
            _run({"sqlite": _sqlite_drop(), "postgresql": _postgres_drop()}),
        ),
    ]
