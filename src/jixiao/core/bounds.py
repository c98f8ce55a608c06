"""The domain's limits: how large, how fine and how long a value entering jixiao may be.

Every way data comes in — the web forms, the API, an Excel import, a dataset file, a rule
file — checks its values here, so that no path accepts what another refuses, and the core
checks them again before it computes, so that a value written past these limits (directly
in the database, or by an older version) makes one row unscorable instead of a page fail.

Why these figures (a local choice, not a rule of 财预〔2020〕10号):

* both databases must keep a number exactly. SQLite stores a decimal column as a double,
  which keeps 15 significant digits; so no figure has more than 15 (99,999,999,999,999.99
  元 would come back as 100,000,000,000,000);
* an amount is at most 9,999,999,999,999.99 元 (about 10 万亿元, more than any department
  budget), to the 分;
* a weight (分值) or a score (得分) lies between 0 and 100 with at most four decimals, what the
  score columns keep;
* an indicator's figure (年度指标值, 实际完成值, progress) or an achievement metric is at most
  999,999,999,999,999 in magnitude with at most six decimals;
* a text has no NUL and no lone surrogate (PostgreSQL refuses both, SQLite would keep them),
  no other control character (tab and line breaks aside: the rest break the Word and Excel
  documents), and fits its storage column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MOST_DIGITS = 15
"""Significant digits a double — SQLite's decimal column — keeps exactly."""


@dataclass(frozen=True)
class NumberBound:
    """The limits on one kind of number: largest magnitude, decimals kept, sign."""

    what: str
    """The kind of number as a message names it: 金额, 分值, 得分, 数值."""
    most: Decimal
    places: int
    negative: bool = True
    unit: str = ""

    def problem(self, value: Decimal) -> str | None:
        """The Chinese reason ``value`` is refused, or None when it is within bounds."""
        if value.is_finite() and (self.negative or value >= 0) and value.copy_abs() <= self.most:
            _, digits, exponent = value.as_tuple()  # an import checks 100,000s of amounts
            assert isinstance(exponent, int)
            if exponent >= -self.places and len(digits) + max(exponent, 0) <= MOST_DIGITS:
                return None  # within bounds even before trailing zeros are stripped
        shown = shown_number(value)
        if not value.is_finite():
            return f"{self.what}“{shown}”不是有限数值"
        if value < 0 and not self.negative:
            return f"{self.what}不能为负数（读到 {shown}）"
        if value.copy_abs() > self.most:
            return f"{self.what}“{shown}”超出允许范围（绝对值最大为 {self.describe_most()}）"
        if decimal_places(value) > self.places:
            return f"{self.what}“{shown}”的小数位数超过 {self.places} 位"
        if significant_digits(value) > MOST_DIGITS:
            return f"{self.what}“{shown}”的有效数字超过 {MOST_DIGITS} 位，无法精确保存"
        return None

    def describe_most(self) -> str:
        return f"{self.most:,f}{self.unit}"


AMOUNT = NumberBound("金额", Decimal("9999999999999.99"), 2, unit="元")
"""An amount in 元: budget, adjustment, payment, execution, carry-over."""
BALANCE = NumberBound("金额", AMOUNT.most, 2, negative=False, unit="元")
"""An amount that is never negative: a budget, an execution, a carry-over (an adjustment
or a refund may be)."""
WEIGHT = NumberBound("分值", Decimal("100"), 4, negative=False)
SCORE = NumberBound("得分", Decimal("100"), 4, negative=False)
PERCENT = NumberBound("百分数", Decimal("100000"), 4)
"""A rate stated in percentage points (a claimed 执行率 of 92.87)."""
COST_SHARE = NumberBound("成本占比", Decimal("100"), 4, negative=False, unit="%")
"""The share of a project's executed amount an output bears (成本占比), in %."""
FIGURE = NumberBound("数值", Decimal("999999999999999"), 6)
"""A figure of an indicator (target, actual, progress) or of an achievement."""


def _stripped(value: Decimal) -> tuple[str, int]:
    """The digits without trailing zeros, and the exponent that goes with them; exact at
    any width (``normalize`` would round to the context's 28 digits)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits)).lstrip("0") or "0"
    stripped = text.rstrip("0") or "0"
    return stripped, exponent + len(text) - len(stripped)


def decimal_places(value: Decimal) -> int:
    """Decimals written, trailing zeros aside: 1.50 → 1, 100 → 0, 1E+3 → 0."""
    _, exponent = _stripped(value)
    return max(0, -exponent)


def significant_digits(value: Decimal) -> int:
    """Digits a store must keep: 1.50 → 2, 100 → 3, 0.001 → 1."""
    digits, exponent = _stripped(value)
    return len(digits) + max(exponent, 0)


def shown_number(value: Decimal) -> str:
    """A number as a message quotes it: plain, and clipped when it is very long."""
    text = f"{value:f}" if value.is_finite() and abs(value.adjusted()) < 40 else str(value)
    return text if len(text) <= 40 else f"{text[:20]}…（共{len(text)}个字符）"


# --- texts ---------------------------------------------------------------------------

CODE_LENGTH = 64
NAME_LENGTH = 200
LONG_NAME_LENGTH = 300
"""Names of projects, budget lines, third-level indicators; targets and actuals."""
SHORT_TEXT_LENGTH = 100
TEXT_LENGTH = 20000
"""Paragraphs (reasons, narrative): a generous page count, but not a denial of service."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(text: str, most: int = TEXT_LENGTH, what: str = "文本") -> str | None:
    """The Chinese reason a text is refused, or None: NUL and control characters (tab and
    line breaks are kept), lone surrogates, more than ``most`` characters."""
    if "\x00" in text:
        return f"{what}中含有空字符（NUL），请删除后重新输入"
    control = _CONTROL.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        return f"{what}中含有控制字符 {code}（第{control.start() + 1}个字符），请删除后重新输入"
    if _SURROGATE.search(text):
        return f"{what}中含有无效的 Unicode 字符（孤立的代理码位），请检查文件编码"
    if len(text) > most:
        return f"{what}长 {len(text):,} 个字符，超过上限 {most:,} 个字符"
    return None
