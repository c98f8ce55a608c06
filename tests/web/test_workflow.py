"""The review workflow: 草稿 → 已提交 → 已审核 / 已退回, per goal and stage, by role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.workflow import lock_reason
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data, row_with_id

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
GOAL = f"{BASE}/projects/P001/goal/"
EVALUATION = f"{BASE}/projects/P001/evaluation/"


def _goal(world: World) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project=world.project("P001"))


def _act(world: World, persona: str, url: str, action: str, comment: str = "") -> str:
    client = world.client(persona)
    response = client.post(f"{url}transition/", {"action": action, "comment": comment})
    assert response.status_code == 302, response.status_code
    return " ".join(str(message) for message in response.wsgi_request._messages)  # type: ignore[attr-defined]


def _complete_the_evaluation(world: World) -> None:
    """Fill what P001's self-evaluation lacks (an actual) so that it may be submitted."""
    client = world.client("office")
    data = form_data(client.get(EVALUATION))
    satisfaction = _goal(world).indicators.get(level3="群众满意度")
    data[f"ind-{row_with_id(data, satisfaction.pk)}-actual"] = "93%"
    assert client.post(EVALUATION, data).status_code == 302


def test_the_declaration_goes_from_draft_to_submitted_to_returned_to_approved(world: World) -> None:
    assert _goal(world).declaration_status == WorkflowStatus.draft
    assert "绩效目标申报已提交。" in _act(world, "office", GOAL, "submit")
    assert _goal(world).declaration_status == WorkflowStatus.submitted

    refused = _act(world, "finance", GOAL, "return")
    assert "退回时须填写意见" in refused
    assert _goal(world).declaration_status == WorkflowStatus.submitted

    _act(world, "finance", GOAL, "return", "请补充满意度指标的调查方式。")
    goal = _goal(world)
    assert goal.declaration_status == WorkflowStatus.returned
    page = world.client("office").get(GOAL).content.decode()
    assert "请补充满意度指标的调查方式。" in page  # the submitter sees why

    _act(world, "office", GOAL, "submit", "已补充。")
    _act(world, "finance", GOAL, "approve")
    assert _goal(world).declaration_status == WorkflowStatus.approved
    rows = list(
        m.WorkflowTransition.objects.filter(goal=goal).values_list(
            "stage", "action", "from_status", "to_status", "user__username", "comment"
        )
    )
    assert rows == [
        ("declaration", "submit", "draft", "submitted", "office", ""),
        (
            "declaration",
            "return",
            "submitted",
            "returned",
            "finance",
            "请补充满意度指标的调查方式。",
        ),
        ("declaration", "submit", "returned", "submitted", "office", "已补充。"),
        ("declaration", "approve", "submitted", "approved", "finance", ""),
    ]


@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        ("office", "approve", False),
        ("leader", "approve", False),
        ("bureau", "approve", False),
        ("finance", "approve", True),
        ("admin", "approve", True),
        ("bureau", "return", True),
        ("leader", "return", False),
        ("office", "return", False),
        ("bureau", "comment", True),
        ("leader", "comment", False),
    ],
)
def test_who_may_approve_return_and_comment_a_submitted_goal(
    world: World, persona: str, action: str, allowed: bool
) -> None:
    _act(world, "office", GOAL, "submit")
    response = world.client(persona).post(
        f"{GOAL}transition/", {"action": action, "comment": "意见"}
    )
    goal = _goal(world)
    done = m.WorkflowTransition.objects.filter(goal=goal, action=action).exists()
    if persona == "leader":
        assert response.status_code == 302 and not done  # sees the page, may not act
    else:
        assert done is allowed, (persona, action, response.status_code)


def test_finance_cannot_submit_a_projects_goal_and_the_outsider_gets_404(world: World) -> None:
    assert (
        world.client("finance").post(f"{GOAL}transition/", {"action": "submit"}).status_code == 302
    )
    assert _goal(world).declaration_status == WorkflowStatus.draft
    outsider = world.client("outsider").post(f"{GOAL}transition/", {"action": "approve"})
    assert outsider.status_code == 404
    other_office = world.client("office").post(
        f"{BASE}/projects/P002/goal/transition/", {"action": "submit"}
    )
    assert other_office.status_code == 403


