"""Rule files: the packaged ones load, a new one is only data, a bad one is refused in Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.goals import QualitativeState
from jixiao.core.rules import ExecutionMethod, ProjectRules
from jixiao.core.scoring import evaluate_goal
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import (
    load_rule_set,
    load_rule_set_file,
    packaged_rule_sets,
    parse_rule_set,
)
from tests.scoring.forms import form

HUBEI_STYLE = """
format: jixiao-project-rules/1
id: hubei-style-project
version: "2020"
name: 执行率20分、产出40分的规则集
sources:
  - 湖北省某县 2020 年项目支出绩效自评表
level1:
  - {name: 产出指标, weight: 40, level2: [数量指标, 质量指标, 时效指标, 成本指标]}
  - {name: 效益指标, weight: 30, level2: [社会效益指标, 经济效益指标]}
  - {name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}
execution:
  weight: 20
  method: proportional
quantitative:
  over_achievement_at: 130%
qualitative:
  达成年度指标: {band: [80%, 100%], default: 90%}
  部分达成年度指标并具有一定效果: {band: [50%, 80%], default: 65%}
  未达成年度指标且效果较差: {band: [0%, 50%], default: 25%}
grades:
  - {grade: 优, at_least: 90}
  - {grade: 良, at_least: 80}
  - {grade: 中, at_least: 60}
  - {grade: 差, at_least: 0}
