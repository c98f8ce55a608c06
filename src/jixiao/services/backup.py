"""Backing up and restoring the whole database, and what a department-year's data file
leaves out.

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent image
  while the server keeps running; the copy is written beside the target and renamed into
  place, so a half-written backup never carries the target's name. Restoring copies the
  backup into the live database the same way, in one step, then brings its schema up to
  date (migrations) and empties the page cache.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction``
  (the client tools must be on PATH), with the connection settings of ``DATABASE_URL``.

A data file (``jixiao export``) holds a year's figures, goals and texts but not its
monitoring snapshots, workflow states, comments, rectification items or generated
reports: ``archive_gaps`` counts what ``load --replace`` of that file would drop, so the
command line can say so instead of losing it silently.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from jixiao.errors import UserFacingError
from jixiao.storage import models as m

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


@dataclass(frozen=True)
class Backup:
    path: Path
    engine: str
    """"SQLite" or "PostgreSQL"."""
    size: int


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _engine_name() -> str:
    return "SQLite" if _is_sqlite() else "PostgreSQL"


def backup_database(target: Path) -> Backup:
    """A consistent copy of the whole database at ``target`` (replaced if it exists)."""
    target = target.resolve()
    if target.is_dir():
        raise UserFacingError(f"备份目标“{target}”是一个文件夹，请给出文件名")
    if not target.parent.is_dir():
        raise UserFacingError(f"备份目标所在的文件夹“{target.parent}”不存在")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if _is_sqlite():
            _sqlite_backup(partial)
        else:
            _pg("pg_dump", "--format=custom", "--no-owner", f"--file={partial}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, _engine_name(), target.stat().st_size)


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    live = connection.connection
    copy = sqlite3.connect(path)
    try:
        live.backup(copy)
    finally:
        copy.close()


def restore_database(source: Path) -> Backup:
    """Replace the whole database by the backup at ``source``; refuse a file that is not
    a backup of this kind of database, before anything is changed."""
    source = source.resolve()
    if not source.is_file():
        raise UserFacingError(f"找不到备份文件“{source}”")
    with source.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if _is_sqlite():
        if not header.startswith(SQLITE_HEADER):
            raise UserFacingError(
                f"“{source}”不是 SQLite 数据库的备份（jixiao backup 在 SQLite 上写出的文件），"
                "未做任何修改"
            )
        _sqlite_restore(source)
    else:
        if not header.startswith(PG_DUMP_HEADER):
            raise UserFacingError(
                f"“{source}”不是 pg_dump 自定义格式的备份（jixiao backup 在 PostgreSQL 上写出的"
                "文件），未做任何修改"
            )
        connection.close()
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(source),
        )
    call_command("migrate", verbosity=0, interactive=False)  # a backup of an older version
    cache.clear()  # page parts are keyed by data versions, which the restore turned back
    return Backup(source, _engine_name(), source.stat().st_size)


def _sqlite_restore(path: Path) -> None:
    backup = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        problem = backup.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        backup.close()
        raise UserFacingError(f"备份文件“{path}”已损坏（{error}），未做任何修改") from None
    if problem is None or problem[0] != "ok":
        backup.close()
        raise UserFacingError(f"备份文件“{path}”未通过完整性检查，未做任何修改")
    connection.ensure_connection()
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
    connection.close()  # the next query opens the restored file afresh


def _pg(tool: str, *arguments: str) -> None:
    """Run a PostgreSQL client tool against the configured database."""
    if shutil.which(tool) is None:
        raise UserFacingError(f"找不到 PostgreSQL 客户端程序 {tool}：请安装 postgresql-client")
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    command = [tool, *arguments, f"--dbname={settings['NAME']}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise UserFacingError(f"{tool} 失败（退出码 {done.returncode}）：{' '.join(detail)}")


@dataclass(frozen=True)
class ArchiveGaps:
    """What a department-year holds that its data file does not carry."""

    snapshots: int
    reviewed_goals: int
    """Goals whose declaration or self-evaluation is submitted, approved or returned."""
    transitions: int
    rectifications: int
    reports: int
    report_sections: int = 0
    """Sections written on the 报告文字 page (and the outline chosen), beyond the prose the
    data file carries."""

    def sentences(self) -> list[str]:
        parts = [
            (self.snapshots, f"{self.snapshots} 个监控快照"),
            (self.reviewed_goals, f"{self.reviewed_goals} 个绩效目标的审核状态（会退回草稿）"),
            (self.transitions, f"{self.transitions} 条提交、审核和退回记录"),
            (self.rectifications, f"{self.rectifications} 个整改事项"),
            (self.reports, f"{self.reports} 份已生成的报告"),
            (self.report_sections, f"{self.report_sections} 节报告文字及其审核状态"),
        ]
        return [text for count, text in parts if count]


def archive_gaps(department: str, year: int) -> ArchiveGaps:
    fiscal_year = m.FiscalYear.objects.filter(department__code=department, year=year).first()
    if fiscal_year is None:
        return ArchiveGaps(0, 0, 0, 0, 0)
    draft = m.WorkflowStatus.draft
    goals = m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year)
    return ArchiveGaps(
        snapshots=m.MonitoringSnapshot.objects.filter(fiscal_year=fiscal_year).count(),
        reviewed_goals=goals.exclude(declaration_status=draft, evaluation_status=draft).count(),
        transitions=m.WorkflowTransition.objects.filter(goal__fiscal_year=fiscal_year).count(),
        rectifications=m.Rectification.objects.filter(fiscal_year=fiscal_year).count(),
        reports=m.GeneratedReport.objects.filter(fiscal_year=fiscal_year).count(),
        report_sections=m.ReportSection.objects.filter(fiscal_year=fiscal_year).count()
        + m.ReportOutlineChoice.objects.filter(fiscal_year=fiscal_year).count(),
    )
