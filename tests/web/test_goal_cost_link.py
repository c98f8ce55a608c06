"""Linking an output to a 支出标准 on the goal page: the year's standards offered with their
amounts, an unknown one refused in Chinese, 成本占比 checked, saved and audited, the live
check showing the unit cost finding, and the project's pages showing the link."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.services.carry_forward import carry_forward
from jixiao.services.cost_standards import store_cost_standards
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web import goal_checks
from tests.cycle.test_cost_report import STANDARDS
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data, row_of

pytestmark = pytest.mark.django_db

GOAL = f"/d/{FIRST}/{YEAR}/projects/P001/goal/"
EVALUATION = f"/d/{FIRST}/{YEAR}/projects/P001/evaluation/"
LOW = STANDARDS.replace("amount: 120", "amount: 100")
"""GH-1 at 100万元 per 个: P001's 110万元 for one plan is above it."""


@pytest.fixture
def standards(world: World) -> World:
    store_cost_standards(world.fiscal_year, parse_cost_standards(STANDARDS))
    return world


def _link(data: dict[str, str], name: str, code: str, share: str = "") -> None:
    index = row_of(data, "level3", name)
    data[f"ind-{index}-cost_standard"] = code
    data[f"ind-{index}-cost_share"] = share


def _output(world: World) -> m.Indicator:
    return m.Indicator.objects.get(goal__project=world.project("P001"), level3="编制规划数量")


