"""Reading the target and actual cells of real forms: "≥95%", "＞＝９５％", "≤90万元", "效果明显".

What cannot be read is a TargetError naming the cell; the parser never guesses. Units come
from the unit registry (``jixiao.core.units``); a unit it does not name but shaped like one
(起, 羽次) reads as an unregistered unit, which callers report as a warning.

An actual may also be no figure at all (``read_quantitative_actual``): "无" / "不适用" /
"无此项" with a reason (after a separator in the cell, or in the 偏差原因 column) declares
the indicator not applicable; "完成" / "已完成" / "全部完成" against a quantitative target
is a ``FigureMissing`` error asking for the figure, never a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.core.bounds import FIGURE
from jixiao.core.money import AmountError, D
from jixiao.core.units import UnitOfMeasure, unit_registry


class Operator(StrEnum):
    """计算符号 of a quantitative target."""

    ge = "≥"
    gt = ">"
    le = "≤"
    lt = "<"
    eq = "="

    @property
    def lower_is_better(self) -> bool:
        return self in (Operator.le, Operator.lt)


class TargetError(ValueError):
    """A cell whose value cannot be read; the message names the cell and is Chinese."""

    def __init__(self, where: str, text: str, reason: str):
        self.where, self.text, self.reason = where, text, reason
        place = f"{where}：" if where else ""
        super().__init__(f"{place}无法识别“{text}”：{reason}")


class FigureOutOfBounds(TargetError):
    """A figure past ``jixiao.core.bounds.FIGURE``: the text reads, but no path may keep it."""


@dataclass(frozen=True)
class Quantity:
    """A number with its unit; unit None for a bare number."""

    value: Decimal
    unit: UnitOfMeasure | None = None

    @property
    def base_value(self) -> Decimal:
        """The value in the unit's base (元, 平方米, 天, 1 for %)."""
        return self.value * self.unit.factor if self.unit else self.value

    def __str__(self) -> str:
        return f"{self.value}{self.unit.symbol if self.unit else ''}"


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值: quantitative (operator + quantity) or qualitative text."""

    text: str
    operator: Operator | None = None
    quantity: Quantity | None = None

    @property
    def is_quantitative(self) -> bool:
        return self.quantity is not None

    def __str__(self) -> str:
        if self.quantity is None:
            return self.text
        return f"{self.operator.value if self.operator else ''}{self.quantity}"


_OPERATOR_FORMS = (
    ("≥", Operator.ge), (">=", Operator.ge), ("=>", Operator.ge), ("≧", Operator.ge),
    ("不低于", Operator.ge), ("不少于", Operator.ge), ("大于等于", Operator.ge),
    ("≤", Operator.le), ("<=", Operator.le), ("=<", Operator.le), ("≦", Operator.le),
    ("不高于", Operator.le), ("不超过", Operator.le), ("小于等于", Operator.le),
    (">", Operator.gt), ("大于", Operator.gt), ("<", Operator.lt), ("小于", Operator.lt),
    ("=", Operator.eq), ("等于", Operator.eq),
)

# The operator written after the figure, as units often type it (“95%以上”, “3个工作日内”);
# “以上/以下” include the figure itself in Chinese usage, so they read as ≥ / ≤.
_OPERATOR_SUFFIXES = (
    ("（含）以上", Operator.ge), ("(含)以上", Operator.ge), ("及以上", Operator.ge),
    ("以上", Operator.ge),
    ("（含）以下", Operator.le), ("(含)以下", Operator.le), ("及以下", Operator.le),
    ("以下", Operator.le), ("以内", Operator.le), ("之内", Operator.le), ("内", Operator.le),
)

_WIDTH = str.maketrans(
    "０１２３４５６７８９．，％＞＜＝﹦＋－　",
    "0123456789.,%><==+- ",
)
_NUMBER_AND_UNIT = re.compile(r"^([+-]?[0-9][0-9,]*(?:\.[0-9]+)?|[+-]?\.[0-9]+)\s*(\S*)$")
_LEADING_FIGURE = re.compile(r"^[+-]?\.?[0-9]")
_NOTHING = {"", "无", "/", "—", "-", "--", "——", "不适用"}


def normalise_text(text: str) -> str:
    """Full-width digits and symbols to half-width, spaces folded away."""
    return re.sub(r"\s+", "", text.translate(_WIDTH))


def is_blank(text: str | None) -> bool:
    return text is None or normalise_text(text) in _NOTHING


def _split_operator(text: str) -> tuple[Operator | None, str]:
    for form, operator in _OPERATOR_FORMS:
        if text.startswith(form):
            return operator, text[len(form):]
    return _split_suffix(text)


def _split_suffix(text: str) -> tuple[Operator | None, str]:
    """“95%以上” → (≥, “95%”): only when a figure comes before the words."""
    for form, operator in _OPERATOR_SUFFIXES:
        rest = text.removesuffix(form)
        if rest != text and _LEADING_FIGURE.match(rest):
            return operator, rest
    return None, text


def parse_quantity(text: str, where: str = "") -> Quantity | None:
    """A number with an optional known unit; None when the text holds no leading number."""
    cleaned = normalise_text(text)
    match = _NUMBER_AND_UNIT.match(cleaned)
    if not match:
        return None
    number, unit_text = match.groups()
    try:
        value = D(number)
    except AmountError as error:
        raise TargetError(where, text, str(error)) from None
    out_of_bounds = FIGURE.problem(value)
    if out_of_bounds is not None:
        raise FigureOutOfBounds(where, _clipped(text), out_of_bounds)
    if not unit_text:
        return Quantity(value)
    unit = unit_registry().read(unit_text)
    if unit is None:
        raise TargetError(where, text, f"不认识的计量单位“{unit_text}”")
    return Quantity(value, unit)


def _clipped(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…"


def parse_target(
    text: str | None, where: str = "", *, qualitative: bool | None = None
) -> Target | None:
    """Parse a 年度指标值; None when blank or "无".

    ``qualitative`` True keeps the text as it is; False requires a quantity; None (the
    kind is not known) takes a quantity where there is one and text where there is no
    number at all. A bare quantity ("100%", "0", "72890元") means "=".
    """
    if is_blank(text):
        return None
    assert text is not None
    if qualitative:
        return Target(text=text.strip())
    operator, rest = _split_operator(normalise_text(text))
    quantity = parse_quantity(rest, where)
    if quantity is not None:
        return Target(text=text.strip(), operator=operator or Operator.eq, quantity=quantity)
    if operator is not None or qualitative is False:
        raise TargetError(where, text, "定量指标值应为计算符号、数值和单位，如“≥95%”")
    return Target(text=text.strip())


def parse_actual(text: str | None, where: str = "") -> Quantity | str | None:
    """Parse a 实际完成值: a quantity, a qualitative text, or None when not reported."""
    if is_blank(text):
        return None
    assert text is not None
    cleaned = normalise_text(text)
    operator, rest = _split_operator(cleaned)
    quantity = parse_quantity(rest, where)
    if quantity is not None:
        return quantity
    if operator is not None:
        raise TargetError(where, text, "实际完成值应为数值和单位")
    return text.strip()


def comparable(target: Quantity, actual: Quantity, where: str = "") -> tuple[Decimal, Decimal]:
    """Target and actual in one base unit; a unitless side takes the other's unit."""
    if target.unit and actual.unit and target.unit.dimension != actual.unit.dimension:
        reason = f"单位“{actual.unit.symbol}”与指标值的单位“{target.unit.symbol}”不可比较"
        if not (target.unit.known and actual.unit.known):
            reason += "（未登记的单位只与同一写法的单位比较）"
        raise TargetError(where, str(actual), reason)
    unit = target.unit or actual.unit
    target_value = target.value * (target.unit or unit).factor if unit else target.value
    actual_value = actual.value * (actual.unit or unit).factor if unit else actual.value
    return target_value, actual_value


