"""整改期限: 逾期 from the day after the deadline, 即将到期 within 30 days, never when done."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.deadlines import DUE_SOON_DAYS, DeadlineState, deadline_of

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def test_it_counts_the_days_past_a_deadline() -> None:
    found = deadline_of(date(2024, 3, 31), False, date(2026, 12, 6))
    assert found is not None and found.overdue
    assert found.days_overdue == (date(2026, 12, 6) - date(2024, 3, 31)).days == 980


def test_an_item_is_still_due_on_its_deadline() -> None:
    found = deadline_of(date(2024, 3, 31), False, date(2024, 3, 31))
    assert found is not None and found.state is DeadlineState.due_soon and found.days_left == 0
    later = deadline_of(date(2024, 3, 31), False, date(2024, 4, 1))
    assert later is not None and later.overdue and later.days_overdue == 1


def test_a_finished_or_undated_item_has_no_deadline_state() -> None:
    assert deadline_of(date(2024, 3, 31), True, date(2026, 1, 1)) is None
    assert deadline_of(None, False, date(2026, 1, 1)) is None


@settings(deadline=None)  # behaviour, not timing: the machine may be busy
@given(DAYS, DAYS)
def test_it_is_overdue_exactly_when_the_day_is_past_the_deadline(deadline: date, day: date) -> None:
    found = deadline_of(deadline, False, day)
    assert found is not None
    assert found.overdue == (day > deadline)
    assert found.days_overdue == max((day - deadline).days, 0)
    assert found.days_left == max((deadline - day).days, 0)
    soon = not found.overdue and deadline - day <= timedelta(days=DUE_SOON_DAYS)
    assert (found.state is DeadlineState.due_soon) == soon
