"""Indicator progress (绩效目标实现程度) against targets, and the likelihood of meeting them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.monitoring import Likelihood, MonitoringError, ReasonCategory
from jixiao.core.vocabulary import Severity

from .builders import indicator, run

END_OF_JULY = date(2024, 7, 31)  # 序时进度 7/12
SEVEN_TWELFTHS = Decimal(7) / Decimal(12)


def status_of(item, as_of=END_OF_JULY):
    result = run(as_of, [], [item])
    (status,) = result.indicators
    return status, result.findings


# 年度指标值   7月末完成值   完成比例   推算可能性
PROGRESS_AGAINST_TARGETS = [
    ("≥100个", "60个", "0.6", Likelihood.certain),  # 0.6 ÷ 7/12 ≈ 1.03
    ("≥100个", "50个", "0.5", Likelihood.possible),  # 0.5 ÷ 7/12 ≈ 0.86
    ("≥100个", "120个", "1.2", Likelihood.certain),
    ("≥50万元", "300000元", "0.6", Likelihood.certain),
    ("≥500000元", "25万元", "0.5", Likelihood.possible),
    ("≥95%", "96", "1.010526315789473684210526316", Likelihood.certain),
    ("≤30万元", "250000元", "1", Likelihood.certain),
    ("≤30万元", "36万元", "0.8333333333333333333333333333", Likelihood.possible),
    ("≤30天", "15天", "1", Likelihood.certain),
    ("=0次", "0次", "1", Likelihood.certain),
    ("=0次", "2次", "0", Likelihood.possible),
]


@pytest.mark.parametrize(("target", "progress", "ratio", "likelihood"), PROGRESS_AGAINST_TARGETS)
def test_progress_is_measured_against_the_target_in_its_unit_and_direction(
    target, progress, ratio, likelihood
):
    status, _ = status_of(indicator(target, progress))
    assert status.progress_ratio == Decimal(ratio)
    assert status.likelihood is likelihood
    assert status.likelihood_suggested is True


def test_a_cumulative_indicator_is_projected_linearly_to_the_year_end():
    status, _ = status_of(indicator("≥100个", "50个"))
    assert status.time_progress == SEVEN_TWELFTHS
    assert status.projected_ratio == Decimal("0.5") / SEVEN_TWELFTHS
    assert status.projected_to_miss is True
    assert status.lower_is_better is False


def test_a_lower_is_better_indicator_is_a_level_that_must_hold_not_a_pace():
    status, _ = status_of(indicator("≤30万元", "36万元"))
    assert status.lower_is_better is True
    assert status.projected_ratio == status.progress_ratio
    assert status.projected_to_miss is True


def test_an_entered_likelihood_is_kept_even_when_the_progress_suggests_otherwise():
    status, findings = status_of(indicator("≥100个", "90个", likelihood=Likelihood.certain))
    assert status.likelihood is Likelihood.certain
    assert status.likelihood_suggested is False
    assert findings == ()


def test_at_the_year_end_a_missed_target_is_suggested_as_impossible():
    status, _ = status_of(indicator("≥100个", "90个"), as_of=date(2024, 12, 31))
    assert status.projected_ratio == Decimal("0.9")
    assert status.likelihood is Likelihood.impossible


def test_a_reason_is_required_when_the_entered_likelihood_is_not_certain():
    item = indicator("≥100个", "30个", likelihood=Likelihood.possible)
    _, findings = status_of(item)
    (finding,) = findings
    assert finding.id == "likelihood-reason-required"
    assert finding.severity is Severity.error
    assert finding.message == (
        "项目“P01”指标“产出指标/数量指标/完成数量”完成目标可能性为“有可能”，"
        "须填写偏差原因类别和偏差原因分析。"
    )
    assert finding.location == "indicators[0]"


def test_a_reason_text_without_its_category_is_still_incomplete():
    item = indicator(
        "≥100个", "30个", likelihood=Likelihood.impossible, reason="供应商延期交付"
    )
    (finding,) = status_of(item)[1]
    assert finding.message.endswith("须填写偏差原因类别。")


def test_a_complete_reason_satisfies_the_form():
    item = indicator(
        "≥100个",
        "30个",
        likelihood=Likelihood.possible,
        reason_category=ReasonCategory.funding,
        reason="资金下达较晚，下半年集中采购",
    )
    status, findings = status_of(item)
    assert findings == ()
    assert status.reason_category.value == "经费保障"


def test_a_suggested_shortfall_without_reason_is_a_warning_not_an_error():
    (finding,) = status_of(indicator("≥100个", "30个"))[1]
    assert finding.severity is Severity.warning
    assert "按进度推算为“有可能”" in finding.message


def test_a_qualitative_target_without_likelihood_asks_the_unit_to_answer():
    status, findings = status_of(indicator("效果明显", "正在推进"))
    assert status.progress_ratio is None
    assert status.likelihood is None
    assert [f.id for f in findings] == ["likelihood-missing"]


def test_a_qualitative_completion_state_suggests_the_likelihood():
    status, _ = status_of(indicator("效果明显", "部分达成年度指标并具有一定效果"))
    assert status.likelihood is Likelihood.possible
    status, _ = status_of(indicator("效果明显", "达成年度指标"))
    assert status.likelihood is Likelihood.certain


def test_an_unreported_progress_value_cannot_suggest_anything():
    status, findings = status_of(indicator("≥100个", None))
    assert status.progress_ratio is None
    assert [f.id for f in findings] == ["likelihood-missing"]


def test_units_that_cannot_be_compared_are_a_finding_not_a_crash():
    status, findings = status_of(indicator("≥50万元", "3个"))
    assert status.progress_ratio is None
    assert findings[0].id == "indicator-progress-unreadable"
    assert "不可比较" in findings[0].message


def test_a_text_progress_for_a_quantitative_target_is_a_finding():
    _, findings = status_of(indicator("≥100个", "基本完成"))
    assert findings[0].id == "indicator-progress-unreadable"
    assert "应为数值和单位" in findings[0].message


def test_progress_standing_at_an_earlier_date_is_paced_by_that_date():
    status, _ = status_of(indicator("≥100个", "50个", progress_as_of=date(2024, 6, 30)))
    assert status.progress_as_of == date(2024, 6, 30)
    assert status.time_progress == Decimal("0.5")
    assert status.projected_ratio == 1
    assert status.likelihood is Likelihood.certain


def test_progress_dated_after_the_monitoring_date_is_refused():
    with pytest.raises(MonitoringError, match="晚于监控日期"):
        status_of(indicator("≥100个", "50个", progress_as_of=date(2024, 8, 15)))


def test_the_department_wide_goal_is_named_as_such():
    (finding,) = status_of(indicator("≥100个", "30个", project_code=None))[1]
    assert finding.message.startswith("部门整体目标指标")
