"""Project self-evaluation rule files (YAML): read, validate, turn into ``ProjectRules``.

A rule file is data: every knob of ``jixiao.core.rules`` is a field. Rates and shares are
written as percentages with the sign ("80%", "130%"), points as plain numbers (10, 89),
so that neither can be mistaken for the other. Numbers are read as Decimal, never float.
Every defect is a Chinese problem naming its path in the file; nothing half-read is returned.

The packaged rule sets live in ``src/jixiao/rules/{id}.yaml``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from jixiao.core.bounds import WEIGHT
from jixiao.core.goals import QualitativeState
from jixiao.core.money import HUNDRED, ONE, ZERO, AmountError, D
from jixiao.core.rules import (
    COST_LEVEL1,
    COST_LEVEL2,
    Deduction,
    DeductionKind,
    ExecutionMethod,
    ExecutionRule,
    GoalQualityRule,
    GradeBand,
    Level1Group,
    NotApplicableWeight,
    ProjectRules,
    QualitativeBand,
    QuantitativeRule,
    StepCounting,
    TotalCap,
)
from jixiao.interchange.dataset_file import load_yaml, read_limited
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error
from jixiao.interchange.rule_documents import percent

FORMAT = "jixiao-project-rules/1"
_PACKAGE = "jixiao"
_FOLDER = "rules"
T = TypeVar("T")


def _number(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("数值不能以浮点数读入，请检查文件读取方式")
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        raise ValueError(f"“{value}”是百分数，此处应为分值（不带 % 的数字）")
    try:
        return D(value)
    except AmountError as error:
        raise ValueError(f"{error}，应写成数字，如 10") from None


def _points(value: Any) -> Decimal:
    reason = WEIGHT.problem(_number(value))  # the bounds a weight has on every path
    if reason is not None:
        raise ValueError(reason)
    return _number(value)


def _deduction(value: Any) -> Deduction:
    if isinstance(value, Deduction):
        return value
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        return Deduction(percent(value), DeductionKind.share)
    return Deduction(_points(value), DeductionKind.points)


def _version(value: Any) -> Any:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


Points = Annotated[Decimal, BeforeValidator(_points)]
Percent = Annotated[Decimal, BeforeValidator(percent)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        defer_build=True, extra="forbid", frozen=True, arbitrary_types_allowed=True
    )


class Level1Entry(_Strict):
    """一级指标: name, default weight, the second-level names allowed under it."""

    name: Text
    weight: Points
    level2: list[Text] = Field(min_length=1)


class ExecutionEntry(_Strict):
    """预算执行率: weight and scoring method."""

    weight: Points = Decimal(10)
    method: ExecutionMethod = ExecutionMethod.proportional
    full_at: Percent = ONE
    step: Percent = Decimal("0.05")
    deduction: Points = Decimal(2)
    steps_counted: StepCounting = StepCounting.whole
    reason_required_below: Percent | None = None


class CapEntry(_Strict):
    """预算执行率低于 rate_below 时，总分最高 total_at_most."""

    rate_below: Percent
    total_at_most: Points


class QuantitativeEntry(_Strict):
    over_achievement_at: Percent = Decimal("1.30")
    over_achievement_deduction: Annotated[Deduction, BeforeValidator(_deduction)] = Deduction()
    lower_is_better_zero_at: Points = Decimal(2)


class BandEntry(_Strict):
    band: tuple[Percent, Percent]
    default: Percent


class GradeEntry(_Strict):
    grade: Text
    at_least: Points
    aliases: list[Text] = Field(default_factory=list)
    """Other names forms print for the grade (优秀 for 优)."""


class GoalQualityEntry(_Strict):
    min_indicators: int = Field(default=4, ge=0)
    min_quantified_share: Percent = Decimal("0.5")
    required_level1: list[Text] = Field(default_factory=list)
    poor_review_blocks_budget: bool = True
    low_target_blocks: bool = False


class RuleFile(_Strict):
    """The rule file as written; ``to_rules`` turns it into the core's record."""

    format: Literal["jixiao-project-rules/1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Annotated[str, BeforeValidator(_version), Field(min_length=1)]
    name: Text
    sources: list[Text] = Field(min_length=1)
    level1: list[Level1Entry] = Field(min_length=1)
    cost_is_level1: bool = False
    execution: ExecutionEntry = ExecutionEntry()
    total_caps: list[CapEntry] = Field(default_factory=list)
    quantitative: QuantitativeEntry = QuantitativeEntry()
    qualitative: dict[QualitativeState, BandEntry]
    grades: list[GradeEntry] = Field(min_length=1)
    rounding_places: int = Field(default=2, ge=0, le=6)
    goal_quality: GoalQualityEntry = GoalQualityEntry()
    not_applicable: NotApplicableWeight = NotApplicableWeight.rescale


# --- reading -------------------------------------------------------------------------


def parse_rule_set(raw: str | bytes) -> ProjectRules:
    """Validate a rule file's text; raise InputRejected with every problem found."""
    text = _decode(raw) if isinstance(raw, bytes) else raw
    document = _parse_yaml(text)
    try:
        model = RuleFile.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error)) from None
    problems = list(cross_check(model))
    if problems:
        raise InputRejected(problems)
    return to_rules(model)


