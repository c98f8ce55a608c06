"""The synthetic city: its size follows the options, it is the same every time, and
``jixiao demo --city N`` loads it and writes the city's batch."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from jixiao.cli import demo_dataset_path
from jixiao.demo.city import city_department, department_code
from jixiao.demo.synthetic import demo_dataset_2023
from jixiao.interchange.dataset_file import read_dataset
from tests.hardening.hostile import jixiao_command


def test_a_department_has_the_projects_and_about_the_payments_asked_for() -> None:
    base = demo_dataset_2023(read_dataset(demo_dataset_path()))
    department = city_department(base, 7, projects=5, payments=2_000)
    assert department.department.code == department_code(7) == "city-007"
    assert len(department.budget.projects) == 5
    assert len(department.budget.lines) == 7  # and the two basic lines
    assert 1_500 <= len(department.budget.payments) <= 2_500
    project_goals = [goal for goal in department.goals if goal.project]
    assert [goal.project for goal in project_goals] == [p.code for p in department.budget.projects]
    assert department.budget.totals.carryover is not None
    assert city_department(base, 7, projects=5, payments=2_000) == department


def test_demo_city_loads_the_city_and_writes_its_batch(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command, env = jixiao_command(tmp_path / "home", "demo", "--city", "2", "--projects", "2",
                                  "--payments", "60", "--workers", "2", "--out", out)  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "已载入合成部门 2/2：示例市教育局" in done.stdout
    assert "进度：[####################] 3/3（100%）" in done.stdout
    with zipfile.ZipFile(out / "2023-city-batch-1.zip") as bundle:
        names = set(bundle.namelist())
    assert "city-001/2023-city-001-self-evaluation.docx" in names
    assert "city-002/2023-city-002-monitoring-20230731.xlsx" in names
    overview = dict(
        load_workbook(out / "2023-city-summary.xlsx")["总体情况"].iter_rows(min_row=2,
                                                                         values_only=True)
    )  # fmt: skip
    assert overview["已生成自评报告的部门"] == "2个"
    assert overview["自评等级为“未评分”的部门"] == "0个"  # every department is scored
