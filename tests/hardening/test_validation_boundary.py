"""One validation boundary: the form and the API refuse what the imports refuse, and a
department's pages still render when a stored value sits at its limit or past it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.bounds import AMOUNT, FIGURE, WEIGHT
from jixiao.interchange.dataset_file import dump_dataset, parse_dataset
from jixiao.interchange.problems import InputRejected
from jixiao.services.reading import export_dataset
from jixiao.storage import models as m
from tests.api.conftest import ApiClient
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data, row_with_id

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 250 + "份"
BASE = f"/d/{FIRST}/{YEAR}"
API = f"/api/years/{FIRST}/{YEAR}"


def _indicator(world: World, level3: str) -> m.Indicator:
    return m.Indicator.objects.get(goal__fiscal_year=world.fiscal_year, level3=level3)


def test_the_api_refuses_an_actual_of_251_digits_with_422_in_chinese(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    indicator = _indicator(world, "按期完成率")
    response = api("office").patch_json(
        f"{API}/indicators/{indicator.pk}", {"actual": HUGE, "version": indicator.version}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "超出允许范围" in detail and "按期完成率" in detail
    assert m.Indicator.objects.get(pk=indicator.pk).actual == "90%"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("actual", "9\x0096%", "空字符"),
        ("deviation_reason", "原因\x07", "控制字符"),
        ("actual", "0.00000001%", "小数位数"),
    ],
)
def test_the_api_refuses_control_characters_and_figures_past_the_limits(
    world: World, api: Callable[[str], ApiClient], field: str, value: str, expected: str
) -> None:
    indicator = _indicator(world, "按期完成率")
    response = api("office").patch_json(
        f"{API}/indicators/{indicator.pk}", {field: value, "version": indicator.version}
    )
    assert response.status_code == 422
    body = response.json()
    text = body["detail"] + "".join(error["msg"] for error in body.get("errors") or [])
    assert expected in text or "不允许的字符" in text
    assert not any(word in text for word in ("String should", "pattern", "Value error"))


def test_the_self_evaluation_form_refuses_the_same_value_with_a_form_error(
    world: World,
) -> None:
    client = world.client("office")
    url = f"{BASE}/projects/P001/evaluation/"
    data = form_data(client.get(url))
    data[f"ind-{row_with_id(data, _indicator(world, '按期完成率').pk)}-actual"] = HUGE
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "超出允许范围" in refused.content.decode()
    assert _indicator(world, "按期完成率").actual == "90%"


def test_the_goal_form_refuses_a_weight_above_100_and_a_nul_in_a_name(world: World) -> None:
    client = world.client("office")
    url = f"{BASE}/projects/P001/goal/"
    data = form_data(client.get(url))
    row = row_with_id(data, _indicator(world, "按期完成率").pk)
    data[f"ind-{row}-weight"] = "150"
    data[f"ind-{row}-level3"] = "按期\x00完成率"
    refused = client.post(url, data)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "分值“150”超出允许范围" in page
    assert "空字符" in page
    assert _indicator(world, "按期完成率").weight == 20


# --- pages that survive bad data ---------------------------------------------------------


def _store_extremes(world: World) -> None:
    """Every kind of stored figure at its allowed extreme, and one actual written past
    the boundary directly in the database (as an older version could have)."""
    line = world.line("L01")
    line.final_budget = AMOUNT.most
    line.initial_budget = AMOUNT.most
    line.save()
    m.Payment.objects.filter(budget_line__fiscal_year=world.fiscal_year).update(amount=AMOUNT.most)
    m.Indicator.objects.filter(pk=_indicator(world, "控规调整项目数").pk).update(
        weight=WEIGHT.most, actual="999999999999999.999999项"
    )
    m.Indicator.objects.filter(pk=_indicator(world, "按期完成率").pk).update(actual=HUGE)
    m.BudgetLine.objects.filter(fiscal_year=world.fiscal_year, code="B01").update(
        final_budget=Decimal("99999999999999.99"), executed=Decimal("99999999999999.99")
    )
    m.Indicator.objects.filter(pk=_indicator(world, "编制规划数量").pk).update(
        weight=Decimal("99999.9999"), target="≥" + HUGE, last_year_actual=HUGE
    )
    progress = m.IndicatorProgress.objects.filter(indicator__goal__fiscal_year=world.fiscal_year)
    progress.update(value=HUGE)


def _pages(world: World) -> list[str]:
    return [
        f"{BASE}/",
        f"{BASE}/budget/",
        f"{BASE}/budget/lines/L01/",
        f"{BASE}/projects/P001/",
        f"{BASE}/goals/",
        f"{BASE}/projects/P001/goal/",
        f"{BASE}/evaluation/",
        f"{BASE}/evaluation/department/",
        f"{BASE}/projects/P001/evaluation/",
        f"{BASE}/monitoring/",
        f"{BASE}/reports/",
        f"{BASE}/import/",
        f"{BASE}/import/filled/goals/",
        f"{BASE}/import/filled/evaluation/",
        f"{BASE}/rectification/",
        f"{BASE}/audit/",
        f"/bureau/{YEAR}/",
        f"{API}/evaluation",
        f"{API}",
        f"{API}/lines",
        f"{API}/ledger",
        f"{API}/goals",
        f"{API}/monitoring",
    ]


def _crawl_and_report(world: World) -> dict[str, int]:
    """Every page's status that is not 200; a report is generated from the year."""
    finance, bureau = world.client("finance"), world.client("bureau")
    failed = {}
    for url in _pages(world):
        client = bureau if url.startswith("/bureau/") else finance
        status = client.get(url).status_code
        if status != 200:
            failed[url] = status
    generated = finance.post(f"{BASE}/reports/", {"groups": ["report", "evaluation", "monitoring"]})
    assert generated.status_code == 302
    assert m.GeneratedReport.objects.filter(fiscal_year=world.fiscal_year).exists()
    return failed


