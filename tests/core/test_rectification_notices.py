"""整改通知 as a state machine and against its deadlines on both sides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.rectification_notices import (
    NoticeAction,
    NoticeError,
    NoticeStatus,
    NoticeTerms,
    Side,
    next_status,
    standing,
    waiting_for,
)

TERMS = NoticeTerms("t", "测试", answer_days=30, resubmit_days=15, review_days=10, due_soon_days=7)
ISSUED, ANSWERED, RETURNED, APPROVED = (
    NoticeStatus.issued,
    NoticeStatus.answered,
    NoticeStatus.returned,
    NoticeStatus.approved,
)


def test_the_loop_issue_answer_return_answer_approve() -> None:
    status = next_status(ISSUED, NoticeAction.answer)
    assert status is ANSWERED
    status = next_status(status, NoticeAction.send_back)
    assert status is RETURNED
    status = next_status(status, NoticeAction.answer)
    status = next_status(status, NoticeAction.approve)
    assert status is APPROVED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ISSUED, NoticeAction.approve),
        (ISSUED, NoticeAction.send_back),
        (ANSWERED, NoticeAction.answer),
        (APPROVED, NoticeAction.answer),
        (APPROVED, NoticeAction.send_back),
        (RETURNED, NoticeAction.issue),
    ],
)
def test_a_step_out_of_turn_is_refused_in_chinese(
    status: NoticeStatus, action: NoticeAction
) -> None:
    with pytest.raises(NoticeError, match="整改通知"):
        next_status(status, action)


def test_the_department_is_overdue_from_the_day_after_its_deadline() -> None:
    deadline = date(2024, 3, 31)
    assert standing(ISSUED, deadline, None, deadline, TERMS).overdue is False  # type: ignore[union-attr]
    found = standing(RETURNED, deadline, None, date(2024, 4, 2), TERMS)
    assert found is not None and found.side is Side.department
    assert found.overdue and found.deadline.days_overdue == 2


def test_the_bureau_is_overdue_after_its_review_deadline() -> None:
    found = standing(ANSWERED, date(2024, 3, 31), date(2024, 4, 10), date(2024, 4, 13), TERMS)
    assert found is not None and found.side is Side.bureau and found.deadline.days_overdue == 3


def test_an_approved_notice_waits_for_nobody() -> None:
    assert waiting_for(APPROVED) is None
    assert standing(APPROVED, date(2020, 1, 1), None, date(2024, 1, 1), TERMS) is None


@given(
    st.sampled_from([ISSUED, ANSWERED, RETURNED]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=-400, max_value=400),
)
def test_overdue_exactly_when_past_the_waiting_sides_deadline(
    status: NoticeStatus, deadline: date, offset: int
) -> None:
    as_of = deadline + timedelta(days=offset)
    found = standing(status, deadline, deadline, as_of, TERMS)
    assert found is not None
    assert found.side is waiting_for(status)
    assert found.overdue is (offset > 0)
    assert found.deadline.days_overdue == max(offset, 0)
