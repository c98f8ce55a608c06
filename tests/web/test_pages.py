"""What the pages show: the demo's figures, the ledger filters, languages, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from jixiao.web.summaries import default_as_of
from tests.web.conftest import DEMO, DEMO_YEAR, FIRST, PASSWORD, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
DEMO_BASE = f"/d/{DEMO}/{DEMO_YEAR}"


def _finance_of(fiscal_year: m.FiscalYear) -> Client:
    client = Client()
    user = create_account("demo-finance", Role.finance, PASSWORD, fiscal_year.department).user
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_demo_figures_at_the_year_end(demo: m.FiscalYear) -> None:
    response = _finance_of(demo).get(f"{DEMO_BASE}/")
    page = response.content.decode()
    assert "103,118.19" in page and "77,261.67" in page and "74.93%" in page
    summary = response.context["summary"]
    assert summary.as_of.isoformat() == "2023-12-31"  # a past year: its year end
    assert summary.time_progress == 1
    assert summary.grade.grade == "优"
    assert summary.monitoring is not None and len(summary.projects) == 15
    assert any("0.01万元" in finding.message for finding in summary.findings)
    assert set(response.context["charts"]) == {"sources", "progress", "lights"}
    assert page.count('<svg class="chart-svg"') == 3
    # The charts are drawn by the server: the one script is the navigation bar's (forms.js).
    assert page.count("<script") == 1 and '<script src="/static/jixiao/forms.js">' in page


def test_the_dashboard_takes_an_as_of_date_inside_the_year(demo: m.FiscalYear) -> None:
    client = _finance_of(demo)
    summary = client.get(f"{DEMO_BASE}/?as_of=2023-07-31").context["summary"]
    assert summary.as_of.isoformat() == "2023-07-31"
    assert summary.time_progress == Decimal(7) / Decimal(12)
    assert summary.monitoring.result.department.light.value == "red"
    refused = client.get(f"{DEMO_BASE}/?as_of=2022-07-31")
    assert refused.context["summary"].as_of.isoformat() == "2023-12-31"
    assert "不在 2023 年度内" in refused.content.decode()


def test_the_default_date_is_today_in_the_current_year_and_the_year_end_before() -> None:
    today = date(2024, 5, 20)
    assert default_as_of(2024, today) == today
    assert default_as_of(2023, today) == date(2023, 12, 31)
    assert default_as_of(2025, today) == date(2025, 1, 1)


def test_the_budget_page_lists_lines_adjustments_and_totals(world: World) -> None:
    response = world.client("finance").get(f"{BASE}/budget/")
    page = response.content.decode()
    assert "测财〔2024〕8号" in page  # L01's adjustment
    totals = response.context["totals"]
    assert totals.final_budget == Decimal("9200000")  # 300 + 120 + 500 万元, in 元
    assert totals.executed == Decimal("6187500")  # 298.5 + 110 (ledger) + 210.25
    assert "920.00" in page and "618.75" in page


@pytest.mark.parametrize(
    ("query", "count", "total"),
    [
        ("", 3, Decimal("1100000")),
        ("line=L01", 3, Decimal("1100000")),
        ("date_from=2024-04-01", 2, Decimal("700000")),
        ("date_from=2024-01-01&date_to=2024-09-30", 2, Decimal("1105000")),
        ("amount_min=50", 1, Decimal("705000")),
        ("amount_max=0", 1, Decimal("-5000")),
        ("amount_min=1&amount_max=４０", 1, Decimal("400000")),
    ],
)
def test_the_ledger_filters_by_line_date_and_amount_in_wan(
    world: World, query: str, count: int, total: Decimal
) -> None:
    response = world.client("finance").get(f"{BASE}/budget/?{query}")
    assert response.context["ledger_count"] == count
    assert response.context["ledger_total"] == total


def test_a_bad_filter_is_explained_and_nothing_is_filtered(world: World) -> None:
    response = world.client("finance").get(
        f"{BASE}/budget/?amount_min=7,26x&date_from=2024-09-01&date_to=2024-01-01"
    )
    page = response.content.decode()
    assert "“7,26x”不是有效的金额" in page
    assert "截止日期不能早于起始日期" in page
    assert response.context["ledger_count"] == 3


def test_the_ledger_is_paginated(world: World) -> None:
    line = world.line("L01")
    m.Payment.objects.bulk_create(
        m.Payment(
            budget_line=line,
            date=date(2024, 11, 1 + i % 28),
            amount=Decimal("1.00"),
            voucher=f"P-{i}",
        )
        for i in range(120)
    )
    client = world.client("finance")
    first = client.get(f"{BASE}/budget/")
    assert first.context["page"].paginator.num_pages == 3
    third = client.get(f"{BASE}/budget/?line=L01&page=3")
    assert len(third.context["page"].object_list) == 123 - 100
    assert "line=L01&amp;page=2" in third.content.decode()


def test_the_line_and_project_pages_show_their_figures(world: World) -> None:
    client = world.client("finance")
    line = client.get(f"{BASE}/budget/lines/L01/")
    assert line.context["executed"] == Decimal("1100000")
    assert line.context["ledger_count"] == 3
    project = client.get(f"{BASE}/projects/P001/")
    assert project.context["funds"].total.final_budget == Decimal("1200000")
    assert "按期完成率" in project.content.decode()


def test_pages_are_chinese_even_when_the_browser_asks_for_english(world: World) -> None:
    page = world.client("finance").get(f"{BASE}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert "预算与支出" in text and "Budget and spending" not in text


def test_the_language_switch_turns_the_pages_english(world: World) -> None:
    client = world.client("finance")
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"{BASE}/"})
    assert response.status_code == 302
    text = client.get(f"{BASE}/").content.decode()
    assert "Budget and spending" in text and "Audit log" in text and "Home" in text


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("首页", "Home"),
        ("预算与支出", "Budget and spending"),
        ("审计日志", "Audit log"),
        ("财政局视图", "Finance bureau view"),
        ("登录", "Sign in"),
        ("选择部门年度", "Choose a department-year"),
        ("财务科", "Finance office"),
    ],
)
def test_the_navigation_and_titles_have_english_translations(chinese: str, english: str) -> None:
    with translation.override("en"):
        assert translation.gettext(chinese) == english


def test_the_not_found_page_is_the_jixiao_page(world: World) -> None:
    response = world.client("outsider").get(f"{BASE}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