def test_every_page_of_the_department_renders_with_values_at_and_past_their_limits(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.JIXIAO_HOME = tmp_path / "home"
    _store_extremes(world)
    assert _crawl_and_report(world) == {}
    page = world.client("finance").get(f"{BASE}/projects/P001/evaluation/").content.decode()
    assert "超出允许范围" in page


NEGATIVE = Decimal("-5000.00")
PAST = {
    "a negative line budget": (
        lambda w: m.BudgetLine.objects.filter(fiscal_year=w.fiscal_year, code="L01").update(
            initial_budget=NEGATIVE, final_budget=NEGATIVE
        ),
        "预算行“L01",
    ),
    "a negative carry-over": (
        lambda w: m.BudgetLine.objects.filter(fiscal_year=w.fiscal_year, code="B01").update(
            carryover=NEGATIVE
        ),
        "预算行“B01",
    ),
    "negative project amounts": (
        lambda w: m.Project.objects.filter(fiscal_year=w.fiscal_year).update(
            final_budget=NEGATIVE, executed=NEGATIVE
        ),
        "项目“P001",
    ),
    "negative published totals": (
        lambda w: m.FiscalYear.objects.filter(pk=w.fiscal_year.pk).update(
            total_final_budget=NEGATIVE, total_executed=NEGATIVE, carryover=NEGATIVE
        ),
        "公开的合计",
    ),
    "a negative published part": (
        lambda w: m.PublishedAmount.objects.create(
            fiscal_year=w.fiscal_year,
            measure="executed_by_source",
            key="other_funds",
            amount=NEGATIVE,
        ),
        "公开的合计",
    ),
    "an adjustment past the amount bound": (
        lambda w: m.BudgetAdjustment.objects.filter(budget_line__fiscal_year=w.fiscal_year).update(
            amount=-Decimal("99999999999999.99")
        ),
        "预算调整",
    ),
    "a negative payment": (
        lambda w: m.Payment.objects.filter(budget_line__fiscal_year=w.fiscal_year).update(
            amount=NEGATIVE
        ),
        "执行数",
    ),
    "a negative weight and score": (
        lambda w: m.Indicator.objects.filter(goal__fiscal_year=w.fiscal_year).update(
            weight=-WEIGHT.most, assessed_score=Decimal("-5"), claimed_score=Decimal("-3")
        ),
        None,
    ),
    "an achievement figure past its bound": (
        lambda w: m.AchievementMetric.objects.filter(achievement__fiscal_year=w.fiscal_year).update(
            value=-(FIGURE.most * 100 + Decimal("0.5"))
        ),
        None,
    ),
}
"""Values every path refuses, written straight into the database; for the amounts, the
words of the finding that names where they are."""


@pytest.mark.parametrize("case", list(PAST))
def test_a_value_refused_by_every_path_but_stored_directly_is_a_finding_not_a_500(
    world: World, settings: Any, tmp_path: Path, case: str
) -> None:
    settings.JIXIAO_HOME = tmp_path / "home"
    store, named = PAST[case]
    assert store(world)
    assert _crawl_and_report(world) == {}
    exported = dump_dataset(export_dataset(FIRST, YEAR))  # reading the year back works
    if named is None:
        return
    findings = world.client("finance").get(API).json()["findings"]
    located = [f for f in findings if f["id"] == "amount-out-of-bounds"]
    assert located and all(f["severity"] == "error" for f in located)
    assert any(named in f["message"] for f in located), located
    assert all(f["location"].startswith("budget.") for f in located)
    if "negative" in case and "payment" not in case:
        with pytest.raises(InputRejected) as refused:  # loading the export refuses it, located
            parse_dataset(exported.encode())
        assert any("不能为负数" in p.message for p in refused.value.problems)


def test_a_ledger_filter_past_the_amount_bound_is_explained_not_a_500(world: World) -> None:
    huge = "1" + "0" * 300
    response = world.client("finance").get(f"{BASE}/budget/?amount_min={huge}")
    assert response.status_code == 200
    assert "超出允许范围" in response.content.decode()
