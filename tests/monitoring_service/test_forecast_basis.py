"""Each project is forecast from the closest history there is, and the forms say which.

2023 (the year before) has a ledger for A01 (the same code as in 2024), for R01 (a
recurrent project) and for C01 (a construction project). In 2024, A01 has its own
history, R02 (recurrent, new) and C02 (construction, new) take their category's curve,
and X01 (no category, new) the department's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from jixiao.core.forecast import ProfileBasis
from jixiao.documents.monitoring_tables import PROJECT_SHEET, read_monitoring_workbook
from jixiao.services.monitoring import monitor_stored_year, write_monitoring
from tests.monitoring_service.ledger import store

pytestmark = pytest.mark.django_db

DEPARTMENT = "basis-dept"


def _line(code: str, project: str, budget: int) -> str:
    return (
        f"    - {{code: {code}, name: {code}, funding_source: general_public_budget, "
        f"nature: project, project: {project}, initial_budget: {budget}, "
        f"final_budget: {budget}}}\n"
    )


def _payments(line: str, year: int, months: dict[int, int]) -> str:
    return "".join(
        f"    - {{line: {line}, date: {year}-{month:02d}-15, amount: {amount}}}\n"
        for month, amount in months.items()
    )


EARLIER = (
    "format: jixiao-dataset/1\nunit: 万元\n"
    f"department: {{code: {DEPARTMENT}, name: 预测依据测试局}}\nyear: 2023\n"
    "budget:\n  projects:\n"
    "    - {code: A01, name: 年年都有的项目}\n"
    "    - {code: R01, name: 去年的经常性项目, recurrent: true}\n"
    "    - {code: C01, name: 去年的工程, category: construction}\n"
    "  lines:\n"
    + _line("LA", "A01", 100) + _line("LR", "R01", 100) + _line("LC", "C01", 100)
    + "  payments:\n"
    + _payments("LA", 2023, {1: 50, 12: 50})  # half in January
    + _payments("LR", 2023, dict.fromkeys(range(1, 13), 8))  # even
    + _payments("LC", 2023, {11: 10, 12: 90})  # at the end
)  # fmt: skip

CURRENT = (
    "format: jixiao-dataset/1\nunit: 万元\n"
    f"department: {{code: {DEPARTMENT}, name: 预测依据测试局}}\nyear: 2024\n"
    "budget:\n  projects:\n"
    "    - {code: A01, name: 年年都有的项目}\n"
    "    - {code: R02, name: 新的经常性项目, recurrent: true}\n"
    "    - {code: C02, name: 新的工程, category: construction}\n"
    "    - {code: X01, name: 没有类别的项目}\n"
    "  lines:\n"
    + _line("LA", "A01", 100) + _line("LR", "R02", 100) + _line("LC", "C02", 100)
    + _line("LX", "X01", 100)
    + "  payments:\n"
    + "".join(_payments(line, 2024, {3: 10}) for line in ("LA", "LR", "LC", "LX"))
)  # fmt: skip

AS_OF = date(2024, 7, 31)


@pytest.fixture
def stored() -> None:
    store(EARLIER)
    store(CURRENT)


def test_each_project_takes_its_own_history_else_its_categorys_else_the_departments(
    stored: None,
) -> None:
    report = monitor_stored_year(DEPARTMENT, 2024, AS_OF)
    basis = {f.project_code: f.profile_basis for f in report.forecasts}
    assert basis == {
        "A01": ProfileBasis.own,
        "R02": ProfileBasis.category,
        "C02": ProfileBasis.category,
        "X01": ProfileBasis.department,
    }
    sources = {f.project_code: f.profile_source for f in report.forecasts}
    assert sources == {
        "A01": "本项目2023年支出台账",
        "R02": "经常性项目2023年支出台账",
        "C02": "工程类项目2023年支出台账",
        "X01": "本部门2023年支出台账",
    }


def test_the_curves_differ_as_the_histories_do(stored: None) -> None:
    forecasts = {f.project_code: f for f in monitor_stored_year(DEPARTMENT, 2024, AS_OF).forecasts}
    # the same 10 万元 spent: A01 spent half by January last year (→ 20); recurrent
    # spending is even (56/96 by July → 17.14); C01 spent nothing before November (→ all)
    assert forecasts["A01"].profile_share == Decimal("0.5")
    assert abs(forecasts["R02"].profile_share - Decimal(56) / Decimal(96)) < Decimal("1e-20")
    assert forecasts["C02"].profile_share == 0
    projected = {code: f.projected for code, f in forecasts.items()}
    assert projected == {
        "A01": Decimal("200000.00"),
        "R02": Decimal("171400.00"),
        "C02": Decimal("1000000.00"),
        "X01": forecasts["X01"].projected,
    }


def test_the_table_and_the_text_say_which_history_each_forecast_used(
    stored: None, tmp_path: Path
) -> None:
    report = monitor_stored_year(DEPARTMENT, 2024, AS_OF)
    written = write_monitoring(report, tmp_path)
    paragraphs = [p.text for p in Document(str(written.docx)).paragraphs]
    assert (
        "4个项目中，按本项目上年支出曲线预测的1个、按同类项目支出曲线预测的2个、"
        "按本部门支出曲线预测的1个，各项目的预测依据见下表注。"
    ) in paragraphs
    assert (
        "注：预测依据（逐月累计支出曲线）：“年年都有的项目”按本项目2023年支出台账；"
        "“新的经常性项目”按经常性项目2023年支出台账；“新的工程”按工程类项目2023年支出台账；"
        "其余项目按本部门2023年支出台账。"
    ) in paragraphs
    rows = read_monitoring_workbook(written.xlsx)[PROJECT_SHEET].rows
    assert {row["项目代码"]: row["预测依据"] for row in rows if row["项目代码"] in ("X01",)} == {
        "X01": "本部门2023年支出台账"
    }
