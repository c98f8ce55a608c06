"""Money and rates: Decimal built in one place, rounding only when presenting.

Amounts are stored in 元 (yuan). Reports count in 万元 with two decimals,
rounded half-up, and print percentages with two decimals.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")

_PLAIN_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")


class AmountError(ValueError):
    """A text that is not an amount; the message is Chinese and names the text."""


def D(value: Decimal | int | str) -> Decimal:
    """Build a Decimal from an int, a Decimal or a numeric text; never from a float.

    Texts may use thousands separators ("103,118.19") and full-width digits.
    """
    if isinstance(value, bool):
        raise AmountError(f"“{value}”不是数值")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(f"“{value}”不是有限数值")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return _parse_text(value)
    raise AmountError(f"“{value!r}”不是数值（不接受浮点数，请写成文本或整数）")


def _parse_text(text: str) -> Decimal:
    cleaned = text.strip().translate(_FULL_WIDTH)
    if _GROUPED_NUMBER.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN_NUMBER.match(cleaned):
        raise AmountError(f"“{text}”不是有效的数值")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern already guards
        raise AmountError(f"“{text}”不是有效的数值") from error


_WIDE = Context(prec=100)  # quantize must not fail on a figure wider than 28 digits


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up to the given number of decimal places, at any magnitude (a figure
    past ``jixiao.core.bounds`` is refused where it enters; rounding one never fails)."""
    digits = max(value.adjusted(), 0) + places + 2 if value.is_finite() else 0
    context = _WIDE if digits <= _WIDE.prec else Context(prec=digits)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)


def yuan_to_wan(yuan: Decimal) -> Decimal:
    """元 → 万元, exact (no rounding)."""
    return yuan / TEN_THOUSAND


def wan_to_yuan(wan: Decimal) -> Decimal:
    """万元 → 元, exact (no rounding)."""
    return wan * TEN_THOUSAND


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole, unrounded; None when the whole is zero (a rate is undefined)."""
    if whole == ZERO:
        return None
    return part / whole


def format_thousands(value: Decimal, places: int = 2) -> str:
    """"103118.185" → "103,118.19": half-up, thousands separated, as reports print."""
    rounded = round_half_up(value, places)
    if rounded == ZERO:
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:,.{places}f}"


def format_wan(yuan: Decimal) -> str:
    """An amount in 元 printed in 万元 with two decimals: 1031181900 → "103,118.19"."""
    return format_thousands(yuan_to_wan(yuan))


def format_percent(rate: Decimal | None, places: int = 2) -> str:
    """A rate (0.7493…) printed as a percentage: "74.93%"; "—" when undefined."""
    if rate is None:
        return "—"
    return f"{format_thousands(rate * HUNDRED, places)}%"


def percent_places(text: str) -> int:
    """How many decimals a stated number carries: "97.5" → 1, "86.19" → 2, "93" → 0."""
    cleaned = text.strip().rstrip("%％")
    return len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
