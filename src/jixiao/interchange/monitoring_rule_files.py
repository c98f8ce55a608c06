"""Monitoring rule files (``jixiao/rules/monitoring-*.yaml``): read, validate, turn into core rules.

A rule file is YAML. Rates are written as percentages with the sign ("60%"), as the
project rule files write them, so that a rate cannot be mistaken for an amount; amounts
are in the file's ``unit`` (元 or 万元, default 万元), as finance offices write them::

    format: jixiao-monitoring-rules/1
    name: 按序时进度预警（红黄绿灯）
    source: 出处
    evidence: L            # V read / D recalled from a national document / L local
    unit: 万元
    time_basis: months     # months: 完成月数 ÷ 12; days: 已过天数 ÷ 全年天数
    lights: {red_below: 60%, yellow_below: 80%, source: ..., evidence: L}
    absolute_rules:
      - {min_budget: 200, month: 8, min_rate: 60%, source: ..., evidence: L}
    consequence_rules:
      - {month: 10, below_rate: 80%, next_year_budget: 90%, source: ..., evidence: L}
    forecast_threshold: 90%

Numbers are read as Decimal, never float; every defect becomes a located Chinese problem.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from jixiao.core.money import HUNDRED, ZERO, AmountError, D, wan_to_yuan
from jixiao.core.monitoring import (
    AbsoluteRule,
    ConsequenceRule,
    LightThresholds,
    MonitoringRules,
)
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.dataset_file import load_yaml, read_limited
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

FORMAT = "jixiao-monitoring-rules/1"

SHIPPED_MONITORING_RULES = ("monitoring-ratio", "monitoring-absolute", "monitoring-guangzhou")
"""The rule files shipped in ``jixiao/rules``, by name (without ``.yaml``)."""


def _percent(value: Any) -> Decimal:
    """"60%" → 0.6; a bare number is refused so that 60 and 0.6 cannot be confused."""
    if not isinstance(value, str) or not value.strip().endswith(("%", "％")):
        raise ValueError(f"“{value}”应写成百分数，如“60%”")
    try:
        number = D(value.strip()[:-1])
    except AmountError:
        raise ValueError(f"“{value}”不是有效的百分数，应写成如“60%”") from None
    if not ZERO <= number <= HUNDRED:
        raise ValueError(f"百分数应在 0% 到 100% 之间（读到 {value}）")
    return number / HUNDRED


def _amount(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("数值不能以浮点数读入，请检查文件读取方式")
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        raise ValueError(f"“{value}”是百分数，此处应为金额")
    try:
        number = D(value)
    except AmountError as error:
        raise ValueError(f"{error}，金额应写成数字，如 200 或 200.5") from None
    if number < ZERO:
        raise ValueError(f"金额不能为负数（读到 {number}）")
    return number


Percent = Annotated[Decimal, BeforeValidator(_percent)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Month = Annotated[int, Field(ge=1, le=12, strict=True)]
Evidence = Literal["V", "D", "L"]


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class LightsEntry(_Strict):
    """红黄绿灯: 执行率 ÷ 序时进度 below red is red, below yellow is yellow, else green."""

    red_below: Percent = Field(description="执行率÷序时进度低于此百分比为红灯，如“60%”")
    yellow_below: Percent = Field(description="低于此百分比为黄灯，否则为绿灯，如“80%”")
    source: str = Field("", description="出处")
    evidence: Evidence | None = Field(None, description="依据等级：V、D 或 L")

    @model_validator(mode="after")
    def _ordered(self) -> LightsEntry:
        if self.yellow_below < self.red_below:
            raise ValueError("黄灯界限不能低于红灯界限")
        return self


class AbsoluteRuleEntry(_Strict):
    """全年预算数 ≥ min_budget 的项目，month 月末执行率低于 min_rate 即预警."""

    min_budget: Amount = Field(description="全年预算数下限（含），以文件的 unit 计")
    month: Month = Field(description="按该月月末的累计执行数判断")
    min_rate: Percent = Field(description="执行率低于此百分比即预警，如“60%”")
    source: str = ""
    evidence: Evidence | None = None


class ConsequenceRuleEntry(_Strict):
    """经常性项目 month 月末执行率低于 below_rate：下年预算按本年的 next_year_budget 核定."""

    month: Month
    below_rate: Percent = Field(description="月末执行率低于此百分比，如“80%”")
    next_year_budget: Percent = Field(description="下年预算占本年全年预算数的百分比，如“90%”")
    source: str = ""
    evidence: Evidence | None = None


class MonitoringRulesFile(_Strict):
    """One monitoring rule set, as its file holds it."""

    format: Literal["jixiao-monitoring-rules/1"]
    name: str = Field(min_length=1)
    source: str = Field("", description="出处")
    evidence: Evidence | None = None
    unit: AmountUnit = Field(AmountUnit.wan, description="金额单位：元 或 万元")
    time_basis: Literal["days", "months"] = "months"
    lights: LightsEntry | None = None
    absolute_rules: list[AbsoluteRuleEntry] = Field(default_factory=list)
    consequence_rules: list[ConsequenceRuleEntry] = Field(default_factory=list)
    forecast_threshold: Percent = Field(
        Decimal("0.9"), description="预计全年执行低于预算的此百分比时提出调整建议，如“90%”"
    )


def to_rules(entry: MonitoringRulesFile) -> MonitoringRules:
    """The core rule set a validated file describes (rates as fractions, amounts in 元)."""

    def yuan(amount: Decimal) -> Decimal:
        return wan_to_yuan(amount) if entry.unit is AmountUnit.wan else amount

    lights = entry.lights
    return MonitoringRules(
        name=entry.name,
        time_basis=entry.time_basis,
        lights=None if lights is None else LightThresholds(
            red_below=lights.red_below,
            yellow_below=lights.yellow_below,
            source=lights.source,
            evidence=lights.evidence or "",
        ),
        absolute_rules=tuple(
            AbsoluteRule(
                min_budget=yuan(rule.min_budget),
                month=rule.month,
                min_rate=rule.min_rate,
                source=rule.source,
                evidence=rule.evidence or "",
            )
            for rule in entry.absolute_rules
        ),
        consequence_rules=tuple(
            ConsequenceRule(
                month=rule.month,
                below_rate=rule.below_rate,
                next_year_share=rule.next_year_budget,
                source=rule.source,
                evidence=rule.evidence or "",
            )
            for rule in entry.consequence_rules
        ),
        forecast_threshold=entry.forecast_threshold,
        source=entry.source,
        evidence=entry.evidence or "",
    )


def parse_monitoring_rules(raw: bytes | str, where: str = "") -> MonitoringRules:
    """Validate a rule file's content; raise InputRejected with every problem found."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            problem = Problem(where, "文件不是 UTF-8 编码，请以 UTF-8 编码另存")
            raise InputRejected([problem]) from None
    else:
        text = raw
    document = load_yaml(text)
    if not isinstance(document, dict):
        problem = Problem(where, f"文件内容应为一个键值对象（以 format: {FORMAT} 开头）")
        raise InputRejected([problem])
    try:
        entry = MonitoringRulesFile.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error, where)) from None
    return to_rules(entry)


def read_monitoring_rules(path: Path) -> MonitoringRules:
    return parse_monitoring_rules(read_limited(path, "规则文件"))


def shipped_monitoring_rules(name: str) -> MonitoringRules:
    """A rule set shipped with jixiao, by name: one of ``SHIPPED_MONITORING_RULES``."""
    if name not in SHIPPED_MONITORING_RULES:
        choices = "、".join(SHIPPED_MONITORING_RULES)
        raise InputRejected([Problem("", f"没有名为“{name}”的监控规则，可选：{choices}")])
    raw = (resources.files("jixiao") / "rules" / f"{name}.yaml").read_bytes()
    return parse_monitoring_rules(raw, f"{name}.yaml")
