"""结果应用清单 pages per role: 财务科 sees the computed proposals and accepts or rejects
each with a reason, the leader and the bureau read, an office and an outsider cannot;
the bureau lists every department; the list as a workbook; an accepted proposal shows
on next year's 预算 page."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.storage import models as m
from tests.cycle.test_result_application_storage import slow_spending
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}/results"


@pytest.fixture
def slow(world: World) -> World:
    for fiscal_year in m.FiscalYear.objects.all():
        slow_spending(fiscal_year)
    return world


def test_finance_sees_the_proposal_and_decides_with_a_reason(slow: World) -> None:
    finance = slow.client("finance")
    page = finance.get(f"{BASE}/").content.decode()
    assert 'id="proposal-P001"' in page and "压减" in page and "全年预算执行率低于60%" in page
    assert 'name="reason"' in page
    totals = page.split('id="result-totals"')[1]
    assert "压减" in totals and "120.00" in totals  # one project, 120 万元 this year
    response = finance.post(f"{BASE}/P001/decide/", {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    assert not m.ResultDecision.objects.exists()
    assert "须填写理由" in finance.get(f"{BASE}/").content.decode()
    finance.post(f"{BASE}/P001/decide/", {"decision": "accept", "reason": "执行缓慢，同意压减"})
    decision = m.ResultDecision.objects.get()
    assert decision.accepted and decision.fiscal_year == slow.fiscal_year
    assert "已采纳：执行缓慢，同意压减" in finance.get(f"{BASE}/").content.decode()


@pytest.mark.parametrize("persona", ["leader", "bureau"])
def test_readers_see_the_list_without_the_form(slow: World, persona: str) -> None:
    response = slow.client(persona).get(f"{BASE}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="proposal-P001"' in page and 'name="reason"' not in page
    denied = slow.client(persona).post(
        f"{BASE}/P001/decide/", {"decision": "accept", "reason": "同意"}
    )
    assert denied.status_code == 403
    assert not m.ResultDecision.objects.exists()


def test_an_office_and_an_outsider_cannot(slow: World) -> None:
    assert slow.client("office").get(f"{BASE}/").status_code == 403
    assert slow.client("outsider").get(f"{BASE}/").status_code == 404
    assert (
        slow.client("outsider")
        .post(f"{BASE}/P001/decide/", {"decision": "accept", "reason": "同意"})
        .status_code
        == 404
    )


def test_the_bureau_lists_every_department(slow: World) -> None:
    page = slow.client("bureau").get(f"/bureau/{YEAR}/results/").content.decode()
    rows = page.split('id="bureau-result-proposals"')[1]
    assert rows.count("<td>P001 ") == 2 and "另一区另一局" in rows and "测试区测试局" in rows
    assert "240.00" in page.split('id="result-totals"')[1]  # both departments' 120 万元
    assert slow.client("finance").get(f"/bureau/{YEAR}/results/").status_code == 403


def test_the_list_as_a_workbook(slow: World) -> None:
    finance = slow.client("finance")
    finance.post(f"{BASE}/P001/decide/", {"decision": "reject", "reason": "任务延后"})
    response = finance.get(f"{BASE}/export/")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[1]
    row = dict(zip(header, values[2], strict=True))
    assert row["项目代码"] == "P001" and row["建议"] == "压减"
    assert row["本年全年预算数（万元）"] == 120
    assert row["财务科决定"] == "已驳回" and row["理由"] == "任务延后"


def test_an_accepted_proposal_shows_on_next_years_budget(slow: World) -> None:
    following = m.FiscalYear.objects.create(department=slow.fiscal_year.department, year=YEAR + 1)
    finance = slow.client("finance")
    finance.post(f"{BASE}/P001/decide/", {"decision": "accept", "reason": "同意压减"})
    page = finance.get(f"/d/{FIRST}/{following.year}/budget/").content.decode()
    carried = page.split('id="carried-proposals"')[1]
    assert "P001" in carried and "压减" in carried and "120.00" in carried and "同意压减" in carried
    assert (
        'id="carried-proposals"' not in finance.get(f"/d/{FIRST}/{YEAR}/budget/").content.decode()
    )


def test_a_decision_is_on_the_audit_page(slow: World) -> None:
    finance = slow.client("finance")
    finance.post(f"{BASE}/P001/decide/", {"decision": "accept", "reason": "同意压减"})
    page = finance.get(f"/d/{FIRST}/{YEAR}/audit/").content.decode()
    assert "结果应用决定" in page and "P001 压减" in page
    decision = m.ResultDecision.objects.get()
    history = finance.get(f"/d/{FIRST}/{YEAR}/audit/result_decision/{decision.pk}/")
    assert history.status_code == 200 and "同意压减" in history.content.decode()
