"""Turning one raw cell value into a typed value, the same way for every importer.

Each reader takes a raw value (see ``workbook.CellValue``) and returns the typed value, or
None when the cell is empty; it raises ``CellError`` with a Chinese message that quotes the
value found. The caller adds where (``sheet!A1``) and the column's label (``headers.read_table``
does both).

Readers
-------
``text(v)``
    Free text (names, 摘要, reasons) as the person wrote it: stripped of surrounding spaces
    (also full-width and no-break spaces), line breaks kept as ``\n``; nothing else changes,
    so an exported name imports back identical. A text the other paths refuse
    (``jixiao.core.bounds.text_problem``: NUL or another control character, more than
    ``TEXT_LENGTH`` characters) is refused, not cleaned. Numbers become their shortest
    text (101.0 → "101"), dates their ISO form. ``""`` when empty.
``read_target_text(v, declared)``
    ``text`` for 年度指标值 / 实际完成值 cells; a formula there (“=12个” typed into a General
    cell) is refused with a message saying to type it as text.
``normalised(v)``
    ``text`` with full-width digits, Latin letters and the symbols ``％＋－＝＞＜＠＃＆＊／＿～``
    made half-width (Chinese punctuation such as ，。：；（） is kept): for anything that is
    compared rather than shown — codes, labels, targets.
``code(v)``
    ``normalised`` for codes: “Ｌ０１” → "L01", 101.0 → "101"; refuses a number Excel has
    already mangled (more than 15 digits). None when empty.
``number(v)``
    An exact ``Decimal``. How a spreadsheet number becomes exact: .xlsx stores a number as
    an IEEE double; it is read as ``Decimal(format(v, ".15g"))``: its 15 significant digits,
    the precision Excel itself shows and computes with, so 0.1 + 0.2 stored as
    0.30000000000000004 reads as 0.3, while 12.3456789 stays 12.3456789 (and is then refused
    by ``amount``). Text is read exactly: thousands separators (“1,234.5”), full-width
    digits (“１２３，４５６．７８”), accounting negatives in parentheses (“(1,234.00)”,
    “（1,234.00）”), a leading + or −, spaces. ``"-"``, ``"—"``, ``"/"`` and blank are empty.
``amount(v, unit)``
    ``number`` in the column's declared unit (元 or 万元; a cell may also say it itself, as
    in “3.5万元” or “¥1,200.00”), converted to 元 exactly and refused unless it is a whole
    number of 分 (two decimals in 元, six in 万元), or beyond ``jixiao.core.bounds.AMOUNT``
    (9,999,999,999,999.99 元: what both databases keep exactly).
``percent(v, meaning)``
    A percentage, returned in percentage points (95.5 for 95.5%). Text with a % sign means
    what it says (“95%”, “９５％”). A bare number reads by the column's declared meaning:
    ``PercentMeaning.fraction`` (Excel's % cells: 0.955 is 95.5%) or
    ``PercentMeaning.points`` (a column headed “执行率（%）”: 95.5 is 95.5%).
``date_value(v)``
    Excel dates, Excel serial numbers (1990–2100), “2023-07-31”, “2023/7/31”,
    “2023.7.31”, “2023年7月31日”, “20230731” (text or number); a time part is dropped.
``integer(v)``
    Whole numbers: 2023, 2023.0, “2023”, “2023年”, “2023年度”.
``yes_no(v)``
    是/否, Y/N, yes/no, true/false, 1/0, √/×, and Excel's TRUE/FALSE.
``Vocabulary.read(v)`` (``FUNDING_SOURCES``, ``NATURES``, ``BASIC_KINDS``)
    A closed list, by Chinese label, short label or code: “一般公共预算财政拨款”,
    “一般公共预算”, “general_public_budget” → ``FundingSource.general_public_budget``.

``Declared`` carries what the sheet declares for a column (unit, percent meaning); the
``Reader`` protocol (``read(value, declared)``) lets ``headers.Column`` name any of the
readers above, or one of your own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any, Generic, TypeVar

from jixiao.core.bounds import AMOUNT, TEXT_LENGTH, text_problem
from jixiao.core.money import CENT, TEN_THOUSAND
from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature
from jixiao.interchange.excel.workbook import CellValue, FaultyCell


class CellError(ValueError):
    """A cell that cannot be read as its column needs; the message is Chinese."""


class PercentMeaning(StrEnum):
    """How a bare number in a percent column reads."""

    fraction = "fraction"
    """0.955 means 95.5% (Excel cells formatted as %)."""
    points = "points"
    """95.5 means 95.5% (columns headed “（%）”)."""


@dataclass(frozen=True)
class Declared:
    """What the sheet declares for one column."""

    unit: AmountUnit | None = None
    percent: PercentMeaning = PercentMeaning.fraction


T = TypeVar("T")
Reader = Callable[[CellValue, Declared], Any]
"""A cell reader as ``headers.Column`` uses it: (raw value, declaration) → typed value."""

_HALF_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)},
        "％": "%", "＋": "+", "－": "-", "＝": "=", "＞": ">", "＜": "<", "＠": "@", "＃": "#",
        "＆": "&", "＊": "*", "／": "/", "＿": "_", "～": "~", "\u3000": " ", "\xa0": " ",
    }
)  # fmt: skip
_NUMBER_WIDTH = str.maketrans({"，": ",", "．": ".", "（": "(", "）": ")", "−": "-", "﹣": "-"})
_EMPTY_MARKS = {"", "-", "--", "—", "——", "/"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (32874, 73050)  # 1990-01-01 … 2099-12-31
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YES = {"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "退款"}
_NO = {"否", "n", "no", "false", "f", "0", "×", "✗", "✘"}


def display(value: CellValue) -> str:
    """A raw value as a message quotes it: 12.3456789, 2023-07-31, TRUE, “空白”."""
    if value is None:
        return "空白"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(value, ".15g") if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def refuse_faulty(value: CellValue) -> None:
    """A cell holding an Excel error or a formula without its result is named as such."""
    if isinstance(value, FaultyCell):
        raise CellError(value.reason)


def is_blank(value: CellValue) -> bool:
    """None, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def _float_text(value: float) -> str:
    text = format(value, ".15g")
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


