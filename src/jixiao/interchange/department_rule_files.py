"""Department-wide framework files (YAML): read, validate, turn into ``DepartmentFramework``.

The same conventions as the project rule files (``rule_files``), whose helpers this module
uses: rates and shares are percentages with the sign ("100%", "-5%"), points are plain
numbers, numbers are read as Decimal and never as float, and every defect is a Chinese
problem naming its path in the file; nothing half-read is returned::

    format: jixiao-department-rules/1
    id: mof-2013-dept
    version: "2013.1"
    name: 部门整体支出绩效评价（财预〔2013〕53号 共性指标）
    sources: [财政部《预算绩效评价共性指标体系框架》（财预〔2013〕53号）附件2]
    project_rules: mof-2020-project     # scores the 履职 indicators, gives the grades
    common:
      - level1: 过程
        level2: 预算执行
        level3: 预算完成率
        formula: budget_completion      # an id of jixiao.core.department_framework.FORMULAS
        weight: 10
        scoring: {method: proportional, target: 100%}
      - level1: 过程
        level2: 预算执行
        level3: 预算调整率
        formula: budget_adjustment
        weight: 5
        scoring:
          method: tiers
          tiers:
            - {at_most: 0%, share: 100%}
            - {at_most: 10%, share: 75%}
          above: 0%
    duties: {name: 履职指标, weight: 54}

A change rate that local forms compute on budgets and 53号 on actual spending
("三公经费"变动率, ``formula: three_public_change``) takes ``basis: budget`` (预算数, the
default: what the forms compute) or ``basis: actual`` (实际支出数); ``basis`` is refused on
a formula that offers no choice.

Scoring methods and their fields: ``proportional`` (target, default 100%); ``tiers``
(tiers: at_most and share of the weight, rising; above, default 0%);
``lower_is_better_linear`` (full_at_most, zero_at); ``target_band`` (low and/or high,
zero_below default 0%, zero_above). The common weights and the 履职 weight add up to 100.

The packaged frameworks live in ``src/jixiao/rules/{id}.yaml``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError

from jixiao.core.department_framework import (
    BASES,
    FORMULAS,
    Basis,
    CommonIndicator,
    DepartmentFramework,
    LowerIsBetterLinear,
    Proportional,
    Scoring,
    ScoringMethod,
    TargetBand,
    Tier,
    Tiers,
    formula_for_basis,
)
from jixiao.core.money import HUNDRED, ONE, ZERO
from jixiao.core.rules import ProjectRules
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error
from jixiao.interchange.rule_documents import percent
from jixiao.interchange.rule_files import (
    Percent,
    Points,
    Text,
    _decode,
    _n,
    _parse_yaml,
    _pct,
    _Strict,
    _version,
    kept_reading,
    load_rule_set,
)

FORMAT = "jixiao-department-rules/1"
_PACKAGE = "jixiao"
_FOLDER = "rules"
_MINUS = ("-", "－", "−")


def _signed_percent(value: Any) -> Decimal:
    """"-5%" → -0.05: rates such as a change rate may be negative."""
    if isinstance(value, str) and value.strip().startswith(_MINUS):
        return -percent(value.strip()[1:])
    return percent(value)


SignedPercent = Annotated[Decimal, BeforeValidator(_signed_percent)]


class TierEntry(_Strict):
    """A tier: rates up to ``at_most`` (inclusive) earn ``share`` of the weight."""

    at_most: SignedPercent
    share: Percent


class ScoringEntry(_Strict):
    """How the rate becomes points; which fields apply depends on ``method``."""

    method: ScoringMethod
    target: SignedPercent | None = None
    tiers: list[TierEntry] | None = None
    above: Percent | None = None
    full_at_most: SignedPercent | None = None
    zero_at: SignedPercent | None = None
    low: SignedPercent | None = None
    high: SignedPercent | None = None
    zero_below: SignedPercent | None = None
    zero_above: SignedPercent | None = None


_FIELDS = {
    ScoringMethod.proportional: ({"target"}, set()),
    ScoringMethod.tiers: ({"tiers", "above"}, {"tiers"}),
    ScoringMethod.lower_is_better_linear: (
        {"full_at_most", "zero_at"}, {"full_at_most", "zero_at"}
    ),
    ScoringMethod.target_band: ({"low", "high", "zero_below", "zero_above"}, set()),
}
"""Per method: the fields it uses, and those it requires."""


class CommonEntry(_Strict):
    """A common indicator: its names, formula, weight and scoring."""

    level1: Text
    level2: Text
    level3: Text
    formula: Text
    basis: Basis | None = None
    """budget (预算数) or actual (实际支出数), for a formula ``BASES`` offers both for."""
    weight: Points
    scoring: ScoringEntry
    note: str = ""


class DutiesEntry(_Strict):
    """The department's own 履职 indicators (the department-wide goal's), as one block."""

    name: Text = "履职指标"
    weight: Points


class DepartmentRuleFile(_Strict):
    """The framework file as written; ``to_framework`` turns it into the core's record."""

    format: Literal["jixiao-department-rules/1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Annotated[str, BeforeValidator(_version), Field(min_length=1)]
    name: Text
    sources: list[Text] = Field(min_length=1)
    project_rules: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    common: list[CommonEntry] = Field(min_length=1)
    duties: DutiesEntry
    rounding_places: int = Field(default=2, ge=0, le=6)
    coverage_at_least: Percent = ONE


# --- reading -------------------------------------------------------------------------


def parse_department_framework(raw: str | bytes) -> DepartmentFramework:
    """Validate a framework file's text; raise InputRejected with every problem found."""
    text = _decode(raw) if isinstance(raw, bytes) else raw
    document = _parse_yaml(text)
    try:
        model = DepartmentRuleFile.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error)) from None
    problems = list(cross_check(model))
    if problems:
        raise InputRejected(problems)
    return to_framework(model)


