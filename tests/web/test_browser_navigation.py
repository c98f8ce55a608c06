"""In Chromium: the navigation bar's menus. Every page the registry lists for the demo's
财务科 is reached through the bar (each menu opened from the keyboard), the 待办 count
stays on the bar itself, and at a phone's width (390 px) no open menu makes the page
scroll sideways. One menu is open at a time, a click outside or Escape closes it, and at
1400 px the bar keeps to one row with a long department name (cut short, whole in the
title)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from jixiao.storage import models as m
from jixiao.web.navigation import GLOBAL_PAGES, MENUS, YEAR_PAGES
from jixiao.web.permissions import scope_of
from tests.web.conftest import DEMO, DEMO_YEAR
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    page,
)
from tests.web.test_browser_narrow import OVERFLOW, STICKING_OUT

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

YEAR = f"/d/{DEMO}/{DEMO_YEAR}/"


def _listed_for(username: str, fiscal_year: m.FiscalYear) -> set[str]:
    """The URLs the page registry offers the user on a page of ``fiscal_year``."""
    scope = scope_of(User.objects.get(username=username))
    assert scope is not None
    kwargs = {"department": fiscal_year.department.code, "year": fiscal_year.year}
    year_pages = {
        reverse(p.url_name, kwargs=kwargs) for p in YEAR_PAGES if p.allowed(scope, fiscal_year)
    }
    global_pages = {
        reverse(p.url_name, kwargs={"year": fiscal_year.year})
        for p in GLOBAL_PAGES
        if p.allowed(scope)
    }
    return year_pages | global_pages


def test_every_page_listed_for_finance_is_reached_through_the_menus(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    listed = _listed_for("finance", demo_world)
    assert len(listed) >= 15, listed
    _log_in(page, live_server.url, "finance")
    page.goto(live_server.url + YEAR)
    bar = page.locator("nav.nav")
    menus = bar.locator("details.nav-menu")
    labels = [menus.nth(i).locator("summary").inner_text().split()[0] for i in range(menus.count())]
    assert labels == [str(label) for label, _pages in MENUS]
    assert bar.locator(":scope > a", has_text="待办").count() == 1  # on the bar, not in a menu
    standing = bar.locator(":scope > a:not(.nav-year)")
    reached = {standing.nth(i).get_attribute("href") for i in range(standing.count())}
    for index in range(len(labels)):
        page.goto(live_server.url + YEAR)
        summary = page.locator("nav.nav details.nav-menu").nth(index).locator("summary")
        summary.focus()
        page.keyboard.press("Enter")  # opens the menu: no pointer needed
        if index == 1:
            _shot(page, "nav-menu-open")
        links = page.locator("nav.nav details.nav-menu[open] .nav-menu-links a")
        assert links.count() >= 1, labels[index]
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for href in hrefs:
            reached.add(href)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == hrefs[0]
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == live_server.url + hrefs[0]
        assert page.locator("nav.nav details.nav-menu.active summary").inner_text().split()[0] == (
            labels[index]
        )
    assert reached == listed
    for href in sorted(reached):
        response = page.goto(live_server.url + href)
        assert response is not None and response.status == 200, href


def test_an_open_menu_fits_a_phone(
    browser: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.set_default_timeout(20_000)
    phone = context.new_page()
    _log_in(phone, live_server.url, "finance")
    phone.goto(live_server.url + YEAR)
    menus = phone.locator("nav.nav details.nav-menu")
    for index in range(menus.count()):
        menus.nth(index).locator("summary").click()
        links = phone.locator("nav.nav details.nav-menu[open] .nav-menu-links a")
        assert links.first.is_visible()
        if index == 1:
            _shot(phone, "nav-menu-open-390px")
        assert phone.evaluate(OVERFLOW) <= 0, phone.evaluate(STICKING_OUT)
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()


OPEN_MENUS = "document.querySelectorAll('nav.nav details.nav-menu[open]').length"


def test_one_menu_open_at_a_time_closed_by_a_click_outside_or_escape(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    _log_in(page, live_server.url, "finance")
    page.goto(live_server.url + YEAR)
    # What a browser without ``<details name>`` would do: the script alone keeps one open.
    page.evaluate(
        "document.querySelectorAll('nav.nav details.nav-menu')"
        ".forEach((menu) => menu.removeAttribute('name'))"
    )
    summaries = page.locator("nav.nav details.nav-menu > summary")
    summaries.nth(0).click()
    assert page.evaluate(OPEN_MENUS) == 1
    summaries.nth(1).click()
    assert page.evaluate(OPEN_MENUS) == 1
    assert page.locator("nav.nav details.nav-menu").nth(1).get_attribute("open") is not None
    page.locator("main.page h1").first.click()  # a click outside the bar's menus
    assert page.evaluate(OPEN_MENUS) == 0
    summaries.nth(2).click()
    page.locator("nav.nav details.nav-menu[open] .nav-menu-links").first.click(
        position={"x": 2, "y": 2}
    )  # a click inside the open menu (not on a link) leaves it open
    assert page.evaluate(OPEN_MENUS) == 1
    page.keyboard.press("Escape")
    assert page.evaluate(OPEN_MENUS) == 0
    # From the keyboard: Escape in an open menu closes it and hands the focus back to the
    # menu's own summary, so the keyboard stays where it was.
    summaries.nth(3).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('details.nav-menu[open]') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate(OPEN_MENUS) == 0
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate(
        "document.activeElement"
        " === document.querySelectorAll('nav.nav details.nav-menu > summary')[3]"
    )


LONG_NAME = "广州市荔湾区人民政府办公室机关事务管理局下属后勤服务保障中心"

ON_ONE_ROW = """() => {
  const boxes = Array.from(document.querySelectorAll(
    ".topbar-inner > .brand, .topbar-inner > .account, nav.nav > a, nav.nav > details > summary"
  )).map((e) => e.getBoundingClientRect());
  return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
}"""


@pytest.mark.parametrize("username", ["finance", "bureau"])
def test_the_bar_stays_on_one_row_at_1400px_with_a_long_department_name(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
    username: str,
) -> None:
    m.Department.objects.filter(pk=demo_world.department_id).update(name=LONG_NAME)
    _log_in(page, live_server.url, username)
    page.goto(live_server.url + YEAR)
    assert page.viewport_size["width"] == 1400
    chooser = page.locator("nav.nav a.nav-year")
    assert LONG_NAME in (chooser.get_attribute("title") or "")
    assert page.evaluate(
        "(() => { const n = document.querySelector('nav.nav .nav-year-name');"
        " return n.scrollWidth > n.clientWidth; })()"
    ), "the long name is shortened on screen"
    assert f"{DEMO_YEAR}年度" in chooser.inner_text()
    _shot(page, f"nav-1400px-{username}")
    assert page.evaluate(ON_ONE_ROW)
    assert page.evaluate(OVERFLOW) <= 0
