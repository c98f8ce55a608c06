"""The ledger version: one row, changed by triggers on every change to storage_payment."""

from typing import Any

from django.db import migrations, models

# A new random number on every change (not a count from 1): a version is then never seen
# again, even in another database or after one was emptied and filled anew, so a shared
# cache cannot confuse two ledgers.
SQLITE_BUMP = (
    "INSERT INTO jixiao_ledger_version (id, version) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET version = random()"
)
POSTGRES_RANDOM = "floor(random() * 9007199254740991)::bigint"
POSTGRES_BUMP = (
    f"INSERT INTO jixiao_ledger_version (id, version) VALUES (1, {POSTGRES_RANDOM}) "
    f"ON CONFLICT (id) DO UPDATE SET version = {POSTGRES_RANDOM}"
)

SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION jixiao_bump_ledger_version() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN {POSTGRES_BUMP}; RETURN NULL; END $$",
    # one bump per statement: a COPY or a bulk insert of a million rows costs one update
    "CREATE TRIGGER jixiao_ledger_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON storage_payment FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_ledger_version()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS jixiao_ledger_version ON storage_payment",
    "DROP FUNCTION IF EXISTS jixiao_bump_ledger_version()",
]


def _sqlite_create() -> list[str]:
    # SQLite has row triggers only
    return [
        f"CREATE TRIGGER jixiao_ledger_version_{event.lower()} AFTER {event} ON storage_payment "
        f"BEGIN {SQLITE_BUMP}; END"
        for event in SQLITE_EVENTS
    ]


def _sqlite_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS jixiao_ledger_version_{e.lower()}" for e in SQLITE_EVENTS]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0001_api_tokens"),
        ("storage", "0006_audit_history_of_changed_models"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "台账版本",
                "db_table": "jixiao_ledger_version",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": _sqlite_drop(), "postgresql": POSTGRES_DROP}),
        ),
    ]
