"""绩效信息公开: a department-year's publication list and the documents it publishes.

The project goals are published with the budget (随预算公开), the self-evaluation tables
and the report with the 决算 (随决算公开). 财务科 marks each item 公开 or not, with the
reason when not (财预〔2020〕10号 asks the 非公开原因 to be stated). Only what is marked
公开 is offered on the public page, and its files are generated afresh from the stored
data by the same services as the internal downloads: the report's 审核意见 (written beside
it) is never among them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jixiao.documents import pdf
from jixiao.documents.list_workbook import Column, ListSheet, export_title, list_workbook
from jixiao.errors import UserFacingError
from jixiao.services.evaluating import evaluate_stored_year, write_evaluation_tables
from jixiao.services.reporting import write_report
from jixiao.services.versioned_cache import cached_from_year_data
from jixiao.storage import models as m


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    stage: str
    """随预算公开 or 随决算公开."""
    suffix: str


ITEMS = (
    Item("goals", "项目绩效目标表", "随预算公开", ".xlsx"),
    Item("evaluation", "绩效自评表", "随决算公开", ".xlsx"),
    Item("report", "部门整体及项目绩效自评报告", "随决算公开", ".docx"),
)
BY_CODE = {item.code: item for item in ITEMS}


@dataclass(frozen=True)
class Entry:
    item: Item
    published: bool
    reason: str
    updated_by_name: str = ""


def entries(fiscal_year: m.FiscalYear) -> list[Entry]:
    """Every item of the list, in order; an item never chosen is not published yet."""
    stored = {row.item: row for row in fiscal_year.disclosures.all()}
    result = []
    for item in ITEMS:
        row = stored.get(item.code)
        if row is None:
            result.append(Entry(item, False, ""))
        else:
            result.append(Entry(item, row.published, row.reason, row.updated_by_name))
    return result


def published_items(fiscal_year: m.FiscalYear) -> list[Item]:
    return [entry.item for entry in entries(fiscal_year) if entry.published]


@dataclass(frozen=True)
class Choice:
    published: bool
    reason: str = ""


def save_choices(fiscal_year: m.FiscalYear, choices: Mapping[str, Choice], by: str) -> None:
    """Store 财务科's choices; nothing is stored when one is wrong (an unknown item, or an
    item not published without a reason)."""
    for code, choice in choices.items():
        item = BY_CODE.get(code)
        if item is None:
            raise UserFacingError(f"公开事项“{code}”不存在。")
        if not choice.published and not choice.reason.strip():
            raise UserFacingError(f"“{item.name}”不公开时必须填写非公开原因。")
    now = timezone.now()
    with transaction.atomic():
        for code, choice in choices.items():
            m.DisclosureItem.objects.update_or_create(
                fiscal_year=fiscal_year,
                item=code,
                defaults={
                    "published": choice.published,
                    "reason": "" if choice.published else choice.reason.strip(),
                    "updated_by_name": by,
                    "updated_at": now,
                },
            )


def package_sheet(fiscal_year: m.FiscalYear, *, published_only: bool = False) -> ListSheet:
    """The publication list as a sheet: each item, when it is published, 是否公开 and
    非公开原因; with ``published_only`` (the public copy) the published items alone."""
    rows = [
        [
            entry.item.name,
            entry.item.stage,
            "是" if entry.published else "否",
            entry.reason,
        ]
        for entry in entries(fiscal_year)
        if entry.published or not published_only
    ]
    return ListSheet(
        name="绩效信息公开",
        title=export_title(
            fiscal_year.department.name, fiscal_year.year, "绩效信息公开清单", timezone.localdate()
        ),
        columns=[
            Column("公开事项", width=30),
            Column("公开时点"),
            Column("是否公开", width=10),
            Column("非公开原因", width=40),
        ],
        rows=rows,
    )


def _goals_workbook(fiscal_year: m.FiscalYear) -> bytes:
    """The approved project goals and their indicators (the 目标表 published with the
    budget): targets only, no actuals."""
    goals = (
        m.PerformanceGoal.objects.filter(
            fiscal_year=fiscal_year,
            project__isnull=False,
            declaration_status=m.WorkflowStatus.approved,
        )
        .select_related("project")
        .prefetch_related("indicators")
        .order_by("position", "id")
    )
    rows = [
        [
            goal.project.name if goal.project else "",
            goal.expected_objective,
            indicator.level1,
            indicator.level2,
            indicator.level3,
            indicator.target,
        ]
        for goal in goals
        for indicator in goal.indicators.all()
    ]
    sheet = ListSheet(
        name="项目绩效目标",
        title=export_title(
            fiscal_year.department.name, fiscal_year.year, "项目绩效目标表", timezone.localdate()
        ),
        columns=[
            Column("项目名称", width=24),
            Column("年度总体目标", width=40),
            Column("一级指标"),
            Column("二级指标"),
            Column("三级指标", width=30),
            Column("年度指标值", width=20),
        ],
        rows=rows,
        note="" if rows else "本年度尚无审核通过的项目绩效目标。",
    )
    return list_workbook([sheet])


def published_document(
    fiscal_year: m.FiscalYear, code: str, *, as_pdf: bool = False
) -> tuple[Item, bytes]:
    """The file of a published item, made from the stored data (the report, ``as_pdf``, by
    LibreOffice); LookupError when the item is not published (the public page then
    answers 404, saying nothing of the item); PdfError when no PDF can be made."""
    item = BY_CODE.get(code)
    if item is None or item not in published_items(fiscal_year):
        raise LookupError(code)
    # anyone may ask, so a file is made once per state of the year's data (and per day:
    # the files are dated), not once per request
    content = cached_from_year_data(
        "disclosure-document",
        fiscal_year.id,
        lambda: _document(fiscal_year, item, as_pdf),
        item.code,
        as_pdf,
        timezone.localdate().isoformat(),
    )
    return item, content


def _document(fiscal_year: m.FiscalYear, item: Item, as_pdf: bool) -> bytes:
    if item.code == "goals":
        return _goals_workbook(fiscal_year)
    department, year = fiscal_year.department.code, fiscal_year.year
    with tempfile.TemporaryDirectory(prefix="jixiao-disclosure-") as tmp:
        out = Path(tmp)
        if item.code == "evaluation":
            path = write_evaluation_tables(evaluate_stored_year(department, year), out)
        else:
            path = write_report(department, year, out).docx
            if as_pdf:
                path = pdf.convert_to_pdf(path, out / "pdf")
        return path.read_bytes()
