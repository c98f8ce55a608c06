"""Where a 整改 item stands against its deadline (整改期限) on a given day.

An item that is not 已完成 is **逾期** (overdue) from the day after its deadline: on the
deadline itself it is still due, and the days overdue count from that day on
(deadline 2024-03-31, looked at on 2024-04-02: 逾期 2 天). It is **即将到期** (due soon)
when the deadline falls within ``DUE_SOON_DAYS`` days from the day looked at. A finished
item, or one without a deadline, is neither.
The 30-day window is a local choice of jixiao: the 整改台账 we know set deadlines but no
reminder window.

The day is always given (``as_of``): nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

DUE_SOON_DAYS = 30


class DeadlineState(Enum):
    overdue = "逾期"
    due_soon = "即将到期"
    on_time = "未到期"


@dataclass(frozen=True)
class Deadline:
    """An open item's deadline as seen on ``as_of``."""

    deadline: date
    state: DeadlineState
    days_overdue: int
    """Whole days past the deadline; 0 unless overdue."""
    days_left: int
    """Whole days until the deadline (0 on the day itself); 0 once overdue."""

    @property
    def overdue(self) -> bool:
        return self.state is DeadlineState.overdue


def deadline_of(
    deadline: date | None, done: bool, as_of: date, due_soon_days: int = DUE_SOON_DAYS
) -> Deadline | None:
    """The item's standing on ``as_of``; None for a finished item or one without deadline."""
    if deadline is None or done:
        return None
    days = (as_of - deadline).days
    if days > 0:
        return Deadline(deadline, DeadlineState.overdue, days, 0)
    state = DeadlineState.due_soon if -days <= due_soon_days else DeadlineState.on_time
    return Deadline(deadline, state, 0, -days)
