"""In Chromium at a phone's width (390 px): no page of the demo scrolls sideways, and every
chart's texts lie inside the chart, in Chinese and in English.

Which pages: every kind of page the demo's 财务科 and 财政局 reach by links from their
首页 (found with Django's test client, one URL per view and set of query keys), and the
login page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import resolve

from jixiao.storage import models as m
from tests.web.conftest import DEMO, DEMO_YEAR
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    browser,
    demo_world,
)
from tests.web.test_office_crawl import crawl

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

NARROW = {"width": 390, "height": 844}
YEAR = f"/d/{DEMO}/{DEMO_YEAR}"

OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
STICKING_OUT = """() => Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((e) => !e.parentElement.closest(".table-wrap"))
  .slice(0, 4).map((e) => e.tagName + "." + e.className + " " + e.textContent.slice(0, 30))"""
TEXTS_OUTSIDE = """() => {
  const outside = [];
  document.querySelectorAll("svg.chart-svg").forEach((svg) => {
    const box = svg.viewBox.baseVal;
    svg.querySelectorAll("text").forEach((text) => {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5
          || b.y + b.height > box.y + box.height + 0.5) {
        outside.push(`${svg.closest("figure").id}: ${text.textContent}`);
      }
    });
  });
  return outside;
}"""


def _kinds(username: str) -> list[str]:
    """One URL per kind of HTML page the user reaches from the 首页."""
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    chosen: dict[tuple[str, ...], str] = {}
    for url, text in crawl(client, "/").items():
        if "<html" not in text[:300]:
            continue
        parsed = urlparse(url)
        key = (resolve(parsed.path).view_name, *sorted(re.findall(r"(\w+)=", parsed.query)))
        chosen.setdefault(key, url)
    return sorted(chosen.values())


def _narrow_page(browser: Any) -> Any:  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport=NARROW, locale="zh-CN", device_scale_factor=1)
    context.set_default_timeout(20_000)
    return context.new_page()


@pytest.mark.parametrize("username", ["finance", "bureau"])
def test_no_demo_page_scrolls_sideways_at_390_px(
    browser: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
    username: str,
) -> None:
    urls = _kinds(username)
    assert len(urls) >= (10 if username == "finance" else 2), urls
    page = _narrow_page(browser)
    page.goto(f"{live_server.url}/login/")
    wide = {"/login/": page.evaluate(STICKING_OUT)} if page.evaluate(OVERFLOW) > 0 else {}
    _log_in(page, live_server.url, username)
    for url in urls:
        page.goto(live_server.url + url)
        if page.evaluate(OVERFLOW) > 0:
            wide[url] = page.evaluate(STICKING_OUT)
    assert wide == {}
    page.context.close()


def test_every_chart_text_lies_inside_its_chart_in_both_languages(
    browser: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
) -> None:
    page = _narrow_page(browser)
    _log_in(page, live_server.url, "finance")
    pages = [f"{YEAR}/", f"{YEAR}/monitoring/", f"{YEAR}/monitoring/?as_of=2023-06-30"]
    for language in ("zh", "en"):
        if language == "en":
            page.get_by_role("button", name="English").click()
            page.wait_for_load_state()
        for url in pages:
            page.goto(live_server.url + url)
            charts = page.locator("svg.chart-svg")
            assert charts.count() == (3 if url == f"{YEAR}/" else 2), url
            assert page.evaluate(TEXTS_OUTSIDE) == [], (language, url)
            assert page.evaluate(OVERFLOW) <= 0, (language, url)
    page.context.close()
