"""Units of measure that indicator and achievement figures are written in.

Each unit belongs to a dimension and carries a factor to the dimension's base unit,
so that 72890元 and 7.289万元 compare equal. The units are data
(``jixiao/rules/units.yaml``): the interchange layer reads that file into a
``UnitRegistry``; the core only looks units up (``unit_registry()``), so a new unit is a
line in the file, not code.

A text no registry names but shaped like a unit (a few Chinese characters or Latin
letters: 起, 羽次) reads as an *unregistered* unit: its own dimension, factor 1, so a
target and an actual written in the same unregistered unit still compare, while it never
compares with any other unit. Callers say so in a warning (``UnitOfMeasure.known``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.money import ONE


@dataclass(frozen=True)
class UnitOfMeasure:
    symbol: str
    dimension: str
    factor: Decimal  # how many base units one of this unit is
    known: bool = True
    """False for a unit the registry does not name (compared only with the same text)."""


_UNIT_LIKE = re.compile(r"^(?:[\u4e00-\u9fff]{1,3}|[A-Za-z]{1,6})$")
_PER = "/"


@dataclass(frozen=True)
class UnitRegistry:
    """Every registered unit by symbol, the other ways of writing them, and the names of
    their dimensions (金额, 面积 …) for messages."""

    units: Mapping[str, UnitOfMeasure]
    aliases: Mapping[str, str] = field(default_factory=dict)
    dimension_names: Mapping[str, str] = field(default_factory=dict)

    def find(self, text: str) -> UnitOfMeasure | None:
        """The registered unit a text names (元/人 from 元 and 人), or None."""
        symbol = text.strip()
        unit = self.units.get(self.aliases.get(symbol, symbol))
        if unit is not None or _PER not in symbol:
            return unit
        top, _, bottom = symbol.partition(_PER)
        over, under = self.find(top), self.find(bottom)
        if over is None or under is None:
            return None
        return UnitOfMeasure(
            symbol, f"{over.dimension}{_PER}{under.dimension}", over.factor / under.factor
        )

    def read(self, text: str) -> UnitOfMeasure | None:
        """The registered unit, else an unregistered one when the text is shaped like a
        unit; None when it is not a unit at all ("%以上", "个（含）")."""
        unit = self.find(text)
        if unit is not None:
            return unit
        symbol = text.strip()
        parts = symbol.split(_PER)
        if len(parts) <= 2 and all(_UNIT_LIKE.match(part) for part in parts):
            return unregistered_unit(symbol)
        return None

    def dimension_name(self, unit: UnitOfMeasure) -> str:
        return self.dimension_names.get(unit.dimension, unit.dimension)


def unregistered_unit(symbol: str) -> UnitOfMeasure:
    """A unit the registry does not name: comparable only with the same text."""
    return UnitOfMeasure(symbol, f"未登记单位“{symbol}”", ONE, known=False)


class UnitsNotProvided(RuntimeError):
    """No registry was provided: a wiring fault of the program, never of the user's data."""


_loader: Callable[[], UnitRegistry] | None = None
_registry: UnitRegistry | None = None


def provide_units(loader: Callable[[], UnitRegistry]) -> None:
    """Name where the registry comes from; it is read on first use, once."""
    global _loader, _registry
    _loader, _registry = loader, None


def unit_registry() -> UnitRegistry:
    """The registry in force (the packaged ``units.yaml`` unless another was provided)."""
    global _registry
    if _registry is None:
        if _loader is None:
            raise UnitsNotProvided("计量单位表未载入（程序未指定单位表来源）")
        _registry = _loader()
    return _registry


def normalise_unit(text: str) -> UnitOfMeasure | None:
    """The registered unit a text names, or None when it names none."""
    return unit_registry().find(text)
