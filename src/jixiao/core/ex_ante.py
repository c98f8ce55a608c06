"""事前绩效评估 (ex-ante performance assessment): which projects need one, scoring, the budget gate.

[D] 中发〔2018〕34号 asks that new major policies and projects be assessed before they get
money, and 财预〔2018〕167号 names what the assessment weighs: 立项必要性, 投入经济性,
绩效目标合理性, 实施方案可行性 and 筹资合规性; an assessment not passed means no budget.
Neither document gives a score sheet. The sheets in practice are local ([L]): five
dimensions of 20 points, items graded 优/良/中/差, and a conclusion 予以支持 /
调整完善后予以支持 / 不予支持 by the total. Every one of these numbers is data here
(``AssessmentSheet``, read from ``jixiao/rules/ex-ante-*.yaml``); no region is an ``if``.

Decisions where the sources are silent (tested in tests/cycle):

* An item's score must lie in a band of its weight: the top band is closed at both ends,
  the others are [lowest, highest). A score given with a band must lie in that band.
* The total is the sum of the item scores; the conclusion is taken from the total rounded
  half-up to the sheet's places, the first conclusion whose lower bound it reaches.
* A dimension with ``veto_below`` scoring below that share of its weight makes the
  conclusion 不予支持 whatever the total (一票否决), and says so.
* An assessment with a missing or out-of-band item has no conclusion: it is not complete.
* "Funds rising by more than the threshold" compares the requested budget with last
  year's budget of the same project; an increase exactly at the threshold does not trigger.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jixiao.core.consistency import Finding
from jixiao.core.money import ONE, ZERO, format_percent, format_wan, round_half_up
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import Severity


class Conclusion(StrEnum):
    """评估结论."""

    supported = "予以支持"
    supported_after_revision = "调整完善后予以支持"
    not_supported = "不予支持"


# Rules


@dataclass(frozen=True)
class ScoreBand:
    """A grade of an item (优 良 中 差) and the share of the item's weight it spans."""

    label: str
    lowest: Decimal
    """Share of the weight, inclusive."""
    highest: Decimal
    """Share of the weight; exclusive unless it is 100 %."""

    def holds(self, score: Decimal, weight: Decimal) -> bool:
        low, high = self.lowest * weight, self.highest * weight
        return low <= score <= high if self.highest == ONE else low <= score < high


@dataclass(frozen=True)
class AssessmentItem:
    """One row of the score sheet: a point to check, with its weight (分值)."""

    code: str
    """Short reference, e.g. "1.1"."""
    dimension: str
    name: str
    weight: Decimal
    guidance: str = ""
    """评分要点: what earns the points."""


@dataclass(frozen=True)
class Dimension:
    """One of the five dimensions (立项必要性 …) with its weight and items."""

    name: str
    weight: Decimal
    items: tuple[AssessmentItem, ...]
    veto_below: Decimal | None = None
    """Scoring below this share of the weight means 不予支持 (一票否决); None: no veto."""


@dataclass(frozen=True)
class ConclusionRule:
    conclusion: Conclusion
    at_least: Decimal
    """Lowest rounded total that earns the conclusion."""


@dataclass(frozen=True)
class AssessmentTrigger:
    """Which projects need an assessment before they may enter the budget."""

    new_projects: bool = True
    new_policies: bool = True
    increase_above: Decimal | None = None
    """A continuing project whose requested funds exceed last year's by more than this share."""
    min_budget: Decimal = ZERO
    """Only projects requesting at least this much (元); 0 for all."""


@dataclass(frozen=True)
class AssessmentSheet:
    """A score sheet and the rules around it; regional variants are data files."""

    id: str
    name: str
    version: str
    dimensions: tuple[Dimension, ...]
    bands: tuple[ScoreBand, ...]
    """From the best band down."""
    conclusions: tuple[ConclusionRule, ...]
    """From the best conclusion down; the last one starts at 0."""
    trigger: AssessmentTrigger = AssessmentTrigger()
    gate_required: bool = True
    """True: a project that needs an assessment enters the budget only with a passing one."""
    passing: tuple[Conclusion, ...] = (Conclusion.supported, Conclusion.supported_after_revision)
    rounding_places: int = 2
    sources: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def items(self) -> tuple[AssessmentItem, ...]:
        return tuple(item for dimension in self.dimensions for item in dimension.items)

    def band_of(self, score: Decimal, weight: Decimal) -> ScoreBand | None:
        return next((band for band in self.bands if band.holds(score, weight)), None)


# Inputs


