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


class LibraryFile(RuleFileHeader):
    format: Literal["jixiao-indicator-library/1"]
    benchmark_tolerance: Percent = Decimal("0.2")
    indicators: list[IndicatorEntry] = Field(min_length=1)
    history: list[PastValueEntry] = Field(default_factory=list)


def cross_check(model: LibraryFile) -> Iterator[Problem]:
    """Unique codes, known units for quantitative entries, history naming known codes."""
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
    for index, value in enumerate(model.history):
        if value.code not in counts:
            yield Problem(
                f"history[{index}].code", f"历年数值中的指标编码“{value.code}”不在指标库中"
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
