"""Import a filled 预算与执行 or 支出明细 workbook into a stored department-year, all or nothing.

``import_workbook(path, dry_run=False, department=None, year=None, unit=None,
rights=None) -> ImportResult``

``rights`` (``ImportRights``; None: anything, as on the command line) say which goals the
import may change and whether it may change the budget: a change beyond them — a goal of
a project that is not the importer's, the department goal, a budget line or a project
itself — is a problem, by the same rule as the form and the API.

A workbook that holds performance forms (项目支出绩效目标申报表, 项目支出绩效自评表,
部门整体支出绩效自评表, 绩效目标执行监控表, told by their sheet text) goes to
``form_import.import_forms`` instead, with the same result and the same all-or-nothing rule.

1. ``read_workbook`` (limits first: size, zip bomb, rows; a worksheet larger than
   ``Limits.stream_bytes`` is not read whole: its ledger table is read row by row while
   the plan is made, so memory holds the planned payments, not the sheet), then each
   visible sheet is matched against the three tables of ``layouts`` by its header text
   (the best match wins; a
   sheet named like a table breaks ties). A workbook may hold any of them, and several
   sheets of one kind (e.g. the ledger split by quarter, one in 元 and one in 万元).
2. Department and year come from the labelled cells above a table (部门代码, 部门名称,
   年度; a year in the title, as in “2023年度…”, also counts) or from the arguments; a
   conflict between them is a problem. Without a code, a stored department whose name
   matches exactly is used.
3. The stored year is read with ``export_dataset`` (the ledger in bulk), and
   ``planning.plan_import`` works out the year after the import, every change (added /
   changed / removed, by sheet row) and every problem, mapped to ``sheet!A1`` cells.
4. Any problem: ``InputRejected`` with all of them; nothing is written. ``dry_run``: the
   result lists the changes; nothing is written.
5. Otherwise the changes are written in place in ONE transaction (the year's row is
   locked first): new, changed and removed budget lines, projects and adjustments through
   the ORM one by one (so each lands in the audit history); payments (not audited) deleted
   by id, changed by ``bulk_update``, added in batches of ``PAYMENT_BATCH`` rows (a prepared
   INSERT executed per row; COPY on PostgreSQL). A year
   that is not stored yet is created with ``store_dataset`` inside the same transaction.
   Unchanged rows are not touched, and a second import of the same file writes nothing.

Why in place rather than ``store_dataset(..., replace=True)``: replacing deletes the year's
row and with it, by cascade, everything the dataset does not carry (monitoring snapshots,
which are immutable), and rewrites 100,000 payments to change one line.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from pydantic import ValidationError

from jixiao.core.amounts import to_yuan
from jixiao.core.money import ZERO
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel import cells
from jixiao.interchange.excel.headers import (
    Header,
    Labelled,
    Table,
    TableSpec,
    find_header,
    find_labelled,
    find_year_in_text,
    read_table,
)
from jixiao.interchange.excel.layouts import ADJUSTMENTS, BUDGET, LEDGER, METADATA, SHEET_HINTS
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.planning import (
    ACTION_LABELS,
    Change,
    NewPayment,
    Plan,
    StoredPayment,
    Tables,
    plan_import,
)
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.excel.workbook import Sheet, Workbook, read_workbook
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

FORMS_ONLY = (
    "未找到绩效目标申报表、绩效自评表或绩效监控表：业务科室只能导入本科室项目的绩效表格，"
    "预算与执行表、预算调整表和支出明细由财务科导入"
)

PAYMENT_BATCH = 5000
"""Rows per INSERT when adding payments."""


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


def import_workbook(
    path: Path,
    *,
    dry_run: bool = False,
    department: str | None = None,
    year: int | None = None,
    unit: AmountUnit | None = None,
    limits: Limits | None = None,
    rights: ImportRights | None = None,
    layouts: Sequence[Path | str] = (),
) -> ImportResult:
    """Import a workbook; raise InputRejected with every problem (nothing written).

    ``layouts``: form layout files or folders read besides the shipped ones.
    """
    collecting = gc.isenabled()
    gc.disable()  # a large sheet is 100,000s of lists: cyclic collection would rescan them all
    try:
        return _import(path, dry_run, department, year, unit, limits, rights, layouts)
    finally:
        if collecting:
            gc.enable()


def _import(
    path: Path,
    dry_run: bool,
    department: str | None,
    year: int | None,
    unit: AmountUnit | None,
    limits: Limits | None,
    rights: ImportRights | None,
    layouts: Sequence[Path | str],
) -> ImportResult:
    workbook = read_workbook(path, limits, stream=True)  # a large ledger: read as planned
    from jixiao.interchange.excel.form_import import import_forms
    from jixiao.interchange.excel.form_sheets import read_forms
    from jixiao.interchange.excel.layout_files import load_layouts

    # goal, self-evaluation and monitoring forms, by sheet text
    forms = read_forms(workbook, load_layouts(layouts))
    if forms:
        _refuse_mixed(workbook, {form.name for form in forms}, unit)
        return import_forms(
            workbook, forms, dry_run=dry_run, department=department, year=year, rights=rights
        )
    if rights is not None and not rights.budget:
        raise InputRejected([Problem(workbook.name, FORMS_ONLY)])
    tables, problems = locate_tables(workbook, unit)
    meta = _metadata(tables, department, year, problems)
    if problems:
        raise InputRejected(problems)
    code, name, fiscal_year = _resolve(meta, workbook, problems)
    if problems or code is None or fiscal_year is None:
        raise InputRejected(problems)
    with transaction.atomic():
        before, stored, created = _stored(code, name, fiscal_year, tables, problems)
        if problems or before is None:
            raise InputRejected(problems)
        plan = plan_import(tables, before, stored)
        if plan.problems:
            raise InputRejected(plan.problems)
        if not dry_run:
            _write(plan, created)
    return ImportResult(
        department_code=code,
        department_name=before.department.name,
        year=fiscal_year,
        file=workbook.name,
        sheets=tuple(f"{t.sheet.name}（{t.spec.name}）" for t in tables.all()),
        rows=sum(t.count for t in tables.all()),
        dry_run=dry_run,
        created_year=created,
        plan=plan,
        totals=tuple(sheet_totals(t) for t in tables.all()),
    )


def _refuse_mixed(workbook: Workbook, form_sheets: set[str], unit: AmountUnit | None) -> None:
    """A workbook holds forms or budget/ledger tables, not both (neither is left unread)."""
    rest = replace(workbook, sheets=tuple(s for s in workbook.sheets if s.name not in form_sheets))
    tables, _ = locate_tables(rest, unit)
    complete = [
        table for table in tables.all()
        if all(c.key in table.header.columns for c in table.spec.columns if c.required)
    ]  # fmt: skip
    if complete:
        raise InputRejected([
            Problem(
                table.sheet.name,
                f"此工作簿既有绩效表（{'、'.join(sorted(form_sheets))}），又有{table.spec.name}；"
                "请把预算与执行、支出明细和绩效表分开导入",
            )
            for table in complete
        ])  # fmt: skip


# Finding the tables


def _score(header: Header, spec: TableSpec, sheet: Sheet) -> tuple[int, int, int]:
    required = [c.key for c in spec.columns if c.required]
    complete = int(all(key in header.columns for key in required))
    hinted = int(any(word in sheet.name and hint is spec for word, hint in SHEET_HINTS.items()))
    return complete, header.matched, hinted


def locate_tables(
    workbook: Workbook, unit: AmountUnit | None = None
) -> tuple[Tables, list[Problem]]:
    """The budget, adjustments and ledger tables of a workbook, read, with their problems."""
    tables = Tables()
    problems: list[Problem] = []
    for sheet in workbook.sheets:
        if sheet.hidden:
            continue
        best: tuple[tuple[int, int, int], TableSpec, Header] | None = None
        for spec in (BUDGET, ADJUSTMENTS, LEDGER):
            header = find_header(sheet, spec, default_unit=unit)
            if header is None:
                continue
            score = _score(header, spec, sheet)
            if best is None or score > best[0]:
                best = (score, spec, header)
        if best is None:
            continue
        (complete, matched, _), spec, header = best
        if not complete and matched < 3:
            continue  # a stray pair of words, not a table
        table = read_table(sheet, spec, header, stream=spec is LEDGER)
        if table is None:  # pragma: no cover - the header was found above
            continue
        if spec is BUDGET:
            tables.budget.append(table)
        elif spec is ADJUSTMENTS:
            tables.adjustments.append(table)
        else:
            tables.ledger.append(table)
    if not tables.all():
        problems.append(
            Problem(
                workbook.name,
                "没有找到可导入的表：预算与执行表的表头应有 预算行代码、预算行名称、资金来源、"
                "支出性质、年初预算数、全年预算数；支出明细表的表头应有 预算行代码、支付日期、金额"
                "（可在“导入”页下载模板，或用 jixiao template budget、"
                "jixiao template ledger 生成）",
            )
        )
    return tables, problems


# Department and year


@dataclass
class _Meta:
    code: tuple[str, str] | None = None
    name: tuple[str, str] | None = None
    year: tuple[int, str] | None = None


def _metadata(
    tables: Tables, department: str | None, year: int | None, problems: list[Problem]
) -> _Meta:
    meta = _Meta(
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
    meta: _Meta, key: str, labelled: Labelled, sheet: Sheet, problems: list[Problem]
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
        problems.append(Problem(where, f"{_META_LABELS[key]}：{error}"))
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
                f"{_META_LABELS[key]}：此处为“{value}”，与 {current[1]} 的“{current[0]}”不一致",
            )
        )


_META_FIELDS = {"department_code": "code", "department_name": "name", "year": "year"}
_META_LABELS = {"department_code": "部门代码", "department_name": "部门名称", "year": "年度"}


def _resolve(
    meta: _Meta, workbook: Workbook, problems: list[Problem]
) -> tuple[str | None, str | None, int | None]:
    name = meta.name[0] if meta.name else None
    code = meta.code[0] if meta.code else None
    if code is None and name is not None:
        matches = list(m.Department.objects.filter(name=name).values_list("code", flat=True))
        if len(matches) == 1:
            code = matches[0]
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


# The stored year


def _stored(
    code: str, name: str | None, year: int, tables: Tables, problems: list[Problem]
) -> tuple[ds.Dataset | None, list[StoredPayment], bool]:
    m.wait_for_department(code)
    fiscal_year = (
        m.FiscalYear.objects.select_for_update()
        .filter(department__code=code, year=year)
        .only("id")
        .first()
    )
    if fiscal_year is not None:
        payments = _stored_payments(fiscal_year.pk)
        return export_dataset(code, year, payments=False), payments, False
    if not tables.budget:
        problems.append(
            Problem(
                tables.all()[0].sheet.name,
                f"部门“{code}”的{year}年度尚未建立：请先导入该年度的预算与执行表"
                "（或用 jixiao load 导入数据文件）",
            )
        )
        return None, [], False
    department = m.Department.objects.filter(code=code).first()
    if department is not None:
        name = department.name
    if not name:
        problems.append(
            Problem(
                tables.budget[0].sheet.name,
                f"部门“{code}”尚未建立：请在表头上方写“部门名称”（新建部门需要名称）",
            )
        )
        return None, [], False
    unit = _sheet_unit(tables.budget[0])
    try:
        offices = [
            ds.NamedCode(code=o.code, name=o.name)
            for o in m.Office.objects.filter(department__code=code).order_by("code")
        ]
        department_record = ds.Department(code=code, name=name, offices=offices)
        dataset = ds.Dataset(unit=unit, department=department_record, year=year)
    except ValidationError as error:
        where = tables.budget[0].sheet.name
        for problem in problems_from_validation_error(error):
            label = _NEW_YEAR_FIELDS.get(problem.where.split(".")[-1], problem.where)
            problems.append(Problem(where, f"{label}：{problem.message}"))
        return None, [], False
    if len(name) > MAX_DEPARTMENT_NAME:
        message = f"部门名称：过长（最多{MAX_DEPARTMENT_NAME}个字符）"
        problems.append(Problem(tables.budget[0].sheet.name, message))
        return None, [], False
    return dataset, [], True


MAX_DEPARTMENT_NAME = 200
_NEW_YEAR_FIELDS = {"code": "部门代码", "name": "部门名称", "year": "年度"}


def _sheet_unit(table: Table) -> AmountUnit:
    declared = table.header.declared.get("final_budget")
    return (declared.unit if declared and declared.unit else None) or AmountUnit.wan


def _stored_payments(fiscal_year_id: int) -> list[StoredPayment]:
    rows = m.Payment.objects.filter(budget_line__fiscal_year_id=fiscal_year_id).values_list(
        "id", "budget_line__code", "date", "amount", "is_refund", "voucher", "description"
    )
    return [StoredPayment(*row) for row in rows.order_by("id").iterator(chunk_size=20000)]


# Writing


def _write(plan: Plan, created: bool) -> None:
    after = plan.after
    if created:
        fiscal_year = store_dataset(after)
    else:
        fiscal_year = m.FiscalYear.objects.get(
            department__code=after.department.code, year=after.year
        )
        if plan.budget_changed:
            _write_budget(fiscal_year, plan)
    _write_payments(fiscal_year, plan)


def _line_fields(line: ds.Line, unit: AmountUnit, projects: dict[str, m.Project]) -> dict[str, Any]:
    def optional(value: Any) -> Any:
        return None if value is None else to_yuan(value, unit)

    return {
        "name": line.name,
        "funding_source": line.funding_source.value,
        "nature": line.nature.value,
        "basic_kind": line.basic_kind.value if line.basic_kind else "",
        "project": projects[line.project] if line.project else None,
        "functional_class": line.functional_class,
        "economic_class": line.economic_class,
        "initial_budget": to_yuan(line.initial_budget, unit),
        "final_budget": to_yuan(line.final_budget, unit),
        "executed": optional(line.executed),
        "carryover": optional(line.carryover),
        "over_budget_explanation": line.over_budget_explanation,
    }


def _write_budget(fiscal_year: m.FiscalYear, plan: Plan) -> None:
    unit = plan.unit
    projects = {p.code: p for p in m.Project.objects.filter(fiscal_year=fiscal_year)}
    offices = dict(
        m.Office.objects.filter(department_id=fiscal_year.department_id).values_list("code", "id")
    )
    for project in plan.after.budget.projects:
        stored = projects.get(project.code)
        office_id = offices.get(project.office) if project.office else None
        if stored is None:
            projects[project.code] = m.Project.objects.create(
                fiscal_year=fiscal_year, code=project.code, name=project.name, office_id=office_id
            )
        elif stored.name != project.name or (office_id and stored.office_id != office_id):
            stored.name = project.name
            stored.office_id = office_id or stored.office_id
            stored.save(update_fields=["name", "office"])
    stored_lines = {
        line.code: line for line in m.BudgetLine.objects.filter(fiscal_year=fiscal_year)
    }
    before = {line.code: line for line in plan.before.budget.lines}
    for line in plan.after.budget.lines:
        prior = before.get(line.code)
        if prior == line:
            continue
        fields = _line_fields(line, unit, projects)
        if prior is None:
            row = m.BudgetLine.objects.create(fiscal_year=fiscal_year, code=line.code, **fields)
        else:
            row = stored_lines[line.code]
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        if prior is None or prior.adjustments != line.adjustments:
            # one by one, not bulk: each change lands in the audit history (few rows)
            m.BudgetAdjustment.objects.filter(budget_line=row).delete()
            for n, a in enumerate(line.adjustments):
                m.BudgetAdjustment.objects.create(
                    budget_line=row,
                    position=n,
                    date=a.date,
                    amount=to_yuan(a.amount, unit),
                    document_number=a.document_number,
                    reason=a.reason,
                )
    kept = {line.code for line in plan.after.budget.lines}
    removed = [code for code in before if code not in kept]
    if removed:
        m.BudgetLine.objects.filter(fiscal_year=fiscal_year, code__in=removed).delete()


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _write_payments(fiscal_year: m.FiscalYear, plan: Plan) -> None:
    for chunk in _chunks([p.id for p in plan.remove], 900):
        m.Payment.objects.filter(id__in=chunk).delete()
    if plan.update:
        changed = [
            m.Payment(id=stored.id, is_refund=row.refund, description=row.description)
            for stored, row in plan.update
        ]
        m.Payment.objects.bulk_update(changed, ["is_refund", "description"], batch_size=500)
    if plan.add:
        lines = dict(m.BudgetLine.objects.filter(fiscal_year=fiscal_year).values_list("code", "pk"))
        for chunk in _chunks(plan.add, PAYMENT_BATCH):
            insert_payments([_payment_row(row, lines) for row in chunk])


def _payment_row(row: NewPayment, lines: dict[str, int]) -> tuple[Any, ...]:
    return (lines[row.line], row.date, row.amount, row.refund, row.voucher, row.description)


_PAYMENT_FIELDS = ("budget_line", "date", "amount", "is_refund", "voucher", "description")


def insert_payments(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert payment rows (line id, date, amount in 元, refund, voucher, description).

    COPY on PostgreSQL, one prepared INSERT executed for every row elsewhere. Values go
    through the database driver's adapters exactly as the ORM's would.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = m.Payment._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(getattr(meta.get_field(name), "column", name)))
                        for name in _PAYMENT_FIELDS)  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(_PAYMENT_FIELDS))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