def load_rule_set_file(path: Path | str) -> ProjectRules:
    """A rule set from a YAML file anywhere."""
    return parse_rule_set(read_limited(Path(path), "规则文件"))


_KEPT: dict[tuple[object, ...], Any] = {}
"""What was read from a shipped file, per file and the file's size and time."""


def kept_reading(entry: Traversable, read: Callable[[Traversable], T]) -> T:
    """``read(entry)`` of a shipped file, done once per process while the file keeps its
    size and time: a page over 100 departments asks for the same rule set 100 times.
    What is read must not be changed by its users (the rule records are frozen)."""
    try:
        stat = Path(str(entry)).stat()
    except OSError:
        return read(entry)
    key = (str(entry), read, stat.st_mtime_ns, stat.st_size)
    if key not in _KEPT:
        _KEPT[key] = read(entry)
    found: T = _KEPT[key]
    return found


def _is_rule_set(entry: Traversable) -> bool:
    return f"format: {FORMAT}" in entry.read_text("utf-8")


def packaged_rule_sets() -> list[str]:
    """The ids of the rule sets shipped in ``src/jixiao/rules``, sorted."""
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    if not folder.is_dir():
        return []
    ids = []
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml") and kept_reading(entry, _is_rule_set):
            ids.append(entry.name.removesuffix(".yaml"))
    return sorted(ids)


def _read_rule_set(entry: Traversable) -> ProjectRules:
    return parse_rule_set(entry.read_bytes())


def load_rule_set(rule_id: str) -> ProjectRules:
    """A packaged rule set by id, e.g. ``load_rule_set("mof-2020-project")``."""
    available = packaged_rule_sets()
    if rule_id not in available:
        raise InputRejected([Problem(
            "", f"没有名为“{rule_id}”的规则集，可选：{'、'.join(available) or '（无）'}"
        )])
    entry = resources.files(_PACKAGE).joinpath(_FOLDER).joinpath(f"{rule_id}.yaml")
    rules = kept_reading(entry, _read_rule_set)
    if rules.id != rule_id:
        raise InputRejected([Problem("id", f"规则集 id“{rules.id}”应与文件名“{rule_id}”一致")])
    return rules


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputRejected([Problem(
            f"第{line}行", "规则文件不是 UTF-8 编码，请以 UTF-8 编码另存后再读入"
        )]) from None


def _parse_yaml(text: str) -> Any:
    document = load_yaml(text)
    if not isinstance(document, dict):
        raise InputRejected([Problem("", "规则文件内容应为一个键值对象（以 format: 等字段开头）")])
    return document


# --- checks across fields ------------------------------------------------------------


