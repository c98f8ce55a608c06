"""指标库 (indicator library): shared indicators with 取值依据 and the values they took.

[D] 财预〔2021〕101号 asks that each core indicator carry its definition and 计算口径, a
unit, a data source and the basis its value is set on — 计划标准, 行业标准, 历史标准 or
其他标准 confirmed by the finance bureau and the department. A library holds such entries
per sector and 领域 (a natural-resources set, the 财预〔2013〕53号 department set, and
what a bureau imports), versioned, and beside them the values each indicator took in past
years across departments, so that goal setting can start from history rather than a guess.

Decisions where the sources are silent (tested in tests/cycle):

* A goal's indicator is the library's when its 三级指标 name equals the entry's name or
  one of its aliases (spaces and quotes ignored); nothing is matched by similarity.
* The suggested target is the median of past actuals (the mean of the middle two for an
  even count), with the lowest and highest as the spread, and the operator the entry's
  direction implies (≥ higher is better, ≤ lower is better, = otherwise).
* "目标值偏低": a target less demanding than last year's actual of the same project (or,
  when the project has none, of the department), or beyond the library's tolerance on the
  lax side of the benchmark (below it for higher-is-better, above it for lower-is-better).
* Past values come from two sources, kept apart: the actuals of the goals stored in this
  system (本系统历年实际值) and the values a library carries (指标库历年数值: its file or
  its imported 历年数值 sheet). A suggestion counts both and says how many of each; last
  year's actual is the system's where it has one, the library's otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from jixiao.core.consistency import Finding
from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.money import HUNDRED, ONE, ZERO
from jixiao.core.scoring import plain_number
from jixiao.core.targets import Operator, Quantity, TargetError, comparable, parse_target
from jixiao.core.units import normalise_unit
from jixiao.core.vocabulary import Severity


class ValueBasis(StrEnum):
    """取值依据, as 财预〔2021〕101号 names them."""

    plan = "计划标准"
    industry = "行业标准"
    history = "历史标准"
    other = "其他标准"


class Direction(StrEnum):
    """Which way an indicator improves."""

    higher_is_better = "higher"
    lower_is_better = "lower"
    exact = "exact"

    @property
    def label(self) -> str:
        return {
            Direction.higher_is_better: "正向",
            Direction.lower_is_better: "反向",
            Direction.exact: "等于",
        }[self]

    @property
    def operator(self) -> Operator:
        return {
            Direction.higher_is_better: Operator.ge,
            Direction.lower_is_better: Operator.le,
        }.get(self, Operator.eq)


class EntryStatus(StrEnum):
    """A department proposes an indicator; the 财政局 approves it into the library."""

    approved = "approved"
    proposed = "proposed"

    @property
    def label(self) -> str:
        return {EntryStatus.approved: "已入库", EntryStatus.proposed: "待审核"}[self]


@dataclass(frozen=True)
class LibraryIndicator:
    """One indicator of the library."""

    code: str
    level1: str
    level2: str
    level3: str
    sector: str
    """行业 / 部门领域, e.g. 自然资源."""
    field: str
    """领域 within the sector, e.g. 不动产登记."""
    kind: IndicatorKind
    unit: str
    """计量单位 ("%", "宗"); "" for a qualitative indicator."""
    direction: Direction
    definition: str
    """指标解释 / 计算口径."""
    basis: ValueBasis
    benchmark: Decimal | None = None
    """基准值 in ``unit``, from the basis (a plan, an industry standard …); None if none."""
    benchmark_source: str = ""
    data_source: str = ""
    aliases: tuple[str, ...] = ()
    version: str = ""
    status: EntryStatus = EntryStatus.approved
    evidence: str = ""

    cost_standard: str = ""
    """The 定额标准 / 支出标准 (by code) a cost per unit of this output is compared with."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.level3, *self.aliases)

    def as_indicator(self, target: str, weight: Decimal) -> Indicator:
        """The goal row this entry becomes when a goal chooses it."""
        return Indicator(self.level1, self.level2, self.level3, self.kind, target, weight)