@dataclass(frozen=True)
class ProposedProject:
    """A project (or policy) as proposed for next year's budget."""

    code: str
    name: str
    fiscal_year: int
    requested_budget: Decimal
    """元."""
    last_year_budget: Decimal | None = None
    """This project's budget last year (元); None for a project new this year."""
    is_policy: bool = False

    @property
    def is_new(self) -> bool:
        return self.last_year_budget is None


@dataclass(frozen=True)
class ItemScore:
    item_code: str
    score: Decimal
    band: str | None = None
    """The grade the assessor picked (优 …); None to take it from the score."""
    comment: str = ""


@dataclass(frozen=True)
class Assessment:
    """An assessment as the assessor filled in the score sheet."""

    project_code: str
    scores: tuple[ItemScore, ...]
    assessor: str = ""
    assessed_on: date | None = None


# Results


@dataclass(frozen=True)
class ItemResult:
    item: AssessmentItem
    score: Decimal | None
    band: ScoreBand | None


@dataclass(frozen=True)
class DimensionResult:
    name: str
    weight: Decimal
    score: Decimal
    vetoed: bool


@dataclass(frozen=True)
class AssessmentResult:
    """A scored assessment: item and dimension scores, total, conclusion and findings."""

    project_code: str
    sheet: AssessmentSheet
    items: tuple[ItemResult, ...]
    dimensions: tuple[DimensionResult, ...]
    total: Decimal
    conclusion: Conclusion | None
    """None while an item is missing or out of its band."""
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return self.conclusion is not None and self.conclusion in self.sheet.passing


@dataclass(frozen=True)
class GateDecision:
    """Whether a project may be approved into the budget, and why, in Chinese."""

    allowed: bool
    reason: str


# Which projects need an assessment


def assessment_reason(project: ProposedProject, sheet: AssessmentSheet) -> str | None:
    """Why the project needs an ex-ante assessment under the sheet's rules; None if it does not."""
    trigger = sheet.trigger
    if project.requested_budget < trigger.min_budget:
        return None
    if project.is_policy and trigger.new_policies and project.is_new:
        return f"“{project.name}”为新出台政策，须开展事前绩效评估"
    if project.is_new:
        if trigger.new_projects:
            return f"“{project.name}”为新增项目，须开展事前绩效评估"
        return None
    last = project.last_year_budget
    if trigger.increase_above is None or last is None or last <= ZERO:
        return None
    increase = (project.requested_budget - last) / last
    if increase <= trigger.increase_above:
        return None
    return (
        f"“{project.name}”申请资金{format_wan(project.requested_budget)}万元，较上年"
        f"{format_wan(last)}万元增长{format_percent(increase)}，超过"
        f"{format_percent(trigger.increase_above)}，须开展事前绩效评估"
    )


# Scoring


def score_assessment(assessment: Assessment, sheet: AssessmentSheet) -> AssessmentResult:
    """Score an assessment on a sheet: item bands, dimension totals, total and conclusion."""
    given = {score.item_code: score for score in assessment.scores}
    findings = list(_unknown_items(assessment, sheet))
    items: list[ItemResult] = []
    for item in sheet.items:
        result, problems = _item_result(item, given.get(item.code), sheet)
        items.append(result)
        findings.extend(problems)
    by_item = {result.item.code: result.score or ZERO for result in items}
    dimensions = tuple(_dimension_result(d, by_item) for d in sheet.dimensions)
    total = sum((d.score for d in dimensions), ZERO)
    conclusion = None if findings else _conclusion(total, dimensions, sheet)
    findings.extend(_veto_findings(dimensions, sheet))
    return AssessmentResult(
        project_code=assessment.project_code,
        sheet=sheet,
        items=tuple(items),
        dimensions=dimensions,
        total=total,
        conclusion=conclusion,
        findings=tuple(findings),
    )


def _unknown_items(assessment: Assessment, sheet: AssessmentSheet) -> Iterator[Finding]:
    known = {item.code for item in sheet.items}
    for score in assessment.scores:
        if score.item_code not in known:
            yield Finding(
                id="ex-ante-unknown-item",
                severity=Severity.error,
                message=f"评分表“{sheet.name}”中没有编号为“{score.item_code}”的评分项。",
                location=score.item_code,
                subject=assessment.project_code,
            )


