"""指标库 in everyday work: the library's current versions, the values its indicators took
in the stored years, suggestions for a goal, departments' proposals and the bureau's
decisions, and the library's Excel import and export.

The shipped files (``jixiao/rules/indicator-library``) are the base: a library without a
stored ``LibraryVersion`` is read from its file. A bureau import or an approved proposal
stores a new version (all its indicators); the latest stored version is the current one.

Past values come from two sources, labelled apart (``PastValueSource``):

* 本系统历年实际值: drawn, when asked for, from the stored goals' quantitative actuals
  (and targets) whose 三级指标 names a library indicator (``IndicatorLibrary.matching``),
  converted into the indicator's unit, across every department and year; never copied
  into the library tables.
* 指标库历年数值: the values a library carries: a shipped file's ``history``, or the 历年数值
  sheet of an imported workbook, stored with its version (``LibraryPastValue``) as given
  (department or region name, unit, 来源). A stored goal's value of the same indicator,
  year, department and project replaces the library's.

Decisions where the sources are silent:

* An approved proposal goes into the library the bureau chooses (by default the one
  already holding indicators of the proposal's sector), as a new version numbered after
  the current one ("2024.1" → "2024.2"); its code is the bureau's or ``XZ-`` and the
  proposal's number.
* A workbook import replaces the library of its 编号 with a new version, its 历年数值
  sheet included; the rows whose 来源 is 本系统历年实际值 (an export writes the stored
  goals' values so) are not stored: they are drawn from the stored goals again, and the
  preview says how many. So export → import → export gives the same sheet.
* An approved proposal's new version keeps the library's 历年数值.
* For 目标值偏低, a library value naming the department by its name counts as the
  department's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from jixiao.core import goals as core
from jixiao.core.consistency import Finding
from jixiao.core.goals import IndicatorKind
from jixiao.core.indicator_library import (
    LAST_YEAR_ACTUAL,
    Direction,
    EntryStatus,
    IndicatorLibrary,
    LibraryError,
    LibraryIndicator,
    PastValue,
    PastValueSource,
    TargetSuggestion,
    ValueBasis,
    check_targets_against_library,
    merged,
    propose_indicator,
    suggest_target,
)
from jixiao.core.rules import ProjectRules
from jixiao.core.scoring import plain_number
from jixiao.core.targets import Quantity, TargetError, parse_actual, parse_target
from jixiao.core.units import normalise_unit
from jixiao.core.vocabulary import Severity
from jixiao.errors import UserFacingError
from jixiao.interchange.indicator_library_files import (
    SHIPPED_LIBRARIES,
    shipped_indicator_library,
)
from jixiao.interchange.rule_workbooks import read_library_workbook, write_library_workbook
from jixiao.services.versioned_cache import code_fingerprint, data_version, kept
from jixiao.storage import models as m
from jixiao.storage.models import ProposalStatus

ORIGIN_LABELS = {"import": "导入", "approval": "审核入库"}
PROPOSAL_CODE_PREFIX = "XZ-"


class IndicatorLibraryError(UserFacingError):
    """A library change that was refused; nothing was saved. The message is Chinese."""


# The current libraries


@cache
def _shipped(library_id: str) -> IndicatorLibrary:
    return shipped_indicator_library(library_id)


def _latest_version(library_id: str) -> m.LibraryVersion | None:
    return m.LibraryVersion.objects.filter(library=library_id).order_by("-id").first()


def _entry_of(row: m.LibraryEntry) -> LibraryIndicator:
    return LibraryIndicator(
        code=row.code,
        level1=row.level1,
        level2=row.level2,
        level3=row.level3,
        sector=row.sector,
        field=row.field,
        kind=IndicatorKind(row.kind),
        unit=row.unit,
        direction=Direction(row.direction),
        definition=row.definition,
        basis=ValueBasis(row.basis),
        benchmark=row.benchmark.normalize() if row.benchmark is not None else None,
        benchmark_source=row.benchmark_source,
        data_source=row.data_source,
        aliases=tuple(row.aliases or ()),
        version=row.entry_version,
        evidence=row.evidence,
        cost_standard=row.cost_standard,
    )


def _past_value_of(row: m.LibraryPastValue) -> PastValue:
    return PastValue(
        code=row.code,
        fiscal_year=row.year,
        department=row.department,
        project_code=row.project_code or None,
        target=row.target.normalize() if row.target is not None else None,
        actual=row.actual.normalize() if row.actual is not None else None,
        illustrative=row.illustrative,
        unit=row.unit,
        note=row.source,
    )


def _stored_library(version: m.LibraryVersion) -> IndicatorLibrary:
    history = tuple(_past_value_of(row) for row in version.past_values.order_by("id"))
    return IndicatorLibrary(
        id=version.library,
        name=version.name,
        version=version.version,
        indicators=tuple(_entry_of(row) for row in version.entries.order_by("id")),
        history=history,
        benchmark_tolerance=version.benchmark_tolerance.normalize(),
        sources=tuple(version.sources or ()),
        evidence=version.evidence,
    )


def library_ids() -> list[str]:
    """The shipped libraries, then those only a bureau import brought, by id."""
    stored = m.LibraryVersion.objects.values_list("library", flat=True).distinct()
    return [*SHIPPED_LIBRARIES, *sorted(set(stored) - set(SHIPPED_LIBRARIES))]


def current_library(library_id: str) -> IndicatorLibrary:
    """A library as it stands: its latest stored version, or its shipped file."""
    version = _latest_version(library_id)
    if version is not None:
        return _stored_library(version)
    if library_id in SHIPPED_LIBRARIES:
        return _shipped(library_id)
    raise IndicatorLibraryError(f"没有编号为“{library_id}”的指标库")


def libraries() -> list[IndicatorLibrary]:
    return [current_library(library_id) for library_id in library_ids()]


def merged_library() -> IndicatorLibrary:
    """Every current library as one, with the libraries' own past values only."""
    return merged(*libraries())