def load_department_framework_file(path: Path | str) -> DepartmentFramework:
    """A framework from a YAML file anywhere."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputRejected([Problem(str(path), f"无法读取规则文件：{error.strerror}")]) from None
    return parse_department_framework(raw)


def packaged_department_frameworks() -> list[str]:
    """The ids of the frameworks shipped in ``src/jixiao/rules``, sorted."""
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    if not folder.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and kept_reading(entry, _is_framework)
    )


def _is_framework(entry: Traversable) -> bool:
    return f"format: {FORMAT}" in entry.read_text("utf-8")


def _read_framework(entry: Traversable) -> DepartmentFramework:
    return parse_department_framework(entry.read_bytes())


def load_department_framework(rule_id: str) -> DepartmentFramework:
    """A packaged framework by id, e.g. ``load_department_framework("mof-2013-dept")``."""
    available = packaged_department_frameworks()
    if rule_id not in available:
        raise InputRejected([Problem(
            "", f"没有名为“{rule_id}”的部门整体评价框架，可选：{'、'.join(available) or '（无）'}"
        )])
    entry = resources.files(_PACKAGE).joinpath(_FOLDER).joinpath(f"{rule_id}.yaml")
    framework = kept_reading(entry, _read_framework)
    if framework.id != rule_id:
        raise InputRejected([Problem("id", f"框架 id“{framework.id}”应与文件名“{rule_id}”一致")])
    return framework


def framework_project_rules(framework: DepartmentFramework) -> ProjectRules:
    """The packaged project rule set the framework names (scores 履职 rows, gives grades)."""
    return load_rule_set(framework.project_rules)


# --- checks across fields ------------------------------------------------------------


def cross_check(model: DepartmentRuleFile) -> Iterator[Problem]:
    """Problems no single field shows: the sum of weights, names, formulas, scoring."""
    yield from _check_weights(model)
    counts = Counter(entry.level3 for entry in model.common)
    for index, entry in enumerate(model.common):
        path = f"common[{index}]"
        if counts[entry.level3] > 1:
            yield Problem(
                f"{path}.level3", f"三级指标“{entry.level3}”重复出现{counts[entry.level3]}次"
            )
        if entry.level3 == model.duties.name:
            yield Problem(f"{path}.level3", f"三级指标“{entry.level3}”与履职指标部分同名")
        if entry.formula not in FORMULAS:
            choices = "、".join(f"{key}（{f.name}）" for key, f in FORMULAS.items())
            yield Problem(f"{path}.formula", f"不认识的公式“{entry.formula}”，可选：{choices}")
        if entry.basis is not None and entry.formula not in BASES:
            offered = "、".join(BASES) or "（无）"
            yield Problem(
                f"{path}.basis",
                f"公式“{entry.formula}”没有可选的计算口径，basis 只用于：{offered}",
            )
        yield from _check_scoring(entry.scoring, f"{path}.scoring")


def _check_weights(model: DepartmentRuleFile) -> Iterator[Problem]:
    common = sum((entry.weight for entry in model.common), ZERO)
    total = common + model.duties.weight
    if total != HUNDRED:
        terms = "＋".join(f"{entry.level3}{_n(entry.weight)}" for entry in model.common)
        yield Problem(
            "common",
            f"共性指标分值（{terms}）与{model.duties.name}分值 duties.weight "
            f"{_n(model.duties.weight)} 合计为{_n(total)}，应为100",
        )


def _check_scoring(entry: ScoringEntry, path: str) -> Iterator[Problem]:
    used, required = _FIELDS[entry.method]
    given = {name for name in entry.model_fields_set if name != "method"}
    for name in sorted(given - used):
        yield Problem(f"{path}.{name}", f"计分方法为 {entry.method} 时不使用 {name}")
    for name in sorted(required - given):
        yield Problem(f"{path}.{name}", f"计分方法为 {entry.method} 时须填写 {name}")
    if given - used or required - given:
        return
    if entry.method is ScoringMethod.proportional:
        if entry.target is not None and entry.target <= ZERO:
            yield Problem(f"{path}.target", "目标值应大于0%")
    elif entry.method is ScoringMethod.tiers:
        yield from _check_tiers(entry, path)
    elif entry.method is ScoringMethod.lower_is_better_linear:
        assert entry.full_at_most is not None and entry.zero_at is not None
        if entry.zero_at <= entry.full_at_most:
            yield Problem(
                f"{path}.zero_at",
                f"得0分的值{_pct(entry.zero_at)}应高于得满分的上限{_pct(entry.full_at_most)}",
            )
    else:
        yield from _check_band(entry, path)


def _check_tiers(entry: ScoringEntry, path: str) -> Iterator[Problem]:
    tiers = entry.tiers or []
    if not tiers:
        yield Problem(f"{path}.tiers", "至少应有一档")
    for index, tier in enumerate(tiers):
        if tier.share > ONE:
            yield Problem(f"{path}.tiers[{index}].share", "得分比例不应超过100%")
    for index, (lower, upper) in enumerate(pairwise(tiers), start=1):
        if upper.at_most <= lower.at_most:
            yield Problem(
                f"{path}.tiers[{index}].at_most",
                f"各档上限应从低到高排列：{_pct(upper.at_most)}不高于上一档的{_pct(lower.at_most)}",
            )
    if entry.above is not None and entry.above > ONE:
        yield Problem(f"{path}.above", "得分比例不应超过100%")


def _check_band(entry: ScoringEntry, path: str) -> Iterator[Problem]:
    low, high = entry.low, entry.high
    if low is None and high is None:
        yield Problem(path, "计分方法为 target_band 时，low 和 high 至少填写一个")
        return
    if low is not None and high is not None and low >= high:
        yield Problem(f"{path}.low", f"区间下限{_pct(low)}应低于上限{_pct(high)}")
    if entry.zero_below is not None:
        if low is None:
            yield Problem(f"{path}.zero_below", "没有下限 low 时不使用 zero_below")
        elif entry.zero_below >= low:
            yield Problem(
                f"{path}.zero_below",
                f"得0分的值{_pct(entry.zero_below)}应低于区间下限{_pct(low)}",
            )
    if entry.zero_above is not None:
        if high is None:
            yield Problem(f"{path}.zero_above", "没有上限 high 时不使用 zero_above")
        elif entry.zero_above <= high:
            yield Problem(
                f"{path}.zero_above",
                f"得0分的值{_pct(entry.zero_above)}应高于区间上限{_pct(high)}",
            )


# --- to the core's record ------------------------------------------------------------


def to_scoring(entry: ScoringEntry) -> Scoring:
    """The validated scoring entry as the core's scoring record."""
    if entry.method is ScoringMethod.proportional:
        return Proportional(entry.target if entry.target is not None else ONE)
    if entry.method is ScoringMethod.tiers:
        return Tiers(
            tuple(Tier(tier.at_most, tier.share) for tier in entry.tiers or []),
            entry.above if entry.above is not None else ZERO,
        )
    if entry.method is ScoringMethod.lower_is_better_linear:
        assert entry.full_at_most is not None and entry.zero_at is not None
        return LowerIsBetterLinear(entry.full_at_most, entry.zero_at)
    return TargetBand(
        low=entry.low,
        high=entry.high,
        zero_below=entry.zero_below if entry.zero_below is not None else ZERO,
        zero_above=entry.zero_above,
    )


def to_framework(model: DepartmentRuleFile) -> DepartmentFramework:
    """The validated file as the core's ``DepartmentFramework``."""
    return DepartmentFramework(
        id=model.id,
        version=model.version,
        name=model.name,
        sources=tuple(model.sources),
        project_rules=model.project_rules,
        common=tuple(
            CommonIndicator(
                level1=entry.level1,
                level2=entry.level2,
                level3=entry.level3,
                formula=formula_for_basis(entry.formula, entry.basis),
                weight=entry.weight,
                scoring=to_scoring(entry.scoring),
                note=entry.note,
            )
            for entry in model.common
        ),
        duty_weight=model.duties.weight,
        duty_name=model.duties.name,
        rounding_places=model.rounding_places,
        coverage_at_least=model.coverage_at_least,
    )
