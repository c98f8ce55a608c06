"""In a real browser: Debian's Chromium, headless, driven by Playwright's sync API.

The app runs on pytest-django's ``live_server`` (a thread of this process) with the
demo loaded into the test database by ``jixiao demo``'s own function. Screenshots of the
main pages go to ``test-artifacts/screenshots/``.

Skipped with a note when /usr/bin/chromium or the playwright package is missing, unless
JIXIAO_REQUIRE_BROWSER=1 (as in CI), which turns the skip into a failure. Playwright never
downloads a browser here: it launches the system's Chromium by path.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import DEMO, DEMO_YEAR, PASSWORD, department_text, store_text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows


def _missing() -> str:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
    return ""


@pytest.fixture(scope="module", autouse=True)
def _allow_the_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM
    (the test's own queries, the database flush) refuses to run beside one unless told."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("JIXIAO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (JIXIAO_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def demo_world(tmp_path: Path, small_year_text: str) -> m.FiscalYear:
    from tests.web.conftest import load_demo

    load_demo(tmp_path / "demo-report")
    fiscal_year = m.FiscalYear.objects.get(department__code=DEMO, year=DEMO_YEAR)
    department = fiscal_year.department
    create_account("finance", Role.finance, PASSWORD, department)
    create_account("bureau", Role.bureau, PASSWORD)
    office = m.Office.objects.get(department=department, code="K03")
    create_account("office", Role.office, PASSWORD, department, office)
    other = store_text(department_text(small_year_text, "other-dept", "另一区另一局"))
    create_account("outsider", Role.finance, PASSWORD, other.department)
    return fiscal_year


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def nav_link(page: Any, name: str, exact: bool = False) -> Any:
    """The navigation bar's link ``name``, its menu opened first (the bar groups its pages
    into menus, ``jixiao.web.navigation.MENUS``)."""
    link = page.get_by_role("link", name=name, exact=exact, include_hidden=True)
    menu = page.locator("nav.nav details.nav-menu", has=link)  # ``has`` is relative to it
    link = page.locator("nav.nav").get_by_role("link", name=name, exact=exact, include_hidden=True)
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return link


def test_finance_sees_the_year_and_filters_the_ledger(
    page: Any, live_server: Any, demo_world: m.FiscalYear
) -> None:
    base = live_server.url
    page.goto(f"{base}/login/")
    _shot(page, "01-login")
    _log_in(page, base, "finance")
    _shot(page, "02-choose-year")
    page.get_by_role("link", name="2023年度").click()
    page.wait_for_url(f"{base}/d/{DEMO}/{DEMO_YEAR}/")

    assert "103,118.19" in page.inner_text("#kpi-budget")
    assert "77,261.67" in page.inner_text("#kpi-executed")
    assert "74.93%" in page.inner_text("#kpi-rate")
    assert "优" in page.inner_text("#kpi-grade")
    assert "0.01万元" in page.inner_text("#findings")
    assert page.locator("figure.chart svg.chart-svg").count() == 3  # drawn by the server
    _shot(page, "03-dashboard")

    nav_link(page, "预算与支出").click()
    page.wait_for_url(re.compile(r".*/budget/$"))
    assert page.locator("#lines tbody tr").count() >= 17
    total = page.inner_text("#ledger-summary")
    _shot(page, "04-budget")

    page.select_option("#id_line", "LW23-P04-01")
    page.fill("#id_date_from", "2023-03-01")
    page.fill("#id_date_to", "2023-12-31")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*line=LW23-P04-01.*"))
    filtered = page.inner_text("#ledger-summary")
    assert filtered != total
    lines = page.locator("#payments tbody tr td:nth-child(2)").all_inner_texts()
    assert lines and all(text.startswith("LW23-P04-01") for text in lines)
    dates = page.locator("#payments tbody tr td:nth-child(1)").all_inner_texts()
    assert all("2023-03-01" <= text <= "2023-12-31" for text in dates)
    _shot(page, "05-ledger-filtered")

    nav_link(page, "审计日志").click()
    page.wait_for_url(re.compile(r".*/audit/$"))
    _shot(page, "06-audit-log")

    page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/projects/LW23-P04/")
    assert "国土空间总体规划编制" in page.inner_text("h1")
    _shot(page, "07-project")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert nav_link(page, "Budget and spending").count() == 1
    _shot(page, "08-project-in-english")


def test_the_bureau_compares_departments_side_by_side(
    page: Any, live_server: Any, demo_world: m.FiscalYear
) -> None:
    base = live_server.url
    _log_in(page, base, "bureau")
    page.get_by_role("link", name="财政局视图").first.click()
    page.wait_for_url(re.compile(r".*/bureau/2024/$"))  # the latest year: the outsider's
    assert "另一区另一局" in page.inner_text("#departments")
    page.get_by_role("link", name=str(DEMO_YEAR), exact=True).click()
    page.wait_for_url(re.compile(rf".*/bureau/{DEMO_YEAR}/$"))
    assert "广州市规划和自然资源局荔湾区分局" in page.inner_text("#departments")
    assert "74.93%" in page.inner_text("#departments")
    _shot(page, "09-bureau")


def test_the_office_sees_its_own_projects_only(
    page: Any, live_server: Any, demo_world: m.FiscalYear
) -> None:
    base = live_server.url
    _log_in(page, base, "office")
    page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/budget/")
    codes = page.locator("#lines tbody tr td:first-child a").all_inner_texts()
    assert codes == ["LW23-P04-01", "LW23-P05-01"]  # 规划科's two projects
    response = page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/projects/LW23-P01/")
    assert response.status == 403
    _shot(page, "10-office-forbidden")


def test_the_outsider_gets_nothing_of_the_demo_department(
    page: Any, live_server: Any, demo_world: m.FiscalYear
) -> None:
    base = live_server.url
    _log_in(page, base, "outsider")
    home = page.inner_text("main")
    assert "另一区另一局" in home and "荔湾" not in home
    for path in ("", "budget/", "budget/lines/LW23-B01/", "projects/LW23-P01/", "audit/"):
        response = page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/{path}")
        assert response.status == 404, path
        text = page.inner_text("body")
        assert "页面不存在" in text and "103,118.19" not in text and "荔湾" not in text
    _shot(page, "11-outsider-not-found")
    assert page.goto(f"{base}/bureau/{DEMO_YEAR}/").status == 403


def test_scripted_pages_work_under_the_content_security_policy(
    page: Any, live_server: Any, demo_world: m.FiscalYear
) -> None:
    """Charts (inline SVG), the audit log's category picker and the API docs show without
    inline script, and Chromium reports no violation of the policy."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url
    _log_in(page, base, "finance")
    year = f"{base}/d/{DEMO}/{DEMO_YEAR}"
    for url in (f"{year}/", f"{year}/monitoring/"):
        page.goto(url)
        page.wait_for_selector("figure.chart svg.chart-svg")
    page.goto(f"{year}/audit/")
    page.select_option("select[name=kind]", "line")  # sends its form by itself (forms.js)
    page.wait_for_url(re.compile(r".*/audit/\?kind=line$"))
    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".opblock", timeout=30_000)  # Swagger UI drew the operations
    assert not violations, violations
