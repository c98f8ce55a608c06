"""Framework files: the packaged one loads, a new one is only data, a bad one is refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.department_framework import (
    LowerIsBetterLinear,
    Proportional,
    TargetBand,
    Tier,
    Tiers,
)
from jixiao.interchange.department_rule_files import (
    load_department_framework,
    load_department_framework_file,
    packaged_department_frameworks,
    parse_department_framework,
)
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import packaged_rule_sets
from tests.department.forms import MOF_DEPT, MOF_PROJECT, form

SMALL = """
format: jixiao-department-rules/1
id: small-dept
version: 1
name: 只看预算执行的小框架
sources: [测试]
project_rules: mof-2020-project
common:
  - level1: 过程
    level2: 预算执行
    level3: 预算完成率
    formula: budget_completion
    weight: 20
    scoring:
      method: tiers
      tiers:
        - {at_most: 80%, share: 0%}
        - {at_most: 90%, share: 50%}
        - {at_most: 95%, share: 80%}
      above: 100%
  - level1: 投入
    level2: 预算配置
    level3: 三公经费变动率（按预算数）
    formula: three_public_budget_change
    weight: 10
    scoring: {method: lower_is_better_linear, full_at_most: -5%, zero_at: 5%}
duties: {name: 履职效能, weight: 70}
"""

DUTIES_OF_70 = """
履职指标: |
  一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
  产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 70
"""


def test_it_ships_the_53_framework_beside_the_project_rule_sets() -> None:
    assert packaged_department_frameworks() == ["mof-2013-dept"]
    assert "mof-2013-dept" not in packaged_rule_sets()


def test_it_reads_the_53_framework() -> None:
    assert MOF_DEPT.project_rules == "mof-2020-project" == MOF_PROJECT.id
    assert MOF_DEPT.duty_weight == Decimal(54)
    assert MOF_DEPT.total_weight == Decimal(100)
    weights = {c.level3: c.weight for c in MOF_DEPT.common}
    assert weights == {
        "在职人员控制率": 3, "“三公经费”变动率": 3, "重点支出安排率": 4, "预算完成率": 10,
        "预算调整率": 5, "支付进度率": 4, "结转结余率": 4, "结转结余变动率": 2,
        "公用经费控制率": 3, "“三公经费”控制率": 4, "政府采购执行率": 4,
    }
    assert sum(c.weight for c in MOF_DEPT.common if c.level1 == "投入") == 10
    assert sum(c.weight for c in MOF_DEPT.common if c.level1 == "过程") == 36
    adjustment = MOF_DEPT.indicator("预算调整率")
    assert adjustment is not None and adjustment.scoring == Tiers(
        (Tier(Decimal(0), Decimal(1)), Tier(Decimal("0.1"), Decimal("0.75")),
         Tier(Decimal("0.2"), Decimal("0.5")), Tier(Decimal("0.3"), Decimal("0.25"))),
        Decimal(0),
    )
    completion = MOF_DEPT.indicator("预算完成率")
    assert completion is not None and completion.scoring == Proportional(Decimal(1))
    control = MOF_DEPT.indicator("公用经费控制率")
    assert control is not None
    assert control.scoring == TargetBand(None, Decimal(1), Decimal(0), Decimal("1.1"))


def test_it_reads_numbers_as_decimal_never_float() -> None:
    staffing = MOF_DEPT.indicator("在职人员控制率")
    assert staffing is not None and isinstance(staffing.scoring, LowerIsBetterLinear)
    assert type(staffing.scoring.zero_at) is Decimal
    assert type(staffing.weight) is Decimal


def test_a_framework_written_only_as_data_loads_and_scores() -> None:
    framework = parse_department_framework(SMALL)
    assert framework.duty_name == "履职效能"
    filled = form(f"""
决算:
  全年预算数: 1,000
  全年执行数: 920
