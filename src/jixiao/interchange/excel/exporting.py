"""A year as a filled template: ``write_workbook(dataset, kind, path, ledger_totals,
payments)``; ``services.excel_export.export_workbook`` reads the stored year and calls it.

The layout is the template's (``writer.py``), so an export can be edited and imported back;
export → import changes nothing. The budget (预算与执行 and 预算调整) is written in the
year's entry unit (元 or 万元), the ledger (支出明细) in 元. Computed columns are filled
for reading and checked on import: 预算调整 = 全年预算数 − 年初预算数; 执行数 is the
ledger total for lines with payments; 执行率 = 执行数 ÷ 全年预算数, rounded half-up to two
decimals of a percent (the import compares at the places written).

Each table ends in a 合计 row summed from the same figures as its rows (the ledger's from
the ledger totals per line, as stored), with the 执行率 of the totals; the import skips it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.amounts import from_yuan, tidy
from jixiao.core.budget import execution_rate
from jixiao.core.money import round_half_up
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.layouts import ADJUSTMENTS, BUDGET, LEDGER, Kind
from jixiao.interchange.excel.templates import INSTRUCTIONS
from jixiao.interchange.excel.writer import (
    Meta,
    SheetContent,
    new_book,
    save,
    write_data_sheet,
    write_instructions,
)

EXPORT_BLANK_ROWS = 200

LedgerEntry = tuple[str, date, str, Decimal, bool, str]
"""One payment as stored: line code, date, voucher, amount in 元, refund, description."""


def write_workbook(
    dataset: ds.Dataset,
    kind: Kind,
    path: Path,
    ledger_totals: Mapping[str, Decimal],
    payments: Iterable[LedgerEntry] = (),
) -> Path:
    """Write the year's ``kind`` (budget or ledger) to ``path`` (.xlsx).

    ``ledger_totals``: the payments' sum per line code in 元 (the budget's 执行数 where a
    line has payments; the ledger's 合计); ``payments``: the ledger's rows, in order, read
    as the sheet is written.
    """
    meta = Meta(dataset.department.code, dataset.department.name, dataset.year)
    book = new_book()
    write_instructions(book, kind.title, INSTRUCTIONS[kind.name], kind.sheets)
    heading = f"{dataset.year}年度 {dataset.department.name}"
    if kind.name == "budget":
        unit = dataset.unit
        lines = list(_budget_rows(dataset, ledger_totals))
        adjustments = list(_adjustment_rows(dataset))
        write_data_sheet(
            book,
            SheetContent("预算与执行", BUDGET, f"{heading} 预算与执行", unit,
                         lines, EXPORT_BLANK_ROWS, _budget_total(lines)),
            meta,
        )  # fmt: skip
        write_data_sheet(
            book,
            SheetContent("预算调整", ADJUSTMENTS, f"{heading} 预算调整", unit,
                         adjustments, EXPORT_BLANK_ROWS, _sums(adjustments, ("amount",))),
            meta,
        )  # fmt: skip
    else:
        names = {line.code: line.name for line in dataset.budget.lines}
        ledger_total = {"amount": sum(ledger_totals.values(), Decimal(0))}
        write_data_sheet(
            book,
            SheetContent("支出明细", LEDGER, f"{heading} 支出明细", AmountUnit.yuan,
                         _ledger_rows(payments, names), EXPORT_BLANK_ROWS, ledger_total),
            meta,
        )  # fmt: skip
    book.active = 1
    return save(book, path)


def _sums(rows: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, Decimal | None]:
    """Each column ``keys`` summed over ``rows`` (None where no row has a figure)."""
    rows = list(rows)
    sums: dict[str, Decimal | None] = {}
    for key in keys:
        figures = [row[key] for row in rows if row.get(key) is not None]
        sums[key] = tidy(sum(figures, Decimal(0))) if figures else None
    return sums


def _budget_total(rows: list[dict[str, Any]]) -> dict[str, Decimal | None]:
    """The 合计 of 预算与执行, with the 执行率 of the totals (as each row's is computed)."""
    total = _sums(rows, ("initial_budget", "adjustment", "final_budget", "executed", "carryover"))
    executed, final = total["executed"], total["final_budget"]
    rate = execution_rate(executed, final) if executed is not None and final else None
    total["execution_rate"] = round_half_up(rate, 4) if rate is not None else None
    return total


def _budget_rows(dataset: ds.Dataset, totals: Mapping[str, Decimal]) -> Iterator[dict[str, Any]]:
    unit = dataset.unit
    projects = {p.code: p.name for p in dataset.budget.projects}
    office_names = {o.code: o.name for o in dataset.department.offices}
    offices = {p.code: office_names.get(p.office or "") for p in dataset.budget.projects}
    for number, line in enumerate(dataset.budget.lines, start=1):
        executed = from_yuan(totals[line.code], unit) if line.code in totals else line.executed
        rate = execution_rate(executed, line.final_budget) if executed is not None else None
        yield {
            "seq": number,
            "code": line.code,
            "name": line.name,
            "funding_source": line.funding_source.label,
            "nature": line.nature.label,
            "basic_kind": line.basic_kind.label if line.basic_kind else None,
            "project": line.project,
            "project_name": projects.get(line.project) if line.project else None,
            "office": offices.get(line.project) if line.project else None,
            "functional_class": line.functional_class or None,
            "economic_class": line.economic_class or None,
            "initial_budget": line.initial_budget,
            "adjustment": tidy(line.final_budget - line.initial_budget),
            "final_budget": line.final_budget,
            "executed": executed,
            "execution_rate": round_half_up(rate, 4) if rate is not None else None,
            "carryover": line.carryover,
            "over_budget_explanation": line.over_budget_explanation or None,
        }


def _adjustment_rows(dataset: ds.Dataset) -> Iterator[dict[str, Any]]:
    number = 0
    for line in dataset.budget.lines:
        for adjustment in line.adjustments:
            number += 1
            yield {
                "seq": number,
                "line": line.code,
                "line_name": line.name,
                "date": adjustment.date,
                "amount": adjustment.amount,
                "document_number": adjustment.document_number or None,
                "reason": adjustment.reason or None,
            }


def _ledger_rows(
    payments: Iterable[LedgerEntry], names: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    for number, (line, when, voucher, amount, refund, description) in enumerate(payments, start=1):
        yield {
            "seq": number,
            "line": line,
            "line_name": names.get(line),
            "date": when,
            "voucher": voucher or None,
            "amount": amount,
            "refund": "是" if refund else "否",
            "description": description or None,
        }
