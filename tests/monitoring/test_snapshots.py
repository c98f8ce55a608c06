"""Monitoring snapshots: frozen to JSON and back without loss, and compared between dates."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.monitoring import Light, Likelihood, ReasonCategory
from jixiao.core.snapshots import FORMAT, SnapshotError, compare, freeze, thaw
from jixiao.interchange.monitoring_rule_files import shipped_monitoring_rules

from .builders import FUND, indicator, line, run, wan


def october_result(as_of=date(2024, 10, 31), p02_october="0"):
    rules = shipped_monitoring_rules("monitoring-guangzhou")
    lines = [
        line(None, "300", {m: "25" for m in range(1, 11)}),
        line("P01", "100", {3: "40"}, recurrent=True),
        line("P02", "250", {5: "100", 10: p02_october}, source=FUND),
        line("P03", "0"),
    ]
    indicators = [
        indicator("≥100个", "50个"),
        indicator(
            "≤30万元",
            "36万元",
            likelihood=Likelihood.possible,
            reason_category=ReasonCategory.funding,
            reason="单价上涨",
            progress_as_of=date(2024, 9, 30),
        ),
        indicator("效果明显", None, project_code=None),
        indicator("≥50万元", "3个"),
    ]
    return run(as_of, lines, indicators, rules)


def test_a_frozen_result_survives_json_and_thaws_equal():
    result = october_result()
    assert result.consequences and result.findings and result.indicators
    text = json.dumps(freeze(result), ensure_ascii=False)
    assert thaw(json.loads(text)) == result


def test_the_frozen_form_is_plain_data_with_decimals_as_text_and_iso_dates():
    frozen = freeze(october_result())
    assert frozen["format"] == FORMAT
    assert frozen["as_of"] == "2024-10-31"
    p01 = frozen["projects"][0]
    assert p01["executed"] == "400000"
    assert p01["light"] == "red"
    assert frozen["projects"][2]["execution_rate"] is None
    assert frozen["rules"]["consequence_rules"][0]["next_year_share"] == "0.9"
    assert isinstance(frozen["time_progress"], str)


def test_the_thawed_decimals_are_exact():
    result = october_result()
    thawed = thaw(freeze(result))
    assert thawed.project("P01").progress_ratio == result.project("P01").progress_ratio
    assert isinstance(thawed.project("P01").progress_ratio, Decimal)


def test_something_that_is_not_a_snapshot_is_refused_in_chinese():
    with pytest.raises(SnapshotError, match="不是监控快照"):
        thaw({"format": "other"})
    frozen = freeze(october_result())
    del frozen["department"]
    with pytest.raises(SnapshotError, match="缺少字段 department"):
        thaw(frozen)
    frozen = freeze(october_result())
    frozen["time_progress"] = "十"
    with pytest.raises(SnapshotError, match="无法识别"):
        thaw(frozen)


def test_comparing_two_snapshots_lists_the_projects_that_moved():
    before = october_result(as_of=date(2024, 9, 30))
    after = october_result(p02_october="100")
    changes = {c.project_code: c for c in compare(before, after)}
    assert set(changes) == {"P02"}  # P01 and P03 did not move
    p02 = changes["P02"]
    assert p02.executed_change == wan("100")
    assert p02.rate_change == Decimal("0.4")
    assert (p02.light_before, p02.light_after) == (Light.red, Light.green)  # 53 % → 96 %
    assert p02.light_changed is True


def test_a_project_present_in_one_snapshot_only_is_a_change():
    before = run(date(2024, 7, 31), [line("P01", "100", {1: "10"})])
    after = run(date(2024, 8, 31), [line("P01", "100", {1: "10"}), line("P02", "10", {8: "1"})])
    (change,) = compare(before, after)
    assert change.project_code == "P02"
    assert change.executed_before is None
    assert change.executed_after == wan("1")
    assert change.executed_change is None


def test_the_same_snapshot_has_no_changes():
    result = october_result()
    assert compare(result, thaw(freeze(result))) == []