def test_the_office_links_an_output_to_a_standard_and_sees_its_unit_cost(
    standards: World,
) -> None:
    client = standards.client("office")
    page = client.get(GOAL)
    html = page.content.decode()
    assert "GH-1 片区规划编制（1,200,000.00元/个）" in html
    assert "测试区规划编制支出标准" in html
    data = form_data(page)
    _link(data, "编制规划数量", "GH-1")
    response = client.post(GOAL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    output = _output(standards)
    assert (output.cost_standard, output.cost_share) == ("GH-1", None)
    history = output.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert history.history_user.username == "office" and history.cost_standard == "GH-1"
    evaluation = client.get(EVALUATION).content.decode()
    costs = evaluation.split('id="unit-cost-list"', 1)[1]
    assert "编制规划数量" in costs and "1,100,000.00" in costs and "未超过标准" in costs


def test_an_unknown_standard_is_refused_in_chinese_and_nothing_is_saved(
    standards: World,
) -> None:
    client = standards.client("office")
    data = form_data(client.get(GOAL))
    _link(data, "编制规划数量", "GH-9")
    response = client.post(GOAL, data)
    assert response.status_code == 400
    assert (
        "支出标准“GH-9”不在本年度的支出标准表“测试区规划编制支出标准”中，请从列表中选择。"
        in response.content.decode()
    )
    assert _output(standards).cost_standard == ""


def test_without_a_chosen_table_no_standard_can_be_linked(world: World) -> None:
    client = world.client("office")
    page = client.get(GOAL)
    assert "本年度尚未选定支出标准表" in page.content.decode()
    data = form_data(page)
    _link(data, "编制规划数量", "GH-1")
    response = client.post(GOAL, data)
    assert response.status_code == 400
    assert "不能对应支出标准“GH-1”" in response.content.decode()


def test_only_outputs_link_and_a_share_needs_a_standard(standards: World) -> None:
    client = standards.client("office")
    data = form_data(client.get(GOAL))
    _link(data, "群众满意度", "GH-1")
    _link(data, "按期完成率", "", "50")
    response = client.post(GOAL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "只有产出指标可以对应支出标准。" in page
    assert "填写成本占比须先选择对应支出标准。" in page
    _link(data, "群众满意度", "")
    _link(data, "按期完成率", "", "120")
    assert "成本占比“120”超出允许范围" in client.post(GOAL, data).content.decode()


def test_the_live_check_shows_the_unit_cost_finding_and_the_share_rule(world: World) -> None:
    store_cost_standards(world.fiscal_year, parse_cost_standards(LOW))
    client = world.client("office")
    data = form_data(client.get(GOAL))
    _link(data, "编制规划数量", "GH-1")
    found = {f["message"] for f in client.post(f"{GOAL}validate/", data).json()["findings"]}
    assert any("单位成本1,100,000.00元/个" in text and "高于支出标准" in text for text in found)
    _link(data, "按期完成率", "GH-1")  # a second costed output, neither with a share
    _link(data, "群众满意度", "GH-1")
    result = client.post(f"{GOAL}validate/", data).json()
    assert "只有产出指标可以对应支出标准。" in str(result["rows"])
    messages = [f["message"] for f in result["findings"]]
    assert not any("单位成本1,100,000.00元/个" in text for text in messages)
    assert any("2项产出对应支出标准，须逐项填写成本占比" in text for text in messages)
    assert result["errors"] == 0  # cost findings are warnings: they never block


def test_two_costed_outputs_need_shares_adding_up_to_at_most_100(standards: World) -> None:
    client = standards.client("office")
    data = form_data(client.get(GOAL))
    index = int(data["ind-TOTAL_FORMS"])
    data["ind-TOTAL_FORMS"] = str(index + 1)
    added = {"id": "", "version": "", "loaded": "", "level1": "产出指标", "level2": "数量指标",
             "level3": "专题研究报告", "kind": "quantitative", "target": "≥2个", "weight": "0",
             "cost_standard": "GH-1", "cost_share": ""}  # fmt: skip
    data.update({f"ind-{index}-{key}": value for key, value in added.items()})
    _link(data, "编制规划数量", "GH-1", "70")
    messages = [f["message"] for f in client.post(f"{GOAL}validate/", data).json()["findings"]]
    assert any("“专题研究报告”未填写" in text for text in messages)
    data[f"ind-{index}-cost_share"] = "30"
    messages = [f["message"] for f in client.post(f"{GOAL}validate/", data).json()["findings"]]
    assert not any("成本占比" in text for text in messages)
    assert client.post(GOAL, data).status_code == 302
    assert _output(standards).cost_share == Decimal(70)
    read_only = standards.client("finance").get(GOAL).content.decode()
    assert '<td class="cost-standard">GH-1</td><td class="num">70</td>' in read_only


def test_the_link_and_share_are_carried_into_next_year(standards: World) -> None:
    m.Indicator.objects.filter(pk=_output(standards).pk).update(
        cost_standard="GH-1", cost_share=Decimal("62.5")
    )
    following = carry_forward(FIRST, YEAR).fiscal_year
    carried = m.Indicator.objects.get(goal__fiscal_year=following, level3="编制规划数量")
    assert (carried.cost_standard, carried.cost_share) == ("GH-1", Decimal("62.5"))


def test_a_library_standard_not_in_the_years_table_is_left_blank_and_said(
    standards: World,
) -> None:
    """ZR-PX-01 carries PX-3, which the year's table (GH-1 only) has not: the picker offers
    it with its code, the row it fills has no PX-3 to select (library.js leaves the select
    blank and shows the picker's note), and the row saves unlinked; PX-3 sent anyway is
    refused as on any row."""
    client = standards.client("office")
    page = client.get(GOAL)
    html = page.content.decode()
    suggestion = html.split('data-code="ZR-PX-01"', 1)[1].split("</tr>", 1)[0]
    assert 'data-cost-standard="PX-3"' in suggestion
    assert 'data-cost-missing="指标库对应支出标准{code}，本年度支出标准表中没有，未选定"' in html
    empty_row = html.split('<template id="empty-row">', 1)[1].split("</template>", 1)[0]
    offered = empty_row.split("-cost_standard", 1)[1].split("</select>", 1)[0]
    assert 'value="GH-1"' in offered and 'value="PX-3"' not in offered
    data = form_data(page)
    index = int(data["ind-TOTAL_FORMS"])
    data["ind-TOTAL_FORMS"] = str(index + 1)
    picked = {"id": "", "version": "", "loaded": "", "level1": "产出指标", "level2": "数量指标",
              "level3": "业务培训人天数", "kind": "quantitative", "target": "≥300人天",
              "weight": "0", "cost_standard": "PX-3", "cost_share": ""}  # fmt: skip
    data.update({f"ind-{index}-{key}": value for key, value in picked.items()})
    refused = client.post(GOAL, data)
    assert refused.status_code == 400
    assert "支出标准“PX-3”不在本年度的支出标准表“测试区规划编制支出标准”中" in (
        refused.content.decode()
    )
    data[f"ind-{index}-cost_standard"] = ""  # what the picker leaves
    assert client.post(GOAL, data).status_code == 302
    saved = m.Indicator.objects.get(
        goal__project=standards.project("P001"), level3="业务培训人天数"
    )
    assert (saved.cost_standard, saved.cost_share) == ("", None)


def test_the_goal_list_marks_a_project_whose_unit_cost_is_above_its_standard(
    world: World,
) -> None:
    """P001's 110万元 for one plan against GH-1 at 100万元: the 项目与绩效目标 list marks
    P001's row (the finding's message in its title) and links to its 成本效益分析; P002's
    row is not marked."""
    store_cost_standards(world.fiscal_year, parse_cost_standards(LOW))
    goal_list = f"/d/{FIRST}/{YEAR}/goals/"
    before = world.client("finance").get(goal_list).content.decode()
    assert "单位成本高于支出标准" not in before
    m.Indicator.objects.filter(pk=_output(world).pk).update(cost_standard="GH-1")
    html = world.client("finance").get(goal_list).content.decode()
    rows = {
        row.split("</a>", 1)[0].rsplit(">", 1)[1]: row
        for row in html.split('id="goal-list"', 1)[1].split("<tr>")[2:]
    }
    marker = rows["P001"].split('class="severity severity-warning cost-above"', 1)[1]
    assert marker.startswith(f' href="{EVALUATION}#unit-costs"')
    assert "单位成本1,100,000.00元/个" in marker.split(">", 1)[0]  # the finding, in the title
    assert "单位成本高于支出标准" in marker
    assert "cost-above" not in rows["P002"]


def test_a_costed_goals_pages_read_the_department_year_once_per_request(
    standards: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The goal page's cost check and the evaluation page's live score and 成本效益分析
    share one reading of the year (the ledger is the costly part of a request)."""
    m.Indicator.objects.filter(pk=_output(standards).pk).update(cost_standard="GH-1")
    reads: list[tuple[str, int]] = []

    def counted(code: str, year: int) -> object:
        reads.append((code, year))
        return department_year(code, year)

    monkeypatch.setattr(goal_checks, "department_year", counted)
    client = standards.client("office")
    for url in (GOAL, EVALUATION):
        reads.clear()
        page = client.get(url)
        assert page.status_code == 200
        assert reads == [(FIRST, YEAR)], url
    assert "编制规划数量" in page.content.decode().split('id="unit-cost-list"', 1)[1]
    reads.clear()
    assert client.post(f"{EVALUATION}score/", form_data(client.get(EVALUATION))).status_code == 200
    assert len(reads) == 2  # the page, then the live score: one each
