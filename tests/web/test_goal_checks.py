"""Checked before approval: a goal with an 错误 (first-level weights, an empty required
group, an unreadable target, an indicator twice) shows it while it is edited, cannot be
submitted, and 财务科 cannot approve it, whichever way the request comes; the same holds
for the self-evaluation. The goal list and the API show the same findings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.goal_checks import declaration_blockers
from jixiao.web.permissions import load_project_subject
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data, row_with_id

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
GOAL = f"{BASE}/projects/P001/goal/"
EVALUATION = f"{BASE}/projects/P001/evaluation/"
# P001 is set 产出 50 (编制规划数量 30 + 按期完成率 20) / 效益 30 / 满意度 10, as the rules ask
SIXTY_TWENTY_TEN = {"编制规划数量": 40, "规划管控作用": 20}
SIXTY_THIRTY_TEN = {"编制规划数量": 40}
PRODUCE_SIXTY = "一级指标“产出指标”分值为50，其下2个三级指标分值合计为60，两者应相等。"


def _goal(world: World) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project=world.project("P001"))


def _weigh(world: World, weights: dict[str, int]) -> None:
    for name, weight in weights.items():
        row = _goal(world).indicators.get(level3=name)
        row.weight = Decimal(weight)
        row.save()


def _act(world: World, persona: str, url: str, action: str) -> str:
    response = world.client(persona).post(f"{url}transition/", {"action": action})
    assert response.status_code == 302, response.status_code
    return " ".join(str(message) for message in response.wsgi_request._messages)  # type: ignore[attr-defined]


def _set_status(world: World, field: str, status: str) -> None:
    goal = _goal(world)
    setattr(goal, field, status)
    goal.save(update_fields=[field], bump_version=False)


def test_level1_weights_of_60_20_10_are_an_error_on_the_goal_page(world: World) -> None:
    _weigh(world, SIXTY_TWENTY_TEN)
    page = world.client("office").get(GOAL)
    messages = [(f.severity.label, f.message) for f in page.context["findings"]]
    assert ("错误", PRODUCE_SIXTY) in messages
    assert PRODUCE_SIXTY in page.context["blockers"]
    assert "以下问题改正并保存前不能提交" in page.content.decode()


def test_the_live_check_shows_the_weight_error_as_it_is_typed(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    plans = _goal(world).indicators.get(level3="编制规划数量")
    data[f"ind-{row_with_id(data, plans.pk)}-weight"] = "40"
    result = client.post(f"{GOAL}validate/", data).json()
    errors = [f["message"] for f in result["findings"] if f["severity"] == "error"]
    assert PRODUCE_SIXTY in errors
    assert result["errors"] == len(errors)


@pytest.mark.parametrize("weights", [SIXTY_TWENTY_TEN, SIXTY_THIRTY_TEN])
def test_a_goal_with_wrong_level1_weights_cannot_be_submitted(
    world: World, weights: dict[str, int]
) -> None:
    _weigh(world, weights)
    message = _act(world, "office", GOAL, "submit")
    assert message.startswith("还不能提交：") and PRODUCE_SIXTY.rstrip("。") in message
    assert _goal(world).declaration_status == WorkflowStatus.draft


def test_finance_cannot_approve_a_submitted_goal_that_has_an_error(world: World) -> None:
    """Submitted before the goal changed under it (an import, an earlier rule set)."""
    _weigh(world, SIXTY_TWENTY_TEN)
    _set_status(world, "declaration_status", WorkflowStatus.submitted)
    page = world.client("finance").get(GOAL).content.decode()
    assert "以下问题改正前不能审核通过，请退回修改" in page
    message = _act(world, "finance", GOAL, "approve")
    assert (
        message.startswith("还不能审核通过，请退回修改：") and PRODUCE_SIXTY.rstrip("。") in message
    )
    assert _goal(world).declaration_status == WorkflowStatus.submitted


def test_the_same_goal_once_corrected_is_approved(world: World) -> None:
    _weigh(world, SIXTY_TWENTY_TEN)
    _set_status(world, "declaration_status", WorkflowStatus.submitted)
    _weigh(world, {"编制规划数量": 30, "规划管控作用": 30})
    assert _act(world, "finance", GOAL, "approve") == "绩效目标申报已审核通过。"
    assert _goal(world).declaration_status == WorkflowStatus.approved


def test_an_indicator_twice_blocks_the_submission(world: World) -> None:
    goal = _goal(world)
    first = goal.indicators.get(level3="编制规划数量")
    m.Indicator.objects.create(
        goal=goal, position=99, level1=first.level1, level2=first.level2, level3=first.level3,
        kind=first.kind, target=first.target, weight=Decimal(0),
    )  # fmt: skip
    subject = load_project_subject(world.fiscal_year, "P001")
    assert any("出现2次" in reason for reason in declaration_blockers(subject))


def test_a_self_evaluation_with_an_error_cannot_be_submitted_or_approved(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(EVALUATION))
    satisfaction = _goal(world).indicators.get(level3="群众满意度")
    data[f"ind-{row_with_id(data, satisfaction.pk)}-actual"] = "93%"
    assert client.post(EVALUATION, data).status_code == 302
    _weigh(world, SIXTY_TWENTY_TEN)
    message = _act(world, "office", EVALUATION, "submit")
    assert message.startswith("还不能提交：") and PRODUCE_SIXTY.rstrip("。") in message
    assert _goal(world).evaluation_status == WorkflowStatus.draft
    _set_status(world, "evaluation_status", WorkflowStatus.submitted)
    message = _act(world, "finance", EVALUATION, "approve")
    assert message.startswith("还不能审核通过") and PRODUCE_SIXTY.rstrip("。") in message


def test_a_goal_without_indicators_says_so_instead_of_no_problem(world: World) -> None:
    goal = _goal(world)
    goal.indicators.all().delete()
    page = world.client("office").get(GOAL).content.decode()
    quality = page[page.index('id="quality-findings"') :]
    quality = quality[quality.index(">") : quality.index("</ul>")]
    assert "还没有绩效指标" in quality and "未发现问题" not in quality
    listing = world.client("office").get(f"{BASE}/goals/").content.decode()
    row = listing[listing.index("P001") :]
    assert "还没有绩效指标" in row[: row.index("</tr>")]
    message = _act(world, "office", GOAL, "submit")
    assert "还没有绩效指标" in message


def test_the_goal_list_and_the_api_show_the_same_errors(world: World) -> None:
    _weigh(world, SIXTY_TWENTY_TEN)
    listing = world.client("office").get(f"{BASE}/goals/")
    [row] = [r for r in listing.context["rows"] if r["project"].code == "P001"]
    assert PRODUCE_SIXTY in [f.message for f in row["findings"]]
    api = world.client("office").get(f"/api/years/{FIRST}/{YEAR}/goals")
    [goal] = [g for g in api.json()["items"] if g["project"] == "P001"]
    assert {"id": "group-weights-mismatch", "severity": "error"}.items() <= next(
        f for f in goal["findings"] if f["message"] == PRODUCE_SIXTY
    ).items()
