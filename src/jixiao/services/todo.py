"""待办: what waits for whom in a department-year, read from the stored states.

``WAITS`` is the whole rule, one row per (what, state, who): a goal declaration in 草稿
waits for its owner to declare it, one 已提交 for 财务科 to review it, and so on. Who a
duty falls to is said in words here and decided by the web's permission rules
(``jixiao.web.todo``), so that a 待办 never lists what its reader may not do:

* ``owner``: the office that owns the project, the report paragraph or the 整改 item; for
  what belongs to the department as a whole (its own goal, the report's sections, an item
  without owner office), 财务科.
* ``keeper``: 财务科, which follows every item of its department (an overdue 整改 item of
  any office).
* ``reviewer``: 财务科, which approves or returns what the offices submit.
* ``approver``: 单位领导, which approves the report's text.
* ``overseer``: 财政局, which reads and may return what the departments submit, and
  approves or returns their proposals of new 指标库 indicators.

The self-evaluation of a goal waits for its owner once the goal's declaration is
approved (or when it was returned); a 整改 item waits when it is overdue or due within
``core.deadlines.DUE_SOON_DAYS`` days; a monitoring return waits when the latest
monitoring snapshot's date has indicators of a project without any progress up to it.
A 整改通知 of the bureau waits for the department (the project's office, or 财务科 for
the department as a whole; 财务科 follows every one) until it answers, then for the
bureau until it approves or returns it; its date is the deadline of the side it waits for.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from jixiao.core.deadlines import DUE_SOON_DAYS, Deadline, DeadlineState, deadline_of
from jixiao.services.rectification_notices import notice_standing
from jixiao.services.report_text import outline_of, section_title
from jixiao.storage import models as m
from jixiao.storage.models import (
    NoticeStatus,
    ProposalStatus,
    RectificationStatus,
    WorkflowStage,
    WorkflowStatus,
)


class Duty(Enum):
    owner = "owner"
    keeper = "keeper"
    reviewer = "reviewer"
    approver = "approver"
    overseer = "overseer"


class Subject(Enum):
    declaration = "绩效目标申报"
    evaluation = "绩效自评"
    report_text = "报告文字"
    rectification = "整改"
    monitoring = "运行监控"
    notice = "整改通知"
    library_proposal = "新增指标提议"


READY = "ready"
"""A self-evaluation in 草稿 whose declaration is approved: it is time to fill it in."""
MISSING = "missing"
"""A monitoring return: indicators without progress up to the monitoring date."""
OVERDUE, DUE_SOON = DeadlineState.overdue.name, DeadlineState.due_soon.name


@dataclass(frozen=True)
class Wait:
    """One row of the rule: what, in which state, waits for whom to do which task."""

    subject: Subject
    state: str
    duty: Duty
    task: str


_DRAFT, _SUBMITTED, _RETURNED = (
    WorkflowStatus.draft.value,
    WorkflowStatus.submitted.value,
    WorkflowStatus.returned.value,
)
_GOAL, _EVAL, _TEXT = Subject.declaration, Subject.evaluation, Subject.report_text
_RECT, _MON, _NOTICE = Subject.rectification, Subject.monitoring, Subject.notice
_ISSUED, _ANSWERED, _SENT_BACK = (
    NoticeStatus.issued.value,
    NoticeStatus.answered.value,
    NoticeStatus.returned.value,
)
_PROPOSAL = Subject.library_proposal

WAITS: tuple[Wait, ...] = (
    Wait(_GOAL, _DRAFT, Duty.owner, "填报并提交绩效目标"),
    Wait(_GOAL, _RETURNED, Duty.owner, "按退回意见修改绩效目标并重新提交"),
    Wait(_GOAL, _SUBMITTED, Duty.reviewer, "审核绩效目标"),
    Wait(_GOAL, _SUBMITTED, Duty.overseer, "查阅已提交的绩效目标（可退回）"),
    Wait(_EVAL, READY, Duty.owner, "填报并提交绩效自评"),
    Wait(_EVAL, _RETURNED, Duty.owner, "按退回意见修改绩效自评并重新提交"),
    Wait(_EVAL, _SUBMITTED, Duty.reviewer, "审核绩效自评"),
    Wait(_EVAL, _SUBMITTED, Duty.overseer, "查阅已提交的绩效自评（可退回）"),
    Wait(_TEXT, _DRAFT, Duty.owner, "撰写并提交报告文字"),
    Wait(_TEXT, _RETURNED, Duty.owner, "按退回意见修改报告文字并重新提交"),
    Wait(_TEXT, _SUBMITTED, Duty.approver, "审核报告文字"),
    Wait(_RECT, OVERDUE, Duty.owner, "整改已逾期，请完成整改并更新状态"),
    Wait(_RECT, OVERDUE, Duty.keeper, "督促逾期的整改事项"),
    Wait(_RECT, DUE_SOON, Duty.owner, "整改即将到期，请按期完成并更新状态"),
    Wait(_MON, MISSING, Duty.owner, "填报运行监控的指标完成值"),
    Wait(_NOTICE, _ISSUED, Duty.owner, "按整改通知整改，并反馈整改情况和佐证材料"),
    Wait(_NOTICE, _SENT_BACK, Duty.owner, "按退回意见重新整改并反馈"),
    Wait(_NOTICE, _ISSUED, Duty.keeper, "督促按整改通知整改并反馈"),
    Wait(_NOTICE, _SENT_BACK, Duty.keeper, "督促按退回意见重新整改并反馈"),
    Wait(_NOTICE, _ANSWERED, Duty.overseer, "审核部门的整改反馈（通过或退回重改）"),
    Wait(_PROPOSAL, ProposalStatus.pending.value, Duty.overseer, "审核新增指标提议"),
)


@dataclass(frozen=True)
class Waiting:
    """Something of the year in a state some duty must act on."""

    subject: Subject
    state: str
    label: str
    """What it is: a project's name, 部门整体, a report section's title, an item's issue."""
    office_id: int | None
    """The owner office; None for what belongs to the department as a whole."""
    target: str
    """Where it is done, for the link: a project code ("" for the department goal), a
    report section's key, a 整改 item's id; empty for a monitoring return."""
    when: date | None
    """Its date: of the last step of its workflow, the 整改期限, the monitoring date."""
    deadline: Deadline | None = None
    count: int = 0
    """How many indicators a monitoring return lacks."""

    def waits(self) -> tuple[Wait, ...]:
        """The rows of ``WAITS`` this thing is in."""
        return tuple(w for w in WAITS if w.subject is self.subject and w.state == self.state)


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _last_steps(fiscal_year: m.FiscalYear) -> dict[tuple[int, str], datetime]:
    """When each goal's stage last moved, by (goal id, stage)."""
    return {
        (row["goal_id"], row["stage"]): row["last"]
        for row in m.WorkflowTransition.objects.filter(goal__fiscal_year=fiscal_year)
        .values("goal_id", "stage")
        .annotate(last=Max("created_at"))
    }