class PastValueSource(StrEnum):
    """Where a past value comes from."""

    system = "本系统历年实际值"
    """A stored goal's actual, read when asked for."""
    library = "指标库历年数值"
    """A value the library carries (its file, or its imported 历年数值 sheet)."""


@dataclass(frozen=True)
class PastValue:
    """The value an indicator took in one year, for one department or region (and project)."""

    code: str
    fiscal_year: int
    department: str
    """The department's code, or a department's or region's name as the library gives it."""
    project_code: str | None
    target: Decimal | None
    """年度指标值 in ``unit``; None when not known."""
    actual: Decimal | None
    """实际完成值 in ``unit``; None when not reported."""
    illustrative: bool = False
    unit: str = ""
    """The unit the values are written in; "" for the indicator's own."""
    note: str = ""
    """来源: where the library took the value from, as it says."""
    source: PastValueSource = PastValueSource.library

    def in_unit_of(self, entry: LibraryIndicator) -> PastValue | None:
        """The value in the indicator's unit; None when the units are of different kinds."""
        if not self.unit or self.unit == entry.unit or not entry.unit:
            return self
        given, wanted = normalise_unit(self.unit), normalise_unit(entry.unit)
        if given is None or wanted is None or given.dimension != wanted.dimension:
            return None
        factor = given.factor / wanted.factor

        def converted(value: Decimal | None) -> Decimal | None:
            return None if value is None else (value * factor).normalize()

        return replace(
            self, target=converted(self.target), actual=converted(self.actual), unit=entry.unit
        )


@dataclass(frozen=True)
class IndicatorLibrary:
    """A versioned library of indicators and their history."""

    id: str
    name: str
    version: str
    indicators: tuple[LibraryIndicator, ...]
    history: tuple[PastValue, ...] = ()
    benchmark_tolerance: Decimal = Decimal("0.2")
    """A target more than this share on the lax side of the benchmark is 目标值偏低."""
    sources: tuple[str, ...] = ()
    evidence: str = ""

    def entry(self, code: str) -> LibraryIndicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def matching(self, level3: str) -> LibraryIndicator | None:
        """The approved entry a goal's 三级指标 name refers to, by name or alias."""
        wanted = _plain_name(level3)
        for entry in self.indicators:
            if entry.status is EntryStatus.approved and wanted in map(_plain_name, entry.names):
                return entry
        return None

    def values_of(self, code: str) -> tuple[PastValue, ...]:
        """The indicator's past values, in its unit (those in a unit of another kind left out)."""
        entry = self.entry(code)
        values = (v for v in self.history if v.code == code)
        if entry is None:
            return tuple(values)
        return tuple(c for v in values if (c := v.in_unit_of(entry)) is not None)


def _plain_name(name: str) -> str:
    return "".join(ch for ch in name if not ch.isspace() and ch not in "“”\"'‘’")


def merged(first: IndicatorLibrary, *others: IndicatorLibrary) -> IndicatorLibrary:
    """One library holding several: entries by code (a later one replaces), all history."""
    by_code = {i.code: i for library in (first, *others) for i in library.indicators}
    return IndicatorLibrary(
        id=first.id,
        name=first.name,
        version=first.version,
        indicators=tuple(by_code.values()),
        history=tuple(v for library in (first, *others) for v in library.history),
        benchmark_tolerance=first.benchmark_tolerance,
        sources=tuple(s for library in (first, *others) for s in library.sources),
        evidence=first.evidence,
    )


# Proposing and approving


class LibraryError(ValueError):
    """A change the library refuses; the message is Chinese."""