_SURROUNDING = " \t\r\n\u3000\xa0"


def text(value: CellValue, declared: Declared | None = None) -> str:
    """Free text as written, stripped; "" when empty; refused past ``text_problem``."""
    refuse_faulty(value)
    if value is None:
        return ""
    if isinstance(value, str):
        cleaned = value.replace("\r\n", "\n").strip(_SURROUNDING)
        if not cleaned.isprintable() or len(cleaned) > TEXT_LENGTH:  # isprintable: fast, in C
            reason = text_problem(cleaned)
            if reason is not None:
                raise CellError(reason)
        return cleaned
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"“{display(value)}”不是有效的值")
        cleaned = _float_text(value)
        return cleaned.removesuffix(".0") if "." in cleaned else cleaned
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value).strip()


def normalised(value: CellValue, declared: Declared | None = None) -> str:
    """``text`` with full-width digits, letters and symbols made half-width."""
    return text(value).translate(_HALF_WIDTH).strip()


def code(value: CellValue, declared: Declared | None = None) -> str | None:
    """A code such as a line or project code: 101.0 → "101"; None when empty."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        if abs(value) >= 1e15:
            raise CellError(
                f"代码“{display(value)}”被 Excel 存成了超过15位的数字，末几位已经失真；"
                "请把该列设为“文本”格式后重新输入"
            )
        return str(int(value))
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellError(f"“{display(value)}”不是代码")
    cleaned = normalised(value)
    return cleaned or None


def _decimal_from_float(value: float) -> Decimal:
    # The shortest text that reads back as the same double (repr) has at most 15 significant
    # digits for any number typed or stored with 15 digits or fewer: then it is exactly the
    # 15-digit rounding. Longer reprs (0.30000000000000004) are rounded to 15 digits.
    if not math.isfinite(value):
        raise CellError(f"“{display(value)}”不是有限数值")
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))  # 30.0 → 30, not 30.0
    shortest = repr(value)
    if len(shortest) <= 15:
        return Decimal(shortest)
    return Decimal(format(value, ".15g"))


def _decimal_from_text(raw: str, what: str) -> Decimal | None:
    cleaned = raw.translate(_HALF_WIDTH).translate(_NUMBER_WIDTH).strip()
    if cleaned in _EMPTY_MARKS:
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1].strip()
    cleaned = re.sub(r"\s+", "", cleaned)
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned) or (negative and cleaned[:1] in "+-"):
        raise CellError(f"“{display(raw)}”不是有效的{what}（应为数字，如 1234.56 或 1,234.56）")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern guards
        raise CellError(f"“{display(raw)}”不是有效的{what}") from None
    return -number if negative else number


def number(value: CellValue, declared: Declared | None = None, *, what: str = "数值") -> (
    Decimal | None
):
    """An exact Decimal from a number or a numeric text; None when empty."""
    refuse_faulty(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"“{display(value)}”是逻辑值，不是{what}")
    if isinstance(value, float):
        return _decimal_from_float(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return _decimal_from_text(value, what)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"“{display(value)}”是日期或时间，不是{what}")
    raise CellError(f"“{display(value)}”不是{what}")  # pragma: no cover - CellValue is closed


_QUICK = 1e13
"""Floats of smaller magnitude take ``amount``'s short path."""
_UNIT_SUFFIX = re.compile(r"^(.*?)\s*(万元|元)$")
_CURRENCY_PREFIX = re.compile(r"^(?:¥|￥|RMB|人民币)\s*")


