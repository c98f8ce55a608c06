"""整改通知 stored: the finance bureau issues a notice to a department-year, the department
answers with feedback and evidence files, the bureau approves or returns it; every step
is a ``NoticeStep`` row and the notice's own changes are in its audit history.

The moves and the deadlines are ``jixiao.core.rectification_notices``'s; the days each
side has are the rule file's (``jixiao/rules/rectification-notices.yaml``). What a notice
may come from — a finding of the year's checks, a 抽查's 财政评价, a 结果应用 proposal —
is offered by ``sources_of_year``; the bureau may also write one freely.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jixiao.core.money import round_half_up
from jixiao.core.rectification_notices import (
    NoticeAction,
    NoticeError,
    NoticeStatus,
    NoticeTerms,
    Standing,
    days_after,
    next_status,
    standing,
)
from jixiao.core.result_application import Proposal
from jixiao.core.spot_checks import Comparison
from jixiao.errors import UserFacingError
from jixiao.interchange.notice_terms_files import shipped_notice_terms
from jixiao.services import spot_checks
from jixiao.services.evidence_files import (
    EvidenceRefused,
    check_upload,
    discard,
    save_upload,
    shown_name,
    stored_path,
)
from jixiao.services.rectification import findings_to_rectify
from jixiao.services.result_application import proposals_of_year
from jixiao.storage import models as m
from jixiao.storage.models import NoticeOrigin

STORED_ACTION = {
    NoticeAction.issue: m.NoticeAction.issue,
    NoticeAction.answer: m.NoticeAction.answer,
    NoticeAction.send_back: m.NoticeAction.send_back,
    NoticeAction.approve: m.NoticeAction.approve,
}
CORE_STATUS = {
    m.NoticeStatus.issued.value: NoticeStatus.issued,
    m.NoticeStatus.answered.value: NoticeStatus.answered,
    m.NoticeStatus.returned.value: NoticeStatus.returned,
    m.NoticeStatus.approved.value: NoticeStatus.approved,
}
STORED_STATUS = {core: stored for stored, core in CORE_STATUS.items()}


class NoticeRefused(UserFacingError):
    """A notice, an answer or a review that cannot be stored; nothing was saved."""


@dataclass(frozen=True)
class Actor:
    """Who takes a step: the account, its shown name and its role's name."""

    user_id: int | None
    name: str
    role: str


@dataclass(frozen=True)
class Upload:
    name: str
    size: int
    chunks: Iterable[bytes]


def terms() -> NoticeTerms:
    return shipped_notice_terms()


def notice_standing(notice: m.RectificationNotice, as_of: date) -> Standing | None:
    """Whose deadline counts today and how it stands (None once approved)."""
    return standing(
        CORE_STATUS[notice.status], notice.deadline, notice.review_deadline, as_of, terms()
    )


def _step(
    notice: m.RectificationNotice,
    action: NoticeAction,
    text: str,
    actor: Actor,
    deadline: date | None = None,
) -> m.NoticeStep:
    return m.NoticeStep.objects.create(
        notice=notice,
        action=STORED_ACTION[action],
        text=text,
        deadline=deadline,
        user_id=actor.user_id,
        user_name=actor.name,
        role=actor.role,
    )


def issue(
    fiscal_year: m.FiscalYear,
    issue_text: str,
    actor: Actor,
    *,
    origin: str = NoticeOrigin.other,
    basis: str = "",
    requirement: str = "",
    deadline: date | None = None,
    project: m.Project | None = None,
    spot_check: m.SpotCheck | None = None,
    today: date | None = None,
) -> m.RectificationNotice:
    """Issue a notice; without a deadline, the rule file's ``answer_days`` from today."""
    today = today or timezone.localdate()
    issue_text = issue_text.strip()
    if not issue_text:
        raise NoticeRefused("请填写整改问题。")
    if origin not in NoticeOrigin.values:
        raise NoticeRefused("没有这种整改通知来源。")
    if project is not None and project.fiscal_year_id != fiscal_year.pk:
        raise NoticeRefused("所选项目不属于该部门年度。")
    deadline = deadline or days_after(today, terms().answer_days)
    if deadline < today:
        raise NoticeRefused("整改期限不能早于今天。")
    with transaction.atomic():
        # the year's row is the lock: two notices issued at once get different numbers
        list(m.FiscalYear.objects.select_for_update().filter(pk=fiscal_year.pk).values_list("pk"))
        notices = m.RectificationNotice.objects.filter(fiscal_year=fiscal_year)
        number = (notices.aggregate(top=Max("number"))["top"] or 0) + 1
        notice = m.RectificationNotice.objects.create(
            fiscal_year=fiscal_year,
            number=number,
            origin=origin,
            basis=basis.strip(),
            issue=issue_text,
            requirement=requirement.strip(),
            project=project,
            spot_check=spot_check,
            deadline=deadline,
            issued_by_name=actor.name,
        )
        _step(notice, NoticeAction.issue, requirement.strip(), actor, deadline)
    return notice


def _move(notice: m.RectificationNotice, action: NoticeAction) -> m.RectificationNotice:
    """The notice locked for the step, moved to its next status (NoticeRefused if it may not)."""
    locked = m.RectificationNotice.objects.select_for_update().get(pk=notice.pk)
    try:
        locked.status = STORED_STATUS[next_status(CORE_STATUS[locked.status], action)]
    except NoticeError as error:
        raise NoticeRefused(str(error)) from error
    return locked


