"""Linking an output to a 支出标准 through the API: the link and 成本占比 read and written,
refused with the goal page's own words (422) and nothing saved, behind the declaration's
lock."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from tests.api.conftest import ApiClient
from tests.cycle.test_cost_report import STANDARDS
from tests.web.conftest import FIRST, YEAR, World

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.services.cost_standards import store_cost_standards
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus

pytestmark = pytest.mark.django_db

BASE = f"/api/years/{FIRST}/{YEAR}"


@pytest.fixture
def standards(world: World) -> World:
    store_cost_standards(world.fiscal_year, parse_cost_standards(STANDARDS))
    return world


def _indicator(world: World, level3: str) -> m.Indicator:
    return m.Indicator.objects.get(goal__project=world.project("P001"), level3=level3)


def _patch(api: Callable[[str], ApiClient], indicator: m.Indicator, body: dict[str, Any]) -> Any:
    url = f"{BASE}/indicators/{indicator.pk}"
    version = api("office").get(url).json()["version"]
    return api("office").patch_json(url, {**body, "version": version})


def test_the_link_and_share_are_written_read_and_cleared(
    standards: World, api: Callable[[str], ApiClient]
) -> None:
    output = _indicator(standards, "编制规划数量")
    shown = api("office").get(f"{BASE}/indicators/{output.pk}").json()
    assert (shown["cost_standard"], shown["cost_share"]) == (None, None)
    response = _patch(api, output, {"cost_standard": "GH-1", "cost_share": "62.5"})
    assert response.status_code == 200, response.json()
    assert (response.json()["cost_standard"], response.json()["cost_share"]) == ("GH-1", "62.5")
    stored = m.Indicator.objects.get(pk=output.pk)
    assert (stored.cost_standard, stored.cost_share) == ("GH-1", Decimal("62.5"))
    goals = api("finance").get(f"{BASE}/goals").json()["items"]
    listed = [i for g in goals for i in g["indicators"] if i["id"] == output.pk]
    assert (listed[0]["cost_standard"], listed[0]["cost_share"]) == ("GH-1", "62.5")
    only_share = _patch(api, output, {"cost_share": "40"})  # the standard is kept
    assert only_share.json()["cost_standard"] == "GH-1"
    assert only_share.json()["cost_share"] == "40"
    cleared = _patch(api, output, {"cost_standard": None, "cost_share": None})
    assert (cleared.json()["cost_standard"], cleared.json()["cost_share"]) == (None, None)


def test_clearing_the_standard_without_a_share_sent_clears_the_share_too(
    standards: World, api: Callable[[str], ApiClient]
) -> None:
    output = _indicator(standards, "编制规划数量")
    assert _patch(api, output, {"cost_standard": "GH-1", "cost_share": "62.5"}).status_code == 200
    cleared = _patch(api, output, {"cost_standard": None})
    assert cleared.status_code == 200, cleared.json()
    assert (cleared.json()["cost_standard"], cleared.json()["cost_share"]) == (None, None)
    stored = m.Indicator.objects.get(pk=output.pk)
    assert (stored.cost_standard, stored.cost_share) == ("", None)
    _patch(api, output, {"cost_standard": "GH-1", "cost_share": "62.5"})
    refused = _patch(api, output, {"cost_standard": None, "cost_share": "62.5"})
    assert refused.status_code == 422  # a share sent without a standard: as the goal page
    assert "填写成本占比须先选择对应支出标准。" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("level3", "body", "message"),
    [
        (
            "编制规划数量",
            {"cost_standard": "GH-9"},
            "支出标准“GH-9”不在本年度的支出标准表“测试区规划编制支出标准”中，请从列表中选择。",
        ),
        ("群众满意度", {"cost_standard": "GH-1"}, "只有产出指标可以对应支出标准。"),
        ("编制规划数量", {"cost_share": "50"}, "填写成本占比须先选择对应支出标准。"),
        (
            "编制规划数量",
            {"cost_standard": "GH-1", "cost_share": "120"},
            "成本占比“120”超出允许范围",
        ),
    ],
)
def test_a_wrong_link_is_refused_with_the_goal_pages_words(
    standards: World,
    api: Callable[[str], ApiClient],
    level3: str,
    body: dict[str, str],
    message: str,
) -> None:
    indicator = _indicator(standards, level3)
    response = _patch(api, indicator, {"actual": "1", **body})
    assert response.status_code == 422
    assert message in response.json()["detail"]
    stored = m.Indicator.objects.get(pk=indicator.pk)
    assert (stored.cost_standard, stored.cost_share, stored.actual) == (
        indicator.cost_standard, indicator.cost_share, indicator.actual,
    )  # fmt: skip


def test_without_a_chosen_table_no_standard_can_be_linked(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    response = _patch(api, _indicator(world, "编制规划数量"), {"cost_standard": "GH-1"})
    assert response.status_code == 422
    assert "本年度尚未选定支出标准表" in response.json()["detail"]
    assert "不能对应支出标准“GH-1”" in response.json()["detail"]


def test_a_stored_standard_the_table_no_longer_has_is_kept(
    standards: World, api: Callable[[str], ApiClient]
) -> None:
    output = _indicator(standards, "编制规划数量")
    m.Indicator.objects.filter(pk=output.pk).update(cost_standard="OLD-1")
    response = _patch(api, output, {"cost_standard": "OLD-1", "cost_share": "80"})
    assert response.status_code == 200, response.json()
    assert response.json()["cost_standard"] == "OLD-1"


def test_a_submitted_declaration_locks_the_link(
    standards: World, api: Callable[[str], ApiClient]
) -> None:
    output = _indicator(standards, "编制规划数量")
    goal = output.goal
    goal.declaration_status = WorkflowStatus.submitted
    goal.save(bump_version=False)
    response = _patch(api, output, {"cost_standard": "GH-1"})
    assert response.status_code == 409
    assert m.Indicator.objects.get(pk=output.pk).cost_standard == ""