def _n(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _pct(share: Decimal) -> str:
    return f"{_n(share * HUNDRED)}%"


def _interval(low: Decimal, high: Decimal) -> str:
    """A band as the rules read it: half open, closed at 100 %."""
    return f"[{_pct(low)}, {_pct(high)}{']' if high == ONE else ')'}"


def cross_check(model: RuleFile) -> Iterator[Problem]:
    """Problems no single field shows: sums, band coverage, order, references."""
    yield from _check_level1(model)
    yield from _check_execution(model)
    yield from _check_quantitative(model)
    yield from _check_bands(model)
    yield from _check_grades(model)
    yield from _check_goal_quality(model)


def _check_level1(model: RuleFile) -> Iterator[Problem]:
    counts = Counter(group.name for group in model.level1)
    for index, group in enumerate(model.level1):
        if counts[group.name] > 1:
            yield Problem(
                f"level1[{index}].name", f"一级指标“{group.name}”重复出现{counts[group.name]}次"
            )
    level1_total = sum((group.weight for group in model.level1), ZERO)
    total = level1_total + model.execution.weight
    if total != HUNDRED:
        terms = "＋".join(f"{group.name}{_n(group.weight)}" for group in model.level1)
        yield Problem(
            "level1",
            f"一级指标分值（{terms}）与预算执行率分值 execution.weight "
            f"{_n(model.execution.weight)} 合计为{_n(total)}，应为100",
        )
    cost_group = next(
        (i for i, group in enumerate(model.level1) if group.name == COST_LEVEL1), None
    )
    if model.cost_is_level1:
        if cost_group is None:
            yield Problem(
                "cost_is_level1",
                f"cost_is_level1 为 true（成本指标单列为一级指标，财预〔2021〕101号），"
                f"但 level1 中没有“{COST_LEVEL1}”",
            )
        else:
            for position, name in enumerate(model.level1[cost_group].level2):
                if name not in COST_LEVEL2:
                    yield Problem(
                        f"level1[{cost_group}].level2[{position}]",
                        f"“{name}”不是成本指标的二级指标，可选：{'、'.join(COST_LEVEL2)}",
                    )
    elif cost_group is not None:
        yield Problem(
            f"level1[{cost_group}].name",
            f"cost_is_level1 为 false 时，“{COST_LEVEL1}”应作为产出指标下的二级指标，"
            f"不应单列为一级指标；如按财预〔2021〕101号单列，请将 cost_is_level1 设为 true",
        )


def _check_execution(model: RuleFile) -> Iterator[Problem]:
    execution = model.execution
    if execution.method is ExecutionMethod.tiered:
        if execution.step <= ZERO:
            yield Problem("execution.step", "分档宽度应大于0%")
        if not ZERO < execution.full_at <= ONE:
            yield Problem("execution.full_at", "满分执行率应在0%到100%之间")
        if execution.deduction > execution.weight:
            yield Problem("execution.deduction", "每档扣分不应超过预算执行率分值")
    below = execution.reason_required_below
    if below is not None and not ZERO < below <= ONE:
        yield Problem("execution.reason_required_below", "执行率阈值应在0%到100%之间")
    for index, cap in enumerate(model.total_caps):
        if not ZERO < cap.rate_below <= ONE:
            yield Problem(f"total_caps[{index}].rate_below", "执行率阈值应在0%到100%之间")
        if cap.total_at_most > HUNDRED:
            yield Problem(f"total_caps[{index}].total_at_most", "总分上限不应超过100")


def _check_quantitative(model: RuleFile) -> Iterator[Problem]:
    quantitative = model.quantitative
    if quantitative.over_achievement_at <= ONE:
        yield Problem("quantitative.over_achievement_at", "超额完成的比例应大于100%")
    if quantitative.lower_is_better_zero_at <= ONE:
        yield Problem(
            "quantitative.lower_is_better_zero_at",
            "反向指标得分降为0时的倍数应大于1（如 2 表示实际值达到指标值的2倍时得0分）",
        )
    deduction = quantitative.over_achievement_deduction
    if deduction.kind is DeductionKind.share and deduction.amount > ONE:
        yield Problem("quantitative.over_achievement_deduction", "扣减比例不应超过分值的100%")


def _check_bands(model: RuleFile) -> Iterator[Problem]:
    for state in QualitativeState:
        if state not in model.qualitative:
            yield Problem("qualitative", f"缺少完成状态“{state.value}”的得分区间")
    intervals: list[tuple[Decimal, Decimal, QualitativeState]] = []
    for state, entry in model.qualitative.items():
        low, high = entry.band
        path = f"qualitative.{state.value}"
        if not ZERO <= low < high <= ONE:
            yield Problem(
                f"{path}.band",
                f"区间[{_pct(low)}, {_pct(high)}]应满足 0% ≤ 下限 < 上限 ≤ 100%",
            )
            continue
        inside = low <= entry.default <= high if high == ONE else low <= entry.default < high
        if not inside:
            yield Problem(
                f"{path}.default",
                f"默认得分比例{_pct(entry.default)}不在该状态的区间{_interval(low, high)}内",
            )
        intervals.append((low, high, state))
    if len(intervals) != len(model.qualitative):
        return
    intervals.sort(key=lambda item: (item[0], item[1]))
    if intervals and intervals[0][0] != ZERO:
        yield Problem(
            f"qualitative.{intervals[0][2].value}.band",
            f"各状态区间应从0%开始覆盖到100%，0%到{_pct(intervals[0][0])}未被覆盖",
        )
    for (low_a, high_a, state_a), (low_b, high_b, state_b) in pairwise(intervals):
        where = f"qualitative.{state_b.value}.band"
        if low_b < high_a:
            yield Problem(
                where,
                f"区间{_interval(low_b, high_b)}与“{state_a.value}”的区间"
                f"{_interval(low_a, high_a)}重叠",
            )
        elif low_b > high_a:
            yield Problem(
                where,
                f"区间{_interval(low_b, high_b)}与“{state_a.value}”的区间"
                f"{_interval(low_a, high_a)}之间有空缺（{_pct(high_a)}到{_pct(low_b)}未被覆盖）",
            )
    if intervals and intervals[-1][1] != ONE:
        yield Problem(
            f"qualitative.{intervals[-1][2].value}.band",
            f"各状态区间应覆盖到100%，{_pct(intervals[-1][1])}到100%未被覆盖",
        )


def _check_grades(model: RuleFile) -> Iterator[Problem]:
    counts = Counter(entry.grade for entry in model.grades)
    for index, entry in enumerate(model.grades):
        if counts[entry.grade] > 1:
            yield Problem(f"grades[{index}].grade", f"等级“{entry.grade}”重复出现")
        if entry.at_least > HUNDRED:
            yield Problem(f"grades[{index}].at_least", "等级下限不应超过100")
        if index and entry.at_least >= model.grades[index - 1].at_least:
            yield Problem(
                f"grades[{index}].at_least",
                f"等级应按分数从高到低排列：“{entry.grade}”的下限{_n(entry.at_least)}"
                f"不低于上一等级“{model.grades[index - 1].grade}”的"
                f"{_n(model.grades[index - 1].at_least)}",
            )
    last = model.grades[-1]
    if last.at_least != ZERO:
        yield Problem(
            f"grades[{len(model.grades) - 1}].at_least",
            f"最低等级“{last.grade}”的下限应为0，使所有得分都有等级",
        )


def _check_goal_quality(model: RuleFile) -> Iterator[Problem]:
    names = {group.name for group in model.level1}
    for index, name in enumerate(model.goal_quality.required_level1):
        if name not in names:
            yield Problem(
                f"goal_quality.required_level1[{index}]", f"“{name}”不是 level1 中的一级指标"
            )
    if model.goal_quality.min_quantified_share > ONE:
        yield Problem("goal_quality.min_quantified_share", "定量指标占比不应超过100%")


# --- to the core's record ------------------------------------------------------------


def to_rules(model: RuleFile) -> ProjectRules:
    """The validated file as the core's ``ProjectRules``."""
    execution = model.execution
    quantitative = model.quantitative
    return ProjectRules(
        id=model.id,
        version=model.version,
        name=model.name,
        sources=tuple(model.sources),
        level1=tuple(
            Level1Group(group.name, group.weight, tuple(group.level2)) for group in model.level1
        ),
        qualitative=tuple(
            QualitativeBand(state, entry.band[0], entry.band[1], entry.default)
            for state, entry in sorted(
                model.qualitative.items(), key=lambda item: item[1].band[0], reverse=True
            )
        ),
        grades=tuple(
            GradeBand(entry.grade, entry.at_least, tuple(entry.aliases)) for entry in model.grades
        ),
        cost_is_level1=model.cost_is_level1,
        execution=ExecutionRule(
            weight=execution.weight,
            method=execution.method,
            full_at=execution.full_at,
            step=execution.step,
            deduction=execution.deduction,
            steps_counted=execution.steps_counted,
            reason_required_below=execution.reason_required_below,
        ),
        total_caps=tuple(TotalCap(cap.rate_below, cap.total_at_most) for cap in model.total_caps),
        quantitative=QuantitativeRule(
            over_achievement_at=quantitative.over_achievement_at,
            over_achievement_deduction=quantitative.over_achievement_deduction,
            lower_is_better_zero_at=quantitative.lower_is_better_zero_at,
        ),
        rounding_places=model.rounding_places,
        goal_quality=GoalQualityRule(
            min_indicators=model.goal_quality.min_indicators,
            min_quantified_share=model.goal_quality.min_quantified_share,
            required_level1=tuple(model.goal_quality.required_level1),
            poor_review_blocks_budget=model.goal_quality.poor_review_blocks_budget,
            low_target_blocks=model.goal_quality.low_target_blocks,
        ),
        not_applicable=model.not_applicable,
    )