@dataclass(frozen=True)
class _Goal:
    """A goal's stages as stored; a project without a goal yet is in 草稿 in both."""

    code: str
    name: str
    office_id: int | None
    goal_id: int | None
    declaration: str = _DRAFT
    evaluation: str = _DRAFT


def _stored_goals(fiscal_year: m.FiscalYear) -> list[_Goal]:
    department = (
        m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year, project=None)
        .order_by("position", "id")
        .first()
    )
    goals = [
        _Goal("", "部门整体", None, None)
        if department is None
        else _Goal("", "部门整体", None, department.pk, department.declaration_status,
                   department.evaluation_status)
    ]  # fmt: skip
    projects = (
        m.Project.objects.filter(fiscal_year=fiscal_year)
        .select_related("goal")
        .only("code", "name", "office_id", "goal__declaration_status", "goal__evaluation_status")
        .order_by("code")
    )
    for project in projects:
        goal = getattr(project, "goal", None)
        goals.append(
            _Goal(project.code, project.name, project.office_id, None)
            if goal is None
            else _Goal(project.code, project.name, project.office_id, goal.pk,
                       goal.declaration_status, goal.evaluation_status)
        )  # fmt: skip
    return goals


def _goals(fiscal_year: m.FiscalYear, dated: bool) -> list[Waiting]:
    last = _last_steps(fiscal_year) if dated else {}
    found = []
    for goal in _stored_goals(fiscal_year):
        evaluation = goal.evaluation
        if evaluation == _DRAFT and goal.declaration == WorkflowStatus.approved:
            evaluation = READY
        for subject, state, stage in (
            (_GOAL, goal.declaration, WorkflowStage.declaration.value),
            (_EVAL, evaluation, WorkflowStage.evaluation.value),
        ):
            moved = last.get((goal.goal_id, stage)) if goal.goal_id is not None else None
            found.append(Waiting(subject, state, goal.name, goal.office_id, goal.code, _day(moved)))
    return found


