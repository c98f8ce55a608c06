"""`jixiao backup` / `jixiao restore`: the whole database, as it was at the backup, on the
database the settings name (SQLite in the normal run; PostgreSQL when DATABASE_URL says
so); and `export` / `load --replace` say what a data file does not carry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from jixiao.services.monitoring import monitor_stored_year
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db(transaction=True)  # a restore replaces the database

Run = Callable[..., tuple[int, str, str]]
Write = Callable[..., Path]


def _export(jixiao: Run, path: Path) -> str:
    code, _out, err = jixiao("export", "--department", "test-dept", "--year", "2024", path)
    assert code == 0, err
    return path.read_text(encoding="utf-8")


def test_a_restore_brings_back_the_database_as_it_was_at_the_backup(
    jixiao: Run, write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    assert jixiao("load", write_file(small_year_text))[0] == 0
    monitor_stored_year("test-dept", 2024, date(2024, 7, 31), snapshot=True)
    before = _export(jixiao, tmp_path / "before.yaml")
    backup = tmp_path / "jixiao.backup"
    code, out, err = jixiao("backup", backup)
    assert code == 0, err
    assert "已备份整个数据库" in out and backup.stat().st_size > 0

    changed = small_year_text.replace("name: 国土空间规划编制\n", "name: 改过的名称\n", 1)
    assert jixiao("load", "--replace", write_file(changed, "changed.yaml"))[0] == 0
    assert _export(jixiao, tmp_path / "changed.yaml") != before
    assert not m.MonitoringSnapshot.objects.exists()  # dropped by load --replace

    code, out, err = jixiao("restore", backup, "--yes")
    assert code == 0, err
    assert _export(jixiao, tmp_path / "after.yaml") == before
    assert m.MonitoringSnapshot.objects.count() == 1


def test_a_restore_asks_for_confirmation_and_refuses_a_file_that_is_not_a_backup(
    jixiao: Run, write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    data = write_file(small_year_text)
    assert jixiao("load", data)[0] == 0
    code, _out, err = jixiao("restore", data)
    assert code == 2 and "加 --yes" in err
    code, _out, err = jixiao("restore", data, "--yes")
    assert code == 2 and "不是" in err and "未做任何修改" in err and "Traceback" not in err
    code, _out, err = jixiao("restore", tmp_path / "missing.backup", "--yes")
    assert code == 2 and "找不到备份文件" in err
    assert m.FiscalYear.objects.filter(department__code="test-dept").exists()


def test_export_and_load_replace_say_what_the_data_file_does_not_carry(
    jixiao: Run, write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    data = write_file(small_year_text)
    assert jixiao("load", data)[0] == 0
    code, _out, err = jixiao("export", "--department", "test-dept", "--year", "2024", data)
    assert code == 0 and err == ""  # nothing to lose yet
    monitor_stored_year("test-dept", 2024, date(2024, 7, 31), snapshot=True)
    m.PerformanceGoal.objects.filter(project__code="P001").update(
        declaration_status=m.WorkflowStatus.approved
    )
    code, _out, err = jixiao("export", "--department", "test-dept", "--year", "2024", data)
    assert code == 0
    assert "1 个监控快照" in err and "1 个绩效目标的审核状态" in err and "未导出" in err
    assert "jixiao backup" in err
    code, _out, err = jixiao("load", "--replace", data)
    assert code == 0 and "1 个监控快照" in err and "已删除" in err
