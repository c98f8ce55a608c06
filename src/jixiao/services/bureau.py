"""The finance bureau's workspace: where every department of a year stands in each stage,
what waits for review, the 绩效目标审核 conclusions and the departments ranked.

Everything is read from the stored workflow states with one query per stage for all the
departments of a year (never one per department), so the pages stay fast for a city of
100 departments.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from jixiao.interchange.rule_files import load_rule_set
from jixiao.services.spot_checks import outdated_by_fiscal_year
from jixiao.storage import models as m
from jixiao.storage.models import (
    RectificationStatus,
    ReviewGrade,
    WorkflowAction,
    WorkflowStage,
    WorkflowStatus,
)

GOOD_GRADES = (ReviewGrade.excellent.value, ReviewGrade.good.value)
"""The conclusions that count as a goal of good quality (优 and 良)."""


class ReviewError(ValueError):
    """A 绩效目标审核 conclusion that cannot be recorded; nothing was stored."""


# Stages of every department


@dataclass(frozen=True)
class DepartmentStages:
    """Where one department-year stands in each stage."""

    fiscal_year_id: int
    department_code: str
    department_name: str
    projects: int = 0
    declarations: dict[str, int] = field(default_factory=dict)
    """Goals by declaration status (草稿 / 已提交 / 已审核 / 已退回)."""
    evaluations: dict[str, int] = field(default_factory=dict)
    """Goals by self-evaluation status."""
    snapshot_date: date | None = None
    """The date of the latest monitoring snapshot up to the monitoring date."""
    rectifications_open: int = 0
    rectifications_overdue: int = 0
    rechecks: int = 0
    """抽查 whose 财政评价 score was given under an older rule version (需复核)."""

    def declared(self, status: str) -> int:
        return self.declarations.get(status, 0)

    def evaluated(self, status: str) -> int:
        return self.evaluations.get(status, 0)

    @property
    def undeclared(self) -> int:
        """Projects without a goal, and goals still in draft or returned."""
        declared = sum(self.declarations.values())
        return (
            max(self.projects - declared, 0)
            + self.declared(WorkflowStatus.draft)
            + self.declared(WorkflowStatus.returned)
        )


def _by_year_and_status(
    goals: QuerySet[m.PerformanceGoal], status_field: str
) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows: Any = goals.values("fiscal_year_id", status_field).annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["fiscal_year_id"]][row[status_field]] = row["n"]
    return counts


def city_years(year: int, city_id: int | None = None) -> QuerySet[m.FiscalYear]:
    """The department-years of ``year``: of one city, or (None) of every city."""
    years = m.FiscalYear.objects.filter(year=year)
    return years if city_id is None else years.filter(department__city_id=city_id)


def stage_status(
    year: int, as_of: date, today: date, city_id: int | None = None
) -> list[DepartmentStages]:
    """Every department of ``year`` (of one city), by department code: goals declared /
    under review / approved, self-evaluations submitted / approved, the latest monitoring
    snapshot up to ``as_of``, 整改 items open and overdue on ``today``, and 抽查 whose
    财政评价 needs another look (需复核)."""
    fiscal_years: list[Any] = list(
        city_years(year, city_id)
        .select_related("department")
        .annotate(project_count=Count("projects", distinct=True))
        .order_by("department__code")
    )
    goals = m.PerformanceGoal.objects.filter(fiscal_year__year=year)
    declarations = _by_year_and_status(goals, "declaration_status")
    evaluations = _by_year_and_status(goals, "evaluation_status")
    snapshots = dict(
        m.MonitoringSnapshot.objects.filter(fiscal_year__year=year, as_of__lte=as_of)
        .values("fiscal_year_id")
        .annotate(latest=Max("as_of"))
        .order_by()
        .values_list("fiscal_year_id", "latest")
    )
    open_items = Q(status__in=(RectificationStatus.not_started, RectificationStatus.in_progress))
    rectifications = {
        row["fiscal_year_id"]: row
        for row in m.Rectification.objects.filter(open_items, fiscal_year__year=year)
        .values("fiscal_year_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
        .order_by()
    }
    rechecks = outdated_by_fiscal_year(year, city_id)
    rows = []
    for fy in fiscal_years:
        items: Any = rectifications.get(fy.pk, {})
        rows.append(
            DepartmentStages(
                fiscal_year_id=fy.pk,
                department_code=fy.department.code,
                department_name=fy.department.name,
                projects=fy.project_count,
                declarations=declarations.get(fy.pk, {}),
                evaluations=evaluations.get(fy.pk, {}),
                snapshot_date=snapshots.get(fy.pk),
                rectifications_open=items.get("open", 0),
                rectifications_overdue=items.get("overdue", 0),
                rechecks=rechecks.get(fy.pk, 0),
            )
        )
    return rows


# The 待审核 queue


@dataclass(frozen=True)
class QueueItem:
    """A goal declaration or a self-evaluation submitted and waiting for review."""

    stage: str
    department_code: str
    department_name: str
    year: int
    project_code: str | None
    """None: the department goal."""
    project_name: str
    submitted_at: datetime | None
    review_grade: str | None
    """The latest 绩效目标审核 conclusion of the goal (declarations only)."""


@dataclass(frozen=True)
class ReviewQueue:
    items: tuple[QueueItem, ...]

    def count(self, stage: str) -> int:
        return sum(1 for item in self.items if item.stage == stage)

    @property
    def declarations(self) -> int:
        return self.count(WorkflowStage.declaration)

    @property
    def evaluations(self) -> int:
        return self.count(WorkflowStage.evaluation)

    def by_department(self) -> list[tuple[str, str, int, int]]:
        """(code, name, declarations, evaluations) of each department with something waiting."""
        counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for item in self.items:
            counts[(item.department_code, item.department_name)][item.stage] += 1
        return [
            (code, name, c[WorkflowStage.declaration], c[WorkflowStage.evaluation])
            for (code, name), c in sorted(counts.items())
        ]


def _latest_review() -> Subquery:
    return Subquery(
        m.GoalReview.objects.filter(goal=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("grade")[:1]
    )


def _last_submit(stage: str) -> Subquery:
    return Subquery(
        m.WorkflowTransition.objects.filter(
            goal=OuterRef("pk"), stage=stage, action=WorkflowAction.submit
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def review_queue(
    year: int, department_id: int | None = None, city_id: int | None = None
) -> ReviewQueue:
    """What was submitted in ``year`` and waits for review, oldest submission first: of
    every department (of the 财政局's city), or of one (its 财务科). One query per stage."""
    goals = m.PerformanceGoal.objects.filter(fiscal_year__year=year)
    if department_id is not None:
        goals = goals.filter(fiscal_year__department_id=department_id)
    if city_id is not None:
        goals = goals.filter(fiscal_year__department__city_id=city_id)
    goals = goals.select_related("fiscal_year__department", "project")
    items: list[QueueItem] = []
    for stage, status_field in (
        (WorkflowStage.declaration, "declaration_status"),
        (WorkflowStage.evaluation, "evaluation_status"),
    ):
        waiting = goals.filter(**{status_field: WorkflowStatus.submitted}).annotate(
            submitted_at=_last_submit(stage)
        )
        if stage == WorkflowStage.declaration:
            waiting = waiting.annotate(review_grade=_latest_review())
        for goal in waiting:
            items.append(_queue_item(stage, goal))
    items.sort(
        key=lambda item: (item.submitted_at is None, item.submitted_at or 0, item.department_code)
    )
    return ReviewQueue(tuple(items))


def _queue_item(stage: str, goal: Any) -> QueueItem:
    fy = goal.fiscal_year
    return QueueItem(
        stage=stage,
        department_code=fy.department.code,
        department_name=fy.department.name,
        year=fy.year,
        project_code=goal.project.code if goal.project else None,
        project_name=goal.project.name if goal.project else "",
        submitted_at=goal.submitted_at,
        review_grade=getattr(goal, "review_grade", None),
    )


# 绩效目标审核 conclusions


def latest_review(goal: m.PerformanceGoal | None) -> m.GoalReview | None:
    if goal is None or goal.pk is None:
        return None
    return m.GoalReview.objects.filter(goal=goal).order_by("-created_at", "-id").first()


def reviews_of(goal: m.PerformanceGoal | None) -> list[m.GoalReview]:
    """Every conclusion given on the goal, the latest first."""
    if goal is None or goal.pk is None:
        return []
    return list(m.GoalReview.objects.filter(goal=goal).order_by("-created_at", "-id"))


def record_review(
    goal: m.PerformanceGoal,
    grade: str,
    comment: str,
    user: AbstractBaseUser | AnonymousUser,
    user_name: str,
) -> m.GoalReview:
    """Store a conclusion on a submitted or approved goal declaration. A 中 or 差 needs a
    comment saying what falls short."""
    if grade not in ReviewGrade.values:
        raise ReviewError("请选择审核结论（优、良、中、差）。")
    comment = comment.strip()
    if grade in (ReviewGrade.fair, ReviewGrade.poor) and not comment:
        raise ReviewError("审核结论为“中”或“差”时须填写审核意见，说明目标存在的问题。")
    if goal.declaration_status not in (WorkflowStatus.submitted, WorkflowStatus.approved):
        raise ReviewError("绩效目标尚未提交，提交后才能审核。")
    return m.GoalReview.objects.create(
        goal=goal,
        grade=grade,
        comment=comment,
        user=user if isinstance(user, User) else None,
        user_name=user_name,
    )


def poor_review_blocks(goal: m.PerformanceGoal, fiscal_year: m.FiscalYear) -> bool:
    """Whether the goal's declaration may not be approved into the budget: its latest
    conclusion is 差 and the year's project rule set says such a goal cannot enter the
    budget (``goal_quality.poor_review_blocks_budget``)."""
    review = latest_review(goal)
    if review is None or review.grade != ReviewGrade.poor:
        return False
    return load_rule_set(fiscal_year.project_rules).goal_quality.poor_review_blocks_budget


# Ranking


@dataclass(frozen=True)
class GoalQuality:
    """The 绩效目标审核 conclusions of a department-year's goals (the latest of each)."""

    counts: dict[str, int]
    reviewed: int

    @property
    def good_share(self) -> Decimal | None:
        """优 and 良 among the reviewed goals (0..1); None when none was reviewed."""
        if not self.reviewed:
            return None
        good = sum(self.counts.get(grade, 0) for grade in GOOD_GRADES)
        return Decimal(good) / Decimal(self.reviewed)


def goal_quality(year: int) -> dict[int, GoalQuality]:
    """Each fiscal year of ``year`` (by id): its goals' latest conclusions, one query."""
    rows = (
        m.PerformanceGoal.objects.filter(fiscal_year__year=year)
        .annotate(grade=_latest_review())
        .exclude(grade=None)
        .values_list("fiscal_year_id", "grade")
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for fiscal_year_id, grade in rows:
        counts[fiscal_year_id][grade] += 1
    return {pk: GoalQuality(dict(grades), sum(grades.values())) for pk, grades in counts.items()}


RANKING_KEYS = ("score", "rate", "quality")
"""What the departments may be ranked by: the self-evaluation score, the execution rate,
the goal quality (share of goals judged 优 or 良)."""

R = TypeVar("R")


def ranked(rows: Iterable[R], value: Callable[[R], Decimal | None]) -> list[tuple[int | None, R]]:
    """Rows best first with their rank (equal values share a rank); rows without a value
    come last, unranked."""
    valued = [(value(row), row) for row in rows]
    with_value = sorted(
        ((v, row) for v, row in valued if v is not None), key=lambda pair: pair[0], reverse=True
    )
    result: list[tuple[int | None, R]] = []
    previous: Decimal | None = None
    rank = 0
    for position, (v, row) in enumerate(with_value, start=1):
        if v != previous:
            rank, previous = position, v
        result.append((rank, row))
    result.extend((None, row) for v, row in valued if v is None)
    return result


def ranking_key(requested: str | None, keys: Sequence[str] = RANKING_KEYS) -> str:
    """The requested sort key, or the first one when it is not a known key."""
    return requested if requested is not None and requested in keys else keys[0]