@dataclass(frozen=True)
class VersionRow:
    """A stored version of a library, for the library page's list of versions."""

    library: str
    version: str
    origin: str
    note: str
    user_name: str
    created_at: Any
    count: int


def versions() -> list[VersionRow]:
    rows = m.LibraryVersion.objects.annotate(count=Count("entries")).order_by("-id")
    return [
        VersionRow(
            v.library, v.version, ORIGIN_LABELS.get(v.origin, v.origin), v.note, v.user_name,
            v.created_at, v.count,
        )
        for v in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class LibraryValueRow:
    """A library's own past value, for the library page."""

    library: IndicatorLibrary
    value: PastValue
    entry: LibraryIndicator | None

    @property
    def unit(self) -> str:
        return self.value.unit or (self.entry.unit if self.entry else "")


def library_values(only: Collection[str] | None = None) -> list[LibraryValueRow]:
    """The 指标库历年数值 of the current libraries (of those ``only`` names when given)."""
    return [
        LibraryValueRow(library, value, library.entry(value.code))
        for library in libraries()
        if only is None or library.id in only
        for value in library.history
    ]


# Past values drawn from the stored goals


def _in_unit(quantity: Quantity, entry: LibraryIndicator) -> Decimal | None:
    """The quantity in the entry's unit; None when the units are of different kinds."""
    unit = normalise_unit(entry.unit) if entry.unit else None
    if quantity.unit is None or unit is None:
        return quantity.value
    if quantity.unit.dimension != unit.dimension:
        return None
    return quantity.value * quantity.unit.factor / unit.factor


def _quantity(text: str | None, target: bool) -> Quantity | None:
    try:
        if target:
            parsed = parse_target(text, qualitative=False)
            return parsed.quantity if parsed is not None else None
        actual = parse_actual(text)
    except TargetError:
        return None
    return actual if isinstance(actual, Quantity) else None


def stored_past_values(
    library: IndicatorLibrary, *, department: str | None = None, year: int | None = None
) -> list[PastValue]:
    """The values the library's indicators took in the stored goals (of one department
    or year when given): every quantitative row with a readable actual."""
    rows = m.Indicator.objects.filter(kind=IndicatorKind.quantitative.value).exclude(actual=None)
    if department is not None:
        rows = rows.filter(goal__fiscal_year__department__code=department)
    if year is not None:
        rows = rows.filter(goal__fiscal_year__year=year)
    found: list[PastValue] = []
    matched: dict[str, LibraryIndicator | None] = {}
    for level3, target, actual, illustrative, fiscal_year, code, project in rows.values_list(
        "level3", "target", "actual", "illustrative", "goal__fiscal_year__year",
        "goal__fiscal_year__department__code", "goal__project__code",
    ):  # fmt: skip
        if level3 not in matched:
            matched[level3] = library.matching(level3)
        entry = matched[level3]
        quantity = _quantity(actual, target=False) if entry is not None else None
        if entry is None or quantity is None:
            continue
        value = _in_unit(quantity, entry)
        if value is None:
            continue
        planned = _quantity(target, target=True)
        found.append(
            PastValue(
                code=entry.code,
                fiscal_year=fiscal_year,
                department=code,
                project_code=project,
                target=_in_unit(planned, entry) if planned is not None else None,
                actual=value,
                illustrative=illustrative,
                source=PastValueSource.system,
            )
        )
    return found


def _with_history(library: IndicatorLibrary, stored: Iterable[PastValue]) -> IndicatorLibrary:
    stored = list(stored)
    taken = {(v.code, v.fiscal_year, v.department, v.project_code) for v in stored}
    shipped = [
        v
        for v in library.history
        if (v.code, v.fiscal_year, v.department, v.project_code) not in taken
    ]
    return replace(library, history=(*shipped, *stored))


def combined_library() -> IndicatorLibrary:
    """Every current library as one, with all the past values: the libraries' and the
    stored goals'. Read afresh on each call; the pages use ``targets_before``, which is kept."""
    library = merged(*libraries())
    return _with_history(library, stored_past_values(library))


def targets_before(year: int) -> dict[str, TargetSuggestion]:
    """Per indicator code, the target suggested for ``year`` from the actuals of every
    earlier year and department, with their spread (kept while no stored data changes)."""

    def compute() -> dict[str, TargetSuggestion]:
        library = combined_library()
        by_code: dict[str, list[PastValue]] = {}
        for value in library.history:
            by_code.setdefault(value.code, []).append(value)
        found = {}
        for entry in library.indicators:
            alone = replace(library, history=tuple(by_code.get(entry.code, ())))
            suggested = suggest_target(alone, entry.code, year)
            if suggested is not None:
                found[entry.code] = suggested
        return found

    return kept(
        "indicator-library-targets",
        compute,
        code_fingerprint(),
        year,
        versions=lambda: (data_version(),),
    )


# Suggestions for a goal


@dataclass(frozen=True)
class Suggestion:
    """A library indicator offered to a goal, with a target drawn from past actuals."""

    entry: LibraryIndicator
    target: TargetSuggestion | None
    relevant: bool
    """Of a sector the department's stored goals already use, or used by this project."""

    @property
    def target_text(self) -> str:
        return self.target.target_text if self.target else ""

    @property
    def spread_text(self) -> str:
        """ "历年实际值：最低…，中位…，最高…，N 个（本系统历年实际值3个、指标库历年数值1个）":
        all the past actuals the suggested target is the median of; empty without any."""
        if self.target is None:
            return ""
        target = self.target
        return (
            f"历年实际值：{self._spread(target.lowest, target.median, target.highest)}，"
            f"{target.count} 个（{target.sources_text}）"
        )

    @property
    def source_lines(self) -> list[str]:
        """One line per source: "本系统历年实际值：最低…，中位…，最高…，N 个"."""
        if self.target is None:
            return []
        return [
            f"{s.source.value}：{self._spread(s.lowest, s.median, s.highest)}，{s.count} 个"
            for s in self.target.by_source
        ]

    @property
    def used_text(self) -> str:
        """ "建议值为本系统历年实际值3个、指标库历年数值1个的中位数"."""
        return f"建议值为{self.target.sources_text}的中位数" if self.target else ""

    def _spread(self, lowest: Decimal, middle: Decimal, highest: Decimal) -> str:
        unit = self.entry.unit
        return (
            f"最低{plain_number(lowest)}{unit}，中位{plain_number(middle)}{unit}，"
            f"最高{plain_number(highest)}{unit}"
        )

    @property
    def benchmark_text(self) -> str:
        entry, benchmark = self.entry, self.entry.benchmark
        if benchmark is None:
            return ""
        return f"基准值{plain_number(benchmark)}{entry.unit}（{entry.basis.value}）"


def suggestions_for(
    fiscal_year: m.FiscalYear,
    project_code: str | None = None,
    goal: core.PerformanceGoal | None = None,
) -> list[Suggestion]:
    """The approved indicators a goal of the year may choose (those it has not chosen),
    the relevant first: of the sectors the department's stored goals use, and first of all
    those this project used before. Targets from the actuals of earlier years."""
    library = merged_library()
    department = fiscal_year.department.code
    own = [
        *(v for v in library.history if v.department == department),
        *stored_past_values(library, department=department),
    ]
    sectors = {e.sector for v in own if (e := library.entry(v.code)) is not None}
    used = {v.code for v in own if project_code and v.project_code == project_code}
    chosen = {i.level3 for i in goal.indicators} if goal else set()
    taken = {entry.code for name in chosen if (entry := library.matching(name)) is not None}
    targets = targets_before(fiscal_year.year)
    suggestions = [
        Suggestion(entry, targets.get(entry.code), entry.sector in sectors or entry.code in used)
        for entry in library.indicators
        if entry.status is EntryStatus.approved and entry.code not in taken
    ]
    suggestions.sort(key=lambda s: (s.entry.code not in used, not s.relevant))
    return suggestions


def _matches(entry: LibraryIndicator, sector: str, field: str, query: str) -> bool:
    text = " ".join((entry.code, entry.level1, entry.level2, entry.level3, entry.definition))
    return (
        (not sector or entry.sector == sector)
        and (not field or entry.field == field)
        and (not query or query in text or any(query in alias for alias in entry.aliases))
    )


ALL_YEARS = 10_000
"""The library page's spread counts the actuals of every stored year."""


def search(
    library: IndicatorLibrary, sector: str = "", field: str = "", query: str = ""
) -> list[Suggestion]:
    """The library page's rows: the indicators of ``sector`` and ``field`` (any when
    empty) whose code, names, definition or aliases hold ``query``, each with the spread
    of every stored year's actuals."""
    targets = targets_before(ALL_YEARS)
    return [
        Suggestion(entry, targets.get(entry.code), False)
        for entry in library.indicators
        if _matches(entry, sector, field, query)
    ]


def sector_of(suggestions: Sequence[Suggestion]) -> str:
    """The sector to show first: that of the most relevant suggestions ("" when none is)."""
    counts: dict[str, int] = {}
    for suggestion in suggestions:
        if suggestion.relevant:
            counts[suggestion.entry.sector] = counts.get(suggestion.entry.sector, 0) + 1
    return max(counts, key=lambda sector: counts[sector]) if counts else ""


def library_findings(fiscal_year: m.FiscalYear, goal: core.PerformanceGoal) -> list[Finding]:
    """ "目标值偏低": the goal's targets against last year's actuals of the department (from
    the stored goals) and the library's benchmarks."""
    return year_library_findings(fiscal_year, [goal])[0]


def year_library_findings(
    fiscal_year: m.FiscalYear, goals: Sequence[core.PerformanceGoal]
) -> list[list[Finding]]:
    """``library_findings`` of several goals of one year, the library read once."""
    if not any(goal.indicators for goal in goals):
        return [[] for _goal in goals]
    department = fiscal_year.department.code
    library = merged(*libraries())
    named = fiscal_year.department.name
    own = tuple(replace(v, department=department) if v.department == named else v
                for v in library.history)  # fmt: skip
    library = replace(library, history=own)
    last_year = stored_past_values(library, department=department, year=fiscal_year.year - 1)
    library = _with_history(library, last_year)
    return [
        check_targets_against_library(goal, library, fiscal_year.year, department) for goal in goals
    ]


def with_library_findings(
    found: list[Finding], library: list[Finding], rules: ProjectRules
) -> list[Finding]:
    """A goal's quality findings and the library's, saying once that a target is below last
    year's actual: the library's "目标值偏低" replaces the goal check's own. The rule set
    may make "目标值偏低" an 错误 (``goal_quality.low_target_blocks``)."""
    said = {f.location for f in library if LAST_YEAR_ACTUAL in f.figures}
    kept = [f for f in found if not (f.id == "target-below-last-year" and f.location in said)]
    if rules.goal_quality.low_target_blocks:
        library = [replace(f, severity=Severity.error) for f in library]
    return kept + library


# Proposals


@dataclass(frozen=True)
class ProposalInput:
    """What a department proposes: the indicator as it would enter the library."""

    level1: str
    level2: str
    level3: str
    sector: str
    field: str
    kind: IndicatorKind
    unit: str
    direction: Direction
    definition: str
    basis: ValueBasis
    reason: str


def _required(values: ProposalInput) -> list[str]:
    labels = {
        "level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "sector": "行业",
        "definition": "指标解释（计算口径）", "reason": "提议理由",
    }  # fmt: skip
    return [label for name, label in labels.items() if not str(getattr(values, name)).strip()]


def _candidate(values: ProposalInput, code: str) -> LibraryIndicator:
    return LibraryIndicator(
        code=code,
        level1=values.level1.strip(),
        level2=values.level2.strip(),
        level3=values.level3.strip(),
        sector=values.sector.strip(),
        field=values.field.strip(),
        kind=values.kind,
        unit=values.unit.strip(),
        direction=values.direction,
        definition=values.definition.strip(),
        basis=values.basis,
    )


def _check_candidate(entry: LibraryIndicator) -> None:
    if entry.kind is IndicatorKind.quantitative:
        if not entry.unit:
            raise IndicatorLibraryError(f"定量指标“{entry.level3}”须写明计量单位")
        if normalise_unit(entry.unit) is None:
            raise IndicatorLibraryError(f"不认识的计量单位“{entry.unit}”")
    try:
        propose_indicator(merged(*libraries()), entry)
    except LibraryError as error:
        raise IndicatorLibraryError(str(error)) from None


def propose(
    fiscal_year: m.FiscalYear,
    project_code: str,
    values: ProposalInput,
    user: Any = None,
    user_name: str = "",
) -> m.IndicatorProposal:
    """Store a department's proposal (待审核); refused when incomplete or when its name is
    already the library's or another pending proposal's."""
    missing = _required(values)
    if missing:
        raise IndicatorLibraryError("请填写：" + "、".join(missing))
    candidate = _candidate(values, "?")
    _check_candidate(candidate)
    pending = m.IndicatorProposal.objects.filter(
        status=ProposalStatus.pending, level3=candidate.level3
    )
    if pending.exists():
        raise IndicatorLibraryError(f"指标“{candidate.level3}”已有待审核的提议")
    return m.IndicatorProposal.objects.create(
        fiscal_year=fiscal_year,
        project_code=project_code,
        level1=candidate.level1,
        level2=candidate.level2,
        level3=candidate.level3,
        sector=candidate.sector,
        field=candidate.field,
        kind=candidate.kind.value,
        unit=candidate.unit,
        direction=candidate.direction.value,
        definition=candidate.definition,
        basis=candidate.basis.value,
        reason=values.reason.strip(),
        proposer=user if getattr(user, "pk", None) else None,
        proposer_name=user_name,
    )


def proposals(status: str | None = None) -> list[m.IndicatorProposal]:
    rows = m.IndicatorProposal.objects.select_related("fiscal_year__department")
    if status is not None:
        rows = rows.filter(status=status)
    return list(rows.order_by("status", "-created_at", "-id"))


def pending_count(department_ids: Collection[int] | None = None) -> int:
    """Pending proposals of the departments ``department_ids`` (None: of every one)."""
    rows = m.IndicatorProposal.objects.filter(status=ProposalStatus.pending)
    if department_ids is not None:
        rows = rows.filter(fiscal_year__department_id__in=department_ids)
    return rows.count()


def default_library_for(sector: str) -> str:
    """The library a proposal of ``sector`` goes into unless the bureau chooses another."""
    for library in libraries():
        if any(entry.sector == sector for entry in library.indicators):
            return library.id
    return library_ids()[0]


def next_version(version: str, taken: Iterable[str]) -> str:
    """ "2024.1" → "2024.2"; a version without a trailing number gets ".1"; never one taken."""
    taken = set(taken)
    candidate = version
    while candidate == version or candidate in taken:
        match = re.match(r"^(.*?)(\d+)$", candidate)
        candidate = f"{match.group(1)}{int(match.group(2)) + 1}" if match else f"{candidate}.1"
    return candidate


def _store_version(
    library: IndicatorLibrary, origin: str, note: str, user_name: str
) -> m.LibraryVersion:
    version = m.LibraryVersion.objects.create(
        library=library.id,
        version=library.version,
        name=library.name,
        benchmark_tolerance=library.benchmark_tolerance,
        sources=list(library.sources),
        evidence=library.evidence,
        origin=origin,
        note=note[:300],
        user_name=user_name,
    )
    m.LibraryEntry.objects.bulk_create(
        m.LibraryEntry(
            library_version=version,
            code=e.code,
            level1=e.level1,
            level2=e.level2,
            level3=e.level3,
            sector=e.sector,
            field=e.field,
            kind=e.kind.value,
            unit=e.unit,
            direction=e.direction.value,
            definition=e.definition,
            basis=e.basis.value,
            benchmark=e.benchmark,
            benchmark_source=e.benchmark_source,
            data_source=e.data_source,
            aliases=list(e.aliases),
            entry_version=e.version or library.version,
            evidence=e.evidence,
            cost_standard=e.cost_standard,
        )
        for e in library.indicators
        if e.status is EntryStatus.approved
    )
    m.LibraryPastValue.objects.bulk_create(
        m.LibraryPastValue(
            library_version=version,
            code=v.code,
            year=v.fiscal_year,
            department=v.department,
            project_code=v.project_code or "",
            target=v.target,
            actual=v.actual,
            unit=v.unit,
            source=v.note,
            illustrative=v.illustrative,
        )
        for v in _own_values(library)
    )
    return version


def _drawn_from_goals(value: PastValue) -> bool:
    """A stored goal's value: drawn when asked for, or written so by an export."""
    return value.source is PastValueSource.system or value.note == PastValueSource.system.value


def _own_values(library: IndicatorLibrary) -> list[PastValue]:
    """The library's own past values: those to store with a version of it."""
    return [v for v in library.history if not _drawn_from_goals(v)]


@contextmanager
def _one_new_version() -> Iterator[None]:
    """Two changes of one library at the same moment would make the same new version: the
    second is refused (the unique version) and may be made again on the version now current."""
    try:
        yield
    except IntegrityError:
        raise IndicatorLibraryError(
            "指标库刚被他人修改（同一版本号已存在），请刷新后重试"
        ) from None


def _pending(pk: int) -> m.IndicatorProposal:
    proposal = m.IndicatorProposal.objects.select_for_update().filter(pk=pk).first()
    if proposal is None:
        raise IndicatorLibraryError("没有找到该提议")
    if proposal.status != ProposalStatus.pending:
        raise IndicatorLibraryError(f"该提议已{ProposalStatus(proposal.status).label}，不能再审核")
    return proposal


def approve(
    pk: int, user_name: str, library_id: str | None = None, code: str = "", comment: str = ""
) -> m.LibraryVersion:
    """Approve a pending proposal into a new version of ``library_id`` (by default the one
    of its sector); the proposal records the version and the code it entered with."""
    with _one_new_version(), transaction.atomic():
        proposal = _pending(pk)
        library = current_library(library_id or default_library_for(proposal.sector))
        code = code.strip() or f"{PROPOSAL_CODE_PREFIX}{proposal.pk:04d}"
        values = ProposalInput(
            proposal.level1, proposal.level2, proposal.level3, proposal.sector,
            proposal.field, IndicatorKind(proposal.kind), proposal.unit,
            Direction(proposal.direction), proposal.definition, ValueBasis(proposal.basis),
            proposal.reason,
        )  # fmt: skip
        entry = _candidate(values, code)
        _check_candidate(entry)
        taken = m.LibraryVersion.objects.filter(library=library.id).values_list(
            "version", flat=True
        )
        version = next_version(library.version, [library.version, *taken])
        approved = replace(entry, version=version, evidence="L")
        stored = _store_version(
            replace(library, version=version, indicators=(*library.indicators, approved)),
            "approval",
            f"新增“{proposal.level3}”（{proposal.fiscal_year.department.name}提议）",
            user_name,
        )
        proposal.status = ProposalStatus.approved
        proposal.code = code
        proposal.library_version = stored
        proposal.decision_reason = comment.strip()
        proposal.decided_by_name = user_name
        proposal.decided_at = timezone.now()
        proposal.save()
    return stored


def return_proposal(pk: int, user_name: str, reason: str) -> m.IndicatorProposal:
    """Return a pending proposal to its department with the bureau's reason."""
    if not reason.strip():
        raise IndicatorLibraryError("退回须写明理由")
    with transaction.atomic():
        proposal = _pending(pk)
        proposal.status = ProposalStatus.returned
        proposal.decision_reason = reason.strip()
        proposal.decided_by_name = user_name
        proposal.decided_at = timezone.now()
        proposal.save()
    return proposal


# Excel import and export


def export_workbook(library_id: str, path: Path, *, with_projects: bool = True) -> Path:
    """The current library as a workbook, with the past values drawn from stored goals
    (without the projects' codes unless ``with_projects``: a reader who may not see every
    project still gets the values)."""
    library = current_library(library_id)
    library = _with_history(library, stored_past_values(library))
    if not with_projects:
        history = tuple(replace(v, project_code=None) for v in library.history)
        library = replace(library, history=history)
    return write_library_workbook(library, path)


@dataclass(frozen=True)
class ImportPreview:
    """What importing a workbook would change, before anything is stored."""

    library: IndicatorLibrary
    current_version: str | None
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    history_rows: int
    """The 历年数值 rows stored with the new version."""
    system_rows: int = 0
    """The rows whose 来源 is 本系统历年实际值: not stored, drawn from the stored goals."""

    @property
    def new_version(self) -> str:
        return self.library.version


def _described(entry: LibraryIndicator) -> str:
    return f"{entry.code} {entry.level3}"


def preview_import(path: Path) -> ImportPreview:
    """Read and check a library workbook (InputRejected names every cell in error) and
    compare it with the library of its 编号."""
    library = read_library_workbook(path)
    known = library.id in library_ids()
    current = current_library(library.id) if known else None
    taken = set(
        m.LibraryVersion.objects.filter(library=library.id).values_list("version", flat=True)
    )
    if current is not None and (library.version == current.version or library.version in taken):
        raise IndicatorLibraryError(
            f"指标库“{library.id}”已有版本“{library.version}”，请在库信息表中改用新的版本号"
        )
    before = {e.code: e for e in current.indicators} if current else {}
    after = {e.code: e for e in library.indicators}
    return ImportPreview(
        library=library,
        current_version=current.version if current else None,
        added=tuple(_described(e) for c, e in after.items() if c not in before),
        changed=tuple(
            _described(e)
            for c, e in after.items()
            if c in before and replace(before[c], version="") != replace(e, version="")
        ),
        removed=tuple(_described(e) for c, e in before.items() if c not in after),
        history_rows=len(_own_values(library)),
        system_rows=len(library.history) - len(_own_values(library)),
    )


def commit_import(path: Path, user_name: str) -> m.LibraryVersion:
    """Store the workbook as the library's new version, all or nothing."""
    with _one_new_version(), transaction.atomic():
        preview = preview_import(path)
        return _store_version(preview.library, "import", "Excel 导入", user_name)
