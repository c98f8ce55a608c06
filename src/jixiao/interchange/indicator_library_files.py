"""Indicator library files (``jixiao/rules/indicator-library/*.yaml``): read, validate, build.

::

    format: jixiao-indicator-library/1
    id: natural-resources
    version: "2024.1"
    name: 自然资源领域项目支出绩效指标库
    sources: [...]
    evidence: L
    benchmark_tolerance: 20%      # a target this far on the lax side of the benchmark is 偏低
    indicators:
      - {code: ZR-DJ-01, level1: 产出指标, level2: 数量指标, level3: 审结不动产登记案件数,
         sector: 自然资源, field: 不动产登记, kind: quantitative, unit: 宗, direction: higher,
         definition: …, basis: 历史标准, benchmark: 50000, benchmark_source: …,
         data_source: …, aliases: [...], status: approved, evidence: V}
    history:
      - {code: ZR-DJ-01, year: 2023, department: liwan-ghzy, project: null,
         target: 50000, actual: 52186, illustrative: false}
      - {code: ZR-DJ-01, year: 2022, department: 广州市, actual: 5.1, unit: 万宗,
         source: 2022年统计年报}

A past value names a department by code or a department or region by name, as the
source gives it; its values are in ``unit`` (the indicator's when empty), a unit of the
same kind as the indicator's.

The same model reads the Excel form of a library (``indicator_library_workbook``), so a
library typed in Excel is checked exactly as one written in YAML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from pydantic import Field

from jixiao.core.goals import IndicatorKind
from jixiao.core.indicator_library import (
    Direction,
    EntryStatus,
    IndicatorLibrary,
    LibraryIndicator,
    PastValue,
    ValueBasis,
)
from jixiao.core.units import normalise_unit
from jixiao.interchange.problems import Problem
from jixiao.interchange.rule_documents import (
    Evidence,
    Number,
    Percent,
    RuleFileHeader,
    RuleFileKind,
    Strict,
    Text,
)

FORMAT = "jixiao-indicator-library/1"
FOLDER = "rules/indicator-library"
SHIPPED_LIBRARIES = ("natural-resources", "mof-2013-dept")
"""The libraries shipped in ``jixiao/rules/indicator-library``, by id."""


class IndicatorEntry(Strict):
    code: Text
    level1: Text
    level2: Text
    level3: Text
    sector: Text
    field: str = ""
    kind: IndicatorKind = IndicatorKind.quantitative
    unit: str = ""
    direction: Direction = Direction.higher_is_better
    definition: Text
    basis: ValueBasis
    benchmark: Number | None = None
    benchmark_source: str = ""
    data_source: str = ""
    aliases: list[Text] = Field(default_factory=list)
    version: str = ""
    status: EntryStatus = EntryStatus.approved
    evidence: Evidence | None = None
    cost_standard: str = ""


class PastValueEntry(Strict):
    code: Text
    year: int = Field(ge=1990, le=2100)
    department: Text
    project: str | None = None
    target: Number | None = None
    actual: Number | None = None
    illustrative: bool = False
    unit: str = ""
    source: str = ""


class LibraryFile(RuleFileHeader):
    format: Literal["jixiao-indicator-library/1"]
    benchmark_tolerance: Percent = Decimal("0.2")
    indicators: list[IndicatorEntry] = Field(min_length=1)
    history: list[PastValueEntry] = Field(default_factory=list)


def cross_check(model: LibraryFile) -> Iterator[Problem]:
    """Unique codes, known units for quantitative entries; past values of known quantitative
    indicators, each with a value, in a unit of the indicator's kind, none repeated."""
    counts = Counter(entry.code for entry in model.indicators)
    for index, entry in enumerate(model.indicators):
        where = f"indicators[{index}]"
        if counts[entry.code] > 1:
            yield Problem(f"{where}.code", f"指标编码“{entry.code}”重复出现{counts[entry.code]}次")
        if entry.kind is IndicatorKind.quantitative:
            if not entry.unit:
                yield Problem(f"{where}.unit", f"定量指标“{entry.level3}”缺少计量单位")
            elif normalise_unit(entry.unit) is None:
                yield Problem(f"{where}.unit", f"不认识的计量单位“{entry.unit}”")
        elif entry.benchmark is not None:
            yield Problem(f"{where}.benchmark", f"定性指标“{entry.level3}”不能有数值基准值")
    entries = {entry.code: entry for entry in model.indicators}
    seen: dict[tuple[str, int, str, str], int] = {}
    for index, value in enumerate(model.history):
        known = entries.get(value.code)
        if known is None:
            yield Problem(
                f"history[{index}].code", f"历年数值中的指标编码“{value.code}”不在指标库中"
            )
            continue
        yield from _past_value_problems(index, value, known)
        key = (value.code, value.year, value.department, value.project or "")
        if key in seen:
            yield Problem(
                f"history[{index}]",
                f"与第{seen[key] + 1}条历年数值重复（同一指标、年度、部门或地区、项目）",
            )
        seen.setdefault(key, index)


