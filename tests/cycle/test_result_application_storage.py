"""结果应用 stored: the 清单 comes from the year's stored data, a decision needs a reason,
is audited, and an accepted proposal is carried into next year's budget."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.result_application import BudgetAction
from jixiao.services import result_application as service
from jixiao.storage import models as m
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db


def slow_spending(fiscal_year: m.FiscalYear) -> None:
    """P001 spends 39.5 of its 120 万元 (the 70.5 paid in September is taken out)."""
    m.Payment.objects.filter(
        budget_line__fiscal_year=fiscal_year, amount=Decimal("705000")
    ).delete()


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    return store_text(first_department_text(small_year_text))


def test_the_proposal_comes_from_the_stored_data(year: m.FiscalYear) -> None:
    assert service.proposals_of_year(year) == ()  # 91.7 % executed, no grade yet
    slow_spending(year)
    (proposal,) = service.proposals_of_year(year)
    assert proposal.result.project_code == "P001"
    assert proposal.action is BudgetAction.cut
    assert "全年预算执行率低于60%" in proposal.text
    assert proposal.budget_year == year.year + 1


def test_a_decision_needs_a_reason_and_is_audited(year: m.FiscalYear) -> None:
    slow_spending(year)
    with pytest.raises(service.ResultDecisionError, match="须填写理由"):
        service.decide(year, "P001", accepted=True, reason="  ", user_name="财务科")
    assert not m.ResultDecision.objects.exists()
    with pytest.raises(service.ResultDecisionError, match="没有结果应用建议"):
        service.decide(year, "P999", accepted=True, reason="同意", user_name="财务科")
    service.decide(year, "P001", accepted=False, reason="任务延后", user_name="财务科")
    decision = service.decide(
        year, "P001", accepted=True, reason="执行缓慢，同意压减", user_name="财务科"
    )
    assert decision.accepted and decision.action == "压减"
    assert decision.this_year_budget == Decimal("1200000.00")
    assert [h.accepted for h in decision.history.order_by("history_id")] == [False, True]
    (row,) = service.rows_of_year(year)
    assert row.decision == decision


def test_accepted_proposals_are_carried_into_next_year(year: m.FiscalYear) -> None:
    slow_spending(year)
    following = m.FiscalYear.objects.create(department=year.department, year=year.year + 1)
    service.decide(year, "P001", accepted=False, reason="任务延后", user_name="财务科")
    assert service.carried_into(following) == []
    service.decide(year, "P001", accepted=True, reason="同意压减", user_name="财务科")
    (carried,) = service.carried_into(following)
    assert carried.project_code == "P001" and carried.action == "压减"
    assert carried.last_year_budget == Decimal("1200000.00")
    assert "同意压减" in carried.reason
