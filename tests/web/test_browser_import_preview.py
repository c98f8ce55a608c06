"""The import preview in a real browser (Debian's Chromium through Playwright): 财务科
downloads the budget template from the import page (the department and year are filled
in), uploads the demo year's budget under a name of their own, and ticks the preview's
rows and 合计 (万元, two decimals, thousands separators) against the workbook.

The fixtures (system Chromium, the demo world, the live server) are ``test_browser.py``'s.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jixiao.core.money import format_wan
from jixiao.interchange.excel.layouts import BUDGET_KIND
from jixiao.services.excel_export import export_workbook
from jixiao.storage import models as m
from tests.web.conftest import DEMO, DEMO_YEAR
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    demo_world,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> None:
    """Uploads go under a temporary JIXIAO_HOME (the live server shares it)."""
    settings.JIXIAO_HOME = tmp_path / "home"


def test_the_preview_shows_rows_and_totals_to_tick_against_excel(
    page: Any,  # noqa: F811
    live_server: Any,
    demo_world: m.FiscalYear,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = live_server.url
    _log_in(page, base, "finance")
    page.goto(f"{base}/d/{DEMO}/{DEMO_YEAR}/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="预算与执行", exact=True).click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    sheet = openpyxl.load_workbook(template)["预算与执行"]
    assert [sheet[f"B{row}"].value for row in (2, 3, 4)] == [
        DEMO, demo_world.department.name, DEMO_YEAR,
    ]  # fmt: skip

    workbook = export_workbook(
        DEMO, DEMO_YEAR, BUDGET_KIND, tmp_path / "荔湾区2023年预算（核对稿）.xlsx"
    )
    page.set_input_files("#workbook", str(workbook))
    page.click("#upload-button")
    page.wait_for_selector("#import-totals")
    _shot(page, "40-import-preview-totals")
    assert "荔湾区2023年预算（核对稿）.xlsx" in page.inner_text("#import-preview")
    lines = m.BudgetLine.objects.filter(fiscal_year=demo_world)
    rows = page.locator("#import-totals tbody tr")
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[:3] == ["预算与执行", "预算与执行表", str(lines.count())]
    shown = {
        cells[-2]: cells[-1]
        for cells in (rows.nth(n).locator("td").all_inner_texts() for n in range(rows.count()))
    }
    initial = format_wan(sum(line.initial_budget for line in lines))
    final = format_wan(sum(line.final_budget for line in lines))
    assert (shown["年初预算数"], shown["全年预算数"]) == (initial, final)
    assert final == "103,118.19" and re.fullmatch(r"[\d,]+\.\d\d", shown["执行数"])
