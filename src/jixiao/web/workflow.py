"""The review workflow of goal declarations (绩效目标申报) and self-evaluations (绩效自评).

Each goal (a project's, or the department goal) goes through two stages, each on its own:

    草稿 ──提交──▶ 已提交 ──审核通过──▶ 已审核
      ▲               │                   │
      └──── 已退回 ◀──退回（须填意见）──────┘
    (已退回 ──提交──▶ 已提交 again)

Rules (checked here, on the server, whatever the page shows):

* **提交** (submit): whoever may edit the goal (``can_edit_subject``: the project's own
  业务科室 or an admin; for the department goal 财务科 or an admin), from 草稿 or 已退回.
  A declaration with an 错误 finding (weights, an empty required group, an unreadable
  target, an indicator twice) and a self-evaluation with a row not scored, a reason the
  rules require left empty or an 错误 finding cannot be submitted: the refusal lists why.
* **审核通过** (approve): 财务科 of the department or an admin, from 已提交; nobody approves
  what they submitted themselves, and nothing is approved while it has an 错误 (it may
  have been submitted before the rules changed, or imported): the same reasons as for a
  submit, from ``jixiao.web.goal_checks``, asked here whatever page or endpoint acts.
  Nor is a declaration whose latest 绩效目标审核 conclusion is 差 where the year's rule
  set says such a goal cannot enter the budget (``jixiao.services.bureau``).

A refusal names its real reason: the role (财务科 does not edit a project's goal), the
scope (another office's project) or the status (already submitted).
* **退回** (return): 财务科, 财政局 or an admin, from 已提交 or 已审核, with a comment.
* **意见** (comment): anyone who may edit, review or return it, at any time; the status
  does not change.
* **Locking**: while a stage is 已提交 or 已审核 nobody edits what it covers (the
  submitter included) until it is returned. The declaration is also locked while the
  self-evaluation is 已提交 or 已审核 (targets must not move under a reviewed score).

Every transition and comment is a ``WorkflowTransition`` row (goal, stage, action, from,
to, user, comment, time); the status fields on the goal are saved with their history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.errors import UserFacingError
from jixiao.services.bureau import poor_review_blocks
from jixiao.services.ex_ante import budget_gate
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowAction, WorkflowStage, WorkflowStatus
from jixiao.web.goal_checks import declaration_blockers, evaluation_blockers
from jixiao.web.permissions import (
    GoalSubject,
    Scope,
    can_comment_subject,
    can_edit_subject,
    can_return_subject,
    can_review_subject,
    subject_refusal,
)

STATUS_LABELS: dict[str, Promise] = {
    WorkflowStatus.draft: gettext_lazy("草稿"),
    WorkflowStatus.submitted: gettext_lazy("已提交"),
    WorkflowStatus.approved: gettext_lazy("已审核"),
    WorkflowStatus.returned: gettext_lazy("已退回"),
}
STAGE_LABELS: dict[str, Promise] = {
    WorkflowStage.declaration: gettext_lazy("绩效目标申报"),
    WorkflowStage.evaluation: gettext_lazy("绩效自评"),
}
ACTION_LABELS: dict[str, Promise] = {
    WorkflowAction.submit: gettext_lazy("提交"),
    WorkflowAction.approve: gettext_lazy("审核通过"),
    WorkflowAction.send_back: gettext_lazy("退回"),
    WorkflowAction.comment: gettext_lazy("意见"),
}
LOCKED = (WorkflowStatus.submitted, WorkflowStatus.approved)

STATUS_FIELD: dict[str, str] = {
    WorkflowStage.declaration: "declaration_status",
    WorkflowStage.evaluation: "evaluation_status",
}


class WorkflowError(UserFacingError):
    """A transition that is not allowed now, or not for this user; nothing changed."""


def status_of(goal: m.PerformanceGoal | None, stage: str) -> str:
    if goal is None:
        return WorkflowStatus.draft
    status: str = getattr(goal, STATUS_FIELD[stage])
    return status


def lock_reason(goal: m.PerformanceGoal | None, stage: str) -> str:
    """Why the stage cannot be edited now; "" when it can."""
    status = status_of(goal, stage)
    if status in LOCKED:
        return _("%(stage)s%(status)s，内容已锁定；如需修改，请审核人退回后再改。") % {
            "stage": STAGE_LABELS[stage],
            "status": STATUS_LABELS[status],
        }
    if stage == WorkflowStage.declaration:
        evaluation = status_of(goal, WorkflowStage.evaluation)
        if evaluation in LOCKED:
            return _("绩效自评%(status)s，绩效目标随之锁定。") % {
                "status": STATUS_LABELS[evaluation]
            }
    return ""


def _last_submitter(goal: m.PerformanceGoal, stage: str) -> int | None:
    last = (
        m.WorkflowTransition.objects.filter(goal=goal, stage=stage, action=WorkflowAction.submit)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )
    return last


@dataclass(frozen=True)
class Available:
    """The actions a user may take on a stage now, for the page's buttons."""

    submit: bool
    approve: bool
    send_back: bool
    comment: bool

    @property
    def any(self) -> bool:
        return self.submit or self.approve or self.send_back or self.comment