def answer(
    notice: m.RectificationNotice,
    feedback: str,
    uploads: Sequence[Upload],
    actor: Actor,
    today: date | None = None,
) -> m.NoticeStep:
    """The department's feedback with its evidence files; the bureau's 审核期限 starts."""
    today = today or timezone.localdate()
    feedback = feedback.strip()
    if not feedback:
        raise NoticeRefused("请填写整改情况。")
    try:
        for upload in uploads:
            check_upload(upload.name, upload.size)
    except EvidenceRefused as error:
        raise NoticeRefused(str(error)) from error
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _move(notice, NoticeAction.answer)
            locked.review_deadline = days_after(today, terms().review_days)
            locked.save()
            step = _step(locked, NoticeAction.answer, feedback, actor)
            for upload in uploads:
                path = save_upload(f"notices/{notice.pk}", upload.name, upload.size, upload.chunks)
                stored.append(path)
                m.NoticeEvidence.objects.create(
                    notice=locked,
                    step=step,
                    name=shown_name(upload.name),
                    stored=path,
                    size=upload.size,
                    user_name=actor.name,
                )
    except Exception:
        for path in stored:
            discard(path)
        raise
    return step


def review(
    notice: m.RectificationNotice,
    approve: bool,
    reason: str,
    actor: Actor,
    new_deadline: date | None = None,
    today: date | None = None,
) -> m.NoticeStep:
    """The bureau approves the feedback, or returns it with a reason and a new 整改期限
    (by default the rule file's ``resubmit_days`` from today)."""
    today = today or timezone.localdate()
    reason = reason.strip()
    if not approve and not reason:
        raise NoticeRefused("退回重改须填写理由。")
    if new_deadline is not None and new_deadline < today:
        raise NoticeRefused("新的整改期限不能早于今天。")
    action = NoticeAction.approve if approve else NoticeAction.send_back
    with transaction.atomic():
        locked = _move(notice, action)
        locked.review_deadline = None
        deadline = None
        if not approve:
            deadline = new_deadline or days_after(today, terms().resubmit_days)
            locked.deadline = deadline
        locked.save()
        return _step(locked, action, reason, actor, deadline)


def evidence_path(evidence: m.NoticeEvidence) -> str:
    try:
        return str(stored_path(evidence.stored))
    except EvidenceRefused as error:
        raise NoticeRefused(str(error)) from error


# What a notice may come from


@dataclass(frozen=True)
class Source:
    """Something of the year the bureau may turn into a notice, with its text ready."""

    origin: str
    basis: str
    issue: str
    project_code: str = ""
    spot_check_id: int | None = None


def spot_check_source(check: m.SpotCheck, comparison: Comparison) -> Source | None:
    """A scored 抽查 as a notice's source; None before the bureau scored any indicator."""
    if not any(r.bureau_score is not None for r in comparison.rows):
        return None
    project = check.goal.project
    assert project is not None
    basis = (
        f"抽查（{check.get_method_display()}）：财政评价得分"
        f"{round_half_up(comparison.bureau_total)}分，"
        f"自评得分{round_half_up(comparison.self_total)}分，"
        f"同口径指标相差{round_half_up(comparison.difference)}分"
    )
    issue_text = f"{project.code} {project.name}：财政评价发现的问题"
    return Source(NoticeOrigin.spot_check, basis, issue_text, project.code, check.pk)


def _spot_check_sources(fiscal_year: m.FiscalYear) -> list[Source]:
    checks = m.SpotCheck.objects.filter(goal__fiscal_year=fiscal_year).select_related(
        "goal__project", "goal__fiscal_year__department"
    )
    found = (
        spot_check_source(check, spot_checks.review(check).comparison)
        for check in checks.order_by("goal__project__code")
    )
    return [source for source in found if source is not None]


def result_source(proposal: Proposal) -> Source:
    """A 结果应用 proposal as a notice's source."""
    return Source(
        NoticeOrigin.result,
        f"结果应用建议“{proposal.action.value}”：{'；'.join(proposal.grounds)}",
        f"{proposal.result.project_code} {proposal.result.name}：{proposal.rule.name}",
        proposal.result.project_code,
    )


def _result_sources(fiscal_year: m.FiscalYear) -> list[Source]:
    try:
        proposals = proposals_of_year(fiscal_year)
    except UserFacingError:
        return []
    return [result_source(p) for p in proposals]


def sources_of_year(fiscal_year: m.FiscalYear) -> list[Source]:
    """The year's findings, 抽查 results and 结果应用 proposals, each as a notice's source."""
    findings = [
        Source(NoticeOrigin.finding, text, text)
        for _source, text in findings_to_rectify(fiscal_year)
    ]
    return [*findings, *_spot_check_sources(fiscal_year), *_result_sources(fiscal_year)]


# The bureau's view across departments


@dataclass
class Overview:
    """Every notice of a year across departments, with counts by status and overdue."""

    notices: list[m.RectificationNotice]
    standings: dict[int, Standing | None]
    by_status: Counter[str] = field(default_factory=Counter)
    overdue: Counter[str] = field(default_factory=Counter)
    """Overdue notices by the side they wait for (部门 / 财政局)."""


def overview(
    year: int, as_of: date, fiscal_year: m.FiscalYear | None = None, city_id: int | None = None
) -> Overview:
    """The year's notices (of one department-year, or of one city's departments, when
    given), oldest department first."""
    notices = m.RectificationNotice.objects.filter(fiscal_year__year=year)
    if fiscal_year is not None:
        notices = notices.filter(fiscal_year=fiscal_year)
    if city_id is not None:
        notices = notices.filter(fiscal_year__department__city_id=city_id)
    rows = list(
        notices.select_related("fiscal_year__department", "project").order_by(
            "fiscal_year__department__code", "number"
        )
    )
    found = Overview(rows, {})
    for notice in rows:
        found.by_status[notice.status] += 1
        standing_now = notice_standing(notice, as_of)
        found.standings[notice.pk] = standing_now
        if standing_now is not None and standing_now.overdue:
            found.overdue[standing_now.side.value] += 1
    return found
