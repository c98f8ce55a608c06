"""The dataset file: one department-year as YAML, validated by these models.

The models are the format's definition: docs/dataset-format.md describes them and
docs/dataset.schema.json is generated from them. Amounts are written in the file's
``unit`` (元 or 万元) and must not be finer than one 分.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from jixiao.core.bounds import LONG_NAME_LENGTH, NAME_LENGTH, SHORT_TEXT_LENGTH
from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.money import AmountError, D
from jixiao.core.monitoring import Likelihood, ReasonCategory
from jixiao.core.units import normalise_unit
from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature, ProjectCategory

FORMAT = "jixiao-dataset/1"


def _amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("金额不能以浮点数读入，请检查文件读取方式")
    try:
        return D(value)
    except AmountError as error:
        raise ValueError(f'{error}，金额应写成数字，如 103118.19 或 "103,118.19"') from None


_AMOUNT_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"},
        ],
        "description": "金额，以文件的 unit（元或万元）计",
    }
)

Amount = Annotated[Decimal, BeforeValidator(_amount), _AMOUNT_SCHEMA]
"""An amount that may be negative (adjustments, refunds)."""


def _non_negative(value: Any) -> Decimal:
    amount = _amount(value)
    if amount < 0:
        raise ValueError(f"金额不能为负数（读到 {amount}）")
    return amount


NonNegativeAmount = Annotated[Decimal, BeforeValidator(_non_negative), _AMOUNT_SCHEMA]


Figure = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "数值，按原文写出的位数保存",
        }
    ),
]
"""A figure read exactly; its bounds (分值, 得分, 数值) are checked with the file's other
cross-checks (``dataset_file.cross_check``), so that a stored year read back past them
is still a Dataset the core can report on."""

Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_LENGTH)]
LongName = Annotated[str, Field(min_length=1, max_length=LONG_NAME_LENGTH)]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]


class Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True, use_enum_values=False)


class NamedCode(Strict):
    code: Code
    name: Name


class Department(Strict):
    """部门: the department and its units (单位) and offices (科室)."""

    code: Code = Field(description="部门代码，唯一")
    name: Name = Field(description="部门全称，报告标题使用")
    units: list[NamedCode] = Field(default_factory=list, description="所属单位")
    offices: list[NamedCode] = Field(default_factory=list, description="内设科室")


class Functions(Strict):
    """部门职能: an introductory paragraph and the numbered items."""

    preamble: str = ""
    items: list[Text] = Field(default_factory=list, description="按顺序的职能条目，不含序号")


class SelfEvaluation(Strict):
    conclusion: str = Field("", description="自评结论综述")
    key_task_analysis: str = Field("", description="各重点工作任务绩效目标完成情况分析")


class Metric(Strict):
    """A figure an achievement states, with its unit."""

    name: Name
    value: Figure
    unit: Annotated[str, Field(min_length=1, max_length=20)]
    ratio_of: tuple[Text, Text] | None = Field(
        None, description="若此指标是两项指标之比（%），写出[分子名称, 分母名称]，用于核对文中比率"
    )

    @model_validator(mode="after")
    def _known_unit(self) -> Metric:
        if normalise_unit(self.unit) is None:
            raise ValueError(f"不认识的计量单位“{self.unit}”")
        if self.ratio_of is not None and normalise_unit(self.unit).dimension != "ratio":  # type: ignore[union-attr]
            raise ValueError("写了 ratio_of 的指标，单位应为 %")
        return self


class Achievement(Strict):
    """主要工作成效."""

    title: Text
    text: Text
    metrics: list[Metric] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_metric_names(self) -> Achievement:
        _refuse_duplicates([m.name for m in self.metrics], "指标名称")
        return self


class ProblemText(Strict):
    """存在的主要问题."""

    title: Text
    text: str = ""


class Totals(Strict):
    """Published totals (决算口径). Give what the source gives, invent nothing."""

    final_budget: NonNegativeAmount | None = Field(None, description="全年预算数")
    initial_budget: NonNegativeAmount | None = Field(None, description="年初预算数")
    executed: NonNegativeAmount | None = Field(None, description="执行数")
    executed_by_source: dict[FundingSource, NonNegativeAmount] = Field(
        default_factory=dict, description="按资金来源分的执行数"
    )
    executed_by_nature: dict[Nature, NonNegativeAmount] = Field(
        default_factory=dict, description="按支出性质分的执行数"
    )
    budget_by_source: dict[FundingSource, NonNegativeAmount] = Field(
        default_factory=dict, description="按资金来源分的全年预算数"
    )
    carryover: NonNegativeAmount | None = Field(None, description="年末结转和结余")


class Project(Strict):
    code: Code
    name: LongName
    office: Code | None = Field(None, description="负责科室的代码")
    unit: Code | None = Field(None, description="实施单位的代码")
    recurrent: bool = Field(False, description="是否为经常性项目")
    category: ProjectCategory | None = Field(
        None,
        description="项目类别：recurrent（经常性）、one_off（一次性）或 construction（工程类）；"
        "用于按同类项目的支出曲线预测",
    )
    initial_budget: NonNegativeAmount | None = Field(
        None, description="年初预算数（项目没有预算行时填写）"
    )
    final_budget: NonNegativeAmount | None = Field(
        None, description="全年预算数（项目没有预算行时填写）"
    )
    executed: NonNegativeAmount | None = Field(
        None, description="全年执行数（项目没有预算行时填写）"
    )

    @model_validator(mode="after")
    def _category_agrees_with_recurrent(self) -> Project:
        if self.recurrent and self.category not in (None, ProjectCategory.recurrent):
            raise ValueError(
                f"经常性项目（recurrent: true）的类别应为 recurrent，而不是 {self.category}"
            )
        if self.category is ProjectCategory.recurrent and not self.recurrent:
            raise ValueError("类别为 recurrent（经常性）的项目，请同时写 recurrent: true")
        return self


class AdjustmentEntry(Strict):
    date: date
    amount: Amount = Field(description="调整金额，调减为负数")
    document_number: str = Field("", max_length=SHORT_TEXT_LENGTH, description="文号")
    reason: str = ""


class Line(Strict):
    """A budget line: funding source × nature (× project)."""

    code: Code
    name: LongName
    funding_source: FundingSource
    nature: Nature
    basic_kind: BasicKind | None = Field(None, description="基本支出的人员经费或公用经费")
    project: Code | None = Field(None, description="项目代码（项目支出必填）")
    functional_class: str = Field("", max_length=SHORT_TEXT_LENGTH, description="支出功能分类科目")
    economic_class: str = Field("", max_length=SHORT_TEXT_LENGTH, description="支出经济分类科目")
    initial_budget: NonNegativeAmount
    adjustments: list[AdjustmentEntry] = Field(default_factory=list)
    final_budget: NonNegativeAmount
    executed: NonNegativeAmount | None = Field(
        None, description="执行数合计（决算口径；有支出明细时不填）"
    )
    carryover: NonNegativeAmount | None = None
    over_budget_explanation: str = Field("", description="执行数超过预算时的说明")

    @model_validator(mode="after")
    def _nature_fields(self) -> Line:
        if self.nature is Nature.project and not self.project:
            raise ValueError("项目支出的预算行必须填写 project（项目代码）")
        if self.nature is Nature.basic and self.project:
            raise ValueError("基本支出的预算行不应填写 project")
        if self.basic_kind is not None and self.nature is not Nature.basic:
            raise ValueError("只有基本支出才填写 basic_kind")
        return self


class Payment(Strict):
    """A dated payment (支出明细) against a budget line; refunds are negative."""

    line: Code
    date: date
    amount: Amount
    refund: bool = Field(False, description="退款（冲减）时为 true，金额为负数")
    voucher: str = Field("", max_length=SHORT_TEXT_LENGTH, description="凭证号")
    description: str = ""

    @model_validator(mode="after")
    def _refund_sign(self) -> Payment:
        if self.amount < 0 and not self.refund:
            raise ValueError("负数金额只能用于退款，请同时写 refund: true")
        if self.refund and self.amount > 0:
            raise ValueError("退款金额应为负数")
        return self


class ProgressEntry(Strict):
    """An indicator's progress at a date, as the 绩效目标执行监控表 reports it."""

    date: dt.date = Field(description="完成值所截止的日期")
    value: str = Field(
        max_length=LONG_NAME_LENGTH, description="截至该日的实际完成值，如 62%、31000宗"
    )
    likelihood: Likelihood | None = Field(None, description="完成目标可能性")
    reason_category: ReasonCategory | None = Field(None, description="偏差原因类别")
    reason: str = Field("", description="偏差原因说明")