def _past_value_problems(
    index: int, value: PastValueEntry, entry: IndicatorEntry
) -> Iterator[Problem]:
    where = f"history[{index}]"
    for key, label, most in (("department", "部门或地区", 200), ("project", "项目代码", 64),
                             ("source", "来源", 300)):  # fmt: skip
        if len(getattr(value, key) or "") > most:
            yield Problem(f"{where}.{key}", f"{label}超过{most}个字")
    if entry.kind is not IndicatorKind.quantitative:
        yield Problem(f"{where}.code", f"定性指标“{entry.level3}”没有数值，不能有历年数值")
        return
    if value.target is None and value.actual is None:
        yield Problem(f"{where}.actual", "缺少实际完成值（或年度指标值）")
    if value.unit and entry.unit:
        given, own = normalise_unit(value.unit), normalise_unit(entry.unit)
        if given is None:
            yield Problem(f"{where}.unit", f"不认识的计量单位“{value.unit}”")
        elif own is not None and given.dimension != own.dimension:
            yield Problem(
                f"{where}.unit",
                f"计量单位“{value.unit}”与指标“{entry.level3}”的计量单位“{entry.unit}”不是同一类",
            )


def to_library(model: LibraryFile) -> IndicatorLibrary:
    return IndicatorLibrary(
        id=model.id,
        name=model.name,
        version=model.version,
        indicators=tuple(
            LibraryIndicator(
                code=e.code,
                level1=e.level1,
                level2=e.level2,
                level3=e.level3,
                sector=e.sector,
                field=e.field,
                kind=e.kind,
                unit=e.unit,
                direction=e.direction,
                definition=e.definition,
                basis=e.basis,
                benchmark=e.benchmark,
                benchmark_source=e.benchmark_source,
                data_source=e.data_source,
                aliases=tuple(e.aliases),
                version=e.version or model.version,
                status=e.status,
                evidence=e.evidence or "",
                cost_standard=e.cost_standard,
            )
            for e in model.indicators
        ),
        history=tuple(
            PastValue(
                code=v.code,
                fiscal_year=v.year,
                department=v.department,
                project_code=v.project,
                target=v.target,
                actual=v.actual,
                illustrative=v.illustrative,
                unit=v.unit,
                note=v.source,
            )
            for v in model.history
        ),
        benchmark_tolerance=model.benchmark_tolerance,
        sources=tuple(model.sources),
        evidence=model.evidence or "",
    )


LIBRARY_FILES = RuleFileKind(LibraryFile, cross_check, to_library, FOLDER, SHIPPED_LIBRARIES)


def parse_indicator_library(raw: bytes | str, where: str = "") -> IndicatorLibrary:
    """Validate a library file; raise InputRejected with every problem found."""
    return LIBRARY_FILES.parse(raw, where)


def shipped_indicator_library(name: str) -> IndicatorLibrary:
    """A shipped library by id: one of ``SHIPPED_LIBRARIES``."""
    return LIBRARY_FILES.packaged(name)
