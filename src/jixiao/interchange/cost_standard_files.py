"""Cost standard files (``jixiao/rules/cost-standards-*.yaml``): 定额标准 and 支出标准 as data.

::

    format: jixiao-cost-standards/1
    id: cost-standards-central-meetings-training
    version: "2016"
    name: 中央和国家机关会议费、培训费综合定额标准
    sources: [...]
    evidence: D
    unit: 元                        # of every ``amount``
    standards:
      - {code: HY-2, name: 二类会议综合定额, kind: 定额标准, amount: 650, per_unit: 人天,
         tolerance: 0%, sector: 通用, source: …, evidence: D}

The same model reads a standards table typed in Excel (``rule_workbooks``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from jixiao.core.cost import CostStandard, CostStandards, StandardKind
from jixiao.core.money import wan_to_yuan
from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.problems import Problem
from jixiao.interchange.rule_documents import (
    Evidence,
    Percent,
    Points,
    RuleFileHeader,
    RuleFileKind,
    Strict,
    Text,
)

FORMAT = "jixiao-cost-standards/1"
SHIPPED_COST_STANDARDS = (
    "cost-standards-central-meetings-training",
    "cost-standards-demo-registration",
)
"""The standards tables shipped in ``jixiao/rules``, by id."""


class StandardEntry(Strict):
    code: Text
    name: Text
    kind: StandardKind
    amount: Points
    per_unit: Text
    tolerance: Percent = Decimal(0)
    sector: str = ""
    source: str = ""
    evidence: Evidence | None = None


class CostStandardsFile(RuleFileHeader):
    format: Literal["jixiao-cost-standards/1"]
    unit: AmountUnit = AmountUnit.yuan
    standards: list[StandardEntry] = Field(min_length=1)


def cross_check(model: CostStandardsFile) -> Iterator[Problem]:
    counts = Counter(entry.code for entry in model.standards)
    for index, entry in enumerate(model.standards):
        if counts[entry.code] > 1:
            yield Problem(
                f"standards[{index}].code", f"标准编码“{entry.code}”重复出现{counts[entry.code]}次"
            )
        if entry.amount == 0:
            yield Problem(f"standards[{index}].amount", f"标准“{entry.name}”的金额不能为0")


def to_standards(model: CostStandardsFile) -> CostStandards:
    def yuan(amount: Decimal) -> Decimal:
        return wan_to_yuan(amount) if model.unit is AmountUnit.wan else amount

    return CostStandards(
        id=model.id,
        name=model.name,
        version=model.version,
        standards=tuple(
            CostStandard(
                code=e.code,
                name=e.name,
                kind=e.kind,
                amount=yuan(e.amount),
                per_unit=e.per_unit,
                tolerance=e.tolerance,
                sector=e.sector,
                source=e.source,
                evidence=e.evidence or "",
            )
            for e in model.standards
        ),
        sources=tuple(model.sources),
        evidence=model.evidence or "",
    )


STANDARD_FILES = RuleFileKind(
    CostStandardsFile, cross_check, to_standards, "rules", SHIPPED_COST_STANDARDS
)


def standards_document(standards: CostStandards) -> dict[str, Any]:
    """The table as the document a standards file holds (amounts in 元, numbers as text),
    to keep in a JSON column and read back with ``STANDARD_FILES.from_document``."""
    return {
        "format": FORMAT,
        "id": standards.id,
        "version": standards.version,
        "name": standards.name,
        "sources": list(standards.sources),
        **({"evidence": standards.evidence} if standards.evidence else {}),
        "unit": AmountUnit.yuan.value,
        "standards": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind.value,
                "amount": str(s.amount),
                "per_unit": s.per_unit,
                "tolerance": f"{s.tolerance * 100}%",
                "sector": s.sector,
                "source": s.source,
                **({"evidence": s.evidence} if s.evidence else {}),
            }
            for s in standards.standards
        ],
    }


def parse_cost_standards(raw: bytes | str, where: str = "") -> CostStandards:
    """Validate a standards file; raise InputRejected with every problem found."""
    return STANDARD_FILES.parse(raw, where)


def shipped_cost_standards(name: str) -> CostStandards:
    """A shipped standards table by id: one of ``SHIPPED_COST_STANDARDS``."""
    return STANDARD_FILES.packaged(name)
