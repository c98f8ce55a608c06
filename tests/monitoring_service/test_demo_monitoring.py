"""The demo's monitoring of 2023 at the end of July and of October (synthetic ledger)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from jixiao.core.monitoring import Light
from jixiao.services.monitoring import monitor_stored_year

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def demo(jixiao: Run, tmp_path: Path) -> tuple[Path, str]:
    pytest.importorskip("jixiao.demo.synthetic")
    code, out, err = jixiao("demo", "--out", tmp_path / "report")
    assert code == 0, err
    return tmp_path / "report", out


@pytest.mark.parametrize("as_of", [date(2023, 7, 31), date(2023, 10, 31)])
def test_the_demo_shows_lights_forecasts_and_proposals(
    demo: tuple[Path, str], as_of: date
) -> None:
    report = monitor_stored_year("liwan-ghzy", 2023, as_of)
    lights = {p.light for p in report.result.projects}
    assert len(report.result.projects) > 0 and None not in lights
    assert lights & {Light.red, Light.yellow}
    assert len(report.forecasts) == len(report.result.projects)
    assert report.profile.years == (2022,)  # the synthetic 2022 ledger gives the profile
    assert len(report.plan.proposals) > 0
    lagging = [report.result.project(code) for code in report.plan.lagging]
    assert lagging  # projects projected to end the year below 90 % of their budget
    assert any(p.light in (Light.red, Light.yellow) for p in lagging)


def test_at_the_end_of_october_the_guangzhou_rule_sets_next_years_budget(
    demo: tuple[Path, str],
) -> None:
    report = monitor_stored_year("liwan-ghzy", 2023, date(2023, 10, 31))
    assert report.result.rules.consequence_rules
    assert len(report.result.consequences) > 0


def test_the_demo_writes_and_prints_the_monitoring_of_both_dates(demo: tuple[Path, str]) -> None:
    folder, out = demo
    for stamp, label in (("20230731", "2023年7月31日"), ("20231031", "2023年10月31日")):
        assert (folder / f"2023-liwan-ghzy-monitoring-{stamp}.xlsx").exists()
        docx = folder / f"2023-liwan-ghzy-monitoring-{stamp}.docx"
        paragraphs = [p.text for p in Document(str(docx)).paragraphs]
        assert paragraphs[0].endswith(f"（截至{label}）")
        assert f"运行监控（截至{label}）" in out
    assert "调整建议" in out and "红灯" in out