"""


def test_it_ships_the_national_and_the_regional_rule_sets() -> None:
    assert packaged_rule_sets() == [
        "cost-level1-project", "mof-2020-project", "regional-tiered-project",
    ]  # fmt: skip


def test_it_reads_the_national_defaults(mof: ProjectRules) -> None:
    assert mof.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert mof.execution.weight == Decimal(10)
    assert mof.execution.method is ExecutionMethod.proportional
    assert mof.quantitative.over_achievement_at == Decimal("1.3")
    assert [(b.low, b.high, b.default_share) for b in mof.qualitative] == [
        (Decimal("0.8"), Decimal(1), Decimal("0.9")),
        (Decimal("0.6"), Decimal("0.8"), Decimal("0.7")),
        (Decimal(0), Decimal("0.6"), Decimal("0.3")),
    ]
    assert [(g.grade, g.at_least) for g in mof.grades] == [
        ("优", 90), ("良", 80), ("中", 60), ("差", 0),
    ]


def test_it_reads_numbers_as_decimal_never_float(packaged: ProjectRules) -> None:
    values = [packaged.quantitative.over_achievement_at, packaged.execution.weight]
    values += [band.default_share for band in packaged.qualitative]
    assert all(type(value) is Decimal for value in values)


def test_it_scores_with_a_rule_set_written_only_as_data() -> None:
    rules = parse_rule_set(HUBEI_STYLE)
    filled = form("""
        全年预算数: 100
        全年执行数: 92.87
        指标: |
          一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 偏差原因分析
          产出指标 | 数量指标 | 完成控规调整 | ≥4项 | 3项 | 20 | 一项待审批
          产出指标 | 时效指标 | 按时办结率 | ≥95% | 96% | 20 |
          效益指标 | 社会效益指标 | 引领 | 明显 | 部分达成年度指标并具有一定效果 | 30 | 试点未完成
          满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 92% | 10 |
    """)
    evaluation = evaluate_goal(filled.goal, filled.funds, rules)
    assert evaluation.execution.score == Decimal("18.57")
    assert [row.score for row in evaluation.indicators] == [
        Decimal(15), Decimal(20), Decimal("19.5"), Decimal(10),
    ]
    assert evaluation.findings == ()
    assert (evaluation.total, evaluation.grade) == (Decimal("83.07"), "良")


def test_it_loads_a_rule_file_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "hubei.yaml"
    path.write_text(HUBEI_STYLE, encoding="utf-8")
    assert load_rule_set_file(path).execution.weight == Decimal(20)


def _problems(text: str) -> list[str]:
    with pytest.raises(InputRejected) as refused:
        parse_rule_set(text)
    return [str(problem) for problem in refused.value.problems]


def test_it_refuses_weights_that_add_up_to_110() -> None:
    problems = _problems(HUBEI_STYLE.replace("weight: 30, level2", "weight: 40, level2"))
    assert problems == [
        "level1: 一级指标分值（产出指标40＋效益指标40＋满意度指标10）与预算执行率分值 "
        "execution.weight 20 合计为110，应为100"
    ]


def test_it_refuses_overlapping_bands() -> None:
    problems = _problems(HUBEI_STYLE.replace("band: [50%, 80%]", "band: [50%, 85%]"))
    assert problems == [
        "qualitative.达成年度指标.band: 区间[80%, 100%]与“部分达成年度指标并具有一定效果”"
        "的区间[50%, 85%)重叠"
    ]


def test_it_refuses_bands_with_a_gap() -> None:
    problems = _problems(HUBEI_STYLE.replace("band: [50%, 80%]", "band: [55%, 80%]"))
    assert problems == [
        "qualitative.部分达成年度指标并具有一定效果.band: 区间[55%, 80%)与"
        "“未达成年度指标且效果较差”的区间[0%, 50%)之间有空缺（50%到55%未被覆盖）"
    ]


def test_it_refuses_a_default_share_outside_its_band() -> None:
    problems = _problems(HUBEI_STYLE.replace("default: 65%", "default: 80%"))
    assert problems == [
        "qualitative.部分达成年度指标并具有一定效果.default: "
        "默认得分比例80%不在该状态的区间[50%, 80%)内"
    ]


def test_it_refuses_a_band_written_as_fractions() -> None:
    problems = _problems(HUBEI_STYLE.replace("band: [80%, 100%]", "band: [0.8, 1]"))
    assert problems == [
        "qualitative.达成年度指标.band[0]: “0.8”应写成百分数，如“80%”",
        "qualitative.达成年度指标.band[1]: “1”应写成百分数，如“80%”",
    ]


def test_it_refuses_a_missing_state_and_an_unknown_one() -> None:
    text = HUBEI_STYLE.replace("达成年度指标: {band", "基本达成: {band", 1)
    problems = _problems(text)
    assert problems[0].startswith("qualitative.基本达成（键）: “基本达成”不是允许的取值")


def test_it_refuses_grades_out_of_order() -> None:
    problems = _problems(HUBEI_STYLE.replace("良, at_least: 80", "良, at_least: 95"))
    assert problems == [
        "grades[1].at_least: 等级应按分数从高到低排列：“良”的下限95不低于上一等级“优”的90",
    ]


def test_it_refuses_a_lowest_grade_that_does_not_start_at_zero() -> None:
    problems = _problems(HUBEI_STYLE.replace("差, at_least: 0", "差, at_least: 10"))
    assert problems == ["grades[3].at_least: 最低等级“差”的下限应为0，使所有得分都有等级"]


def test_it_refuses_a_field_it_does_not_know() -> None:
    problems = _problems(HUBEI_STYLE.replace("  method: proportional", "  methd: proportional"))
    assert problems == ["execution.methd: 不认识的字段（请检查拼写，或删除该项）"]


def test_it_refuses_an_unknown_execution_method() -> None:
    problems = _problems(HUBEI_STYLE.replace("method: proportional", "method: stepped"))
    assert problems[0].startswith("execution.method: “stepped”不是允许的取值")


def test_it_refuses_a_percentage_where_points_belong() -> None:
    problems = _problems(HUBEI_STYLE.replace("weight: 20\n", "weight: 20%\n"))
    assert problems == ["execution.weight: “20%”是百分数，此处应为分值（不带 % 的数字）"]


def test_it_refuses_cost_as_a_group_unless_the_rule_set_says_so() -> None:
    text = HUBEI_STYLE.replace(
        "  - {name: 满意度指标, weight: 10",
        "  - {name: 成本指标, weight: 0, level2: [经济成本指标]}\n"
        "  - {name: 满意度指标, weight: 10",
    )
    assert _problems(text) == [
        "level1[2].name: cost_is_level1 为 false 时，“成本指标”应作为产出指标下的二级指标，"
        "不应单列为一级指标；如按财预〔2021〕101号单列，请将 cost_is_level1 设为 true"
    ]
    rules = parse_rule_set(text + "cost_is_level1: true\n")
    group = rules.group("成本指标")
    assert group is not None and group.level2 == ("经济成本指标",)


def test_it_refuses_a_yaml_syntax_error_with_its_line() -> None:
    problems = _problems("format: jixiao-project-rules/1\nlevel1: [\n")
    assert problems[0].startswith("第3行")
    assert "YAML 格式错误" in problems[0]


def test_it_names_the_packaged_rule_sets_when_asked_for_an_unknown_one() -> None:
    with pytest.raises(InputRejected) as refused:
        load_rule_set("../mof-2020-project")
    assert str(refused.value) == (
        "没有名为“../mof-2020-project”的规则集，可选："
        "cost-level1-project、mof-2020-project、regional-tiered-project"
    )


def test_it_keys_the_bands_by_the_three_literal_states(packaged: ProjectRules) -> None:
    assert {band.state for band in packaged.qualitative} == set(QualitativeState)
