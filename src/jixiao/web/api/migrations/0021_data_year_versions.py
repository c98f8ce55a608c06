"""A data version per fiscal year, changed by triggers on every change to its records.

The one data version (migration 0003) changes whenever anything of any department
changes, so one goal edited in one department made every department's kept page parts
stale, and the 财政局 pages over all departments recomputed every department.
``jixiao_data_year_version`` holds one row per fiscal year, set to a new random number
by the statement that changed one of its records (both years' rows when an update moves
a record between years). Records of a department (the department, its units and
offices) change every year of the department; a record that belongs to no year (an
import record without one) changes row 0, which every year's key includes.

Each watched table reaches its fiscal year through its foreign keys (``PATHS``). The
table is written by the triggers only, so it has no Django model;
``jixiao.services.versioned_cache`` reads it. A later migration that adds a table, or
rebuilds one on SQLite (which drops its triggers), must add its triggers here too:
until it does, nothing keyed on these versions is kept.
"""

from typing import Any

from django.db import migrations

TABLE = "jixiao_data_year_version"
NAME = "jixiao_data_year_version"

DEPARTMENT = "department"
PATHS: dict[str, tuple[str, ...]] = {
    # table: the foreign keys followed to the fiscal year, each "column table"; the last
    # names the fiscal year's column (DEPARTMENT: every year of that department); none:
    # the table's records belong to no year (row 0)
    "storage_department": ("id " + DEPARTMENT,),
    "storage_unit": ("department_id " + DEPARTMENT,),
    "storage_office": ("department_id " + DEPARTMENT,),
    "storage_fiscalyear": ("id",),
    "storage_publishedamount": ("fiscal_year_id",),
    "storage_departmentfunction": ("fiscal_year_id",),
    "storage_keytask": ("fiscal_year_id",),
    "storage_improvementmeasure": ("fiscal_year_id",),
    "storage_achievement": ("fiscal_year_id",),
    "storage_achievementmetric": ("achievement_id storage_achievement", "fiscal_year_id"),
    "storage_problem": ("fiscal_year_id",),
    "storage_project": ("fiscal_year_id",),
    "storage_budgetline": ("fiscal_year_id",),
    "storage_budgetadjustment": ("budget_line_id storage_budgetline", "fiscal_year_id"),
    "storage_evaluationinput": ("fiscal_year_id",),
    "storage_performancegoal": ("fiscal_year_id",),
    "storage_indicator": ("goal_id storage_performancegoal", "fiscal_year_id"),
    "storage_indicatorprogress": (
        "indicator_id storage_indicator",
        "goal_id storage_performancegoal",
        "fiscal_year_id",
    ),
    "storage_monitoringsnapshot": ("fiscal_year_id",),
    "storage_workflowtransition": ("goal_id storage_performancegoal", "fiscal_year_id"),
    "storage_rectification": ("fiscal_year_id",),
    "storage_generatedreport": ("fiscal_year_id",),
    "storage_importrecord": ("fiscal_year_id",),
    "storage_reportoutlinechoice": ("fiscal_year_id",),
    "storage_reportsection": ("fiscal_year_id",),
    "storage_goalreview": ("goal_id storage_performancegoal", "fiscal_year_id"),
    "storage_exanteassessment": ("project_id storage_project", "fiscal_year_id"),
    "storage_exantescore": (
        "assessment_id storage_exanteassessment",
        "project_id storage_project",
        "fiscal_year_id",
    ),
    "storage_exantetransition": (
        "assessment_id storage_exanteassessment",
        "project_id storage_project",
        "fiscal_year_id",
    ),
    "storage_spotcheck": ("goal_id storage_performancegoal", "fiscal_year_id"),
    "storage_bureauscore": (
        "spot_check_id storage_spotcheck",
        "goal_id storage_performancegoal",
        "fiscal_year_id",
    ),
    "storage_disclosureitem": ("fiscal_year_id",),
    "storage_resultdecision": ("fiscal_year_id",),
    "storage_evidencefile": (
        "spot_check_id storage_spotcheck",
        "goal_id storage_performancegoal",
        "fiscal_year_id",
    ),
    "storage_city": (),
    "storage_libraryversion": (),
    "storage_libraryentry": (),
    "storage_indicatorproposal": ("fiscal_year_id",),
    "storage_basicsrow": ("fiscal_year_id",),
    "storage_coststandardtable": ("fiscal_year_id",),
    "storage_rectificationnotice": ("fiscal_year_id",),
    "storage_noticestep": ("notice_id storage_rectificationnotice", "fiscal_year_id"),
    "storage_noticeevidence": ("notice_id storage_rectificationnotice", "fiscal_year_id"),
}


def years_of(path: tuple[str, ...], row: str) -> str:
    """A query of the fiscal year ids a record ``row`` (NEW, OLD or a transition table's
    alias) belongs to; 0 where it belongs to none."""
    if not path:
        return "SELECT 0 AS year_id"
    *hops, last = path
    expression = f"{row}.{hops[0].split()[0]}" if hops else f"{row}.{last.split()[0]}"
    for n, hop in enumerate(hops):
        _, parent = hop.split()
        column = hops[n + 1].split()[0] if n + 1 < len(hops) else last
        expression = f"(SELECT {column} FROM {parent} WHERE id = {expression})"
    if last.endswith(DEPARTMENT):
        department = f"{row}.{last.split()[0]}"
        return f"SELECT id AS year_id FROM storage_fiscalyear WHERE department_id = {department}"
    return f"SELECT coalesce({expression}, 0) AS year_id"


