"""指标库: shipped sets, suggestions for a goal, a target from history, and 目标值偏低."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.indicator_library import (
    IndicatorLibrary,
    LibraryError,
    ValueBasis,
    approve_indicator,
    check_targets_against_library,
    median,
    merged,
    propose_indicator,
    suggest_indicators,
    suggest_target,
)
from jixiao.interchange.indicator_library_files import (
    SHIPPED_LIBRARIES,
    parse_indicator_library,
    shipped_indicator_library,
)
from jixiao.interchange.problems import InputRejected

LIBRARY = """\
format: jixiao-indicator-library/1
id: test-library
version: 1
name: 测试指标库
benchmark_tolerance: 10%
indicators:
  - {code: A, level1: 产出指标, level2: 数量指标, level3: 审结登记案件数, sector: 自然资源,
     field: 登记, unit: 宗, direction: higher, basis: 历史标准, definition: 审结的案件数,
     aliases: [审结案件]}
  - {code: B, level1: 产出指标, level2: 时效指标, level3: 登记办理时限, sector: 自然资源,
     field: 登记, unit: 个工作日, direction: lower, basis: 计划标准, definition: 办理时限,
     benchmark: 5}
  - {code: C, level1: 满意度指标, level2: 服务对象满意度指标, level3: 群众满意度, sector: 自然资源,
     field: 服务, unit: "%", direction: higher, basis: 其他标准, definition: 满意度, benchmark: 90}
  - {code: D, level1: 产出指标, level2: 数量指标, level3: 培训人次, sector: 教育,
     field: 培训, unit: 人次, direction: higher, basis: 历史标准, definition: 培训人次}
  - {code: E, level1: 产出指标, level2: 数量指标, level3: 待审核指标, sector: 自然资源,
     unit: 项, direction: higher, basis: 其他标准, definition: 部门提议, status: proposed}
history:
  - {code: A, year: 2021, department: dept-a, actual: 48000}
  - {code: A, year: 2022, department: dept-b, actual: 30000}
  - {code: A, year: 2022, department: dept-a, actual: 51000}
  - {code: A, year: 2023, department: dept-a, actual: 52186}
  - {code: A, year: 2024, department: dept-a, actual: 99999}
  - {code: B, year: 2023, department: dept-a, actual: 4}
