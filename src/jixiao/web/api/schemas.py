"""What the API answers and accepts. Money is never a JSON number.

An amount is ``{"yuan": "1031181900.00", "wan": "103118.19"}``: 元 with two decimals
(exact; storage keeps 元 to the cent) and 万元 rounded half-up to two decimals as the
pages and reports print it. A rate is ``{"ratio": "0.749262…", "percent": "74.93"}``:
the exact quotient and the percentage as printed. Scores and weights are decimal texts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from jixiao.core.amounts import tidy
from jixiao.core.bounds import LONG_NAME_LENGTH, TEXT_LENGTH
from jixiao.core.money import CENT, HUNDRED, ZERO, round_half_up, yuan_to_wan

NO_NUL = r"^[^\x00]*$"
"""Texts never carry NUL (PostgreSQL cannot store it): refused at the edge (422). Control
characters, lone surrogates and lengths are checked as on every path (``core.bounds``)."""

DECIMAL_TEXT = r"^[0-9]{1,5}(\.[0-9]{1,4})?$"
"""A score as text: up to five digits and four decimals, e.g. 27.5."""


class Amount(Schema):
    yuan: str = Field(description="元，两位小数（精确）", examples=["1031181900.00"])
    wan: str = Field(description="万元，四舍五入到两位小数", examples=["103118.19"])


class Rate(Schema):
    ratio: str = Field(description="精确比值（未舍入）", examples=["0.7492"])
    percent: str = Field(description="百分数，四舍五入到两位小数", examples=["74.93"])


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text (no exponent), as ``documents.json_output`` writes it."""
    return format(value, "f")


def _plain_zero(value: Decimal) -> Decimal:
    return abs(value) if value == ZERO else value  # never "-0.00"


def amount(value: Decimal) -> Amount:
    return Amount(
        yuan=decimal_text(_plain_zero(value.quantize(CENT))),
        wan=decimal_text(_plain_zero(round_half_up(yuan_to_wan(value), 2))),
    )


def optional_amount(value: Decimal | None) -> Amount | None:
    return None if value is None else amount(value)


def rate(value: Decimal | None) -> Rate | None:
    if value is None:
        return None
    return Rate(
        ratio=decimal_text(value),
        percent=decimal_text(_plain_zero(round_half_up(value * HUNDRED, 2))),
    )


