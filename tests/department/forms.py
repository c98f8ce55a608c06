"""Department-wide evaluation forms (部门整体支出绩效评价基础数据表) written as the form reads.

A form is YAML. Amounts are in 万元, as finance offices write them; head counts in persons;
payment progress as percentages. The sections:

    决算:                       # what the final accounts publish (the year's own data)
      全年预算数: 103,118.19
      全年执行数: 77,261.67
      本年结转结余: 2,578.28
    输入:                       # figures the year does not hold, typed in by the user
      编制数: 45
      在职人员数: 43
      既定支付进度: 80%
    不适用:                     # indicators declared not applicable, with the reason
      政府采购执行率: 报告未公布相关数据
    履职指标: |                 # the department-wide goal's indicators, as a pipe table
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
      产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 54

``year_with_lines`` builds a year at the grain of budget lines instead (see tests.core.builders).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from jixiao.core.department_framework import (
    INPUTS,
    DepartmentEvaluation,
    DepartmentFramework,
    InputKind,
    evaluate_department,
)
from jixiao.core.goals import PerformanceGoal
from jixiao.core.money import HUNDRED, D, wan_to_yuan
from jixiao.core.rules import ProjectRules
from jixiao.core.year import DepartmentYear, PublishedTotals
from jixiao.interchange.dataset_file import _DecimalLoader
from jixiao.interchange.department_rule_files import (
    framework_project_rules,
    load_department_framework,
)
from tests.scoring.forms import ROW_HEADER, rows

MOF_DEPT = load_department_framework("mof-2013-dept")
MOF_PROJECT = framework_project_rules(MOF_DEPT)

_PUBLISHED = {
    "全年预算数": "final_budget",
    "全年执行数": "executed",
    "年初预算数": "initial_budget",
    "本年结转结余": "carryover",
}


def figure(name: str, value: Any) -> Decimal:
    """An input as the form writes it, as the core takes it: 万元 → 元, "80%" → 0.8."""
    text = value if isinstance(value, Decimal | int) else str(value).strip()
    if isinstance(text, str) and text.endswith("%"):
        return D(text[:-1]) / HUNDRED
    number = D(text)
    return wan_to_yuan(number) if INPUTS.get(name) is InputKind.amount else number


def inputs(values: Mapping[str, Any]) -> dict[str, Decimal]:
    return {name: figure(name, value) for name, value in values.items()}


@dataclass(frozen=True)
class Form:
    year: DepartmentYear
    inputs: dict[str, Decimal]
    goal: PerformanceGoal
    not_applicable: dict[str, str] = field(default_factory=dict)

    def evaluate(
        self, framework: DepartmentFramework = MOF_DEPT, rules: ProjectRules = MOF_PROJECT
    ) -> DepartmentEvaluation:
        return evaluate_department(
            self.year, self.goal, self.inputs, framework, rules, self.not_applicable
        )


def form(text: str, year: DepartmentYear | None = None) -> Form:
    """A filled basic-data form; ``year`` replaces the 决算 section (e.g. a year with lines)."""
    document = yaml.load(text, Loader=_DecimalLoader) or {}
    published = {
        _PUBLISHED[name]: figure(name, value)
        for name, value in (document.get("决算") or {}).items()
    }
    if year is None:
        year = DepartmentYear(
            department_code="demo", department_name="示范局", fiscal_year=2024,
            totals=PublishedTotals(**published),
        )
    goal = PerformanceGoal(
        project_code=None,
        name="部门整体支出绩效目标",
        indicators=rows(document.get("履职指标", ROW_HEADER)),
    )
    return Form(
        year=year,
        inputs=inputs(document.get("输入") or {}),
        goal=goal,
        not_applicable=dict(document.get("不适用") or {}),
    )


FULL_DUTIES = """
  一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值
  产出指标 | 数量指标 | 完成控规调整 | ≥3项 | 3项 | 20
  产出指标 | 时效指标 | 按时办结率 | ≥95% | 96% | 14
  效益指标 | 社会效益指标 | 群众办事时长 | ≤5天 | 4天 | 10
  满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 95% | 10
"""
"""Four 履职 indicators of 54 points, all met."""


def indented(table: str, spaces: int = 2) -> str:
    return "\n".join(" " * spaces + line.strip() for line in table.strip().splitlines())


COMPLETE_FORM = f"""
决算:
  全年预算数: 1,000
  全年执行数: 950
  年初预算数: 1,000
  本年结转结余: 30
输入:
  预算调整数（剔除政策性调整）: 0
  既定支付进度: 90%
  实际支付进度: 90%
  上年结转结余: 40
  公用经费预算数: 100
  公用经费实际支出数: 98
  三公经费预算数: 20
  上年三公经费预算数: 21
  三公经费实际支出数: 18
  上年三公经费实际支出数: 19
  政府采购预算数: 200
  实际政府采购金额: 190
  编制数: 45
  在职人员数: 43
  本年度重点项目支出: 600
  项目总支出: 800
履职指标: |
{indented(FULL_DUTIES, 2)}
"""
"""A form with every figure: 预算完成率 95 %, 政府采购执行率 95 % and 重点支出安排率 75 %
(under its 80 %) lose points, all else full."""