def unregistered_unit(quantity: Quantity | None) -> str | None:
    """The symbol of the quantity's unit when the unit registry does not name it."""
    if quantity is None or quantity.unit is None or quantity.unit.known:
        return None
    return quantity.unit.symbol


def unregistered_unit_warning(subject: str, symbol: str) -> str:
    """The warning for a unit the registry does not name (``subject``: “项目/指标”年度指标值)."""
    return (
        f"{subject}的计量单位“{symbol}”不在计量单位表中：只与写法相同的单位比较，不做换算；"
        f"如是笔误请更正，如是常用单位请补入计量单位表（rules/units.yaml）。"
    )


# --- actuals that are not figures -----------------------------------------------------


@dataclass(frozen=True)
class NotApplicable:
    """A 实际完成值 declaring the indicator not applicable ("无（本年未发生）"), with the
    reason given in the cell or in the 偏差原因 column."""

    text: str
    reason: str


class FigureMissing(TargetError):
    """"完成" written as the actual of a quantitative target: the figure is asked for."""


class NotAFigure(TargetError):
    """Other text written as the actual of a quantitative target."""


_NOT_APPLICABLE_WORDS = ("无此项", "不适用", "不涉及", "无")
_COMPLETION_WORDS = frozenset({"完成", "已完成", "全部完成", "已全部完成", "均已完成", "按期完成"})
_SEPARATORS = " ：:，,；;。.、-—（()）【】[]"


def not_applicable(text: str | None, reason: str = "") -> NotApplicable | None:
    """"无" / "不适用" / "无此项", alone or followed by a separator and a reason, with a
    reason from the cell or else from ``reason`` (the 偏差原因 column); None when the text
    is not such a word ("无投诉" is an actual, not a declaration) or no reason is given."""
    if text is None:
        return None
    cleaned = text.strip()
    for word in _NOT_APPLICABLE_WORDS:
        rest = cleaned.removeprefix(word)
        if rest != cleaned and (not rest or rest[0] in _SEPARATORS):
            given = rest.strip(_SEPARATORS) or reason.strip()
            return NotApplicable(cleaned, given) if given else None
    return None


def says_completed(text: str | None) -> bool:
    """"完成" / "已完成" / "全部完成": a claim of completion with no figure."""
    return text is not None and normalise_text(text).rstrip("。.！!") in _COMPLETION_WORDS


def read_quantitative_actual(
    text: str | None, where: str = "", *, reason: str = "", target: str = ""
) -> Quantity | NotApplicable | None:
    """The 实际完成值 of a quantitative indicator: a quantity, a declaration that it does not
    apply (with its reason), or None when not reported. "完成" raises ``FigureMissing``
    asking for the figure; any other text raises TargetError."""
    declared = not_applicable(text, reason)
    if declared is not None:
        return declared
    if says_completed(text):
        assert text is not None
        against = f"（年度指标值为“{target}”）" if target else ""
        raise FigureMissing(
            where, text.strip(),
            f"只写了“{text.strip()}”，没有实际完成的数值；定量指标请填写实际完成的数值和单位{against}",
        )
    actual = parse_actual(text, where)
    if isinstance(actual, str):
        raise NotAFigure(where, actual, "定量指标的实际完成值应为数值和单位，如 96.8%、52186宗")
    return actual


def operator_of(text: str) -> Operator | None:
    """The operator a cell holds on its own (“≥”, “＞＝”, “不低于”), or None if it is not one."""
    operator, rest = _split_operator(normalise_text(text))
    return operator if not rest else None
