"""Reading a filled 预算与执行 or 支出明细 workbook for an import: the tables, the department
and year it names, and what an import did. Files only: ``services.excel_import`` reads what
is stored, plans with ``planning.plan_import`` and writes.

1. ``tables_of`` / ``locate_tables``: each sheet of a workbook (``read_workbook``: limits
   first; a worksheet larger than ``Limits.stream_bytes`` is not read whole: its ledger
   table is read row by row while the plan is made, so memory holds the planned payments,
   not the sheet) is located by ``locate`` (the budget, adjustments and ledger layouts are
   data, matched by their header text; the best match wins, a sheet named like a table
   breaks ties). A workbook may hold any of them, and several sheets of one kind (e.g. the
   ledger split by quarter, one in 元 and one in 万元).
   ``refuse_mixed``: a workbook holds performance forms or these tables, not both.
2. ``identity``: department and year come from the labelled cells above a table (部门代码,
   部门名称, 年度; a year in the title, as in “2023年度…”, also counts) or from the
   arguments; a conflict between them is a problem. ``resolve_identity``: without a code,
   the caller's lookup finds a stored department whose name matches exactly.
3. ``ImportResult``: the sheets and rows read, their 合计 (``sheet_totals``) and the plan
   (every change, by sheet row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.core.money import ZERO
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.headers import (
    Labelled,
    Table,
    find_labelled,
    find_year_in_text,
    read_table,
)
from jixiao.interchange.excel.layout_files import FormLayout, LayoutForm, shipped_layouts
from jixiao.interchange.excel.layouts import METADATA
from jixiao.interchange.excel.locate import Located, locate_workbook
from jixiao.interchange.excel.planning import ACTION_LABELS, Change, Plan, Tables
from jixiao.interchange.excel.workbook import Sheet, Workbook
from jixiao.interchange.problems import InputRejected, Problem

FORMS_ONLY = (
    "未找到绩效目标申报表、绩效自评表或绩效监控表：业务科室只能导入本科室项目的绩效表格，"
    "预算与执行表、预算调整表和支出明细由财务科导入"
)


@dataclass(frozen=True)
class ColumnTotal:
    """The 合计 of one amount column of a sheet, as the sheet holds it."""

    label: str
    yuan: Decimal
    unit: AmountUnit | None
    """The unit the sheet declares for the column (None: not declared)."""


@dataclass(frozen=True)
class SheetTotals:
    """One sheet read: its data rows and the 合计 of each amount column, so a clerk can
    tick the preview against the sheet in Excel."""

    sheet: str
    table: str
    rows: int
    amounts: tuple[ColumnTotal, ...]


def column_totals(table: Table) -> tuple[ColumnTotal, ...]:
    """The sum of every amount column the table has, over its data rows (blank cells
    and cells that failed to read count as nothing)."""
    header = table.header
    totals = []
    for column in table.spec.columns:
        if not column.amount or not table.has(column.key):
            continue
        total = table.sums.get(column.key, ZERO)  # summed as read: a large ledger streams
        declared = header.declared.get(column.key)
        unit = (declared.unit if declared else None) or header.sheet_unit
        totals.append(ColumnTotal(column.label, total, unit))
    return tuple(totals)


def sheet_totals(table: Table) -> SheetTotals:
    return SheetTotals(table.sheet.name, table.spec.name, table.count, column_totals(table))


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with dry_run, would do)."""

    department_code: str
    department_name: str
    year: int
    file: str
    sheets: tuple[str, ...]
    """The sheets read, with the table each holds: “预算与执行（预算与执行表）”."""
    rows: int
    """Data rows read."""
    dry_run: bool
    created_year: bool
    plan: Plan
    totals: tuple[SheetTotals, ...] = field(default_factory=tuple)
    """Per sheet read: its data rows and the 合计 of its amount columns."""
    read_as: tuple[str, ...] = ()
    """Performance forms: how each sheet was read (“绩效指标：按版式“…”读取”)."""

    def changes(self) -> Iterator[Change]:
        """Every change, budget first, then the ledger (built on demand)."""
        return self.plan.changes()

    def counts(self) -> dict[str, dict[str, int]]:
        """{“预算行”: {“added”: 1, …}, …} including the ledger without building its changes."""
        counts: dict[str, dict[str, int]] = {}
        if self.plan.tables.budget:
            counts["预算行"] = {"added": 0, "changed": 0, "removed": 0}
        for change in self.plan.budget_changes:
            bucket = counts.setdefault(change.what, {"added": 0, "changed": 0, "removed": 0})
            bucket[change.action] += 1
        if self.plan.tables.ledger:
            counts["支出"] = {
                "added": len(self.plan.add),
                "changed": len(self.plan.update),
                "removed": len(self.plan.remove),
            }
        return counts

    @property
    def changed(self) -> bool:
        return any(n for bucket in self.counts().values() for n in bucket.values())

    def summary(self) -> str:
        """“预算行：新增 1，修改 0，删除 0；支出：新增 3，修改 0，删除 0”."""
        parts = []
        for what, bucket in self.counts().items():
            numbers = "，".join(f"{ACTION_LABELS[a]} {bucket[a]}" for a in ACTION_LABELS)
            parts.append(f"{what}：{numbers}")
        return "；".join(parts) if parts else "没有可比较的数据"


