"""The finance bureau's workspace: stages of every department, the 待审核 queue (the
bureau's and 财务科's), 绩效目标审核 conclusions and the rule that a goal judged 差 does
not enter the budget, the ranking, and read-only drill-down."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.core.rules import ProjectRules
from jixiao.interchange.rule_files import load_rule_set, parse_rule_set
from jixiao.services import bureau as service
from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus, ReviewGrade, WorkflowStatus
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

OTHER = "other-dept"
BASE = f"/d/{FIRST}/{YEAR}"
GOAL = f"{BASE}/projects/P001/goal/"
REVIEW = f"{GOAL}review/"


def _goal(world: World, code: str, fiscal_year: m.FiscalYear | None = None) -> m.PerformanceGoal:
    """The project's goal (P002 has none in the test data: an empty one is declared)."""
    year = fiscal_year or world.fiscal_year
    project = m.Project.objects.get(fiscal_year=year, code=code)
    goal, _ = m.PerformanceGoal.objects.get_or_create(fiscal_year=year, project=project)
    return goal


def _set(goal: m.PerformanceGoal, **statuses: str) -> None:
    for field, value in statuses.items():
        setattr(goal, field, value)
    goal.save(bump_version=False)


def _submit(world: World) -> None:
    response = world.client("office").post(f"{GOAL}transition/", {"action": "submit"})
    assert response.status_code == 302
    assert _goal(world, "P001").declaration_status == WorkflowStatus.submitted


def _messages(response: object) -> str:
    return " ".join(str(x) for x in response.wsgi_request._messages)  # type: ignore[attr-defined]


# Services


def test_stages_count_every_department_s_goals_evaluations_snapshots_and_rectifications(
    world: World,
) -> None:
    _set(_goal(world, "P001"), declaration_status=WorkflowStatus.submitted)
    _set(
        _goal(world, "P002"),
        declaration_status=WorkflowStatus.approved,
        evaluation_status=WorkflowStatus.submitted,
    )
    today = date(YEAR, 9, 1)
    for issue, deadline, status in (
        ("逾期未整改", today - timedelta(days=1), RectificationStatus.in_progress),
        ("尚在期限内", today + timedelta(days=30), RectificationStatus.not_started),
        ("已完成的不算", today - timedelta(days=10), RectificationStatus.done),
    ):
        m.Rectification.objects.create(
            fiscal_year=world.fiscal_year, issue=issue, deadline=deadline, status=status
        )
    m.MonitoringSnapshot.objects.create(
        fiscal_year=world.fiscal_year, as_of=date(YEAR, 7, 31), rules="r", result={}
    )
    m.MonitoringSnapshot.objects.create(  # after the monitoring date: not counted
        fiscal_year=world.fiscal_year, as_of=date(YEAR, 10, 31), rules="r", result={}
    )

    rows = {
        row.department_code: row for row in service.stage_status(YEAR, date(YEAR, 8, 31), today)
    }

    assert set(rows) == {FIRST, OTHER}
    first, other = rows[FIRST], rows[OTHER]
    assert first.declared(WorkflowStatus.submitted) == 1
    assert first.declared(WorkflowStatus.approved) == 1
    assert first.evaluated(WorkflowStatus.submitted) == 1
    assert first.snapshot_date == date(YEAR, 7, 31)
    assert (first.rectifications_open, first.rectifications_overdue) == (2, 1)
    assert other.declared(WorkflowStatus.submitted) == 0 and other.snapshot_date is None
    assert other.undeclared == other.projects  # nothing submitted yet


