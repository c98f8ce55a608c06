"""The data version: one row, changed by triggers on every change to the stored years'
tables other than the ledger (which has its own version) and the audit history."""

from typing import Any

from django.db import migrations, models

# The tables as they are at this migration. A later migration that adds a table, or
# that rebuilds one on SQLite (which drops its triggers), must add their triggers again:
# until it does, jixiao.services.versioned_cache keeps nothing (and a test fails).
TABLES = (
    "storage_department",
    "storage_unit",
    "storage_office",
    "storage_fiscalyear",
    "storage_publishedamount",
    "storage_departmentfunction",
    "storage_keytask",
    "storage_improvementmeasure",
    "storage_achievement",
    "storage_achievementmetric",
    "storage_problem",
    "storage_project",
    "storage_budgetline",
    "storage_budgetadjustment",
    "storage_evaluationinput",
    "storage_performancegoal",
    "storage_indicator",
    "storage_indicatorprogress",
    "storage_monitoringsnapshot",
    "storage_workflowtransition",
    "storage_rectification",
    "storage_generatedreport",
)
NAME = "jixiao_data_version"

# a new random number on every change, as the ledger version (migration 0002)
SQLITE_BUMP = (
    f"INSERT INTO {NAME} (id, version) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET version = random()"
)
POSTGRES_RANDOM = "floor(random() * 9007199254740991)::bigint"
POSTGRES_BUMP = (
    f"INSERT INTO {NAME} (id, version) VALUES (1, {POSTGRES_RANDOM}) "
    f"ON CONFLICT (id) DO UPDATE SET version = {POSTGRES_RANDOM}"
)
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def _sqlite_create() -> list[str]:
    return [
        f"CREATE TRIGGER {NAME}_{table}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN {SQLITE_BUMP}; END"
        for table in TABLES
        for event in SQLITE_EVENTS
    ]


def _sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {NAME}_{table}_{event.lower()}"
        for table in TABLES
        for event in SQLITE_EVENTS
    ]


POSTGRES_CREATE = [
    f"CREATE OR REPLACE FUNCTION jixiao_bump_data_version() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN {POSTGRES_BUMP}; RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {NAME} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_bump_data_version()"
        for table in TABLES
    ),
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS {NAME} ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS jixiao_bump_data_version()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0002_ledger_version"),
        ("storage", "0007_workflow_locking_rectification_reports"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
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
                "verbose_name": "数据版本",
                "db_table": NAME,
            },
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite_create(), "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": _sqlite_drop(), "postgresql": POSTGRES_DROP}),
        ),
    ]