def score_text(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(tidy(value))


class Error(Schema):
    detail: str = Field(description="说明（中文）")
    errors: list[dict[str, Any]] | None = Field(None, description="逐项的参数错误（422 时）")


class Links(Schema):
    figures: str
    lines: str
    ledger: str
    goals: str
    evaluation: str
    monitoring: str


class YearItem(Schema):
    department: str = Field(description="部门代码")
    department_name: str
    year: int
    links: Links


class FindingOut(Schema):
    id: str
    severity: str = Field(description="error / warning / info")
    severity_label: str
    message: str
    location: str
    figures: dict[str, str] = Field(description="涉及的数（元，文本）")


class SourceRow(Schema):
    source: str
    label: str
    final_budget: Amount | None
    executed: Amount
    execution_rate: Rate | None


class NatureRow(Schema):
    nature: str
    label: str
    executed: Amount


class YearFigures(Schema):
    department: str
    department_name: str
    year: int
    final_budget: Amount = Field(description="全年预算数")
    initial_budget: Amount | None = Field(description="年初预算数")
    executed: Amount = Field(description="执行数")
    execution_rate: Rate | None = Field(description="执行率")
    carryover: Amount | None = Field(description="年末结转和结余")
    from_lines: bool = Field(description="有预算行时为 true（未公布的数由预算行计算）")
    by_source: list[SourceRow] = Field(description="按资金来源")
    by_nature: list[NatureRow] = Field(description="按支出性质")
    findings: list[FindingOut] = Field(description="一致性检查发现的问题")


class AdjustmentOut(Schema):
    date: dt.date
    amount: Amount
    document_number: str
    reason: str


class LineOut(Schema):
    code: str
    name: str
    funding_source: str
    funding_source_label: str
    nature: str
    nature_label: str
    basic_kind: str | None
    project: str | None = Field(description="项目代码")
    project_name: str
    functional_class: str
    economic_class: str
    initial_budget: Amount
    adjusted: Amount = Field(description="调整合计")
    final_budget: Amount
    executed: Amount = Field(description="执行数（有支出明细时为明细合计）")
    execution_rate: Rate | None
    carryover: Amount | None


class LineDetail(LineOut):
    adjustments: list[AdjustmentOut]
    ledger_count: int = Field(description="支出明细笔数")


class LinePage(Schema):
    count: int
    page: int
    page_size: int
    narrowed: bool = Field(description="业务科室只看到本科室项目的预算行")
    items: list[LineOut]


class PaymentOut(Schema):
    id: int
    line: str
    date: dt.date
    amount: Amount
    refund: bool
    voucher: str
    description: str


class LedgerPage(Schema):
    count: int
    page: int
    page_size: int
    total: Amount = Field(description="筛选结果的金额合计")
    items: list[PaymentOut]


class IndicatorOut(Schema):
    id: int
    goal: int
    project: str | None
    position: int
    level1: str
    level2: str
    level3: str
    kind: str = Field(description="quantitative（定量）/ qualitative（定性）")
    target: str
    weight: str
    actual: str | None
    state: str | None = Field(description="定性指标的完成情况")
    assessed_score: str | None
    claimed_score: str | None
    deviation_reason: str
    improvement: str
    last_year_actual: str | None
    illustrative: bool
    cost_standard: str | None = Field(description="产出指标对应的支出标准代码")
    cost_share: str | None = Field(description="成本占比（%，0 到 100）；null 按单一产出 100% 计")
    version: int = Field(description="乐观锁版本号：修改时原样带回")
    editable: bool = Field(description="调用者现在能否修改本指标")
    locked: str | None = Field(description="绩效自评已提交或已审核时的锁定说明")


class GoalOut(Schema):
    id: int
    project: str | None = Field(description="项目代码；部门整体绩效目标为 null")
    project_name: str
    name: str
    expected_objective: str
    actual_objective: str
    execution_reason: str
    indicators: list[IndicatorOut]
    findings: list[FindingOut] = Field(
        description="绩效目标审核发现；severity 为 error 的须改正后才能提交和审核通过"
    )


class GoalList(Schema):
    narrowed: bool
    items: list[GoalOut]


class IndicatorUpdate(Schema):
    """Only the fields sent are changed; ``null`` clears a field."""

    actual: str | None = Field(
        None, max_length=LONG_NAME_LENGTH, pattern=NO_NUL, description="实际完成值"
    )
    state: str | None = Field(
        None,
        description="定性指标的完成情况：达成年度指标 / 部分达成年度指标并具有一定效果 / "
        "未达成年度指标且效果较差",
    )
    assessed_score: str | None = Field(
        None, pattern=DECIMAL_TEXT, description="定性指标的评价得分（不超过分值），如 27.5"
    )
    deviation_reason: str | None = Field(
        None, max_length=TEXT_LENGTH, pattern=NO_NUL, description="偏差原因分析"
    )
    improvement: str | None = Field(
        None, max_length=TEXT_LENGTH, pattern=NO_NUL, description="改进措施"
    )
    cost_standard: str | None = Field(
        None,
        max_length=64,
        pattern=NO_NUL,
        description="对应支出标准（本年度支出标准表中的代码，仅产出指标）；null 或空串取消对应",
    )
    cost_share: str | None = Field(
        None, pattern=DECIMAL_TEXT, description="成本占比（%，0 到 100），须先对应支出标准"
    )
    version: int = Field(
        ge=0, le=2_147_483_647, description="读到的版本号（必填）；已被他人修改时返回 409"
    )


class EvaluationOut(Schema):
    department: str
    year: int
    narrowed: bool = Field(description="业务科室只看到本科室的项目（部门整体评价不含在内）")
    total: str | None = Field(description="部门整体得分")
    grade: str | None = Field(description="部门整体评价等级")
    result: dict[str, Any] = Field(description="完整评价结果（与 jixiao evaluate --json 相同）")


class MonitoringOut(Schema):
    department: str
    year: int
    as_of: dt.date
    narrowed: bool
    report: dict[str, Any] = Field(description="完整监控结果（与 jixiao monitor --json 相同）")
