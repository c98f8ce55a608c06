"""The unit registry file (``jixiao/rules/units.yaml``): read, validate, turn into a
``jixiao.core.units.UnitRegistry``.

Each dimension lists its units with their factor to the dimension's base unit and the
other ways the units are written (aliases)::

    - id: area
      name: 面积
      units: {平方米: 1, 公顷: 10000, 亩: "666.666666666666666666666667"}
      aliases: {㎡: 平方米}

Factors are read as Decimal, never float. A symbol or alias named twice, an alias of no
unit, or a factor that is not a positive number is a located Chinese problem; nothing
half-read is returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from jixiao.core.money import ZERO, AmountError, D
from jixiao.core.units import UnitOfMeasure, UnitRegistry
from jixiao.interchange.dataset_file import load_yaml, read_limited
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

FORMAT = "jixiao-units/1"
PACKAGED = "units.yaml"


def _factor(value: Any) -> Decimal:
    if isinstance(value, float | bool):
        raise ValueError("换算系数应写成数字，如 10000")
    try:
        factor = D(value)
    except AmountError as error:
        raise ValueError(f"{error}，换算系数应写成数字，如 10000") from None
    if factor <= ZERO:
        raise ValueError("换算系数应大于0")
    return factor


Symbol = Annotated[str, Field(min_length=1, max_length=20)]
Factor = Annotated[Decimal, BeforeValidator(_factor)]


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class DimensionEntry(_Strict):
    id: Symbol
    name: Symbol
    units: dict[Symbol, Factor] = Field(min_length=1)
    aliases: dict[Symbol, Symbol] = Field(default_factory=dict)


class UnitsFile(_Strict):
    format: Literal["jixiao-units/1"]
    dimensions: list[DimensionEntry] = Field(min_length=1)


def _cross_check(model: UnitsFile) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for index, dimension in enumerate(model.dimensions):
        where = f"dimensions[{index}]"
        for symbol in (*dimension.units, *dimension.aliases):
            if symbol in seen:
                yield Problem(where, f"单位“{symbol}”已在量纲“{seen[symbol]}”中登记，不能重复")
            seen[symbol] = dimension.id
        for alias, symbol in dimension.aliases.items():
            if symbol not in dimension.units:
                yield Problem(
                    f"{where}.aliases.{alias}", f"别写“{alias}”指向的单位“{symbol}”不在本量纲中"
                )


def parse_units(raw: bytes | str, where: str = "") -> UnitRegistry:
    """A unit registry from the text of a units file."""
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    document = load_yaml(text)
    try:
        model = UnitsFile.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error, where)) from None
    problems = list(_cross_check(model))
    if problems:
        raise InputRejected(problems)
    units = {
        symbol: UnitOfMeasure(symbol, dimension.id, factor)
        for dimension in model.dimensions
        for symbol, factor in dimension.units.items()
    }
    return UnitRegistry(
        units=units,
        aliases={a: s for dimension in model.dimensions for a, s in dimension.aliases.items()},
        dimension_names={dimension.id: dimension.name for dimension in model.dimensions},
    )


def read_units_file(path: Path | str) -> UnitRegistry:
    return parse_units(read_limited(Path(path), "单位表"), str(path))


@cache
def packaged_units() -> UnitRegistry:
    """The registry shipped in ``jixiao/rules/units.yaml``."""
    return parse_units((resources.files("jixiao") / "rules" / PACKAGED).read_bytes(), PACKAGED)