输入:
  三公经费预算数: 19.5
  上年三公经费预算数: 20
{DUTIES_OF_70}
""")
    evaluation = filled.evaluate(framework=framework)
    rows = {row.indicator.level3: row for row in evaluation.common}
    assert rows["预算完成率"].score == Decimal(16)  # 92 %: the "≤95 %" tier, 80 % of 20
    assert rows["三公经费变动率（按预算数）"].value_percent == Decimal("-2.50")
    assert rows["三公经费变动率（按预算数）"].score == Decimal("7.5")
    assert (evaluation.total, evaluation.grade) == (Decimal("93.5"), "优")


def test_it_loads_a_framework_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert load_department_framework_file(path).id == "small-dept"


def _problems(text: str) -> list[str]:
    with pytest.raises(InputRejected) as refused:
        parse_department_framework(text)
    return [str(problem) for problem in refused.value.problems]


def test_it_refuses_weights_that_do_not_add_up_to_100() -> None:
    assert _problems(SMALL.replace("weight: 70", "weight: 60")) == [
        "common: 共性指标分值（预算完成率20＋三公经费变动率（按预算数）10）与履职效能分值 "
        "duties.weight 60 合计为90，应为100"
    ]


def test_it_refuses_an_unknown_formula_and_names_the_choices() -> None:
    problems = _problems(SMALL.replace("formula: budget_completion", "formula: 预算完成率"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "common[0].formula: 不认识的公式“预算完成率”，可选：budget_completion（预算完成率）、"
    )


def test_it_refuses_tiers_out_of_order() -> None:
    problems = _problems(SMALL.replace("at_most: 95%", "at_most: 85%"))
    assert problems == [
        "common[0].scoring.tiers[2].at_most: 各档上限应从低到高排列：85%不高于上一档的90%"
    ]


def test_it_refuses_a_share_written_as_a_fraction() -> None:
    problems = _problems(SMALL.replace("share: 50%", "share: 0.5"))
    assert problems == ["common[0].scoring.tiers[1].share: “0.5”应写成百分数，如“80%”"]


def test_it_refuses_a_field_the_method_does_not_use_and_asks_for_one_it_needs() -> None:
    problems = _problems(SMALL.replace("full_at_most: -5%, zero_at: 5%", "target: 100%"))
    assert problems == [
        "common[1].scoring.target: 计分方法为 lower_is_better_linear 时不使用 target",
        "common[1].scoring.full_at_most: 计分方法为 lower_is_better_linear 时须填写 full_at_most",
        "common[1].scoring.zero_at: 计分方法为 lower_is_better_linear 时须填写 zero_at",
    ]


def test_it_refuses_a_zero_point_below_the_full_point() -> None:
    problems = _problems(SMALL.replace("zero_at: 5%", "zero_at: -10%"))
    assert problems == ["common[1].scoring.zero_at: 得0分的值-10%应高于得满分的上限-5%"]


def test_it_refuses_an_unknown_method_duplicate_names_and_a_missing_field() -> None:
    text = SMALL.replace("method: tiers", "method: steps").replace(
        "level3: 三公经费变动率（按预算数）", "level3: 预算完成率"
    ).replace("project_rules: mof-2020-project\n", "")
    problems = _problems(text)
    assert "project_rules: 缺少必填项" in problems
    assert any(p.startswith("common[0].scoring.method: “steps”不是允许的取值") for p in problems)


def test_it_refuses_duplicate_indicator_names() -> None:
    text = SMALL.replace("level3: 三公经费变动率（按预算数）", "level3: 预算完成率")
    assert _problems(text) == [
        "common[0].level3: 三级指标“预算完成率”重复出现2次",
        "common[1].level3: 三级指标“预算完成率”重复出现2次",
    ]


def test_it_refuses_a_band_without_bounds_and_a_percentage_where_points_belong() -> None:
    text = SMALL.replace(
        "{method: lower_is_better_linear, full_at_most: -5%, zero_at: 5%}",
        "{method: target_band}",
    ).replace("weight: 20", "weight: 20%")
    assert _problems(text) == [
        "common[0].weight: “20%”是百分数，此处应为分值（不带 % 的数字）",
    ]
    assert _problems(SMALL.replace(
        "{method: lower_is_better_linear, full_at_most: -5%, zero_at: 5%}",
        "{method: target_band, zero_above: 120%}",
    )) == [
        "common[1].scoring: 计分方法为 target_band 时，low 和 high 至少填写一个",
    ]


def test_it_refuses_a_yaml_syntax_error_with_its_line() -> None:
    problems = _problems(SMALL.replace("duties: {name: 履职效能, weight: 70}", "duties: [x"))
    assert problems[0].startswith("第")
    assert "YAML 格式错误" in problems[0]


def test_it_names_the_packaged_frameworks_when_asked_for_an_unknown_one() -> None:
    with pytest.raises(InputRejected) as refused:
        load_department_framework("guangzhou-dept")
    assert str(refused.value) == "没有名为“guangzhou-dept”的部门整体评价框架，可选：mof-2013-dept"
