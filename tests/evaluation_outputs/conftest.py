"""Fixtures: the small test year, made complete, loaded and evaluated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.core.evaluation import YearEvaluation
from jixiao.services.evaluating import evaluate_stored_year

HYPERLINK = '=HYPERLINK("http://x")'

NOT_APPLICABLE = """\
  not_applicable:
    “三公经费”变动率: 本单位未安排“三公经费”
    “三公经费”控制率: 本单位未安排“三公经费”
    重点支出安排率: 本单位未区分重点项目
    支付进度率: 未制定分月支付计划
    结转结余变动率: 首个评价年度，无上年数
    公用经费控制率: 公用经费未单独核算
    政府采购执行率: 无政府采购预算
"""


def complete(text: str) -> str:
    """The small year with every figure reported: the 群众满意度 actual, the department
    indicators the data cannot compute declared not applicable, and a deviation reason
    that looks like a spreadsheet formula."""
    changes = {
        'target: "≥90%", weight: 10,': 'target: "≥90%", weight: 10, actual: 95%,',
        "  inputs: {编制数: 50, 在职人员数: 48}\n": (
            "  inputs: {编制数: 50, 在职人员数: 48}\n" + NOT_APPLICABLE
        ),
        "deviation_reason: 报批流程延长": f"deviation_reason: '{HYPERLINK}'",
    }
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


Run = Callable[..., tuple[int, str, str]]
Load = Callable[[str], YearEvaluation]


@pytest.fixture
def complete_year_text(small_year_text: str) -> str:
    return complete(small_year_text)


@pytest.fixture
def load_year(jixiao: Run, write_file: Callable[[str, str], Path]) -> Load:
    """Load a dataset text with `jixiao load` and evaluate the stored year."""

    def load(text: str) -> YearEvaluation:
        code, _, err = jixiao("load", write_file(text, "year.yaml"), "--replace")
        assert code == 0, err
        return evaluate_stored_year("test-dept", 2024)

    return load