def propose_indicator(library: IndicatorLibrary, entry: LibraryIndicator) -> IndicatorLibrary:
    """The library with a department's proposed indicator added, awaiting approval."""
    if library.entry(entry.code) is not None:
        raise LibraryError(f"指标编码“{entry.code}”已在指标库中")
    taken = next((e for e in library.indicators if set(e.names) & set(entry.names)), None)
    if taken is not None:
        raise LibraryError(f"指标“{entry.level3}”与已有指标“{taken.code} {taken.level3}”重名")
    proposed = replace(entry, status=EntryStatus.proposed)
    return replace(library, indicators=(*library.indicators, proposed))


def approve_indicator(library: IndicatorLibrary, code: str, version: str) -> IndicatorLibrary:
    """The library with a proposed indicator approved (by the 财政局) into ``version``."""
    entry = library.entry(code)
    if entry is None:
        raise LibraryError(f"指标库中没有编码为“{code}”的指标")
    if entry.status is EntryStatus.approved:
        raise LibraryError(f"指标“{code} {entry.level3}”已入库")
    approved = replace(entry, status=EntryStatus.approved, version=version)
    indicators = tuple(approved if i.code == code else i for i in library.indicators)
    return replace(library, indicators=indicators, version=version)


# Suggestions


def suggest_indicators(
    library: IndicatorLibrary,
    sector: str,
    goal: PerformanceGoal | None = None,
    field: str | None = None,
) -> list[LibraryIndicator]:
    """Approved indicators of the sector (and field) that the goal has not chosen yet."""
    chosen = {_plain_name(i.level3) for i in goal.indicators} if goal else set()
    return [
        entry
        for entry in library.indicators
        if entry.status is EntryStatus.approved
        and entry.sector == sector
        and (field is None or entry.field == field)
        and not chosen.intersection(map(_plain_name, entry.names))
    ]


@dataclass(frozen=True)
class Spread:
    """The past actuals of one source: how many, the lowest, the median, the highest."""

    source: PastValueSource
    count: int
    median: Decimal
    lowest: Decimal
    highest: Decimal


@dataclass(frozen=True)
class TargetSuggestion:
    """A target drawn from past actuals, with their spread."""

    indicator: LibraryIndicator
    years: tuple[int, ...]
    count: int
    median: Decimal
    lowest: Decimal
    highest: Decimal
    by_source: tuple[Spread, ...] = ()
    """The spread of each source the actuals came from (本系统 first)."""

    @property
    def sources_text(self) -> str:
        """ "本系统历年实际值3个、指标库历年数值1个": which sources the median used."""
        return "、".join(f"{s.source.value}{s.count}个" for s in self.by_source)

    @property
    def spread(self) -> Decimal:
        return self.highest - self.lowest

    @property
    def target_text(self) -> str:
        """The suggested 年度指标值 as a form writes it: "≥52186宗"."""
        operator = self.indicator.direction.operator.value
        return f"{operator}{plain_number(self.median)}{self.indicator.unit}"

    @property
    def explanation(self) -> str:
        years = "、".join(str(y) for y in self.years)
        unit = self.indicator.unit
        return (
            f"按{years}年度{self.count}个实际完成值（{self.sources_text}；"
            f"{plain_number(self.lowest)}{unit}至{plain_number(self.highest)}{unit}）"
            f"的中位数建议{self.target_text}（历史标准）。"
        )


def median(values: Iterable[Decimal]) -> Decimal:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def suggest_target(
    library: IndicatorLibrary,
    code: str,
    before_year: int,
    department: str | None = None,
) -> TargetSuggestion | None:
    """A target for ``before_year`` from earlier actuals (of one department, or of all)."""
    entry = library.entry(code)
    if entry is None or entry.kind is not IndicatorKind.quantitative:
        return None
    past = [
        v
        for v in library.values_of(code)
        if v.fiscal_year < before_year
        and v.actual is not None
        and (department is None or v.department == department)
    ]
    actuals = [v.actual for v in past if v.actual is not None]
    if not actuals:
        return None
    spreads = []
    for source in PastValueSource:
        own = [v.actual for v in past if v.actual is not None and v.source is source]
        if own:
            spreads.append(Spread(source, len(own), median(own), min(own), max(own)))
    return TargetSuggestion(
        indicator=entry,
        years=tuple(sorted({v.fiscal_year for v in past})),
        count=len(actuals),
        median=median(actuals),
        lowest=min(actuals),
        highest=max(actuals),
        by_source=tuple(spreads),
    )


