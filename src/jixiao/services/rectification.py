"""整改: rectification items of a department-year, and carrying open ones into the next year.

* ``items_from_problems``: one item per 存在的主要问题 of the year not yet listed.
* ``items_from_findings``: one item per finding of the year's checks not yet listed, errors
  and warnings, each with the kind of its check: 审核发现 for the consistency checks
  (``core.consistency``) and the audit of the units' claimed figures (``core.audit``),
  评价发现 for the self-evaluation's scoring and goal quality, 成本发现 for a unit cost
  above its standard or not measurable (成本效益分析), 监控发现 for the latest
  monitoring snapshot. A rounding gap (尾差) is noted, not rectified: it is left out.
* ``carry_open_items``: every item not 已完成 is carried into the next fiscal year of the
  same department: when that year is stored, a copy is created there (source 上年结转,
  ``carried_from`` pointing back) unless one exists already; either way the item is marked
  with ``carried_at``. When the next year is not stored yet the marked items are listed as
  carried, and running the action again after that year is loaded copies them.

Items are created and saved one by one so that each lands in the audit history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jixiao.core.consistency import Finding, is_rounding_gap, run_checks
from jixiao.core.vocabulary import Severity
from jixiao.errors import UserFacingError
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.monitoring import snapshot_report
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.storage.models import RectificationSource, RectificationStatus


def _next_position(fiscal_year: m.FiscalYear) -> int:
    top = m.Rectification.objects.filter(fiscal_year=fiscal_year).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


def _add(fiscal_year: m.FiscalYear, items: Iterable[tuple[str, str]]) -> list[m.Rectification]:
    """An item per (source, issue) whose issue is not listed yet."""
    known = set(
        m.Rectification.objects.filter(fiscal_year=fiscal_year).values_list("issue", flat=True)
    )
    position = _next_position(fiscal_year)
    created = []
    for source, issue in items:
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
        return _add(
            fiscal_year, ((RectificationSource.problem, _problem_text(p)) for p in problems)
        )


_RECTIFIED = (Severity.error, Severity.warning)


def _worth_rectifying(findings: Iterable[Finding]) -> Iterator[Finding]:
    return (f for f in findings if f.severity in _RECTIFIED and not is_rounding_gap(f))


def findings_to_rectify(fiscal_year: m.FiscalYear) -> list[tuple[str, str]]:
    """The year's findings worth rectifying, each as (source, issue text)."""
    code, year = fiscal_year.department.code, fiscal_year.year
    review = RectificationSource.review
    items: list[tuple[str, str]] = [
        (review, f.message) for f in _worth_rectifying(run_checks(department_year(code, year)))
    ]
    try:
        evaluation = evaluate_stored_year(code, year)
    except UserFacingError:
        evaluation = None
    for project in evaluation.projects if evaluation else ():
        owner = f"{project.project_code} {project.project_name}："
        items.extend((review, owner + f.message) for f in _worth_rectifying(project.audit))
        scored = (*project.evaluation.findings, *project.quality)
        items.extend(
            (RectificationSource.evaluation, owner + f.message) for f in _worth_rectifying(scored)
        )
    if evaluation is not None:
        projects = evaluation.projects
        names = {p.project_code: f"{p.project_code} {p.project_name}：" for p in projects}
        items.extend(
            (RectificationSource.cost, names.get(f.subject, "") + f.message)
            for f in _worth_rectifying(evaluation.cost_findings)
        )
    if evaluation is not None and evaluation.department is not None:
        items.extend(
            (RectificationSource.evaluation, f"部门整体：{f.message}")
            for f in _worth_rectifying(evaluation.department.findings)
        )
    items.extend(
        (RectificationSource.monitoring, text) for text in _monitoring_findings(fiscal_year)
    )
    return items


def _monitoring_findings(fiscal_year: m.FiscalYear) -> list[str]:
    """The findings of the year's latest monitoring snapshot, as it was reported."""
    latest = fiscal_year.snapshots.order_by("-as_of", "-id").first()
    if latest is None:
        return []
    report = snapshot_report(latest.pk)
    as_of = f"{report.as_of.year}年{report.as_of.month}月{report.as_of.day}日"
    return [
        f"运行监控（截至{as_of}）：{f.message}" for f in _worth_rectifying(report.result.findings)
    ]


def items_from_findings(fiscal_year: m.FiscalYear) -> list[m.Rectification]:
    """An item for every finding of the year worth rectifying that has none yet."""
    items = findings_to_rectify(fiscal_year)
    with transaction.atomic():
        return _add(fiscal_year, items)


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
