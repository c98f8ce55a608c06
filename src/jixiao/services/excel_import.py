"""Import a filled 预算与执行 or 支出明细 workbook into a stored department-year, all or nothing.

``import_workbook(path, dry_run=False, department=None, year=None, unit=None,
rights=None) -> ImportResult``

``rights`` (``ImportRights``; None: anything, as on the command line) say which goals the
import may change and whether it may change the budget: a change beyond them — a goal of
a project that is not the importer's, the department goal, a budget line or a project
itself — is a problem, by the same rule as the form and the API.

The workbook is read by ``interchange.excel`` (which reads files and touches no storage);
this module looks up what is stored and writes. A workbook that holds performance forms
(项目支出绩效目标申报表, 项目支出绩效自评表, 部门整体支出绩效自评表, 绩效目标执行监控表, told by
their sheet text) goes to ``excel_form_import.import_forms`` instead, with the same result
and the same all-or-nothing rule.

1. ``read_workbook`` (limits first: size, zip bomb, rows; a large ledger sheet is read row
   by row while the plan is made), then ``locate.locate_workbook`` finds each visible
   sheet's table and the layout it is read by (forms first, then the budget, adjustments
   and ledger tables, all layouts being data).
2. Department and year come from the labelled cells above a table or from the arguments
   (``importing.identity``); without a code, a stored department whose name matches
   exactly is used.
3. The stored year is read with ``export_dataset`` (the ledger in bulk), and
   ``planning.plan_import`` works out the year after the import, every change (added /
   changed / removed, by sheet row) and every problem, mapped to ``sheet!A1`` cells.
4. Any problem: ``InputRejected`` with all of them; nothing is written. ``dry_run``: the
   result lists the changes; nothing is written.
5. Otherwise the changes are written in place in ONE transaction (the year's row is
   locked first): new, changed and removed budget lines, projects and adjustments through
   the ORM one by one (so each lands in the audit history); payments (not audited) deleted
   by id, changed by ``bulk_update``, added in batches of ``PAYMENT_BATCH`` rows
   (``storing.insert_payments``: a prepared INSERT executed per row; COPY on PostgreSQL). A year
   that is not stored yet is created with ``store_dataset`` inside the same transaction.
   Unchanged rows are not touched, and a second import of the same file writes nothing.

Why in place rather than ``store_dataset(..., replace=True)``: replacing deletes the year's
row and with it, by cascade, everything the dataset does not carry (monitoring snapshots,
which are immutable), and rewrites 100,000 payments to change one line.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from jixiao.core.amounts import to_yuan
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.form_sheets import read_located
from jixiao.interchange.excel.headers import Table
from jixiao.interchange.excel.importing import (
    FORMS_ONLY,
    ImportResult,
    identity,
    refuse_mixed,
    resolve_identity,
    sheet_totals,
    tables_of,
)
from jixiao.interchange.excel.layout_files import load_layouts
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.locate import locate_workbook
from jixiao.interchange.excel.planning import Plan, StoredPayment, Tables, plan_import
from jixiao.interchange.excel.rights import ImportRights
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error
from jixiao.services import ledger_sums
from jixiao.services.basics_import import only_basics
from jixiao.services.reading import department_named, export_dataset
from jixiao.services.storing import insert_payments, store_dataset
from jixiao.storage import models as m

PAYMENT_BATCH = 5000
"""Rows per INSERT when adding payments."""


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
    # goal, self-evaluation and monitoring forms by their text, else the budget and ledger tables
    located = locate_workbook(workbook, load_layouts(layouts), unit)
    forms = read_located(located)
    if forms or only_basics(workbook):
        refuse_mixed(located)
        # imported here: a ledger import never needs the forms' planning and rule files
        from jixiao.services.excel_form_import import import_forms

        return import_forms(
            workbook, forms, dry_run=dry_run, department=department, year=year, rights=rights
        )
    if rights is not None and not rights.budget:
        raise InputRejected([Problem(workbook.name, FORMS_ONLY)])
    tables, problems = tables_of(located, workbook.name)
    meta = identity(tables, department, year, problems)
    if problems:
        raise InputRejected(problems)
    code, name, fiscal_year = resolve_identity(meta, workbook, problems, department_named)
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
        with ledger_sums.adding_many_on_sqlite(
            lambda: ledger_sums.month_sums((lines[r.line], r.date, r.amount) for r in plan.add)
        ):
            for chunk in _chunks(plan.add, PAYMENT_BATCH):
                insert_payments(
                    [
                        (lines[row.line], row.date, row.amount, row.refund, row.voucher,
                         row.description)
                        for row in chunk
                    ]
                )  # fmt: skip