class ForecastEntry(Strict):
    """A project's 全年预计执行数 as its unit stated it in a monitoring form, at a date."""

    date: dt.date = Field(description="监控表的截至日期")
    amount: NonNegativeAmount = Field(description="单位填报的全年预计执行数")


class IndicatorEntry(Strict):
    """A third-level indicator (三级指标) of a performance goal."""

    level1: Annotated[str, Field(min_length=1, max_length=50)] = Field(
        description="一级指标，如 产出指标"
    )
    level2: Annotated[str, Field(min_length=1, max_length=50)] = Field(
        description="二级指标，如 数量指标"
    )
    level3: LongName = Field(description="三级指标名称")
    kind: IndicatorKind = Field(description="quantitative（定量）或 qualitative（定性）")
    target: str = Field(
        "",
        max_length=LONG_NAME_LENGTH,
        description="年度指标值，按表中写法，如 ≥95%、≤30天、效果明显",
    )
    weight: Figure = Field(description="分值")
    actual: str | None = Field(
        None, max_length=LONG_NAME_LENGTH, description="实际完成值；未填报时不写"
    )
    state: QualitativeState | None = Field(None, description="定性指标的完成情况")
    assessed_score: Figure | None = Field(None, description="定性指标由评价人在档次内给出的得分")
    claimed_score: Figure | None = Field(None, description="单位自评表中填写的得分（审核用）")
    deviation_reason: str = Field("", description="偏差原因分析")
    improvement: str = Field("", description="改进措施")
    last_year_actual: str | None = Field(
        None, max_length=LONG_NAME_LENGTH, description="上年同一指标的实际完成值"
    )
    illustrative: bool = Field(False, description="指标值为示意（非公布数）时为 true")
    cost_standard: str = Field(
        "",
        max_length=64,
        description="产出指标对应的定额标准或支出标准的编码；项目执行数 ÷ 实际完成值与之比较",
    )
    cost_share: Figure | None = Field(
        None,
        description=(
            "成本占比（%）：该产出分摊的项目执行数比例，如 60 表示60%；项目只有一项产出对应"
            "支出标准时不写即为100%，有多项时须逐项填写且合计不超过100%"
        ),
    )
    progress: list[ProgressEntry] = Field(
        default_factory=list, description="年度中的完成进度（运行监控）"
    )


