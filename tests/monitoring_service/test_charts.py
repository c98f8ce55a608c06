"""Monitoring charts: PNG with a Chinese font, a clear note without one."""

from __future__ import annotations

import io
import struct
from datetime import date

import pytest

from jixiao.core.money import ZERO
from jixiao.documents import charts
from jixiao.services.monitoring import MonitoringReport, monitor_stored_year
from tests.monitoring_service.ledger import store_ledger_year

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def report() -> MonitoringReport:
    store_ledger_year()
    return monitor_stored_year("jc-dept", 2024, date(2024, 7, 31))


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture
def font() -> str:
    name = charts.find_cjk_font()
    if name is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    return name


def test_it_finds_an_installed_chinese_font(font: str) -> None:
    assert font in charts.CJK_FONTS


@pytest.mark.parametrize("draw", [charts.execution_chart, charts.lights_chart])
def test_with_a_chinese_font_it_draws_a_png(report: MonitoringReport, font: str, draw) -> None:  # type: ignore[no-untyped-def]
    png = draw(report)
    assert png is not None and png.startswith(PNG_SIGNATURE)
    width, height = _size(png)
    assert width >= 800 and height >= 300


def test_the_chart_is_drawn_from_the_reports_monthly_figures(report: MonitoringReport) -> None:
    rates = charts.cumulative_rates(report.lines, 7)
    assert rates[-1] == report.result.department.execution_rate
    assert rates[0] is not None and rates[0] > ZERO


@pytest.mark.parametrize("draw", [charts.execution_chart, charts.lights_chart])
def test_without_a_chinese_font_it_draws_nothing(  # type: ignore[no-untyped-def]
    report: MonitoringReport, monkeypatch: pytest.MonkeyPatch, draw
) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    assert draw(report) is None
    assert charts.NO_FONT_NOTE == "未找到中文字体，图表未生成；请安装 fonts-noto-cjk"


def test_the_finder_answers_none_when_no_font_has_chinese_glyphs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts, "CJK_FONTS", ("No Such Font",))
    assert charts.find_cjk_font() is None


def test_a_font_installed_after_matplotlibs_first_run_is_found(
    font: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib import font_manager

    manager = font_manager.fontManager
    without_cjk = [f for f in manager.ttflist if f.name not in charts.CJK_FONTS]
    monkeypatch.setattr(manager, "ttflist", without_cjk)  # as cached before the install
    charts._add_system_cjk_fonts.cache_clear()
    assert charts.find_cjk_font() in charts.CJK_FONTS
    charts._add_system_cjk_fonts.cache_clear()


def test_it_is_a_real_png_that_pillow_can_open(report: MonitoringReport, font: str) -> None:
    from PIL import Image

    png = charts.lights_chart(report)
    assert png is not None
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