def test_stages_and_queue_read_one_query_set_per_stage_whatever_the_number_of_departments(
    world: World,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            service.stage_status(YEAR, date(YEAR, 8, 31), date(YEAR, 9, 1))
            service.review_queue(YEAR)
            service.goal_quality(YEAR)
        return len(captured)

    before = queries()
    for code in ("third", "fourth"):
        department = m.Department.objects.create(code=code, name=code)
        fy = m.FiscalYear.objects.create(department=department, year=YEAR)
        project = m.Project.objects.create(fiscal_year=fy, code="X1", name="项目")
        m.PerformanceGoal.objects.create(
            fiscal_year=fy, project=project, declaration_status=WorkflowStatus.submitted
        )
    assert queries() == before


def test_the_queue_lists_what_was_submitted_oldest_first_for_the_bureau_and_for_finance(
    world: World,
) -> None:
    _submit(world)
    _set(_goal(world, "P002"), evaluation_status=WorkflowStatus.submitted)
    _set(_goal(world, "P001", world.other_year), declaration_status=WorkflowStatus.submitted)

    everything = service.review_queue(YEAR)
    assert (everything.declarations, everything.evaluations) == (2, 1)
    assert everything.items[0].project_code == "P001"  # the one submitted through the workflow
    assert everything.items[0].submitted_at is not None
    mine = service.review_queue(YEAR, world.fiscal_year.department_id)
    assert {item.department_code for item in mine.items} == {FIRST}
    assert (mine.declarations, mine.evaluations) == (1, 1)
    assert mine.by_department() == [(FIRST, world.fiscal_year.department.name, 1, 1)]


def test_a_conclusion_needs_a_grade_a_comment_when_fair_or_poor_and_a_submitted_goal(
    world: World,
) -> None:
    goal = _goal(world, "P001")
    bureau = world.users["bureau"]
    with pytest.raises(service.ReviewError, match="尚未提交"):
        service.record_review(goal, ReviewGrade.good, "", bureau, "bureau")
    _submit(world)
    goal.refresh_from_db()
    with pytest.raises(service.ReviewError, match="请选择"):
        service.record_review(goal, "很好", "", bureau, "bureau")
    with pytest.raises(service.ReviewError, match="须填写审核意见"):
        service.record_review(goal, ReviewGrade.poor, "  ", bureau, "bureau")
    service.record_review(goal, ReviewGrade.poor, "指标不可衡量", bureau, "bureau")
    service.record_review(goal, ReviewGrade.good, "", bureau, "bureau")
    assert [r.grade for r in service.reviews_of(goal)] == [ReviewGrade.good, ReviewGrade.poor]
    assert service.latest_review(goal).grade == ReviewGrade.good  # type: ignore[union-attr]
    assert m.GoalReview.objects.filter(goal=goal).count() == 2  # none is overwritten


def test_goal_quality_counts_the_latest_conclusion_of_each_goal(world: World) -> None:
    _set(_goal(world, "P001"), declaration_status=WorkflowStatus.submitted)
    _set(_goal(world, "P002"), declaration_status=WorkflowStatus.submitted)
    bureau = world.users["bureau"]
    service.record_review(_goal(world, "P001"), ReviewGrade.poor, "差", bureau, "b")
    service.record_review(_goal(world, "P001"), ReviewGrade.excellent, "", bureau, "b")
    service.record_review(_goal(world, "P002"), ReviewGrade.fair, "一般", bureau, "b")
    quality = service.goal_quality(YEAR)[world.fiscal_year.pk]
    assert quality.counts == {ReviewGrade.excellent: 1, ReviewGrade.fair: 1}
    assert quality.good_share == Decimal("0.5")
    assert world.other_year.pk not in service.goal_quality(YEAR)


def test_ranked_puts_the_best_first_shares_ranks_on_ties_and_leaves_no_value_last() -> None:
    rows = [("a", Decimal("80")), ("b", None), ("c", Decimal("95")), ("d", Decimal("80"))]
    ranked = service.ranked(rows, lambda row: row[1])
    assert [(rank, row[0]) for rank, row in ranked] == [
        (1, "c"), (2, "a"), (2, "d"), (None, "b"),
    ]  # fmt: skip
    assert service.ranking_key("rate") == "rate"
    assert service.ranking_key("drop table") == "score"


def test_the_rule_file_key_is_on_by_default_and_may_be_turned_off() -> None:
    assert load_rule_set("mof-2020-project").goal_quality.poor_review_blocks_budget
    text = (load_rule_set_text := _rule_text()).replace(
        "poor_review_blocks_budget: true", "poor_review_blocks_budget: false"
    )
    assert text != load_rule_set_text
    assert not parse_rule_set(text).goal_quality.poor_review_blocks_budget


def _rule_text() -> str:
    from importlib.resources import files

    return (files("jixiao") / "rules" / "mof-2020-project.yaml").read_text(encoding="utf-8")


# The web, per role


def test_the_bureau_judges_a_submitted_goal_and_the_goal_page_shows_who_and_when(
    world: World,
) -> None:
    _submit(world)
    bureau = world.client("bureau")
    page = bureau.get(GOAL).content.decode()
    assert 'id="goal-review-form"' in page
    response = bureau.post(REVIEW, {"grade": "good", "comment": "目标明确，指标可衡量"})
    assert response.status_code == 302 and "已记录" in _messages(response)
    review = m.GoalReview.objects.get()
    assert (review.grade, review.user, review.comment) == (
        ReviewGrade.good, world.users["bureau"], "目标明确，指标可衡量",
    )  # fmt: skip
    shown = world.client("office").get(GOAL).content.decode()
    assert 'id="goal-reviews"' in shown and "目标明确，指标可衡量" in shown
    assert 'id="goal-review-form"' not in shown  # the office reads it, does not judge


def test_a_refused_conclusion_says_why_and_stores_nothing(world: World) -> None:
    _submit(world)
    response = world.client("bureau").post(REVIEW, {"grade": "poor", "comment": ""})
    assert "须填写审核意见" in _messages(response)
    assert not m.GoalReview.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office", 403), ("leader", 403), ("outsider", 404), ("finance", 302), ("admin", 302)],
)
def test_who_may_give_a_conclusion(world: World, persona: str, status: int) -> None:
    _submit(world)
    response = world.client(persona).post(REVIEW, {"grade": "excellent"})
    assert response.status_code == status
    assert m.GoalReview.objects.exists() is (status == 302)


