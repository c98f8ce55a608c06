"""Dataset files that YAML would read surprisingly, or that could exhaust the machine, are
refused by ``jixiao load`` with exit 2 and a located Chinese message; nothing is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
Write = Callable[..., Path]

ALIAS_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
)

CASES = {
    # name: (old text, new text, expected words in the message)
    "hexadecimal": ("initial_budget: 300", "initial_budget: 0x3E8", ("“0x3E8”不是有效的数值",)),
    "sexagesimal": ("initial_budget: 300", "initial_budget: 16:40", ("“16:40”不是有效的数值",)),
    "impossible date": ("2024-06-30", "2024-02-30", ("“2024-02-30”不是有效的日期", "第")),
    "year zero": ("2024-06-30", "0000-06-30", ("不是有效的日期",)),
    "explicit tag": ("initial_budget: 300", "initial_budget: !!int abc", ("不是十进制整数",)),
    "lone surrogate": ("name: 人员经费", 'name: "人员\\ud800经费"', ("孤立的代理码位",)),
    "nul": ("name: 人员经费", 'name: "人员\\0经费"', ("空字符",)),
    "5000-digit integer": ("initial_budget: 300", "initial_budget: " + "9" * 5000, ("位",)),
    "1.0e+400": ("initial_budget: 300", "initial_budget: 1.0e+400", ("超出允许范围",)),
    "10^16 元": ("initial_budget: 300", "initial_budget: 1000000000000", ("超出允许范围",)),
    "weight 100000": ("weight: 20,", "weight: 100000,", ("分值“100000”超出允许范围",)),
    "negative weight": ("weight: 20,", "weight: -50,", ("分值不能为负数",)),
    "weight of 9 decimals": ("weight: 20,", "weight: 20.123456789,", ("小数位数超过 4 位",)),
    "metric 1e30": ("value: 3, unit: 项", "value: 1.0e30, unit: 项", ("超出允许范围",)),
    "deep nesting": ("year: 2024", "year: 2024\nsource: " + "[" * 5000 + "]" * 5000, ("嵌套",)),
    "alias": ("year: 2024", "year: 2024\n" + ALIAS_BOMB, ("别名",)),
    "duplicate key": ("year: 2024", "year: 2024\nyear: 2025", ("键“year”重复出现",)),
    "over-long name": ("name: 人员经费", "name: " + "长" * 301, ("文本过长",)),
}


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (m.Department, m.FiscalYear, m.BudgetLine, m.Indicator, m.Achievement)
    }


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_dataset_file_is_refused_with_a_located_chinese_message(
    case: str, jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    old, new, expected = CASES[case]
    assert old in small_year_text
    before = _counts()
    code, _, err = jixiao("load", write_file(small_year_text.replace(old, new, 1)))
    assert code == 2, err
    assert "未写入任何数据" in err and "Traceback" not in err
    for words in expected:
        assert words in err, err
    located = [line for line in err.splitlines()[1:] if line.strip()]
    assert all(":" in line for line in located), err
    assert _counts() == before


def test_an_amount_of_15_significant_digits_is_stored_exactly(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("unit: 万元", "unit: 元", 1)
    text = text.replace("initial_budget: 300", "initial_budget: 9999999999999.99")
    text = text.replace("final_budget: 300", "final_budget: 9999999999999.99")
    code, _, err = jixiao("load", write_file(text))
    assert code == 0, err
    line = m.BudgetLine.objects.get(code="B01")
    assert str(line.final_budget) == "9999999999999.99"


def test_99_999_999_999_999_99_yuan_is_refused_not_stored_rounded(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("unit: 万元", "unit: 元", 1)
    text = text.replace("initial_budget: 300", "initial_budget: 99999999999999.99")
    code, _, err = jixiao("load", write_file(text))
    assert code == 2 and "超出允许范围" in err


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(
    jixiao: Run, write_file: Write, small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_LOAD_MAX_BYTES", "1000")
    code, _, err = jixiao("load", write_file(small_year_text))
    assert code == 2 and "超过上限" in err and "JIXIAO_LOAD_MAX_BYTES" in err


@pytest.mark.parametrize(
    "text",
    [
        "unit: 万元\ndepartment: [unclosed\n",
        "unit: 万元\ndepartment:\n\tcode: x\n",
        "unit: 万元\ndepartment: a: b\n",
        'unit: 万元\nsource: "\\q"\n',
    ],
)
def test_a_yaml_syntax_error_is_explained_in_chinese_at_its_line(
    jixiao: Run, write_file: Write, text: str
) -> None:
    code, _, err = jixiao("load", write_file(text))
    assert code == 2 and "YAML 格式错误" in err and "行" in err
    assert not re.search(r"[a-z]{4,} [a-z]{3,}", err), err  # no sentence of PyYAML's English
