"""A ledger version per fiscal year, changed by triggers on every change to its payments.

The one ledger version (migration 0002) changes whenever any payment anywhere changes, so
one payment entered in one department made every department's kept sums and page parts
stale. ``jixiao_ledger_year_version`` holds one row per fiscal year, set to a new random
number by the same statement that changed its payments (both years when an update moves
a payment between lines of two years); ``versioned_cache`` keys a year's sums and page
parts on it. The table is written by the triggers only, so it has no Django model.

On SQLite, whose triggers run once per row, every fiscal year has its row from the start
(a trigger on storage_fiscalyear adds it), so a payment's trigger is one plain UPDATE: an
upsert per row made a 100,000-row import markedly slower.
"""

from typing import Any

from django.db import migrations

TABLE = "jixiao_ledger_year_version"
NAME = "jixiao_ledger_year_version"
SQLITE_EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}

SQLITE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(fiscal_year_id integer NOT NULL PRIMARY KEY, version bigint NOT NULL)"
)


def _sqlite_bump(rows: tuple[str, ...]) -> str:
    lines = ", ".join(f"{row}.budget_line_id" for row in rows)
    return (
        f"UPDATE {TABLE} SET version = random() WHERE fiscal_year_id IN "
        f"(SELECT fiscal_year_id FROM storage_budgetline WHERE id IN ({lines}))"
    )


def _sqlite_create() -> list[str]:
    # SQLite has row triggers only: one plain update per changed payment
    return [
        SQLITE_TABLE,
        f"INSERT OR IGNORE INTO {TABLE} (fiscal_year_id, version) "
        "SELECT id, random() FROM storage_fiscalyear",
        f"CREATE TRIGGER {NAME}_new_year AFTER INSERT ON storage_fiscalyear "
        f"BEGIN INSERT OR IGNORE INTO {TABLE} (fiscal_year_id, version) "
        "VALUES (NEW.id, random()); END",
        *(
            f"CREATE TRIGGER {NAME}_{event.lower()} AFTER {event} ON storage_payment "
            f"BEGIN {_sqlite_bump(rows)}; END"
            for event, rows in SQLITE_EVENTS.items()
        ),
    ]


def _sqlite_drop() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {NAME}_{event.lower()}" for event in SQLITE_EVENTS),
        f"DROP TRIGGER IF EXISTS {NAME}_new_year",
        f"DROP TABLE IF EXISTS {TABLE}",
    ]


POSTGRES_RANDOM = "floor(random() * 9007199254740991)::bigint"
POSTGRES_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(fiscal_year_id bigint NOT NULL PRIMARY KEY, version bigint NOT NULL)",
    # one statement per changed statement: a COPY of a million rows bumps each year once
    "CREATE OR REPLACE FUNCTION jixiao_bump_ledger_year_versions() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {TABLE} (fiscal_year_id, version) "
    f"SELECT years.id, {POSTGRES_RANDOM} FROM (SELECT DISTINCT l.fiscal_year_id AS id "
    "FROM changed JOIN storage_budgetline l ON l.id = changed.budget_line_id) years "
    "ON CONFLICT (fiscal_year_id) DO UPDATE SET version = excluded.version; "
    "RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION jixiao_bump_every_ledger_year_version() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {TABLE} (fiscal_year_id, version) "
    f"SELECT id, {POSTGRES_RANDOM} FROM storage_fiscalyear "
    "ON CONFLICT (fiscal_year_id) DO UPDATE SET version = excluded.version; "
    "RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {NAME}_{name} AFTER {event} ON storage_payment "
        f"REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT "
        "EXECUTE FUNCTION jixiao_bump_ledger_year_versions()"
        for name, event, rows in (
            ("insert", "INSERT", "NEW"),
            ("update_old", "UPDATE", "OLD"),
            ("update_new", "UPDATE", "NEW"),
            ("delete", "DELETE", "OLD"),
        )
    ),
    f"CREATE TRIGGER {NAME}_truncate AFTER TRUNCATE ON storage_payment "
    "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_every_ledger_year_version()",
]
POSTGRES_TRIGGERS = ("insert", "update_old", "update_new", "delete", "truncate")
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS {NAME}_{name} ON storage_payment" for name in POSTGRES_TRIGGERS),
    "DROP FUNCTION IF EXISTS jixiao_bump_ledger_year_versions()",
    "DROP FUNCTION IF EXISTS jixiao_bump_every_ledger_year_version()",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0005_data_version_after_storage_0010"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": _sqlite_drop(), "postgresql": POSTGRES_DROP}),
        ),
    ]