def _report_sections(fiscal_year: m.FiscalYear) -> list[Waiting]:
    rows = list(
        m.ReportSection.objects.filter(fiscal_year=fiscal_year)
        .exclude(status=WorkflowStatus.approved)
        .select_related("project")
        .order_by("id")
    )
    if not rows:
        return []
    outline = outline_of(fiscal_year)
    return [
        Waiting(
            _TEXT,
            row.status,
            section_title(outline, row),
            row.owner_office_id,
            row.key,
            _day(row.updated_at),
        )
        for row in rows
    ]


def _rectifications(fiscal_year: m.FiscalYear, as_of: date) -> list[Waiting]:
    items = (
        m.Rectification.objects.filter(fiscal_year=fiscal_year, deadline__isnull=False)
        .exclude(status=RectificationStatus.done)
        .filter(deadline__lte=date.fromordinal(as_of.toordinal() + DUE_SOON_DAYS))
        .order_by("deadline", "position", "id")
        .values("id", "issue", "owner_office_id", "deadline")
    )
    found = []
    for item in items:
        standing = deadline_of(item["deadline"], False, as_of)
        if standing is None or standing.state is DeadlineState.on_time:
            continue
        found.append(
            Waiting(
                _RECT,
                standing.state.name,
                str(item["issue"]),
                item["owner_office_id"],
                str(item["id"]),
                item["deadline"],
                standing,
            )
        )
    return found


def _monitoring_returns(fiscal_year: m.FiscalYear) -> list[Waiting]:
    latest = (
        m.MonitoringSnapshot.objects.filter(fiscal_year=fiscal_year)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    reported = m.IndicatorProgress.objects.filter(
        indicator=OuterRef("pk"), date__lte=OuterRef("monitored")
    )
    missing = (
        m.Indicator.objects.filter(goal__fiscal_year=fiscal_year, goal__project__isnull=False)
        .annotate(monitored=Subquery(latest))
        .filter(monitored__isnull=False)
        .annotate(reported=Exists(reported))
        .values("monitored", "goal__project__code", "goal__project__name",
                "goal__project__office_id")
        .annotate(missing=Count("id", filter=Q(reported=False)))
        .filter(missing__gt=0)
        .order_by("goal__project__code")
    )  # fmt: skip
    return [
        Waiting(
            _MON,
            MISSING,
            str(row["goal__project__name"]),
            row["goal__project__office_id"],
            str(row["goal__project__code"]),
            row["monitored"],
            count=int(row["missing"]),
        )
        for row in missing
    ]


def _notices(fiscal_year: m.FiscalYear, as_of: date) -> list[Waiting]:
    notices = (
        m.RectificationNotice.objects.filter(fiscal_year=fiscal_year)
        .exclude(status=NoticeStatus.approved)
        .select_related("project")
        .order_by("number")
    )
    found = []
    for notice in notices:
        standing = notice_standing(notice, as_of)
        found.append(
            Waiting(
                _NOTICE,
                notice.status,
                notice.issue,
                notice.project.office_id if notice.project is not None else None,
                str(notice.pk),
                standing.deadline.deadline if standing is not None else notice.deadline,
                standing.deadline if standing is not None else None,
            )
        )
    return found


def _library_proposals(fiscal_year: m.FiscalYear) -> list[Waiting]:
    """The department's proposals of new 指标库 indicators that wait for the 财政局."""
    pending = m.IndicatorProposal.objects.filter(
        fiscal_year=fiscal_year, status=ProposalStatus.pending
    ).order_by("created_at", "id")
    return [
        Waiting(
            Subject.library_proposal, ProposalStatus.pending.value, proposal.level3, None,
            str(proposal.pk), _day(proposal.created_at),
        )
        for proposal in pending
    ]  # fmt: skip


def waiting_items(
    fiscal_year: m.FiscalYear,
    as_of: date,
    dated: bool = True,
    subjects: Collection[Subject] = tuple(Subject),
) -> list[Waiting]:
    """Everything of the year in a state ``WAITS`` lists, whoever it waits for, on ``as_of``.

    ``subjects`` leaves out what the reader can have no duty in (and its queries);
    without ``dated`` the goals come without the date of their last step (for a count).
    """
    found: list[Waiting] = []
    if Subject.declaration in subjects or Subject.evaluation in subjects:
        found += _goals(fiscal_year, dated)
    if Subject.report_text in subjects:
        found += _report_sections(fiscal_year)
    if Subject.rectification in subjects:
        found += _rectifications(fiscal_year, as_of)
    if Subject.monitoring in subjects:
        found += _monitoring_returns(fiscal_year)
    if Subject.notice in subjects:
        found += _notices(fiscal_year, as_of)
    if Subject.library_proposal in subjects:
        found += _library_proposals(fiscal_year)
    return [item for item in found if item.subject in subjects and item.waits()]