class ClaimedEntry(Strict):
    """Summary cells as a unit filled them in (for the audit); percentages in %."""

    execution_rate: Figure | None = Field(None, description="填报的执行率（%）")
    execution_score: Figure | None = Field(None, description="填报的预算执行率得分")
    total: Figure | None = Field(None, description="填报的总得分")
    grade: str | None = Field(None, max_length=10, description="填报的评价等级")
    level1_scores: dict[str, Figure] = Field(
        default_factory=dict, description="填报的一级指标小计得分"
    )
    weight_total: Figure | None = Field(None, description="表中总分（分值合计）一栏的数")


class GoalEntry(Strict):
    """A performance goal: a project's, or (without project) the department's as a whole."""

    project: Code | None = Field(None, description="项目代码；不填表示部门整体绩效目标")
    name: str = Field("", max_length=LONG_NAME_LENGTH, description="目标名称；默认为项目名称")
    expected_objective: str = Field("", description="年度总体目标：预期目标")
    actual_objective: str = Field("", description="年度总体目标：实际完成情况")
    level1_weights: dict[str, Figure] = Field(
        default_factory=dict, description="本目标的一级指标分值（覆盖规则集的默认分值）"
    )
    execution_reason: str = Field("", description="执行率偏低的原因说明")
    claimed: ClaimedEntry = Field(default_factory=ClaimedEntry)
    indicators: list[IndicatorEntry] = Field(default_factory=list)
    forecasts: list[ForecastEntry] = Field(
        default_factory=list,
        description="运行监控中单位填报的全年预计执行数（监控表项目资金一栏），按截至日期",
    )


