"""Converting amounts between a file's unit and the 元 that storage keeps."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.money import ONE, TEN_THOUSAND
from jixiao.core.vocabulary import AmountUnit

_FACTORS = {AmountUnit.yuan: ONE, AmountUnit.wan: TEN_THOUSAND}


def to_yuan(amount: Decimal, unit: AmountUnit) -> Decimal:
    return amount * _FACTORS[unit]


def tidy(value: Decimal) -> Decimal:
    """Without trailing zeros of the fraction, and without turning 5000 into 5E+3."""
    if value == value.to_integral_value():
        return value.quantize(ONE)
    return value.normalize()


def optional_tidy(value: Decimal | None) -> Decimal | None:
    return None if value is None else tidy(value)


def from_yuan(amount: Decimal, unit: AmountUnit) -> Decimal:
    """元 → the unit, tidied."""
    return tidy(amount / _FACTORS[unit])


def optional_to_yuan(amount: Decimal | None, unit: AmountUnit) -> Decimal | None:
    return None if amount is None else to_yuan(amount, unit)


def optional_from_yuan(amount: Decimal | None, unit: AmountUnit) -> Decimal | None:
    return None if amount is None else from_yuan(amount, unit)
