"""Helpers for the performance-form tests: the demo year, exports, and cell edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from jixiao.cli import demo_dataset_path
from jixiao.demo.synthetic import DEPARTMENT_CODE, demo_dataset_2023, synthetic_year_2022
from jixiao.interchange.dataset_file import dump_dataset, parse_dataset, read_dataset
from jixiao.services.errors import NotFound
from jixiao.services.excel_export import export_form_workbook
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

DEMO = DEPARTMENT_CODE
DEMO_YEAR = 2023
P07 = "LW23-P07 不动产登记业务运行"
P09 = "LW23-P09 违法用地图斑整治"
P04 = "LW23-P04 国土空间总体规划编制"
DEPARTMENT_SHEET = "部门整体支出绩效自评表"
AS_OF = (date(2023, 7, 31), date(2023, 10, 31))


def store_demo() -> None:
    """What ``jixiao demo`` stores: the synthetic 2022 year, then the Liwan 2023 year."""
    store_dataset(synthetic_year_2022(), replace=True)
    store_dataset(demo_dataset_2023(read_dataset(demo_dataset_path())), replace=True)


def store_text(text: str) -> None:
    store_dataset(parse_dataset(text.encode("utf-8")), replace=True)


def stored(department: str = DEMO, year: int = DEMO_YEAR) -> str:
    """The stored year as dataset text (payments included), "" when there is none."""
    try:
        return dump_dataset(export_dataset(department, year))
    except NotFound:
        return ""


def counts() -> dict[str, int]:
    """Rows per table, for “nothing was written” checks."""
    models = (
        m.Department,
        m.FiscalYear,
        m.Project,
        m.BudgetLine,
        m.BudgetAdjustment,
        m.Payment,
        m.PerformanceGoal,
        m.Indicator,
        m.IndicatorProgress,
        m.MonitoringSnapshot,
        m.EvaluationInput,
    )
    counted = {model.__name__: model.objects.count() for model in models}
    for model in (m.PerformanceGoal, m.Indicator, m.IndicatorProgress, m.Project):
        counted[f"history:{model.__name__}"] = model.history.count()  # type: ignore[attr-defined]
    return counted


def export(
    kind: str, path: Path, department: str = DEMO, year: int = DEMO_YEAR, as_of: date | None = None
) -> Path:
    return export_form_workbook(department, year, kind, path, as_of)


Edit = Callable[[Any], None]


def edit(path: Path, out: Path, sheet: str, cells: dict[str, Any]) -> Path:
    """A copy of a workbook with some cells of one sheet changed (openpyxl)."""
    book = load_workbook(path)
    target = book[sheet]
    for ref, value in cells.items():
        target[ref] = value
    book.save(out)
    return out


def edit_many(path: Path, out: Path, changes: dict[str, dict[str, Any]]) -> Path:
    book = load_workbook(path)
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            book[sheet][ref] = value
    book.save(out)
    return out


def find_row(path: Path, sheet: str, column: str, text: str) -> int:
    """The 1-based row whose cell in ``column`` is ``text``."""
    book = load_workbook(path)
    target = book[sheet]
    for row in range(1, target.max_row + 1):
        if target[f"{column}{row}"].value == text:
            return row
    raise LookupError(f"{sheet}!{column}: {text}")