def _item_result(
    item: AssessmentItem, given: ItemScore | None, sheet: AssessmentSheet
) -> tuple[ItemResult, list[Finding]]:
    label = f"{item.code} {item.name}"
    if given is None:
        finding = _item_finding(item, f"评分项“{label}”未评分。")
        return ItemResult(item, None, None), [finding]
    score = given.score
    if not ZERO <= score <= item.weight:
        message = f"评分项“{label}”得分{plain_number(score)}超出分值0–{plain_number(item.weight)}。"
        return ItemResult(item, None, None), [_item_finding(item, message)]
    band = sheet.band_of(score, item.weight)
    if given.band is not None:
        chosen = next((b for b in sheet.bands if b.label == given.band), None)
        if chosen is None or not chosen.holds(score, item.weight):
            message = (
                f"评分项“{label}”评为“{given.band}”，得分{plain_number(score)}不在该等级的"
                f"分数范围{_band_range(chosen, item.weight)}内。"
            )
            return ItemResult(item, None, chosen), [_item_finding(item, message)]
    return ItemResult(item, score, band), []


def _band_range(band: ScoreBand | None, weight: Decimal) -> str:
    if band is None:
        return "（评分表中没有该等级）"
    low = plain_number(band.lowest * weight)
    high = plain_number(band.highest * weight)
    return f"[{low}, {high}]" if band.highest == ONE else f"[{low}, {high})"


def _item_finding(item: AssessmentItem, message: str) -> Finding:
    return Finding(
        id="ex-ante-item-score",
        severity=Severity.error,
        message=message,
        figures={"分值": item.weight},
        location=item.code,
        subject=item.dimension,
    )


def _dimension_result(dimension: Dimension, by_item: dict[str, Decimal]) -> DimensionResult:
    score = sum((by_item[item.code] for item in dimension.items), ZERO)
    vetoed = dimension.veto_below is not None and score < dimension.veto_below * dimension.weight
    return DimensionResult(dimension.name, dimension.weight, score, vetoed)


def _conclusion(
    total: Decimal, dimensions: tuple[DimensionResult, ...], sheet: AssessmentSheet
) -> Conclusion:
    if any(d.vetoed for d in dimensions):
        return Conclusion.not_supported
    rounded = round_half_up(total, sheet.rounding_places)
    for rule in sheet.conclusions:
        if rounded >= rule.at_least:
            return rule.conclusion
    return sheet.conclusions[-1].conclusion


def _veto_findings(
    dimensions: tuple[DimensionResult, ...], sheet: AssessmentSheet
) -> Iterator[Finding]:
    limits = {d.name: d.veto_below for d in sheet.dimensions}
    for result in dimensions:
        share = limits[result.name]
        if not result.vetoed or share is None:
            continue
        yield Finding(
            id="ex-ante-veto",
            severity=Severity.error,
            message=(
                f"“{result.name}”得分{plain_number(result.score)}，低于该维度分值"
                f"{plain_number(result.weight)}的{format_percent(share)}，评估结论为不予支持。"
            ),
            figures={"得分": result.score, "分值": result.weight},
            subject=result.name,
        )


def conclusion_text(result: AssessmentResult) -> str:
    """The conclusion sentence of the 评分表 and the report."""
    total = plain_number(round_half_up(result.total, result.sheet.rounding_places))
    if result.conclusion is None:
        return f"评分未完成（已评得分合计{total}分），暂无评估结论。"
    return f"评估得分{total}分，评估结论：{result.conclusion.value}。"


# The budget gate


def may_enter_budget(
    project: ProposedProject, result: AssessmentResult | None, sheet: AssessmentSheet
) -> GateDecision:
    """Whether the project may be approved into the budget, with the reason in Chinese."""
    reason = assessment_reason(project, sheet)
    if reason is None:
        return GateDecision(True, f"“{project.name}”无须开展事前绩效评估，可纳入预算审核。")
    if not sheet.gate_required:
        return GateDecision(True, f"{reason}；规则集“{sheet.name}”不以评估结论作为入预算条件。")
    if result is None:
        return GateDecision(False, f"{reason}，尚无事前绩效评估结果，不能纳入预算。")
    if result.project_code != project.code:
        return GateDecision(
            False, f"所附事前绩效评估属于项目“{result.project_code}”，不是“{project.code}”。"
        )
    if result.conclusion is None:
        return GateDecision(False, f"“{project.name}”的事前绩效评估评分未完成，不能纳入预算。")
    if result.passed:
        return GateDecision(
            True, f"“{project.name}”事前绩效评估结论为“{result.conclusion.value}”，可纳入预算。"
        )
    return GateDecision(
        False,
        f"“{project.name}”事前绩效评估结论为“{result.conclusion.value}”"
        f"（得分{plain_number(round_half_up(result.total, sheet.rounding_places))}分），"
        f"不能纳入预算。",
    )
