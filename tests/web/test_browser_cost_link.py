"""成本预算绩效 in a real browser (Debian's Chromium through Playwright): a 业务科室 user
picks a 指标库 output that carries a 对应支出标准 (the standard is selected for it), links an
existing output to a standard of the year's table on the goal page, saves, and sees the
unit cost against the standard on the project's 绩效自评 page. The browser fixtures are
``test_browser.py``'s; the department is the web tests' first (``world``)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.interchange.cost_standard_files import parse_cost_standards
from jixiao.services.cost_standards import store_cost_standards
from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World
from tests.web.test_browser import (  # noqa: F401 - fixtures used by name
    _allow_the_orm_beside_playwright,
    _log_in,
    _shot,
    browser,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads committed rows

STANDARDS = """\
format: jixiao-cost-standards/1
id: cost-standards-test-mixed
version: 2024
name: 测试区支出标准
unit: 元
standards:
  - {code: GH-1, name: 片区规划编制, kind: 支出标准, amount: 1200000, per_unit: 个}
  - {code: PX-3, name: 三类培训综合定额, kind: 定额标准, amount: 450, per_unit: 人天}
"""


def test_an_office_links_an_output_to_a_standard_and_sees_the_unit_cost(
    page: Any,  # noqa: F811
    live_server: Any,
    world: World,
) -> None:
    store_cost_standards(world.fiscal_year, parse_cost_standards(STANDARDS))
    base = live_server.url
    project = f"{base}/d/{FIRST}/{YEAR}/projects/P001"
    _log_in(page, base, "office")
    page.goto(f"{project}/goal/")

    page.fill("#library-query", "业务培训人天数")
    page.locator("#library-suggestions tr[data-code='ZR-PX-01']").get_by_role(
        "button", name="选用"
    ).click()
    picked = page.locator("#indicator-rows tbody tr.indicator-row").last
    assert picked.locator("[name$='-cost_standard']").input_value() == "PX-3"
    assert "已按指标库选定对应支出标准PX-3" in picked.inner_text()
    picked.locator("[name$='-DELETE']").check()  # only the link of the next row is kept

    output = page.locator("#indicator-rows tbody tr.indicator-row", has=page.locator(
        "[name$='-level3'][value='编制规划数量']"
    ))  # fmt: skip
    options = output.locator("[name$='-cost_standard'] option").all_inner_texts()
    assert "GH-1 片区规划编制（1,200,000.00元/个）" in options
    output.locator("[name$='-cost_standard']").select_option("GH-1")
    _shot(page, "60-cost-standard-linked")
    page.click("#save-goal")
    page.wait_for_selector(".message-success")
    rows = m.Indicator.objects.filter(goal__project=world.project("P001"))
    assert rows.get(level3="编制规划数量").cost_standard == "GH-1"
    assert not rows.filter(level3="业务培训人天数").exists()

    page.goto(f"{project}/evaluation/")
    row = page.locator("#unit-cost-list tbody tr").first
    cells = row.inner_text()
    assert "编制规划数量" in cells and "1,100,000.00" in cells and "1,200,000.00" in cells
    assert "未超过标准" in cells
    _shot(page, "61-unit-cost-on-the-project-page")