"""


def _library() -> IndicatorLibrary:
    return parse_indicator_library(LIBRARY)


def _goal(*rows: tuple[str, str]) -> PerformanceGoal:
    indicators = tuple(
        Indicator("产出指标", "数量指标", name, IndicatorKind.quantitative, target, Decimal(10))
        for name, target in rows
    )
    return PerformanceGoal("P1", "不动产登记", indicators=indicators)


def test_the_shipped_libraries_read_and_name_their_basis_as_101_does() -> None:
    for name in SHIPPED_LIBRARIES:
        library = shipped_indicator_library(name)
        assert library.indicators
        assert {i.basis for i in library.indicators} <= set(ValueBasis)
    department = shipped_indicator_library("mof-2013-dept")
    assert {i.level1 for i in department.indicators} == {"投入", "过程", "产出", "效果"}
    assert department.matching("预算执行率") == department.entry("GX-GC-01")


def test_it_suggests_approved_indicators_of_the_sector_not_yet_chosen() -> None:
    goal = _goal(("审结案件", "≥50000宗"))
    codes = [entry.code for entry in suggest_indicators(_library(), "自然资源", goal)]
    assert codes == ["B", "C"]  # A chosen (by alias), D another sector, E not yet approved
    assert [e.code for e in suggest_indicators(_library(), "自然资源", field="服务")] == ["C"]


def test_it_suggests_the_median_of_earlier_actuals_with_their_spread() -> None:
    suggestion = suggest_target(_library(), "A", before_year=2024)
    assert suggestion is not None
    assert suggestion.count == 4
    assert suggestion.median == Decimal(49500)  # mean of the middle two of 30000 48000 51000 52186
    assert (suggestion.lowest, suggestion.highest) == (Decimal(30000), Decimal(52186))
    assert suggestion.target_text == "≥49500宗"
    assert suggestion.explanation == (
        "按2021、2022、2023年度4个实际完成值（指标库历年数值4个；30000宗至52186宗）"
        "的中位数建议≥49500宗（历史标准）。"
    )
    own = suggest_target(_library(), "A", before_year=2024, department="dept-a")
    assert own is not None and own.median == Decimal(51000)


def test_a_lower_is_better_indicator_is_suggested_with_at_most() -> None:
    suggestion = suggest_target(_library(), "B", before_year=2024)
    assert suggestion is not None and suggestion.target_text == "≤4个工作日"
    assert suggest_target(_library(), "B", before_year=2023) is None


def test_median_of_an_odd_count_is_the_middle_value() -> None:
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    with pytest.raises(ValueError):
        median([])


def test_a_target_below_last_years_actual_is_too_low() -> None:
    goal = _goal(("审结登记案件数", "≥50000宗"))
    findings = check_targets_against_library(goal, _library(), 2024, "dept-a")
    assert [f.id for f in findings] == ["target-too-low"]
    assert findings[0].message == (
        "“产出指标/数量指标/审结登记案件数”年度指标值≥50000宗低于上年实际完成值52186宗"
        "（指标库历年数值），目标值偏低。"
    )
    assert check_targets_against_library(goal, _library(), 2024, "dept-b") == []


def test_a_slower_time_limit_than_last_year_is_too_low_for_a_lower_is_better_indicator() -> None:
    goal = _goal(("登记办理时限", "≤5个工作日"))
    findings = check_targets_against_library(goal, _library(), 2024, "dept-a")
    assert [f.message for f in findings] == [
        "“产出指标/数量指标/登记办理时限”年度指标值≤5个工作日高于上年实际完成值4个工作日"
        "（指标库历年数值），目标值偏低。"
    ]


def test_a_target_far_from_the_benchmark_is_too_low_and_one_within_tolerance_is_not() -> None:
    far = check_targets_against_library(_goal(("群众满意度", "≥80%")), _library(), 2024, "x")
    assert [f.message for f in far] == [
        "“产出指标/数量指标/群众满意度”年度指标值≥80%比指标库基准值（其他标准）90%低10%以上，目标值偏低。"
    ]
    near = check_targets_against_library(_goal(("群众满意度", "≥81%")), _library(), 2024, "x")
    assert near == []
    slow = check_targets_against_library(_goal(("登记办理时限", "≤6天")), _library(), 2023, "x")
    assert [f.id for f in slow] == ["target-too-low"]  # 6 > 5 × 110 %


def test_libraries_merge_by_code_and_keep_all_history() -> None:
    nature = shipped_indicator_library("natural-resources")
    both = merged(nature, shipped_indicator_library("mof-2013-dept"))
    assert len(both.indicators) == len(nature.indicators) + 27
    suggestion = suggest_target(both, "ZR-DJ-01", before_year=2024, department="liwan-ghzy")
    assert suggestion is not None and suggestion.target_text == "≥52186宗"


def test_a_library_with_an_unknown_unit_or_a_stray_history_code_is_refused() -> None:
    broken = LIBRARY.replace(
        "unit: 宗, direction: higher, basis: 历史标准, definition: 审结",
        ("unit: 箱子, direction: higher, basis: 历史标准, definition: 审结"),
    ).replace("{code: B, year: 2023", "{code: Z, year: 2023")
    with pytest.raises(InputRejected) as caught:
        parse_indicator_library(broken)
    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("indicators[0].unit", "不认识的计量单位“箱子”"),
        ("history[5].code", "历年数值中的指标编码“Z”不在指标库中"),
    ]


def test_a_basis_outside_101s_list_is_refused() -> None:
    with pytest.raises(InputRejected) as caught:
        parse_indicator_library(LIBRARY.replace("basis: 历史标准", "basis: 拍脑袋", 1))
    assert caught.value.problems[0].where == "indicators[0].basis"
    assert "不是允许的取值" in caught.value.problems[0].message


def test_a_proposed_indicator_is_suggested_only_once_approved_into_a_new_version() -> None:
    library = _library()
    entry = library.entry("D")
    assert entry is not None
    proposal = replace(entry, code="F", level3="地籍调查面积", sector="自然资源", aliases=())
    proposed = propose_indicator(library, proposal)
    assert proposed.matching("地籍调查面积") is None
    approved = approve_indicator(proposed, "F", "2")
    assert approved.matching("地籍调查面积") is not None
    assert approved.version == "2"
    assert "F" in [e.code for e in suggest_indicators(approved, "自然资源")]


def test_a_proposal_under_a_taken_code_or_name_is_refused() -> None:
    library = _library()
    entry = library.entry("A")
    assert entry is not None
    with pytest.raises(LibraryError, match="已在指标库中"):
        propose_indicator(library, entry)
    with pytest.raises(LibraryError, match="重名"):
        propose_indicator(library, replace(entry, code="Z", level3="审结案件", aliases=()))
    with pytest.raises(LibraryError, match="已入库"):
        approve_indicator(library, "A", "2")