def available_actions(
    scope: Scope, subject: GoalSubject, stage: str, last_submitter: int | None = None
) -> Available:
    goal = subject.goal
    status = status_of(goal, stage)
    exists = goal is not None
    return Available(
        submit=exists
        and status in (WorkflowStatus.draft, WorkflowStatus.returned)
        and can_edit_subject(scope, subject),
        approve=exists
        and status == WorkflowStatus.submitted
        and can_review_subject(scope, subject)
        and last_submitter != scope.user_id,
        send_back=exists and status in LOCKED and can_return_subject(scope, subject),
        comment=exists and can_comment_subject(scope, subject),
    )


def user_name(user: AbstractBaseUser | AnonymousUser) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    username = str(getattr(user, "username", ""))
    return f"{full}（{username}）" if full else username


BLOCKERS: dict[str, Callable[[GoalSubject], list[str]]] = {
    WorkflowStage.declaration: declaration_blockers,
    WorkflowStage.evaluation: evaluation_blockers,
}
"""Why the stored content of a stage may not be submitted or approved (empty: it may)."""


def transition(
    scope: Scope,
    user: AbstractBaseUser | AnonymousUser,
    subject: GoalSubject,
    stage: str,
    action: str,
    comment: str,
) -> m.WorkflowTransition:
    """Apply one action, or raise WorkflowError (nothing changed). A submit or an approval
    of content with a blocker (``BLOCKERS``) is refused with the blockers listed."""
    if stage not in STATUS_FIELD:
        raise WorkflowError(_("没有这个审核环节。"))
    if action not in WorkflowAction.values:
        raise WorkflowError(_("没有这个操作。"))
    comment = comment.strip()
    if subject.goal is None:
        raise WorkflowError(_("该项目还没有绩效目标，请先填写并保存绩效目标。"))
    with transaction.atomic():
        goal = m.PerformanceGoal.objects.select_for_update().get(pk=subject.goal.pk)
        goal.fiscal_year = subject.fiscal_year
        current = GoalSubject(subject.fiscal_year, subject.project, goal)
        submitter = _last_submitter(goal, stage)
        allowed = available_actions(scope, current, stage, submitter)
        before = status_of(goal, stage)
        after = before
        if action == WorkflowAction.submit:
            if not allowed.submit:
                raise WorkflowError(_refusal(scope, current, stage, action, before))
            _refuse_blocked(current, stage, _("还不能提交"))
            after = WorkflowStatus.submitted
        elif action == WorkflowAction.approve:
            if not allowed.approve:
                if (
                    before == WorkflowStatus.submitted
                    and can_review_subject(scope, current)
                    and submitter == scope.user_id
                ):
                    raise WorkflowError(_("不能审核自己提交的内容，请由其他审核人审核。"))
                raise WorkflowError(_refusal(scope, current, stage, action, before))
            _refuse_blocked(current, stage, _("还不能审核通过，请退回修改"))
            if stage == WorkflowStage.declaration and poor_review_blocks(goal, subject.fiscal_year):
                raise WorkflowError(
                    _("绩效目标审核结论为“差”，按规则不能进入预算；请退回修改，重新审核后再审核通过。")
                )
            if stage == WorkflowStage.declaration and subject.project is not None:
                gate = budget_gate(subject.project)
                if not gate.allowed:
                    raise WorkflowError(gate.reason)
            after = WorkflowStatus.approved
        elif action == WorkflowAction.send_back:
            if not allowed.send_back:
                raise WorkflowError(_refusal(scope, current, stage, action, before))
            if not comment:
                raise WorkflowError(_("退回时须填写意见，说明需要修改什么。"))
            after = WorkflowStatus.returned
        else:
            if not allowed.comment:
                raise WorkflowError(_refusal(scope, current, stage, action, before))
            if not comment:
                raise WorkflowError(_("请填写意见内容。"))
        if after != before:
            setattr(goal, STATUS_FIELD[stage], after)
            goal.save(update_fields=[STATUS_FIELD[stage]], bump_version=False)
            if subject.goal is not None:
                setattr(subject.goal, STATUS_FIELD[stage], after)
        return m.WorkflowTransition.objects.create(
            goal=goal,
            stage=stage,
            action=action,
            from_status=before,
            to_status=after,
            user=user if isinstance(user, User) else None,
            user_name=user_name(user),
            comment=comment,
        )