def test_a_goal_judged_poor_is_not_approved_into_the_budget_until_judged_again(
    world: World,
) -> None:
    _submit(world)
    world.client("bureau").post(REVIEW, {"grade": "poor", "comment": "目标不具体"})
    response = world.client("finance").post(f"{GOAL}transition/", {"action": "approve"})
    assert "不能进入预算" in _messages(response)
    assert _goal(world, "P001").declaration_status == WorkflowStatus.submitted
    world.client("bureau").post(REVIEW, {"grade": "fair", "comment": "已改进"})
    world.client("finance").post(f"{GOAL}transition/", {"action": "approve"})
    assert _goal(world, "P001").declaration_status == WorkflowStatus.approved


def test_where_the_rule_set_does_not_block_a_poor_goal_it_is_approved(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lenient(rule_id: str) -> ProjectRules:
        rules = load_rule_set(rule_id)
        quality = dataclasses.replace(rules.goal_quality, poor_review_blocks_budget=False)
        return dataclasses.replace(rules, goal_quality=quality)

    monkeypatch.setattr(service, "load_rule_set", lenient)
    _submit(world)
    world.client("bureau").post(REVIEW, {"grade": "poor", "comment": "目标不具体"})
    world.client("finance").post(f"{GOAL}transition/", {"action": "approve"})
    assert _goal(world, "P001").declaration_status == WorkflowStatus.approved


def test_the_workspace_shows_stages_and_queue_counts_and_links_the_queue(world: World) -> None:
    _submit(world)
    page = world.client("bureau").get(f"/bureau/{YEAR}/").content.decode()
    assert 'id="stage-table"' in page and f'data-department="{OTHER}"' in page
    assert "绩效目标 1 项，绩效自评 0 项已提交待审核" in page
    assert f'href="/bureau/{YEAR}/queue/"' in page and f'href="/bureau/{YEAR}/ranking/"' in page
    queue = world.client("bureau").get(f"/bureau/{YEAR}/queue/").content.decode()
    assert f'href="{GOAL}"' in queue


def test_finance_has_the_same_queue_for_its_own_offices_only(world: World) -> None:
    _submit(world)
    _set(_goal(world, "P002", world.other_year), declaration_status=WorkflowStatus.submitted)
    response = world.client("finance").get(f"{BASE}/review-queue/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{GOAL}"' in page and f"/d/{OTHER}/" not in page
    assert world.client("office").get(f"{BASE}/review-queue/").status_code == 403
    assert world.client("outsider").get(f"{BASE}/review-queue/").status_code == 404
    assert world.client("finance").get(f"/bureau/{YEAR}/queue/").status_code == 403
    nav = world.client("finance").get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/review-queue/"' in nav  # in 财务科's navigation bar
    assert (
        f'href="{BASE}/review-queue/"'
        not in world.client("office").get(f"{BASE}/").content.decode()
    )


def test_the_ranking_sorts_by_the_chosen_column(world: World) -> None:
    _set(_goal(world, "P001"), declaration_status=WorkflowStatus.submitted)
    service.record_review(_goal(world, "P001"), ReviewGrade.excellent, "", None, "b")  # type: ignore[arg-type]
    client = world.client("bureau")
    page = client.get(f"/bureau/{YEAR}/ranking/?sort=quality").content.decode()
    first, other = (
        page.index(f'data-department="{FIRST}"'),
        page.index(f'data-department="{OTHER}"'),
    )
    assert first < other  # the only department with a reviewed goal leads on quality
    for key in ("score", "rate", "nonsense"):
        assert client.get(f"/bureau/{YEAR}/ranking/?sort={key}").status_code == 200
    assert world.client("finance").get(f"/bureau/{YEAR}/ranking/").status_code == 403


def test_the_bureau_drills_down_read_only(world: World) -> None:
    client = world.client("bureau")
    for url in (f"{BASE}/", f"{BASE}/budget/", GOAL, f"/d/{OTHER}/{YEAR}/"):
        assert client.get(url).status_code == 200, url
    page = client.get(GOAL).content.decode()
    assert 'id="action-submit"' not in page and 'id="action-approve"' not in page
    assert client.post(GOAL, {}).status_code == 403  # may view, not edit


def test_the_workspace_flags_spot_checks_scored_under_an_older_rule_version(
    world: World,
) -> None:
    from jixiao.services import spot_checks

    goal = _goal(world, "P001")
    _set(goal, evaluation_status=WorkflowStatus.submitted)
    [check] = spot_checks.draw_at_random(YEAR, 1, 1, "财政局")
    current = spot_checks.load_framework(check.framework).version
    m.BureauScore.objects.create(
        spot_check=check, item="decision-goal", score=Decimal(2), framework_version=current,
        user_name="财政局",
    )  # fmt: skip
    bureau = world.client("bureau")
    page = bureau.get(f"/bureau/{YEAR}/").content.decode()
    assert "财政评价需复核" in page and "项需复核" not in page  # a current score: no flag
    m.BureauScore.objects.create(
        spot_check=check, item="process-arrival", score=Decimal(3), framework_version="2020.1",
        user_name="财政局",
    )  # fmt: skip
    stages = service.stage_status(YEAR, date(YEAR, 12, 31), date(YEAR, 12, 31))
    assert {row.department_code: row.rechecks for row in stages} == {FIRST: 1, OTHER: 0}
    page = bureau.get(f"/bureau/{YEAR}/").content.decode()
    row = page[page.index(f'data-department="{FIRST}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/bureau/{YEAR}/spot-checks/"' in row and "1 项需复核" in row
    other = page[page.index(f'data-department="{OTHER}"') :]
    assert "项需复核" not in other[: other.index("</tr>")]
