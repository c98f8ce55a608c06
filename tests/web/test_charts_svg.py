"""The charts as the server draws them: 万元 axes with two decimals and thousands
separators (never "20k"), project names on the axes with the code and full name on hover,
amounts in English with a space before a unit that says 10,000 yuan; and the geometry
helpers' promises (ticks cover the data, shortened labels fit)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from jixiao.web.svg_charts import FONT, LABEL_EMS, nice_ticks, shorten, text_width
from tests.web.conftest import DEMO, DEMO_YEAR, PASSWORD

pytestmark = pytest.mark.django_db

BASE = f"/d/{DEMO}/{DEMO_YEAR}"
SVG = "{http://www.w3.org/2000/svg}"
WAN_TICK = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")
SUFFIXED = re.compile(r"\d\s*[kKM]\b|\d\s*(k|M) ")


def _client(fiscal_year: m.FiscalYear, english: bool = False) -> Client:
    client = Client()
    user = User.objects.filter(username="finance").first()
    if user is None:
        user = create_account("finance", Role.finance, PASSWORD, fiscal_year.department).user
    client.force_login(user)
    if english:
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _charts(html: str) -> dict[str, ElementTree.Element]:
    found = re.findall(r'<figure class="chart" id="([\w-]+)">(<svg .*?</svg>)</figure>', html, re.S)
    return {
        name: ElementTree.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
        for name, svg in found
    }


def _shown(text: ElementTree.Element) -> str:
    """A text element's visible text (its <title> child is the hover text)."""
    return ((text.text or "") + "".join(child.tail or "" for child in text)).strip()


def _texts(svg: ElementTree.Element, cls: str | None = None) -> list[str]:
    return [
        _shown(text) for text in svg.iter(f"{SVG}text") if cls is None or text.get("class") == cls
    ]


def _titles(svg: ElementTree.Element) -> list[str]:
    return [title.text or "" for title in svg.iter(f"{SVG}title")]


@pytest.mark.parametrize("english", [False, True])
def test_no_chart_label_carries_a_k_or_m_suffix(demo: m.FiscalYear, english: bool) -> None:
    client = _client(demo, english)
    charts = {
        **_charts(client.get(f"{BASE}/").content.decode()),
        **_charts(client.get(f"{BASE}/monitoring/?as_of=2023-06-30").content.decode()),
    }
    assert set(charts) == {
        "chart-sources", "chart-progress", "chart-lights", "chart-rates", "chart-forecast"
    }  # fmt: skip
    for name, svg in charts.items():
        for text in _texts(svg) + _titles(svg):
            assert not SUFFIXED.search(text), (name, text)
    money = _texts(charts["chart-sources"], "tick")
    assert len(money) >= 2 and all(WAN_TICK.match(tick) for tick in money), money
    assert _texts(charts["chart-sources"], "unit") == ["10,000 yuan" if english else "万元"]
    hover = " ".join(_titles(charts["chart-sources"]))
    assert ("97,447.83 × 10,000 yuan" if english else "97,447.83 万元") in hover
    percent = _texts(charts["chart-rates"], "tick")
    assert all(re.fullmatch(r"\d+(\.\d+)?%", tick) for tick in percent), percent


def test_project_axes_show_names_and_hover_gives_code_and_full_name(demo: m.FiscalYear) -> None:
    page = _client(demo).get(f"{BASE}/monitoring/?as_of=2023-06-30").content.decode()
    rates = _charts(page)["chart-rates"]
    names = dict(m.Project.objects.filter(fiscal_year=demo).values_list("code", "name"))
    labels = [text for text in rates.iter(f"{SVG}text") if text.get("class") == "category"]
    assert len(labels) == len(names) == 15
    for text in labels:
        shown, title = _shown(text), text.find(f"{SVG}title")
        assert title is not None and title.text is not None
        code, name = title.text.split(" ", 1)
        assert names[code] == name  # the hover text: code and full name
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1])), shown
    assert any(_shown(text).endswith("…") for text in labels)  # long names are shortened


def test_amounts_and_their_unit_are_spaced_in_both_languages(demo: m.FiscalYear) -> None:
    chinese = _client(demo).get(f"{BASE}/").content.decode()
    assert re.search(r'103,118.19 <span class="kpi-unit">万元</span>', chinese)
    english = _client(demo, english=True).get(f"{BASE}/").content.decode()
    assert re.search(r'103,118.19 <span class="kpi-unit">10,000 yuan</span>', english)
    assert "10k" not in english


@settings(deadline=None)  # behaviour, not timing, on a shared machine
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.integers(min_value=1, max_value=6),
)
def test_ticks_are_evenly_spaced_and_cover_the_values_and_zero(
    first: Decimal, second: Decimal, count: int
) -> None:
    ticks = nice_ticks(min(first, second), max(first, second), count)
    assert ticks[0] <= min(first, second, Decimal(0))
    assert ticks[-1] >= max(first, second, Decimal(0))
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and steps.pop() > 0
    assert len(ticks) <= 2 * count + 3


@settings(deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_a_shortened_label_fits_its_limit(text: str) -> None:
    short = shorten(text)
    assert text_width(short) <= LABEL_EMS * FONT or short == "…"
    assert short == text or short.endswith("…")