class EvaluationSettings(Strict):
    """Which rule sets evaluate this year, and inputs the data itself lacks."""

    project_rules: str = Field("mof-2020-project", description="项目支出自评规则集")
    department_rules: str = Field("mof-2013-dept", description="部门整体支出评价规则集")
    monitoring_rules: str = Field("monitoring-ratio", description="运行监控预警规则集")
    cost_standards: str = Field(
        "", max_length=100, description="成本效益分析所用的支出标准表（编号）；不填为不比较"
    )
    inputs: dict[str, Figure] = Field(
        default_factory=dict, description="部门整体评价所需而数据中没有的数，如 编制数"
    )
    not_applicable: dict[str, str] = Field(
        default_factory=dict, description="声明不适用的部门整体评价指标及理由（分值按比例折算）"
    )


class ReportSettings(Strict):
    """Choices the department makes about how its documents print."""

    rounding_note: bool = Field(
        False,
        description="为 true 时，合计与分项因四舍五入相差时在表下注明“尾差系四舍五入所致”",
    )


UNPUBLISHED = "未公布"


class BasicsRow(Strict):
    """部门整体 基础信息表的一行：上年数与本年数。增减额、增减率由系统计算，不填写。"""

    label: Name = Field(description="项目名称，如 收入合计、财政拨款收入、在职人员数")
    unit: Annotated[str, Field(min_length=1, max_length=20)] = Field(
        description="单位，如 万元、人"
    )
    last_year: Literal["未公布"] | Figure | None = Field(
        None, description="上年数；未公布的写“未公布”，不填表示未填报"
    )
    this_year: Literal["未公布"] | Figure | None = Field(
        None, description="本年数；未公布的写“未公布”，不填表示未填报"
    )
    part_of: Name | None = Field(None, description="“其中”项所属的合计行名称（须在本行之前）")


class Budget(Strict):
    totals: Totals = Field(default_factory=Totals)
    projects: list[Project] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)


class Dataset(Strict):
    """One department-year."""

    format: Literal["jixiao-dataset/1"] = "jixiao-dataset/1"
    unit: AmountUnit = Field(description="本文件所有金额的单位：元 或 万元")
    department: Department
    year: int = Field(ge=1990, le=2100, description="预算年度")
    source: str = Field("", description="数据来源说明")
    attachment_label: str = Field("", max_length=40, description="报告左上角的附件编号，如“附件2”")
    functions: Functions = Field(default_factory=Functions)
    annual_objective: str = Field("", description="部门整体支出绩效目标（年度总体目标）")
    key_tasks: list[Text] = Field(default_factory=list, description="部门年度重点工作任务")
    self_evaluation: SelfEvaluation = Field(default_factory=SelfEvaluation)
    achievements: list[Achievement] = Field(default_factory=list)
    problems: list[ProblemText] = Field(default_factory=list)
    improvement_measures: list[Text] = Field(default_factory=list)
    budget: Budget = Field(default_factory=Budget)
    evaluation: EvaluationSettings = Field(default_factory=EvaluationSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    goals: list[GoalEntry] = Field(default_factory=list, description="绩效目标与指标")
    basics: list[BasicsRow] = Field(
        default_factory=list, description="部门整体基础信息表：收入、支出、人员等的上年数与本年数"
    )


def _refuse_duplicates(codes: list[str], what: str) -> None:
    repeated = sorted(code for code, count in Counter(codes).items() if count > 1)
    if repeated:
        raise ValueError(f"{what}重复：{'、'.join(repeated)}")
