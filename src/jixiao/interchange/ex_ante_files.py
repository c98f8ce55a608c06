"""Ex-ante assessment rule files (``jixiao/rules/ex-ante-*.yaml``): read, validate, make the sheet.

A file is one score sheet with its trigger and gate::

    format: jixiao-ex-ante-rules/1
    id: ex-ante-mof-guangdong          # the file name without .yaml
    version: "2024"
    name: 事前绩效评估评分表（财政部／广东做法）
    sources: [财预〔2018〕167号 …]
    evidence: L
    unit: 万元                          # of trigger.min_budget
    trigger: {new_projects: true, new_policies: true, increase_above: 20%, min_budget: 0}
    gate: {required: true, passing: [予以支持, 调整完善后予以支持]}
    bands: [{label: 优, from: 90%, to: 100%}, …]       # share of an item's weight
    conclusions: [{conclusion: 予以支持, at_least: 80}, …]
    dimensions:
      - name: 立项必要性
        weight: 20
        veto_below: 60%                # optional 一票否决
        items: [{code: "1.1", name: 政策相关性, weight: 5, guidance: …}, …]

Checks across fields: dimension weights add up to 100, item weights to their dimension's,
the bands cover 0%–100% without gap or overlap, conclusions run downward to 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise
from typing import Literal

from pydantic import Field

from jixiao.core.ex_ante import (
    AssessmentItem,
    AssessmentSheet,
    AssessmentTrigger,
    Conclusion,
    ConclusionRule,
    Dimension,
    ScoreBand,
)
from jixiao.core.money import HUNDRED, ONE, ZERO, wan_to_yuan
from jixiao.core.scoring import plain_number
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.problems import Problem
from jixiao.interchange.rule_documents import (
    Evidence,
    Percent,
    Points,
    RuleFileHeader,
    RuleFileKind,
    Share,
    Strict,
    Text,
)

FORMAT = "jixiao-ex-ante-rules/1"
SHIPPED_EX_ANTE_RULES = ("ex-ante-mof-guangdong", "ex-ante-county-veto")
"""The assessment sheets shipped in ``jixiao/rules``, by id."""


class ItemEntry(Strict):
    code: Text
    name: Text
    weight: Points
    guidance: str = ""


class DimensionEntry(Strict):
    name: Text
    weight: Points
    veto_below: Share | None = None
    items: list[ItemEntry] = Field(min_length=1)


class BandEntry(Strict):
    label: Text
    low: Share = Field(alias="from")
    high: Share = Field(alias="to")


class ConclusionEntry(Strict):
    conclusion: Conclusion
    at_least: Points


class TriggerEntry(Strict):
    new_projects: bool = True
    new_policies: bool = True
    increase_above: Percent | None = None
    min_budget: Points = ZERO
    source: str = ""
    evidence: Evidence | None = None


class GateEntry(Strict):
    required: bool = True
    passing: list[Conclusion] = Field(
        default_factory=lambda: [Conclusion.supported, Conclusion.supported_after_revision]
    )
    source: str = ""
    evidence: Evidence | None = None


class ExAnteFile(RuleFileHeader):
    format: Literal["jixiao-ex-ante-rules/1"]
    sources: list[Text] = Field(min_length=1)
    unit: AmountUnit = AmountUnit.wan
    trigger: TriggerEntry = TriggerEntry()
    gate: GateEntry = GateEntry()
    bands: list[BandEntry] = Field(min_length=1)
    conclusions: list[ConclusionEntry] = Field(min_length=1)
    dimensions: list[DimensionEntry] = Field(min_length=1)
    rounding_places: int = Field(default=2, ge=0, le=6)


def cross_check(model: ExAnteFile) -> Iterator[Problem]:
    """Problems no single field shows: sums, band coverage, order, duplicate codes."""
    total = sum((d.weight for d in model.dimensions), ZERO)
    if total != HUNDRED:
        terms = "＋".join(f"{d.name}{plain_number(d.weight)}" for d in model.dimensions)
        yield Problem("dimensions", f"各维度分值（{terms}）合计为{plain_number(total)}，应为100")
    codes = Counter(item.code for d in model.dimensions for item in d.items)
    for index, dimension in enumerate(model.dimensions):
        items = sum((item.weight for item in dimension.items), ZERO)
        if items != dimension.weight:
            yield Problem(
                f"dimensions[{index}].items",
                f"“{dimension.name}”各评分项分值合计{plain_number(items)}，"
                f"与维度分值{plain_number(dimension.weight)}不符",
            )
        for position, item in enumerate(dimension.items):
            if codes[item.code] > 1:
                yield Problem(
                    f"dimensions[{index}].items[{position}].code",
                    f"评分项编号“{item.code}”重复出现{codes[item.code]}次",
                )
    yield from _check_bands(model.bands)
    yield from _check_conclusions(model.conclusions)


def _check_bands(bands: list[BandEntry]) -> Iterator[Problem]:
    if bands[0].high != ONE:
        yield Problem("bands[0].to", "第一个等级应到100%为止")
    if bands[-1].low != ZERO:
        yield Problem(f"bands[{len(bands) - 1}].from", "最后一个等级应从0%开始")
    for index, band in enumerate(bands):
        if band.low >= band.high:
            yield Problem(f"bands[{index}]", f"等级“{band.label}”的起点应低于终点")
    for index, (upper, lower) in enumerate(pairwise(bands), start=1):
        if lower.high != upper.low:
            yield Problem(
                f"bands[{index}].to",
                f"等级“{lower.label}”应止于上一等级“{upper.label}”的起点，各等级之间不能有空档或重叠",
            )


def _check_conclusions(conclusions: list[ConclusionEntry]) -> Iterator[Problem]:
    for index, (upper, lower) in enumerate(pairwise(conclusions), start=1):
        if lower.at_least >= upper.at_least:
            yield Problem(f"conclusions[{index}].at_least", "评估结论应按分数从高到低排列")
    if conclusions[-1].at_least != ZERO:
        yield Problem(f"conclusions[{len(conclusions) - 1}].at_least", "最后一个评估结论应从0分起")


def to_sheet(model: ExAnteFile) -> AssessmentSheet:
    """The core sheet a validated file describes (shares as fractions, amounts in 元)."""

    def yuan(amount: Decimal) -> Decimal:
        return wan_to_yuan(amount) if model.unit is AmountUnit.wan else amount

    return AssessmentSheet(
        id=model.id,
        name=model.name,
        version=model.version,
        dimensions=tuple(
            Dimension(
                name=d.name,
                weight=d.weight,
                veto_below=d.veto_below,
                items=tuple(
                    AssessmentItem(i.code, d.name, i.name, i.weight, i.guidance) for i in d.items
                ),
            )
            for d in model.dimensions
        ),
        bands=tuple(ScoreBand(b.label, b.low, b.high) for b in model.bands),
        conclusions=tuple(ConclusionRule(c.conclusion, c.at_least) for c in model.conclusions),
        trigger=AssessmentTrigger(
            new_projects=model.trigger.new_projects,
            new_policies=model.trigger.new_policies,
            increase_above=model.trigger.increase_above,
            min_budget=yuan(model.trigger.min_budget),
        ),
        gate_required=model.gate.required,
        passing=tuple(model.gate.passing),
        rounding_places=model.rounding_places,
        sources=tuple(model.sources),
        evidence=model.evidence or "",
    )


EX_ANTE_FILES = RuleFileKind(ExAnteFile, cross_check, to_sheet, "rules", SHIPPED_EX_ANTE_RULES)


def parse_ex_ante_rules(raw: bytes | str, where: str = "") -> AssessmentSheet:
    """Validate an assessment rule file; raise InputRejected with every problem found."""
    return EX_ANTE_FILES.parse(raw, where)


def shipped_ex_ante_rules(name: str) -> AssessmentSheet:
    """A shipped assessment sheet by id: one of ``SHIPPED_EX_ANTE_RULES``."""
    return EX_ANTE_FILES.packaged(name)
