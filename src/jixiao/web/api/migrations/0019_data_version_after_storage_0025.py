"""The data version's triggers on the tables storage migration 0025 adds or rebuilds: the
new storage_city, and storage_department, whose new city column may rebuild it on
SQLite (which drops its triggers). Until every watched table has its triggers,
jixiao.services.versioned_cache keeps nothing. Dropping before creating makes this safe
to run on a database whose triggers survived.
"""

from typing import Any

from django.db import migrations

TABLES = ("storage_city", "storage_department")
NAME = "jixiao_data_version"
SQLITE_BUMP = (
    f"INSERT INTO {NAME} (id, version) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET version = random()"
)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def _sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {NAME}_{table}_{event.lower()}"
        for table in TABLES
        for event in SQLITE_EVENTS
    ]


def _sqlite_create() -> list[str]:
    return [
        *_sqlite_drop(),
        *(
            f"CREATE TRIGGER {NAME}_{table}_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {SQLITE_BUMP}; END"
            for table in TABLES
            for event in SQLITE_EVENTS
        ),
    ]


def _postgres_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {NAME} ON {table}" for table in TABLES]


def _postgres_create() -> list[str]:
    # the function jixiao_bump_data_version() is migration 0003's
    return [
        *_postgres_drop(),
        *(
            f"CREATE TRIGGER {NAME} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_data_version()"
            for table in TABLES
        ),
    ]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0018_data_version_after_storage_0024"),
        ("storage", "0025_cities"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": _postgres_create()}),
            # storage_city goes away with storage 0025's reversal, and its triggers with it
            migrations.RunPython.noop,
        ),
    ]
