"""The data version's and the year data versions' triggers on the table storage migration
0029 adds: storage_librarypastvalue (指标库历年数值), whose rows belong to no fiscal year
(row 0 of the year versions, which every year's key includes). Until every watched table
has its triggers, jixiao.services.versioned_cache keeps nothing. Dropping before creating
makes this safe to run on a database whose triggers survived.
"""

import importlib
from typing import Any

from django.db import migrations

TABLES = ("storage_librarypastvalue",)
NAME = "jixiao_data_version"
SQLITE_BUMP = (
    f"INSERT INTO {NAME} (id, version) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET version = random()"
)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")
YEAR_VERSIONS = importlib.import_module("jixiao.web.api.migrations.0021_data_year_versions")
PATHS: dict[str, tuple[str, ...]] = {table: () for table in TABLES}


def _sqlite_create() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS {NAME}_{table}_{event.lower()}"
            for table in TABLES
            for event in SQLITE_EVENTS
        ),
        *(
            f"CREATE TRIGGER {NAME}_{table}_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {SQLITE_BUMP}; END"
            for table in TABLES
            for event in SQLITE_EVENTS
        ),
        *YEAR_VERSIONS.sqlite_create(PATHS),
    ]


def _postgres_create() -> list[str]:
    # the function jixiao_bump_data_version() is migration 0003's
    return [
        *(f"DROP TRIGGER IF EXISTS {NAME} ON {table}" for table in TABLES),
        *(
            f"CREATE TRIGGER {NAME} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_data_version()"
            for table in TABLES
        ),
        *YEAR_VERSIONS.postgres_create(PATHS),
    ]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0021_data_year_versions"),
        ("storage", "0029_library_past_values"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": _postgres_create()}),
            # the table goes away with storage 0029's reversal, and its triggers with it
            migrations.RunPython.noop,
        ),
    ]
