"""整改: rectification items of a department-year, and carrying open ones into the next year.

* ``items_from_problems``: one item per 存在的主要问题 of the year not yet listed.
* ``items_from_findings``: one item per finding of the year's checks not yet listed — the
  audit of the units' claimed figures (``core.audit``, through the evaluation) and the
  consistency checks (``core.consistency``), errors and warnings.
* ``carry_open_items``: every item not 已完成 is carried into the next fiscal year of the
  same department: when that year is stored, a copy is created there (source 上年结转,
  ``carried_from`` pointing back) unless one exists already; either way the item is marked
  with ``carried_at``. When the next year is not stored yet the marked items are listed as
  carried, and running the action again after that year is loaded copies them.

Items are created and saved one by one so that each lands in the audit history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jixiao.core.consistency import run_checks
from jixiao.core.vocabulary import Severity
from jixiao.errors import UserFacingError
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.storage.models import RectificationSource, RectificationStatus


def _next_position(fiscal_year: m.FiscalYear) -> int:
    top = m.Rectification.objects.filter(fiscal_year=fiscal_year).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


def _add(fiscal_year: m.FiscalYear, source: str, issues: Iterable[str]) -> list[m.Rectification]:
    known = set(
        m.Rectification.objects.filter(fiscal_year=fiscal_year).values_list("issue", flat=True)
    )
    position = _next_position(fiscal_year)
    created = []
    for issue in issues:
        text = issue.strip()
        if not text or text in known:
            continue
        known.add(text)
        created.append(
            m.Rectification.objects.create(
                fiscal_year=fiscal_year, position=position, source=source, issue=text
            )
        )
        position += 1
    return created


def _problem_text(problem: m.Problem) -> str:
    return f"{problem.title}：{problem.text}" if problem.text.strip() else problem.title


def items_from_problems(fiscal_year: m.FiscalYear) -> list[m.Rectification]:
    """An item for every 存在的主要问题 of the year that has none yet."""
    problems = m.Problem.objects.filter(fiscal_year=fiscal_year).order_by("position")
    with transaction.atomic():
        return _add(fiscal_year, RectificationSource.problem, (_problem_text(p) for p in problems))


def finding_texts(fiscal_year: m.FiscalYear) -> list[str]:
    """The year's audit and consistency findings worth rectifying (errors and warnings)."""
    code, year = fiscal_year.department.code, fiscal_year.year
    texts = [
        f.message
        for f in run_checks(department_year(code, year))
        if f.severity in (Severity.error, Severity.warning)
    ]
    try:
        evaluation = evaluate_stored_year(code, year)
    except UserFacingError:
        return texts
    for project in evaluation.projects:
        texts.extend(
            f"{project.project_code} {project.project_name}：{f.message}" for f in project.audit
        )
    return texts


def items_from_findings(fiscal_year: m.FiscalYear) -> list[m.Rectification]:
    """An item for every audit or consistency finding of the year that has none yet."""
    texts = finding_texts(fiscal_year)
    with transaction.atomic():
        return _add(fiscal_year, RectificationSource.audit, texts)


@dataclass
class CarryResult:
    next_year: m.FiscalYear | None
    copied: list[m.Rectification] = field(default_factory=list)
    marked: list[m.Rectification] = field(default_factory=list)
    """Open items now marked as carried (with or without a copy)."""


def carry_open_items(fiscal_year: m.FiscalYear, now: datetime | None = None) -> CarryResult:
    """Carry every item not 已完成 into the next fiscal year (see the module docstring)."""
    now = now or timezone.now()
    following = m.FiscalYear.objects.filter(
        department_id=fiscal_year.department_id, year=fiscal_year.year + 1
    ).first()
    result = CarryResult(following)
    with transaction.atomic():
        items = list(
            m.Rectification.objects.select_for_update()
            .filter(fiscal_year=fiscal_year)
            .exclude(status=RectificationStatus.done)
            .order_by("position", "id")
        )
        copied_from: set[int] = set()
        if following is not None:
            copied_from = set(
                m.Rectification.objects.filter(
                    fiscal_year=following, carried_from__in=items
                ).values_list("carried_from_id", flat=True)
            )
        position = _next_position(following) if following is not None else 0
        for item in items:
            if following is not None and item.pk not in copied_from:
                result.copied.append(
                    m.Rectification.objects.create(
                        fiscal_year=following,
                        position=position,
                        source=RectificationSource.carried,
                        issue=item.issue,
                        measure=item.measure,
                        owner_office=item.owner_office,
                        deadline=item.deadline,
                        status=item.status,
                        progress_note=item.progress_note,
                        carried_from=item,
                    )
                )
                position += 1
            if item.carried_at is None:
                item.carried_at = now
                item.save()
                result.marked.append(item)
    return result
