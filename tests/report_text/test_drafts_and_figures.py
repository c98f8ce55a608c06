"""Drafts from the data, live figures and outlines, on the small year of the web tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.budget import BudgetFigures
from jixiao.core.live_figures import hand_typed_findings, render, year_figures
from jixiao.core.outline import OutlineError
from jixiao.interchange.outline_files import load_outline, outline_from_data
from jixiao.services.report_text import proposed_drafts
from jixiao.storage import models as m
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

FIGURES = BudgetFigures(
    final_budget=Decimal("1031181900"),
    executed=Decimal("772616700"),
    execution_rate=Decimal("0.749257"),
    executed_by_source={},
    executed_by_nature={},
    carryover=None,
    initial_budget=None,
    from_lines=False,
)


def test_a_live_field_prints_the_figure_as_the_report_prints_it() -> None:
    text = render("执行数{{执行数}}，执行率{{执行率}}。", year_figures(FIGURES))
    assert text == "执行数77,261.67万元，执行率74.93%。"


def test_a_typed_figure_that_agrees_with_the_data_is_no_finding() -> None:
    assert hand_typed_findings("执行率为74.93%，执行数77,261.67万元。", year_figures(FIGURES)) == ()


def test_a_typed_figure_that_disagrees_names_the_stored_figure_and_the_field() -> None:
    [finding] = hand_typed_findings("全年执行率为74.9%。", year_figures(FIGURES), "自评结论综述")
    assert finding.id == "report-figure-typed"
    assert "74.93%" in finding.message and "{{执行率}}" in finding.message
    assert finding.figures == {"typed": Decimal("74.9"), "stored": Decimal("74.93")}


def test_a_field_that_names_no_figure_is_a_finding() -> None:
    [finding] = hand_typed_findings("{{执行比率}}", year_figures(FIGURES))
    assert finding.id == "report-figure-unknown"


def test_the_guangdong_outline_adds_the_work_and_the_results_sections() -> None:
    reference = {s.key for s in load_outline("reference").keyed()}
    guangdong = load_outline("guangdong")
    added = {s.key for s in guangdong.keyed()} - reference
    assert added == {"work_process", "result_application"}
    assert all(guangdong.section(key).required for key in added)


def test_an_outline_with_an_unknown_section_is_refused() -> None:
    with pytest.raises(OutlineError, match="未知的章节"):
        outline_from_data({"name": "x", "sections": [{"heading": "一、其他", "key": "other"}]})


def test_the_drafts_name_unmet_indicators_coverage_and_open_rectifications(world: World) -> None:
    fy = world.fiscal_year
    m.Rectification.objects.create(fiscal_year=fy, issue="支出进度慢", measure="按月通报支出进度。")
    drafts = proposed_drafts(fy)
    assert "按期完成率" in drafts["problems"] and "报批流程延长" in drafts["problems"]
    assert "绩效自评覆盖面有待扩大" in drafts["problems"]
    assert drafts["improvement_measures"] == "按月通报支出进度。"
    assert "{{国土空间规划编制·编制规划数量}}" in drafts["achievements"]
    assert "{{执行率}}" in drafts["conclusion"]
    assert "project:P001" in drafts
