"""整改通知: the rectification loop between the finance bureau and a department, as a
state machine, and where a notice stands against its deadlines on a given day.

The bureau issues a notice (下发, with a 整改期限); the department answers with its
feedback and evidence (反馈); the bureau approves it (通过) or returns it for more work
(退回重改, with a reason and a new 整改期限); the department answers again, and so on
until it is approved.

Deadlines fall on both sides: while the notice waits for the department (待反馈, 退回重改)
the department's 整改期限 counts; while it waits for the bureau (待审核) the bureau's
审核期限 counts, set when the department answered. How many days each side has is a
rule file's (``NoticeTerms``), as bureaus set them differently. An approved notice waits
for nobody. Nothing here reads the clock: the day is always given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from jixiao.core.deadlines import Deadline, deadline_of


class NoticeStatus(Enum):
    issued = "待反馈"
    answered = "待审核"
    returned = "退回重改"
    approved = "已通过"


class NoticeAction(Enum):
    issue = "下发"
    answer = "反馈"
    send_back = "退回重改"
    approve = "通过"


class Side(Enum):
    """Who a notice waits for."""

    department = "部门"
    bureau = "财政局"


class NoticeError(ValueError):
    """A step the notice's state does not allow, or one missing what it needs."""


_MOVES: dict[NoticeAction, tuple[frozenset[NoticeStatus], NoticeStatus]] = {
    NoticeAction.answer: (
        frozenset({NoticeStatus.issued, NoticeStatus.returned}),
        NoticeStatus.answered,
    ),
    NoticeAction.send_back: (frozenset({NoticeStatus.answered}), NoticeStatus.returned),
    NoticeAction.approve: (frozenset({NoticeStatus.answered}), NoticeStatus.approved),
}

_WAITING_FOR = {
    NoticeStatus.issued: Side.department,
    NoticeStatus.returned: Side.department,
    NoticeStatus.answered: Side.bureau,
}


def next_status(status: NoticeStatus, action: NoticeAction) -> NoticeStatus:
    """The status after ``action``; NoticeError when the notice is not in a state for it."""
    if action is NoticeAction.issue:
        raise NoticeError("整改通知只能下发一次。")
    sources, target = _MOVES[action]
    if status not in sources:
        raise NoticeError(f"整改通知当前为“{status.value}”，不能{action.value}。")
    return target


def waiting_for(status: NoticeStatus) -> Side | None:
    """Whose turn it is: the department's, the bureau's, or nobody's once approved."""
    return _WAITING_FOR.get(status)


@dataclass(frozen=True)
class NoticeTerms:
    """How many days each side has (a rule file's)."""

    id: str
    name: str
    answer_days: int
    """From the day a notice is issued to its default 整改期限."""
    resubmit_days: int
    """From the day a notice is returned to its default new 整改期限."""
    review_days: int
    """From the day the department answers to the bureau's 审核期限."""
    due_soon_days: int
    """How many days before a deadline the notice shows as 即将到期."""
    sources: tuple[str, ...] = ()


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)


@dataclass(frozen=True)
class Standing:
    """A notice that waits for ``side``, against that side's deadline on the day looked at."""

    side: Side
    deadline: Deadline

    @property
    def overdue(self) -> bool:
        return self.deadline.overdue


def standing(
    status: NoticeStatus,
    deadline: date | None,
    review_deadline: date | None,
    as_of: date,
    terms: NoticeTerms,
) -> Standing | None:
    """Whose deadline counts on ``as_of`` and how it stands; None once approved or when
    the side waited for has no deadline."""
    side = waiting_for(status)
    if side is None:
        return None
    due = deadline if side is Side.department else review_deadline
    found = deadline_of(due, False, as_of, terms.due_soon_days)
    return Standing(side, found) if found is not None else None