def test_a_submitted_goal_is_locked_for_the_submitter_until_it_is_returned(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    _act(world, "office", GOAL, "submit")
    data["goal-expected_objective"] = "改了目标。"
    refused = client.post(GOAL, data)
    assert refused.status_code == 409
    assert "已提交，内容已锁定" in refused.content.decode()
    assert _goal(world).expected_objective == "完成国土空间规划编制。"
    page = client.get(GOAL)
    assert page.context["editable"] is False and 'id="goal-form"' not in page.content.decode()

    _act(world, "finance", GOAL, "return", "目标表述过于笼统。")
    data = form_data(client.get(GOAL))
    data["goal-expected_objective"] = "完成国土空间总体规划编制并报批。"
    assert client.post(GOAL, data).status_code == 302
    assert _goal(world).expected_objective == "完成国土空间总体规划编制并报批。"


def test_the_declaration_locks_while_the_self_evaluation_is_under_review(world: World) -> None:
    _complete_the_evaluation(world)
    _act(world, "office", EVALUATION, "submit")
    goal = _goal(world)
    assert goal.evaluation_status == WorkflowStatus.submitted
    assert "绩效自评已提交" in lock_reason(goal, "declaration")
    assert world.client("office").get(GOAL).context["editable"] is False


def test_a_self_evaluation_with_a_missing_actual_or_reason_cannot_be_submitted(
    world: World,
) -> None:
    message = _act(world, "office", EVALUATION, "submit")
    assert "还不能提交" in message and "群众满意度" in message  # no actual yet
    assert _goal(world).evaluation_status == WorkflowStatus.draft

    client = world.client("office")
    data = form_data(client.get(EVALUATION))
    on_time = _goal(world).indicators.get(level3="按期完成率")
    data[f"ind-{row_with_id(data, on_time.pk)}-deviation_reason"] = ""
    satisfaction = _goal(world).indicators.get(level3="群众满意度")
    data[f"ind-{row_with_id(data, satisfaction.pk)}-actual"] = "93%"
    assert client.post(EVALUATION, data).status_code == 302
    message = _act(world, "office", EVALUATION, "submit")
    assert "按期完成率" in message and "应填写偏差原因分析" in message

    data = form_data(client.get(EVALUATION))
    data[f"ind-{row_with_id(data, on_time.pk)}-deviation_reason"] = "报批流程延长"
    assert client.post(EVALUATION, data).status_code == 302
    assert "绩效自评已提交。" in _act(world, "office", EVALUATION, "submit")


def test_a_declaration_whose_weights_do_not_add_up_cannot_be_submitted(world: World) -> None:
    indicator = _goal(world).indicators.get(level3="群众满意度")
    indicator.weight = Decimal(5)
    indicator.save()
    message = _act(world, "office", GOAL, "submit")
    assert "还不能提交" in message and "应为100" in message


def test_the_department_goal_is_submitted_by_finance_and_approved_by_another_reviewer(
    world: World,
) -> None:
    url = f"{BASE}/goals/department/"
    assert world.client("office").get(url).status_code == 403
    _act(world, "finance", url, "submit")
    goal = m.PerformanceGoal.objects.get(fiscal_year=world.fiscal_year, project=None)
    assert goal.declaration_status == WorkflowStatus.submitted
    assert "不能审核自己提交的内容" in _act(world, "finance", url, "approve")
    _act(world, "admin", url, "approve")
    goal.refresh_from_db()
    assert goal.declaration_status == WorkflowStatus.approved


def test_a_transition_on_a_project_without_a_goal_is_refused(world: World) -> None:
    office = world.client("admin")
    response = office.post(f"{BASE}/projects/P002/goal/transition/", {"action": "submit"})
    assert response.status_code == 302
    assert not m.WorkflowTransition.objects.exists()


def test_the_lists_show_each_projects_status(world: World) -> None:
    _act(world, "office", GOAL, "submit")
    goals = world.client("finance").get(f"{BASE}/goals/")
    rows = {row["project"].code: row for row in goals.context["rows"]}
    assert rows["P001"]["status"]["label"] == "已提交"
    assert rows["P002"]["goal"] is None
    office_rows = world.client("office").get(f"{BASE}/goals/").context["rows"]
    assert [row["project"].code for row in office_rows] == ["P001"]
    evaluation = world.client("finance").get(f"{BASE}/evaluation/")
    rows = {row["project"].code: row for row in evaluation.context["rows"]}
    assert rows["P001"]["status"]["label"] == "草稿" and rows["P001"]["missing"] == 1


def test_status_changes_are_in_the_audit_log_with_the_user(world: World) -> None:
    _act(world, "office", GOAL, "submit")
    goal = _goal(world)
    latest = goal.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert latest.declaration_status == "submitted" and latest.history_user.username == "office"