def amount(value: CellValue, unit: AmountUnit | None) -> Decimal | None:
    """An amount in 元, exact to the 分, from a cell in the given unit; None when empty."""
    if value.__class__ is float and unit is AmountUnit.yuan and -_QUICK < value < _QUICK:
        # the common case, kept short: below 10^13 元 a figure exact to the 分 is within
        # AMOUNT's bounds (13 integer digits, 2 decimals), so no further check is needed
        cents = round(value * 100)
        if cents / 100 == value:  # the float nearest a whole number of 分 (no text made)
            return Decimal(cents).scaleb(-2)
        if value.is_integer():
            quick = Decimal(int(value))
        else:
            shortest = repr(value)
            quick = Decimal(shortest if len(shortest) <= 15 else format(value, ".15g"))
        exact = quick.quantize(CENT)
        if exact == quick:
            return exact
    refuse_faulty(value)
    if isinstance(value, float) and unit is AmountUnit.yuan:
        quick = _decimal_from_float(value)
        exact = quick.quantize(CENT)
        if exact == quick and AMOUNT.problem(exact) is None:
            return exact
    stated_unit = unit
    raw = value
    if isinstance(value, str):
        cleaned = _CURRENCY_PREFIX.sub("", value.translate(_HALF_WIDTH).strip())
        match = _UNIT_SUFFIX.match(cleaned)
        if match:
            cleaned, stated_unit = match.group(1), AmountUnit(match.group(2))
        value = cleaned
    found = number(value, what="金额")
    if found is None:
        return None
    if stated_unit is None:
        raise CellError(
            f"读到“{display(raw)}”，但表中没有声明金额单位：请在表头上方写“单位：元”或“单位：万元”，"
            "或在列名中写明，如“金额（元）”"
        )
    if found.copy_abs() > AMOUNT.most:  # any unit; no need to multiply a huge figure
        raise CellError(f"金额“{display(raw)}”{stated_unit.value}过大，请检查")
    yuan = found * TEN_THOUSAND if stated_unit is AmountUnit.wan else found
    if yuan.copy_abs() > AMOUNT.most:
        raise CellError(f"金额“{display(raw)}”{stated_unit.value}过大，请检查")
    exact = yuan.quantize(CENT)
    if exact != yuan:
        places = "两" if stated_unit is AmountUnit.yuan else "六"
        raise CellError(
            f"金额“{display(raw)}”{stated_unit.value}超过分位精度：金额最多精确到分"
            f"（以{stated_unit.value}计最多{places}位小数）；请检查是否多录了数字，或先四舍五入到分"
        )
    return exact


