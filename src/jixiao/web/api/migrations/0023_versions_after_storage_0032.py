"""The data version's and the year data versions' triggers on the table storage migration
0032 adds (storage_statedforecast: a project's 全年预计执行数 as its unit stated it, reached
through its goal). Until every watched table has its triggers,
jixiao.services.versioned_cache keeps nothing. Dropping before creating makes this safe to
run again.
"""

import importlib
from typing import Any

from django.db import migrations

TABLE = "storage_statedforecast"
PATHS = {TABLE: ("goal_id storage_performancegoal", "fiscal_year_id")}
NAME = "jixiao_data_version"
SQLITE_BUMP = (
    f"INSERT INTO {NAME} (id, version) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET version = random()"
)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")

years = importlib.import_module("jixiao.web.api.migrations.0021_data_year_versions")


def _sqlite() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {NAME}_{TABLE}_{e.lower()}" for e in SQLITE_EVENTS),
        *(
            f"CREATE TRIGGER {NAME}_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} "
            f"BEGIN {SQLITE_BUMP}; END"
            for event in SQLITE_EVENTS
        ),
        *years.sqlite_create(PATHS),
    ]


def _postgres() -> list[str]:
    # the function jixiao_bump_data_version() is migration 0003's
    return [
        f"DROP TRIGGER IF EXISTS {NAME} ON {TABLE}",
        f"CREATE TRIGGER {NAME} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_data_version()",
        *years.postgres_create(PATHS),
    ]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0022_data_versions_after_storage_0029"),
        ("storage", "0032_stated_forecasts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite(), "postgresql": _postgres()}),
            # the table goes away with storage 0032's reversal, and its triggers with it
            migrations.RunPython.noop,
        ),
    ]
