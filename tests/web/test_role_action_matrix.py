"""One rule per action, whichever way the change comes in: every persona × every action ×
every path (the form, the API, an imported workbook) is allowed exactly where
``permissions.RULES`` says, and refused everywhere else with nothing written.

财务科 once could not edit a project's goal in the form (403 只读) but could change its
target through an imported 申报表; the rule now is the same on every path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from jixiao.interchange.excel.layouts import BUDGET_KIND
from jixiao.services.excel_export import export_form_workbook, export_workbook
from jixiao.storage import models as m
from jixiao.web.permissions import Action, allowed, scope_of
from tests.api.conftest import ApiClient, token_for
from tests.web.conftest import FIRST, PERSONAS, YEAR, World
from tests.web.forms import form_data

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"

EXPECTED = {
    "own project goal": {"admin", "office"},  # P001 of 规划科, the office persona's
    "other office's project goal": {"admin"},  # P002 of 土地储备科
    "department goal": {"admin", "finance"},
    "budget": {"admin", "finance"},
}
"""The rule, written out once more by hand, so that a change to RULES shows here."""


def _action(world: World, subject: str) -> tuple[Action, int | None]:
    if subject == "own project goal":
        return Action.edit_project_goal, world.project("P001").office_id
    if subject == "other office's project goal":
        return Action.edit_project_goal, world.project("P002").office_id
    if subject == "department goal":
        return Action.edit_department_goal, None
    return Action.edit_budget, None


def test_the_rules_say_what_the_matrix_expects(world: World) -> None:
    for persona in PERSONAS:
        scope = scope_of(world.users[persona])
        assert scope is not None
        for subject, who in EXPECTED.items():
            action, office = _action(world, subject)
            assert allowed(scope, action, world.fiscal_year, office) is (persona in who), (
                persona,
                subject,
            )


def test_every_action_in_the_rules_names_every_role_it_allows_once() -> None:
    from jixiao.web.models import Role
    from jixiao.web.permissions import RULES

    assert set(RULES) == set(Action)
    assert all(set(roles) <= set(Role) for roles in RULES.values())


# The paths


def _give_p002_a_goal(world: World) -> None:
    client = world.client("admin")
    url = f"{BASE}/projects/P002/goal/"
    data = form_data(client.get(url))
    data["goal-expected_objective"] = "完成土地储备前期工作。"
    index = int(data["ind-TOTAL_FORMS"])
    data["ind-TOTAL_FORMS"] = str(index + 1)
    row = {"id": "", "version": "", "loaded": "", "level1": "产出指标", "level2": "数量指标"}
    row |= {"level3": "储备地块数", "kind": "quantitative", "target": "≥2宗", "weight": "90"}
    for key, value in row.items():
        data[f"ind-{index}-{key}"] = value
    assert client.post(url, data).status_code == 302


def _goal(world: World, subject: str) -> m.PerformanceGoal:
    if subject == "department goal":
        return m.PerformanceGoal.objects.get(fiscal_year=world.fiscal_year, project=None)
    code = "P001" if subject == "own project goal" else "P002"
    return m.PerformanceGoal.objects.get(project=world.project(code))


def _goal_url(world: World, subject: str, stage: str) -> str:
    if subject == "department goal":
        return f"{BASE}/{'goals' if stage == 'goal' else 'evaluation'}/department/"
    code = "P001" if subject == "own project goal" else "P002"
    return f"{BASE}/projects/{code}/{stage}/"


def _state(world: World) -> Any:
    """Everything a path could change, to show a refusal wrote nothing."""
    goals = m.PerformanceGoal.objects.filter(fiscal_year=world.fiscal_year).order_by("pk")
    indicators = m.Indicator.objects.filter(goal__fiscal_year=world.fiscal_year).order_by("pk")
    lines = m.BudgetLine.objects.filter(fiscal_year=world.fiscal_year).order_by("pk")
    return (
        list(goals.values_list("expected_objective", "actual_objective")),
        list(indicators.values_list("target", "actual", "deviation_reason")),
        list(lines.values_list("name", flat=True)),
    )


def _by_form(world: World, persona: str, subject: str, stage: str) -> bool:
    url = _goal_url(world, subject, stage)
    data = form_data(world.client("admin").get(url))
    if stage == "goal":
        data["goal-expected_objective"] = f"由{persona}改写的目标。"
    else:
        data["goal-actual_objective"] = f"由{persona}填写的完成情况。"
    response = world.client(persona).post(url, data)
    assert response.status_code in (302, 403, 404), (persona, url, response.status_code)
    return response.status_code == 302


def _by_api(world: World, persona: str, subject: str) -> bool:
    indicator = _goal(world, subject).indicators.order_by("position").first()
    assert indicator is not None
    body = {"deviation_reason": f"由{persona}说明。", "version": indicator.version}
    client = ApiClient(token_for(world.users[persona]))
    response = client.patch_json(f"/api/years/{FIRST}/{YEAR}/indicators/{indicator.pk}", body)
    assert response.status_code in (200, 403, 404), (persona, response.status_code)
    return response.status_code == 200


def _goals_workbook(world: World, subject: str, path: Path) -> Path:
    export_form_workbook(FIRST, YEAR, "goals", path)
    book = openpyxl.load_workbook(path)
    wanted = "部门整体" if subject == "department goal" else _goal(world, subject).project.code
    sheet = next(s for s in book.worksheets if s.title.startswith(wanted))
    row = next(r for r in sheet.iter_rows(max_col=2) if r[0].value == "年度总体目标")
    row[1].value = "由导入改写的目标。"
    book.save(path)
    return path


def _budget_workbook(path: Path) -> Path:
    export_workbook(FIRST, YEAR, BUDGET_KIND, path)
    book = openpyxl.load_workbook(path)
    for row in book["预算与执行"].iter_rows(min_row=7):
        if row[1].value == "L01":
            row[2].value = "由导入改名的预算行"
    book.save(path)
    return path


def _by_import(client: Client, path: Path) -> bool:
    with path.open("rb") as file:
        preview = client.post(f"{BASE}/import/", {"workbook": file})
    if preview.status_code != 200:
        assert preview.status_code in (400, 403, 404), preview.status_code
        return False
    done = client.post(f"{BASE}/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    return True


Path_ = Callable[[World, str, str, Path], bool]
PATHS: dict[str, Path_] = {
    "form (绩效目标)": lambda w, persona, subject, tmp: _by_form(w, persona, subject, "goal"),
    "form (绩效自评)": lambda w, persona, subject, tmp: _by_form(w, persona, subject, "evaluation"),
    "API": lambda w, persona, subject, tmp: _by_api(w, persona, subject),
    "import": lambda w, persona, subject, tmp: _by_import(
        w.client(persona), _goals_workbook(w, subject, tmp / f"{persona}-goals.xlsx")
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_may_change_a_goal_on_every_path_or_on_none(
    world: World, persona: str, tmp_path: Path
) -> None:
    _give_p002_a_goal(world)
    wrong = []
    for subject in ("own project goal", "other office's project goal", "department goal"):
        for name, path in PATHS.items():
            before = _state(world)
            done = path(world, persona, subject, tmp_path)
            want = persona in EXPECTED[subject]
            if done is not want:
                wrong.append(f"{persona} · {subject} · {name}: {'done' if done else 'refused'}")
            if not done:
                assert _state(world) == before, f"{persona} · {subject} · {name} wrote something"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_budget_keepers_import_the_budget(
    world: World, persona: str, tmp_path: Path
) -> None:
    done = _by_import(world.client(persona), _budget_workbook(tmp_path / "budget.xlsx"))
    assert done is (persona in EXPECTED["budget"])
    renamed = world.line("L01").name == "由导入改名的预算行"
    assert renamed is done


def test_finance_is_told_why_a_project_goal_cannot_be_imported(
    world: World, tmp_path: Path
) -> None:
    path = _goals_workbook(world, "own project goal", tmp_path / "goals.xlsx")
    with path.open("rb") as file:
        refused = world.client("finance").post(f"{BASE}/import/", {"workbook": file})
    assert refused.status_code == 400
    assert [p.message for p in refused.context["problems"]] == [
        "项目“P001”的绩效目标和自评由该项目的科室填报，财务科审核，"
        "不能由财务科导入修改（与网页上的规则相同）"
    ]