def percent(value: CellValue, meaning: PercentMeaning) -> Decimal | None:
    """A percentage in percentage points (95.5 for 95.5%); None when empty."""
    refuse_faulty(value)
    if isinstance(value, str):
        cleaned = value.translate(_HALF_WIDTH).strip()
        if cleaned.endswith("%"):
            points = number(cleaned[:-1], what="百分比")
            if points is None:
                raise CellError(f"“{display(value)}”不是有效的百分比")
            return points
        value = cleaned
    found = number(value, what="百分比")
    if found is None:
        return None
    return found * 100 if meaning is PercentMeaning.fraction else found


def date_value(value: CellValue, declared: Declared | None = None) -> dt.date | None:
    """A date from an Excel date, a serial number or a written date; None when empty."""
    refuse_faulty(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise CellError(f"“{display(value)}”不是日期")
    if isinstance(value, int | float):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            raise CellError(f"“{display(value)}”不是日期")
        return _date_from_number(int(value), value)
    cleaned = value.translate(_HALF_WIDTH).strip()
    if cleaned in _EMPTY_MARKS:
        return None
    match = _DATE_TEXT.match(cleaned) or _DATE_DIGITS.match(cleaned)
    if not match:
        raise CellError(
            f"“{display(value)}”不是有效的日期（应写成 2023-07-31、2023/7/31 或 2023年7月31日）"
        )
    return _checked_date(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)


def _date_from_number(whole: int, raw: CellValue) -> dt.date:
    if 19000101 <= whole <= 21001231:
        return _checked_date(whole // 10000, whole // 100 % 100, whole % 100, raw)
    if _SERIAL_RANGE[0] <= whole <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=whole)
    raise CellError(f"“{display(raw)}”不是日期（若为 Excel 日期，请把单元格设为日期格式）")


def _checked_date(year: int, month: int, day: int, raw: CellValue) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"“{display(raw)}”不是存在的日期") from None


_INTEGER_TEXT = re.compile(r"^([+-]?\d+)(?:年度?)?$")


def integer(value: CellValue, declared: Declared | None = None) -> int | None:
    """A whole number (e.g. a year: 2023, “2023年度”); None when empty."""
    refuse_faulty(value)
    if isinstance(value, str):
        cleaned = re.sub(r"\s+", "", value.translate(_HALF_WIDTH))
        if cleaned in _EMPTY_MARKS:
            return None
        match = _INTEGER_TEXT.match(cleaned)
        if not match:
            raise CellError(f"“{display(value)}”不是整数")
        return int(match.group(1))
    found = number(value, what="整数")
    if found is None:
        return None
    if found != found.to_integral_value():
        raise CellError(f"“{display(value)}”不是整数")
    return int(found)