# SQLite: row triggers only.
SQLITE_EVENTS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}


def _sqlite_bump(path: tuple[str, ...], row: str) -> str:
    return (
        f"INSERT INTO {TABLE} (fiscal_year_id, version) SELECT year_id, random() "
        f"FROM ({years_of(path, row)}) WHERE year_id IS NOT NULL "
        "ON CONFLICT (fiscal_year_id) DO UPDATE SET version = excluded.version"
    )


def _sqlite_drop(tables: tuple[str, ...]) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {NAME}_{t}_{e}" for t in tables for e in SQLITE_EVENTS]


def sqlite_create(paths: dict[str, tuple[str, ...]]) -> list[str]:
    """The triggers of the tables of ``paths`` (table → its path to the fiscal year, as
    ``PATHS``), dropped first, so this may run again: a later migration that adds or
    rebuilds a table calls it (and ``postgres_create``) with that table's path."""
    return [
        *_sqlite_drop(tuple(paths)),
        *(
            f"CREATE TRIGGER {NAME}_{table}_{event} AFTER {event.upper()} ON {table} BEGIN "
            + "; ".join(_sqlite_bump(path, row) for row in rows)
            + "; END"
            for table, path in paths.items()
            for event, rows in SQLITE_EVENTS.items()
        ),
    ]


# PostgreSQL: one statement per changed statement, over its transition tables.
POSTGRES_RANDOM = "floor(random() * 9007199254740991)::bigint"
POSTGRES_EVENTS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "truncate": "",
}


def _postgres_bump(path: tuple[str, ...], rows: str) -> str:
    years = years_of(path, "changed").replace(" AS year_id", "")
    if not path:
        source = f"SELECT DISTINCT 0 AS year_id FROM {rows} changed"
    elif years.startswith("SELECT coalesce"):
        source = f"SELECT DISTINCT {years.removeprefix('SELECT ')} AS year_id FROM {rows} changed"
    else:  # every year of the changed records' departments
        source = (
            "SELECT DISTINCT y.id AS year_id FROM storage_fiscalyear y "
            f"JOIN {rows} changed ON y.department_id = changed." + path[-1].split()[0]
        )
    return (
        f"INSERT INTO {TABLE} (fiscal_year_id, version) SELECT year_id, {POSTGRES_RANDOM} "
        f"FROM ({source}) years WHERE year_id IS NOT NULL ORDER BY year_id "
        "ON CONFLICT (fiscal_year_id) DO UPDATE SET version = excluded.version"
    )


EVERY_YEAR = (
    f"INSERT INTO {TABLE} (fiscal_year_id, version) SELECT id, {POSTGRES_RANDOM} "
    f"FROM (SELECT 0 AS id UNION SELECT id FROM storage_fiscalyear) years ORDER BY id "
    "ON CONFLICT (fiscal_year_id) DO UPDATE SET version = excluded.version"
)


def _postgres_function(table: str, path: tuple[str, ...]) -> str:
    # plpgsql plans a statement when it first runs it, so a branch may name a transition
    # table that only the other events' triggers have
    return (
        f"CREATE OR REPLACE FUNCTION {NAME}_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_postgres_bump(path, 'new_rows')}; END IF; "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgres_bump(path, 'old_rows')}; END IF; "
        f"IF TG_OP = 'TRUNCATE' THEN {EVERY_YEAR}; END IF; "
        "RETURN NULL; END $$"
    )


def _postgres_drop(tables: tuple[str, ...]) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {NAME}_{e} ON {t}" for t in tables for e in POSTGRES_EVENTS]


def postgres_create(paths: dict[str, tuple[str, ...]]) -> list[str]:
    """The triggers of the tables of ``paths`` and their functions (dropped first)."""
    return [
        *_postgres_drop(tuple(paths)),
        *(_postgres_function(table, path) for table, path in paths.items()),
        *(
            f"CREATE TRIGGER {NAME}_{event} AFTER {event.upper()} ON {table} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {NAME}_{table}()"
            for table in paths
            for event, referencing in POSTGRES_EVENTS.items()
        ),
    ]


def _create(paths: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {
        "sqlite": [
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(fiscal_year_id integer NOT NULL PRIMARY KEY, version bigint NOT NULL)",
            *sqlite_create(paths),
            f"INSERT OR IGNORE INTO {TABLE} (fiscal_year_id, version) "
            "SELECT id, random() FROM (SELECT 0 AS id UNION SELECT id FROM storage_fiscalyear)",
        ],
        "postgresql": [
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(fiscal_year_id bigint NOT NULL PRIMARY KEY, version bigint NOT NULL)",
            *postgres_create(paths),
            EVERY_YEAR,
        ],
    }


def _drop(tables: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        "sqlite": [*_sqlite_drop(tables), f"DROP TABLE IF EXISTS {TABLE}"],
        "postgresql": [
            *_postgres_drop(tables),
            *(f"DROP FUNCTION IF EXISTS {NAME}_{table}()" for table in tables),
            f"DROP TABLE IF EXISTS {TABLE}",
        ],
    }


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao_api", "0020_line_month_sums"),
        ("storage", "0025_cities"),
    ]

    operations = [
        migrations.RunPython(
            _run(_create(PATHS)),
            _run(_drop(tuple(PATHS))),
        ),
    ]