# 目标值偏低


def check_targets_against_library(
    goal: PerformanceGoal,
    library: IndicatorLibrary,
    fiscal_year: int,
    department: str,
) -> list[Finding]:
    """ "目标值偏低" findings for the goal's quantitative indicators found in the library."""
    findings: list[Finding] = []
    for indicator in goal.indicators:
        entry = library.matching(indicator.level3)
        if indicator.kind is not IndicatorKind.quantitative or entry is None:
            continue
        try:
            target = parse_target(indicator.target, qualitative=False)
        except TargetError:
            continue  # an unreadable target is the goal-quality check's finding
        if target is None or target.quantity is None:
            continue
        context = _Context(indicator.path, indicator.target, target.quantity, entry)
        last = _last_actual(library, entry, fiscal_year, department, goal.project_code)
        if last is not None:
            value, source = last
            findings.extend(context.against(value, LAST_YEAR_ACTUAL, ZERO, source.value))
        if entry.benchmark is not None:
            label = f"指标库基准值（{entry.basis.value}）"
            findings.extend(context.against(entry.benchmark, label, library.benchmark_tolerance))
    return findings


LAST_YEAR_ACTUAL = "上年实际完成值"
"""The figure a "目标值偏低" against last year's actual carries."""


def _last_actual(
    library: IndicatorLibrary,
    entry: LibraryIndicator,
    fiscal_year: int,
    department: str,
    project_code: str | None,
) -> tuple[Decimal, PastValueSource] | None:
    """Last year's one actual of the project (or the department), from the stored goals
    when they have one, else from the library's values; None when none or several."""
    last_year = [
        v
        for v in library.values_of(entry.code)
        if v.fiscal_year == fiscal_year - 1 and v.department == department and v.actual is not None
    ]
    for source in PastValueSource:
        found = [v for v in last_year if v.source is source]
        own = [v for v in found if v.project_code == project_code]
        chosen = own or found
        if len(chosen) == 1 and chosen[0].actual is not None:
            return chosen[0].actual, source
        if chosen:
            return None
    return None


@dataclass(frozen=True)
class _Context:
    path: str
    target_text: str
    target: Quantity
    entry: LibraryIndicator

    def against(
        self, reference: Decimal | None, label: str, tolerance: Decimal, source: str = ""
    ) -> Iterator[Finding]:
        if reference is None or self.entry.direction is Direction.exact:
            return
        unit = normalise_unit(self.entry.unit) if self.entry.unit else None
        try:
            reference_value, target_value = comparable(Quantity(reference, unit), self.target)
        except TargetError:
            return  # units of different kinds: nothing comparable to say
        lower = self.entry.direction is Direction.lower_is_better
        limit = reference_value * (ONE + tolerance if lower else ONE - tolerance)
        lax = target_value > limit if lower else target_value < limit
        if not lax:
            return
        shown = f"{plain_number(reference)}{self.entry.unit}" + (f"（{source}）" if source else "")
        side = "高" if lower else "低"
        if tolerance == ZERO:
            relation = f"{side}于{label}{shown}"
        else:
            relation = f"比{label}{shown}{side}{plain_number(tolerance * HUNDRED)}%以上"
        yield Finding(
            id="target-too-low",
            severity=Severity.warning,
            message=(f"“{self.path}”年度指标值{self.target_text}{relation}，目标值偏低。"),
            figures={"指标值": self.target.value, label: reference},
            location=self.path,
        )
