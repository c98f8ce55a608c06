"""Problems found in an input, each with where it is and a Chinese explanation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a path in the file) and what, in Chinese."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputRejected(Exception):
    """An input was refused; nothing was written. Carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


def format_path(location: Iterable[int | str]) -> str:
    """('budget', 'lines', 3, 'final_budget') → 'budget.lines[3].final_budget'."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":
            path += "（键）"
        else:
            path += f".{part}" if path else str(part)
    return path


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（请检查拼写，或删除该项）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（以“- ”开头的若干项）",
    "dict_type": "应为键值对象",
    "model_type": "应为键值对象",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "string_pattern_mismatch": "含有不允许的字符（如空格、空字符），请检查",
    "string_too_long": "文本过长",
    "too_long": "项数过多",
    "string_unicode": "应为有效的 Unicode 文本",
    "int_from_string": "应为整数",
    "decimal_parsing": "应为数值",
    "decimal_type": "应为数值",
    "float_parsing": "应为数值",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "tuple_type": "应为列表",
    "date_from_datetime_inexact": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "none_required": "应为空",
    "is_instance_of": "类型不符",
    "dict_attributes_type": "应为键值对象",
    "model_attributes_type": "应为键值对象",
}


def chinese_message(error: Any) -> str:
    """One pydantic error item (``ValidationError.errors()``) as a Chinese sentence."""
    return _message(error)


def _message(error: Any) -> str:
    kind = error["type"]
    if kind in ("enum", "literal_error"):
        allowed = error.get("ctx", {}).get("expected", "")
        return f"“{error.get('input')}”不是允许的取值，可选：{allowed}"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    message = str(error.get("msg", ""))
    # Our own validators raise Chinese messages; pydantic prefixes them.
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message if _has_chinese(message) else f"不符合要求（{kind}）"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def problems_from_validation_error(error: ValidationError, prefix: str = "") -> list[Problem]:
    problems = []
    for item in error.errors():
        where = format_path(item["loc"])
        if prefix:
            where = f"{prefix}.{where}" if where else prefix
        problems.append(Problem(where, _message(item)))
    return problems
