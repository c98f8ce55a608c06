"""The 预算与执行 and 支出明细 layouts by name: their tables, shared by templates, import and
export. The layouts themselves are data (``rules/layouts/budget.yaml``,
``budget-adjustments.yaml``, ``ledger.yaml``, read by ``layout_files``):

- ``BUDGET`` (sheet 预算与执行): one row per budget line (预算行). Natural key: 预算行代码.
- ``ADJUSTMENTS`` (sheet 预算调整, in the budget workbook): one row per budget adjustment.
- ``LEDGER`` (sheet 支出明细): one row per payment.

``METADATA`` names the labelled cells above a table (部门代码, 部门名称, 年度); the unit is
declared as “单位：万元” (or “单位：元”) in the same block.

``KINDS`` maps each template name (English and Chinese) to its sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.interchange.excel.headers import TableSpec
from jixiao.interchange.excel.layout_files import shipped_layout

BUDGET = shipped_layout("budget").table
ADJUSTMENTS = shipped_layout("budget-adjustments").table
LEDGER = shipped_layout("ledger").table
METADATA = dict(shipped_layout("budget").labels)


@dataclass(frozen=True)
class Kind:
    """A template: its name, Chinese title, and the sheets (title, table) it holds."""

    name: str
    title: str
    sheets: tuple[tuple[str, TableSpec], ...]


BUDGET_KIND = Kind("budget", "预算与执行", (("预算与执行", BUDGET), ("预算调整", ADJUSTMENTS)))
LEDGER_KIND = Kind("ledger", "支出明细", (("支出明细", LEDGER),))

KINDS: dict[str, Kind] = {
    "budget": BUDGET_KIND,
    "预算与执行": BUDGET_KIND,
    "ledger": LEDGER_KIND,
    "支出明细": LEDGER_KIND,
}
"""Template names accepted by ``jixiao template`` and ``jixiao export-xlsx``."""