def _refuse_blocked(subject: GoalSubject, stage: str, refusal: str) -> None:
    blockers = BLOCKERS[stage](subject)
    if blockers:
        reasons = "；".join(reason.rstrip("。") for reason in blockers)
        raise WorkflowError(
            _("%(refusal)s：%(reasons)s。") % {"refusal": refusal, "reasons": reasons}
        )


def _role_refusal(scope: Scope, subject: GoalSubject, stage: str, action: str) -> str:
    """Why the role (or the office) may not take the action at all; "" when it may."""
    what = str(STAGE_LABELS[stage])
    names = {"role": scope.role.label, "what": what}
    if action == WorkflowAction.submit and not can_edit_subject(scope, subject):
        return subject_refusal(scope, subject, what, _("提交"))
    if action == WorkflowAction.approve and not can_review_subject(scope, subject):
        return _("%(role)s不能审核%(what)s，由财务科审核。") % names
    if action == WorkflowAction.send_back and not can_return_subject(scope, subject):
        return _("%(role)s不能退回%(what)s，由财务科或财政局退回。") % names
    if action == WorkflowAction.comment and not can_comment_subject(scope, subject):
        return _("%(role)s不能对%(what)s提出意见。") % names
    return ""


def _refusal(scope: Scope, subject: GoalSubject, stage: str, action: str, status: str) -> str:
    """Why the action is not available: the role or the scope first, else the status."""
    role = _role_refusal(scope, subject, stage, action)
    if role:
        return role
    labels = {"stage": STAGE_LABELS[stage], "status": STATUS_LABELS[status]}
    if action == WorkflowAction.submit:
        if status == WorkflowStatus.submitted:
            return _("%(stage)s已提交，正在等待审核，不能再次提交。") % labels
        return _("%(stage)s已审核通过，不能再提交；如需修改，请审核人先退回。") % labels
    if action == WorkflowAction.approve:
        if status == WorkflowStatus.approved:
            return _("%(stage)s已审核通过，无需再次审核。") % labels
        return _("%(stage)s当前为“%(status)s”，尚未提交，提交后才能审核。") % labels
    if action == WorkflowAction.send_back:
        return _("%(stage)s当前为“%(status)s”，只有已提交或已审核的内容才能退回。") % labels
    return _("当前状态为“%(status)s”，不能对%(stage)s提出意见。") % labels


@dataclass(frozen=True)
class TransitionRow:
    """One line of a goal's workflow history, for the page."""

    when: object
    who: str
    stage: str
    action: str
    from_status: str
    to_status: str
    comment: str
    action_code: str


def history(goal: m.PerformanceGoal | None, stage: str | None = None) -> list[TransitionRow]:
    if goal is None:
        return []
    rows = m.WorkflowTransition.objects.filter(goal=goal).order_by("-created_at", "-id")
    if stage is not None:
        rows = rows.filter(stage=stage)
    return [
        TransitionRow(
            when=row.created_at,
            who=row.user_name or _("（已删除的账号）"),
            stage=str(STAGE_LABELS.get(row.stage, row.stage)),
            action=str(ACTION_LABELS.get(row.action, row.action)),
            from_status=str(STATUS_LABELS.get(row.from_status, row.from_status)),
            to_status=str(STATUS_LABELS.get(row.to_status, row.to_status)),
            comment=row.comment,
            action_code=row.action,
        )
        for row in rows
    ]


def latest_return_comment(goal: m.PerformanceGoal | None, stage: str) -> str:
    """The comment of the last 退回 of a stage that is now 已退回 (shown to the submitter)."""
    if goal is None or status_of(goal, stage) != WorkflowStatus.returned:
        return ""
    row = (
        m.WorkflowTransition.objects.filter(goal=goal, stage=stage, action=WorkflowAction.send_back)
        .order_by("-created_at", "-id")
        .values_list("comment", flat=True)
        .first()
    )
    return row or ""
