"""Editing goals and indicators, the live checks, and optimistic locking (two editors)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from jixiao.storage import models as m
from jixiao.storage.models import StaleVersionError
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data, row_of, row_with_id

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
GOAL = f"{BASE}/projects/P001/goal/"
EVALUATION = f"{BASE}/projects/P001/evaluation/"


def _goal(world: World) -> m.PerformanceGoal:
    return m.PerformanceGoal.objects.get(project=world.project("P001"))


def _indicator(world: World, name: str) -> m.Indicator:
    return _goal(world).indicators.get(level3=name)


def _add_row(data: dict[str, str], **values: str) -> int:
    index = int(data["ind-TOTAL_FORMS"])
    data["ind-TOTAL_FORMS"] = str(index + 1)
    for key, value in {"id": "", "version": "", "loaded": "", **values}.items():
        data[f"ind-{index}-{key}"] = value
    return index


# Declaration


def test_the_office_edits_adds_and_deletes_indicators(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    data[f"ind-{row_of(data, 'level3', '编制规划数量')}-target"] = "≥1个"
    data[f"ind-{row_of(data, 'level3', '群众满意度')}-DELETE"] = "on"
    _add_row(
        data, level1="满意度指标", level2="服务对象满意度指标", level3="规划公示满意度",
        kind="quantitative", target="≥85%", weight="10",
    )  # fmt: skip
    response = client.post(GOAL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(_goal(world).indicators.order_by("position").values_list("level3", "target"))
    assert rows == [
        ("编制规划数量", "≥1个"),
        ("按期完成率", "≥95%"),
        ("规划管控作用", "效果明显"),
        ("规划公示满意度", "≥85%"),
    ]
    changed = _indicator(world, "编制规划数量")
    assert changed.version == 2 and _indicator(world, "按期完成率").version == 1  # untouched
    history = changed.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert history.history_user.username == "office"
    deleted = m.Indicator.history.filter(level3="群众满意度", history_type="-")  # type: ignore[attr-defined]
    assert deleted.count() == 1


def test_an_unreadable_target_is_refused_with_the_parsers_chinese_message(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    data[f"ind-{row_of(data, 'level3', '按期完成率')}-target"] = "≥95%以上"
    data[f"ind-{row_of(data, 'level3', '编制规划数量')}-level2"] = "满意度"  # not a choice
    response = client.post(GOAL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "不认识的计量单位“%以上”" in page and "尚未保存" in page
    assert _indicator(world, "按期完成率").target == "≥95%"


def test_a_second_level_name_must_belong_to_the_first(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    data[f"ind-{row_of(data, 'level3', '编制规划数量')}-level2"] = "社会效益指标"
    response = client.post(GOAL, data)
    assert response.status_code == 400
    assert "二级指标“社会效益指标”不在一级指标“产出指标”下" in response.content.decode()


def test_the_live_check_reads_targets_as_typed_and_runs_the_quality_checks(
    world: World,
) -> None:
    client = world.client("office")
    data = form_data(client.get(GOAL))
    bad = row_of(data, "level3", "按期完成率")
    data[f"ind-{bad}-target"] = "≥95%以上"
    data[f"ind-{row_of(data, 'level3', '群众满意度')}-weight"] = "20"
    result = client.post(f"{GOAL}validate/", data).json()
    assert "不认识的计量单位“%以上”" in result["rows"][str(bad)]["errors"]["target"][0]
    assert result["weights"]["total"] == "110"  # 30 + 20 + 30 + 20 + 10: the bad row counts
    messages = [f["message"] for f in result["findings"]]
    assert any(text.startswith("三级指标分值合计") for text in messages)
    assert any("不认识的计量单位“%以上”" in text for text in messages)  # named by the checks too
    assert world.client("leader").post(f"{GOAL}validate/", data).status_code == 403
    assert world.client("outsider").post(f"{GOAL}validate/", data).status_code == 404
    assert client.get(f"{GOAL}validate/").status_code == 405


def test_the_page_shows_the_goal_quality_findings(world: World) -> None:
    response = world.client("finance").get(GOAL)
    messages = [f.message for f in response.context["findings"]]
    assert any("低于上年实际完成值" in text for text in messages)  # 群众满意度 ≥90% < 92%
    assert response.context["editable"] is False  # 财务科 reviews, does not edit


def test_a_project_without_a_goal_gets_one_on_first_save(world: World) -> None:
    client = world.client("admin")
    url = f"{BASE}/projects/P002/goal/"
    data = form_data(client.get(url))
    data["goal-expected_objective"] = "完成土地储备前期工作。"
    _add_row(
        data, level1="产出指标", level2="数量指标", level3="储备地块数",
        kind="quantitative", target="≥2宗", weight="90",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    goal = m.PerformanceGoal.objects.get(project=world.project("P002"))
    assert goal.expected_objective == "完成土地储备前期工作。"
    assert list(goal.indicators.values_list("level3", flat=True)) == ["储备地块数"]


# Self-evaluation


def test_the_score_endpoint_scores_rows_as_typed_with_the_total_and_grade(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(EVALUATION))
    satisfaction = row_with_id(data, _indicator(world, "群众满意度").pk)
    before = client.post(f"{EVALUATION}score/", data).json()
    assert before["total"] is None and before["rows"][str(satisfaction)]["score"] is None
    data[f"ind-{satisfaction}-actual"] = "93%"
    after = client.post(f"{EVALUATION}score/", data).json()
    assert after["rows"][str(satisfaction)]["score"] == "10.00"
    on_time = row_with_id(data, _indicator(world, "按期完成率").pk)
    assert after["rows"][str(on_time)]["score"] == "18.95"
    assert after["total"] == "95.62" and after["grade"] == "优"
    assert after["execution"]["rate"] == "91.67%"
    data[f"ind-{satisfaction}-actual"] = "93%左右"
    broken = client.post(f"{EVALUATION}score/", data).json()
    assert "不认识的计量单位" in broken["rows"][str(satisfaction)]["errors"]["actual"][0]
    data[f"ind-{on_time}-deviation_reason"] = ""
    data[f"ind-{satisfaction}-actual"] = "93%"
    reasons = client.post(f"{EVALUATION}score/", data).json()
    messages = [f["message"] for f in reasons["rows"][str(on_time)]["findings"]]
    assert any("应填写偏差原因分析" in text for text in messages)
    assert reasons["blockers"]
    assert world.client("outsider").post(f"{EVALUATION}score/", data).status_code == 404
    assert (
        world.client("office").post(f"{BASE}/projects/P002/evaluation/score/", data).status_code
        == 403
    )


def test_the_office_saves_actuals_and_a_qualitative_score(world: World) -> None:
    client = world.client("office")
    data = form_data(client.get(EVALUATION))
    data[f"ind-{row_with_id(data, _indicator(world, '群众满意度').pk)}-actual"] = "93%"
    quality = row_with_id(data, _indicator(world, "规划管控作用").pk)
    data[f"ind-{quality}-assessed_score"] = "29"
    data["goal-actual_objective"] = "已完成并报市政府批复。"
    assert client.post(EVALUATION, data).status_code == 302
    assert _indicator(world, "群众满意度").actual == "93%"
    assert _indicator(world, "规划管控作用").assessed_score == Decimal(29)
    assert _goal(world).actual_objective == "已完成并报市政府批复。"
    data = form_data(client.get(EVALUATION))
    data[f"ind-{quality}-assessed_score"] = "31"
    refused = client.post(EVALUATION, data)
    assert refused.status_code == 400 and "不能超过该指标的分值30" in refused.content.decode()


def test_finance_and_the_bureau_read_the_self_evaluation_but_cannot_save_it(world: World) -> None:
    data = form_data(world.client("office").get(EVALUATION))
    for persona in ("finance", "bureau", "leader"):
        client = world.client(persona)
        assert client.get(EVALUATION).status_code == 200
        assert client.post(EVALUATION, data).status_code == 403


# Optimistic locking


def test_the_second_of_two_editors_is_refused_and_shown_the_other_change(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    row = row_of(data_first, "level3", "按期完成率")

    data_first[f"ind-{row}-target"] = "≥98%"
    assert first.post(GOAL, data_first).status_code == 302

    data_second[f"ind-{row}-target"] = "≥96%"
    data_second[f"ind-{row_of(data_second, 'level3', '编制规划数量')}-weight"] = "30"  # unchanged
    refused = second.post(GOAL, data_second)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "保存被拒绝" in page and "office" in page
    assert "≥95%" in page and "≥98%" in page  # what the second editor saw → what is stored
    assert _indicator(world, "按期完成率").target == "≥98%"  # nothing lost
    conflict = refused.context["conflicts"][0]
    assert conflict.what == "指标“按期完成率”" and conflict.changes[0].now == "≥98%"
    shown = refused.context["formset"].forms[row]
    assert shown["target"].value() == "≥96%"  # the second editor's input is kept

    again = form_data(refused)  # saving again, deliberately, overwrites
    assert second.post(GOAL, again).status_code == 302
    assert _indicator(world, "按期完成率").target == "≥96%"


def test_rows_the_second_editor_did_not_touch_are_not_conflicts(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    data_first[f"ind-{row_of(data_first, 'level3', '按期完成率')}-target"] = "≥98%"
    assert first.post(GOAL, data_first).status_code == 302
    data_second[f"ind-{row_of(data_second, 'level3', '编制规划数量')}-target"] = "≥1个"
    assert second.post(GOAL, data_second).status_code == 302
    assert _indicator(world, "按期完成率").target == "≥98%"
    assert _indicator(world, "编制规划数量").target == "≥1个"


def test_deleting_a_row_someone_changed_meanwhile_is_a_conflict(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    data_first[f"ind-{row_of(data_first, 'level3', '群众满意度')}-target"] = "≥92%"
    assert first.post(GOAL, data_first).status_code == 302
    data_second[f"ind-{row_of(data_second, 'level3', '群众满意度')}-DELETE"] = "on"
    assert second.post(GOAL, data_second).status_code == 409
    assert _indicator(world, "群众满意度").target == "≥92%"


def test_editing_a_row_someone_deleted_meanwhile_is_a_conflict(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    data_first[f"ind-{row_of(data_first, 'level3', '群众满意度')}-DELETE"] = "on"
    assert first.post(GOAL, data_first).status_code == 302
    data_second[f"ind-{row_of(data_second, 'level3', '群众满意度')}-target"] = "≥93%"
    refused = second.post(GOAL, data_second)
    assert refused.status_code == 409 and "删除" in refused.content.decode()
    again = form_data(refused)
    assert second.post(GOAL, again).status_code == 302  # added back as a new row
    assert _indicator(world, "群众满意度").target == "≥93%"


def test_two_editors_of_the_self_evaluation(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(EVALUATION))
    data_second = form_data(second.get(EVALUATION))
    pk = _indicator(world, "群众满意度").pk
    data_first[f"ind-{row_with_id(data_first, pk)}-actual"] = "91%"
    assert first.post(EVALUATION, data_first).status_code == 302
    data_second[f"ind-{row_with_id(data_second, pk)}-actual"] = "95%"
    refused = second.post(EVALUATION, data_second)
    assert refused.status_code == 409
    assert "实际完成值" in refused.content.decode() and "91%" in refused.content.decode()
    assert _indicator(world, "群众满意度").actual == "91%"


def test_the_goal_texts_are_locked_too(world: World) -> None:
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    data_first["goal-expected_objective"] = "甲的目标。"
    assert first.post(GOAL, data_first).status_code == 302
    data_second["goal-expected_objective"] = "乙的目标。"
    refused = second.post(GOAL, data_second)
    assert refused.status_code == 409 and "甲的目标。" in refused.content.decode()
    assert _goal(world).expected_objective == "甲的目标。"


def test_the_model_refuses_a_stale_save_whatever_the_caller(world: World) -> None:
    one = _indicator(world, "按期完成率")
    two = _indicator(world, "按期完成率")
    one.target = "≥97%"
    one.save()
    two.target = "≥99%"
    with pytest.raises(StaleVersionError, match="已被他人修改"):
        two.save()
    assert _indicator(world, "按期完成率").target == "≥97%"
    assert _indicator(world, "按期完成率").version == 2


def test_the_conflict_response_names_the_other_editor_in_json_free_html(world: World) -> None:
    """The refusal is a page, not a bare error: the form, the conflict list, status 409."""
    first, second = world.client("office"), world.client("admin")
    data_first = form_data(first.get(GOAL))
    data_second = form_data(second.get(GOAL))
    data_first["goal-name"] = "甲"
    first.post(GOAL, data_first)
    data_second["goal-name"] = "乙"
    refused = second.post(GOAL, data_second)
    assert refused["Content-Type"].startswith("text/html")
    assert 'id="conflicts"' in refused.content.decode()
    assert json.loads(refused.context["formset"].forms[0]["loaded"].value())