def refuse_mixed(located: Sequence[Located]) -> None:
    """A workbook holds forms or budget/ledger tables, not both (neither is left unread)."""
    forms = sorted(found.sheet.name for found in located if found.layout.form.is_form)
    complete = [
        found for found in located
        if not found.layout.form.is_form
        and all(c.key in found.header.columns for c in found.layout.table.columns if c.required)
    ]  # fmt: skip
    if complete:
        raise InputRejected([
            Problem(
                found.sheet.name,
                f"此工作簿既有绩效表（{'、'.join(forms)}），又有{found.layout.table.name}；"
                "请把预算与执行、支出明细和绩效表分开导入",
            )
            for found in complete
        ])  # fmt: skip


# Reading the tables located


def tables_of(located: Sequence[Located], workbook_name: str) -> tuple[Tables, list[Problem]]:
    """The budget, adjustments and ledger tables located, read, with their problems."""
    tables = Tables()
    problems: list[Problem] = []
    for found in located:
        form = found.layout.form
        if form.is_form:
            continue
        table = read_table(found.sheet, found.layout.table, found.header,
                           stream=form is LayoutForm.ledger)  # fmt: skip
        if table is None:  # pragma: no cover - the header was found when located
            continue
        if form is LayoutForm.budget:
            tables.budget.append(table)
        elif form is LayoutForm.adjustments:
            tables.adjustments.append(table)
        else:
            tables.ledger.append(table)
    if not tables.all():
        problems.append(
            Problem(
                workbook_name,
                "没有找到可导入的表：预算与执行表的表头应有 预算行代码、预算行名称、资金来源、"
                "支出性质、年初预算数、全年预算数；支出明细表的表头应有 预算行代码、支付日期、金额"
                "（可在“导入”页下载模板，或用 jixiao template budget、"
                "jixiao template ledger 生成）",
            )
        )
    return tables, problems


def locate_tables(
    workbook: Workbook,
    unit: AmountUnit | None = None,
    layouts: Sequence[FormLayout] | None = None,
) -> tuple[Tables, list[Problem]]:
    """The budget, adjustments and ledger tables of a workbook, read, with their problems."""
    tables_only = [layout for layout in layouts or shipped_layouts() if not layout.form.is_form]
    return tables_of(locate_workbook(workbook, tables_only, unit), workbook.name)


# Department and year


@dataclass
class Identity:
    """The department code, name and year a workbook names, each with where it says so."""

    code: tuple[str, str] | None = None
    name: tuple[str, str] | None = None
    year: tuple[int, str] | None = None


def identity(
    tables: Tables, department: str | None, year: int | None, problems: list[Problem]
) -> Identity:
    meta = Identity(
        code=(department, "--department") if department else None,
        year=(year, "--year") if year else None,
    )
    for table in tables.all():
        sheet = table.sheet
        above = range(0, table.header.rows[0])
        found = find_labelled(sheet, METADATA, above)
        if "year" not in found:
            titled = find_year_in_text(sheet, above)
            if titled:
                found["year"] = titled
        for key, labelled in found.items():
            _merge(meta, key, labelled, sheet, problems)
    return meta


def _merge(
    meta: Identity, key: str, labelled: Labelled, sheet: Sheet, problems: list[Problem]
) -> None:
    where = sheet.where(labelled.row, labelled.col)
    value: Any
    try:
        if key == "year":
            value = cells.integer(labelled.value)
            if value is not None and not 1990 <= value <= 2100:
                raise cells.CellError(f"“{cells.display(labelled.value)}”不是有效的年度")
        elif key == "department_code":
            value = cells.code(labelled.value)
        else:
            value = cells.text(labelled.value) or None
    except cells.CellError as error:
        problems.append(Problem(where, f"{META_LABELS[key]}：{error}"))
        return
    if value is None:
        return
    current = getattr(meta, _META_FIELDS[key])
    if current is None:
        setattr(meta, _META_FIELDS[key], (value, where))
    elif current[0] != value:
        problems.append(
            Problem(
                where,
                f"{META_LABELS[key]}：此处为“{value}”，与 {current[1]} 的“{current[0]}”不一致",
            )
        )


_META_FIELDS = {"department_code": "code", "department_name": "name", "year": "year"}
META_LABELS = {"department_code": "部门代码", "department_name": "部门名称", "year": "年度"}


def resolve_identity(
    meta: Identity,
    workbook: Workbook,
    problems: list[Problem],
    department_named: Callable[[str], str | None],
) -> tuple[str | None, str | None, int | None]:
    """Code, name and year; without a code, ``department_named`` finds one by the name."""
    name = meta.name[0] if meta.name else None
    code = meta.code[0] if meta.code else None
    if code is None and name is not None:
        code = department_named(name)
    if code is None:
        problems.append(
            Problem(
                workbook.name,
                "表中没有部门代码：请在表头上方写“部门代码”和代码（如 liwan-ghzy），"
                "或用 --department 指定",
            )
        )
    if meta.year is None:
        problems.append(
            Problem(
                workbook.name,
                "表中没有年度：请在表头上方写“年度”和年份（如 2023），或用 --year 指定",
            )
        )
    return code, name, meta.year[0] if meta.year else None
