"""Units of measure that indicator and achievement figures are written in.

Each unit belongs to a dimension and carries a factor to the dimension's base unit,
so that 72890元 and 7.289万元 compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class UnitOfMeasure:
    symbol: str
    dimension: str
    factor: Decimal  # how many base units one of this unit is


def _units(dimension: str, pairs: dict[str, str]) -> dict[str, UnitOfMeasure]:
    return {s: UnitOfMeasure(s, dimension, Decimal(f)) for s, f in pairs.items()}


UNITS: dict[str, UnitOfMeasure] = {
    **_units("money", {"元": "1", "万元": "10000", "亿元": "100000000"}),
    **_units("ratio", {"%": "0.01"}),
    **_units("area", {
        "平方米": "1", "万平方米": "10000", "公顷": "10000",
        "平方公里": "1000000", "亩": "666.666666666666666666666667",
    }),
    **_units("length", {"米": "1", "公里": "1000", "千米": "1000"}),
    **_units("duration", {"天": "1", "日": "1", "个工作日": "1", "工作日": "1",
                          "月": "30", "个月": "30", "年": "365"}),
    **_units("count", {s: "1" for s in (
        "个", "项", "宗", "次", "人", "人次", "场", "条", "名", "件", "份", "批",
        "宗地", "块", "处", "栋", "户", "家", "套", "台", "本", "册", "期", "篇", "片",
        "座", "个数", "张", "单",
    )}),
}

_ALIASES = {"％": "%", "m": "米", "km": "公里", "㎡": "平方米", "平方千米": "平方公里"}


def normalise_unit(text: str) -> UnitOfMeasure | None:
    """The known unit a text names, or None when it names none."""
    symbol = text.strip()
    return UNITS.get(_ALIASES.get(symbol, symbol))
