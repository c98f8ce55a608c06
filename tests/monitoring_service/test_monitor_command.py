"""`jixiao monitor` and `jixiao snapshots` on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.storage import models as m
from tests.monitoring_service.ledger import LEDGER_YEAR

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
MONITOR = ("monitor", "--department", "jc-dept", "--year", "2024")


@pytest.fixture
def loaded(jixiao: Run, write_file: Callable[[str, str], Path]) -> None:
    code, _, err = jixiao("load", write_file(LEDGER_YEAR, "ledger.yaml"))
    assert code == 0, err


def test_it_writes_the_table_and_the_report_and_prints_the_headline(
    loaded: None, jixiao: Run, tmp_path: Path
) -> None:
    code, out, err = jixiao(*MONITOR, "--as-of", "2024-07-31", "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "2024-jc-dept-monitoring-20240731.xlsx").exists()
    assert (tmp_path / "out" / "2024-jc-dept-monitoring-20240731.docx").exists()
    assert "序时进度 58.33%" in out
    assert "项目 3 个：红灯 2 个，黄灯 0 个，绿灯 1 个" in out
    assert "涉及预计执行低于90.00%的项目 2 个" in out
    assert "预算行“B02”（公用经费）只有全年执行数18.00万元" in out


def test_a_date_outside_the_year_is_refused_in_chinese_and_nothing_is_written(
    loaded: None, jixiao: Run, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = jixiao(*MONITOR, "--as-of", "2025-01-01", "--snapshot", "--out", out_dir)
    assert code == 2
    assert "监控日期2025-01-01不在2024年度内" in err
    assert "Traceback" not in err and out == ""
    assert not out_dir.exists()
    assert m.MonitoringSnapshot.objects.count() == 0


def test_a_malformed_date_is_refused_in_chinese(loaded: None, jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao(*MONITOR, "--as-of", "2024-02-30", "--out", tmp_path / "out")
    assert code == 2
    assert "监控日期“2024-02-30”不是有效日期" in err
    assert not (tmp_path / "out").exists()


def test_an_unknown_year_is_refused(loaded: None, jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao(
        "monitor", "--department", "jc-dept", "--year", "2030", "--as-of", "2030-07-31",
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert code == 2
    assert "未找到部门“jc-dept”的2030年度数据" in err


def test_json_output_parses_and_carries_the_whole_report(
    loaded: None, jixiao: Run, tmp_path: Path
) -> None:
    code, out, err = jixiao(
        *MONITOR, "--as-of", "2024-10-31", "--json", "--snapshot", "--out", tmp_path / "out"
    )
    assert code == 0, err
    data = json.loads(out)
    assert Path(data["files"]["xlsx"]).exists()
    report = data["report"]
    assert report["result"]["time_progress"].startswith("0.8333")
    assert [p["light"] for p in report["result"]["projects"]] == ["red", "green", "red"]
    assert report["result"]["consequences"][0]["project_code"] == "P01"
    assert report["plan"]["lagging"] == ["P01", "P03"]
    assert report["snapshot_id"] == m.MonitoringSnapshot.objects.get().id


def test_snapshots_are_listed_and_compared(loaded: None, jixiao: Run, tmp_path: Path) -> None:
    for day in ("2024-07-31", "2024-10-31"):
        assert jixiao(*MONITOR, "--as-of", day, "--snapshot", "--out", tmp_path)[0] == 0
    first, second = m.MonitoringSnapshot.objects.order_by("id").values_list("id", flat=True)
    code, out, _ = jixiao("snapshots", "--department", "jc-dept", "--year", "2024")
    assert code == 0
    assert f"{first}\t截至 2024-07-31" in out and f"{second}\t截至 2024-10-31" in out
    code, out, _ = jixiao(
        "snapshots", "--department", "jc-dept", "--year", "2024", "--compare", first, second
    )
    assert code == 0
    assert "城市更新项目（P01）：执行数 95.00 → 155.00 万元（+60.00）" in out
    assert "执行率 23.75% → 38.75%" in out


def test_comparing_a_snapshot_of_another_year_is_refused(loaded: None, jixiao: Run) -> None:
    code, _, err = jixiao(
        "snapshots", "--department", "jc-dept", "--year", "2024", "--compare", "1", "999"
    )
    assert code == 2
    assert "没有编号为1的监控快照" in err