def yes_no(value: CellValue, declared: Declared | None = None) -> bool | None:
    """是/否 and its spellings; None when empty."""
    refuse_faulty(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    cleaned = normalised(value).lower() if isinstance(value, str) else ""
    if cleaned in _EMPTY_MARKS:
        return None
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise CellError(f"“{display(value)}”应为“是”或“否”")


def _fold(label: str) -> str:
    return re.sub(r"\s+", "", label.translate(_HALF_WIDTH)).lower()


E = TypeVar("E", bound=Enum)


class Vocabulary(Generic[E]):
    """A closed list read by label, alias or code; ``labels`` feed the templates' dropdowns."""

    def __init__(self, what: str, labels: Mapping[E, str], aliases: Iterable[tuple[str, E]] = ()):
        self.what = what
        self.labels = dict(labels)
        self._lookup: dict[str, E] = {}
        for member, label in self.labels.items():
            self._lookup[_fold(label)] = member
            self._lookup[_fold(str(member.value))] = member
            self._lookup[_fold(member.name)] = member
        for alias, member in aliases:
            self._lookup[_fold(alias)] = member

    @property
    def options(self) -> list[str]:
        """The labels a dropdown offers, in order."""
        return list(self.labels.values())

    def label(self, member: E) -> str:
        return self.labels[member]

    def read(self, value: CellValue, declared: Declared | None = None) -> E | None:
        if value is None:
            return None
        cleaned = _fold(normalised(value))
        if cleaned in _EMPTY_MARKS:
            return None
        found = self._lookup.get(cleaned)
        if found is None:
            raise CellError(
                f"“{display(value)}”不是可选的{self.what}，可选：{'、'.join(self.options)}"
            )
        return found


FUNDING_SOURCES: Vocabulary[FundingSource] = Vocabulary(
    "资金来源",
    {member: member.label for member in FundingSource},
    [
        ("一般公共预算", FundingSource.general_public_budget),
        ("一般公共预算资金", FundingSource.general_public_budget),
        ("一般公共预算拨款", FundingSource.general_public_budget),
        ("一般预算", FundingSource.general_public_budget),
        ("政府性基金预算", FundingSource.government_fund_budget),
        ("政府性基金", FundingSource.government_fund_budget),
        ("政府性基金预算拨款", FundingSource.government_fund_budget),
        ("国有资本经营预算", FundingSource.state_capital_budget),
        ("国有资本经营预算拨款", FundingSource.state_capital_budget),
        ("国有资本经营", FundingSource.state_capital_budget),
        ("其他", FundingSource.other_funds),
        ("其他收入", FundingSource.other_funds),
    ],
)
NATURES: Vocabulary[Nature] = Vocabulary(
    "支出性质",
    {member: member.label for member in Nature},
    [("基本", Nature.basic), ("项目", Nature.project)],
)
BASIC_KINDS: Vocabulary[BasicKind] = Vocabulary(
    "基本支出类别",
    {member: member.label for member in BasicKind},
    [
        ("人员", BasicKind.personnel),
        ("人员支出", BasicKind.personnel),
        ("公用", BasicKind.operations),
        ("公用支出", BasicKind.operations),
        ("日常公用经费", BasicKind.operations),
    ],
)


# Readers in the ``Reader`` shape, for ``headers.Column``.


def read_text(value: CellValue, declared: Declared) -> str:
    return text(value)


def read_target_text(value: CellValue, declared: Declared) -> str:
    """A 年度指标值 or 实际完成值 cell as text. "=12个" typed into a cell that is not Text
    becomes a formula in Excel: the message says so and how to type it, instead of the
    formula's (missing or wrong) result."""
    if isinstance(value, FaultyCell) and value.typed:
        shown = value.typed if len(value.typed) <= 40 else value.typed[:37] + "…"
        raise CellError(
            f"单元格是公式“{shown}”，指标值请按文本填写（在前面加单引号或把单元格设为文本）"
        )
    return text(value)


def read_code(value: CellValue, declared: Declared) -> str | None:
    return code(value)


def read_amount(value: CellValue, declared: Declared) -> Decimal | None:
    return amount(value, declared.unit)


def read_percent(value: CellValue, declared: Declared) -> Decimal | None:
    return percent(value, declared.percent)


def read_number(value: CellValue, declared: Declared) -> Decimal | None:
    return number(value)


def read_date(value: CellValue, declared: Declared) -> dt.date | None:
    return date_value(value)


def read_integer(value: CellValue, declared: Declared) -> int | None:
    return integer(value)


def read_yes_no(value: CellValue, declared: Declared) -> bool | None:
    return yes_no(value)
