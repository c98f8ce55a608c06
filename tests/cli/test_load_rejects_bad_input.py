"""`jixiao load` refuses a bad file: exit status 2, every problem located, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.services import storing
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
Write = Callable[..., Path]


def _table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (m.Department, m.FiscalYear, m.BudgetLine, m.Payment, m.Project,
                      m.Achievement, m.PublishedAmount)
    }


def _refused(jixiao: Run, path: Path, *expected: str) -> str:
    before = _table_counts()
    code, out, err = jixiao("load", path)
    assert code == 2, (out, err)
    assert "未写入任何数据" in err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err
    assert _table_counts() == before
    return err


def test_it_names_a_malformed_amount(jixiao: Run, write_file: Write, small_year_text: str) -> None:
    text = small_year_text.replace("final_budget: 120", 'final_budget: "7,26x"')
    _refused(jixiao, write_file(text), "budget.lines[1].final_budget", "“7,26x”不是有效的数值")


def test_it_refuses_a_negative_budget(jixiao: Run, write_file: Write, small_year_text: str) -> None:
    text = small_year_text.replace("final_budget: 500", "final_budget: -500")
    _refused(jixiao, write_file(text), "budget.lines[2].final_budget", "不能为负数")


def test_it_names_an_unknown_funding_source(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace(
        "funding_source: government_fund_budget", "funding_source: 专项债券"
    )
    _refused(jixiao, write_file(text), "budget.lines[2].funding_source", "“专项债券”不是允许的取值")


def test_it_names_a_missing_required_field(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("      initial_budget: 100\n", "")
    _refused(jixiao, write_file(text), "budget.lines[1].initial_budget", "缺少必填项")


def test_it_names_a_duplicate_project_code(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("{code: P002, name: 土地", "{code: P001, name: 土地")
    _refused(jixiao, write_file(text), "budget.projects[1].code", "项目代码“P001”重复")


def test_it_names_an_unknown_amount_unit(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("unit: 万元\n", "unit: 千元\n", 1)
    _refused(jixiao, write_file(text), "unit:", "“千元”不是允许的取值")


def test_it_names_an_unknown_metric_unit(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("value: 3, unit: 项", "value: 3, unit: 坨")
    _refused(jixiao, write_file(text), "achievements[0].metrics[0]", "不认识的计量单位“坨”")


def test_it_refuses_bytes_that_are_not_utf8(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    _refused(jixiao, write_file(small_year_text.encode("gbk")), "不是 UTF-8 编码", "第2行", "GBK")


def test_it_lists_every_problem_at_once(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = (
        small_year_text.replace("final_budget: 120", 'final_budget: "7,26x"')
        .replace("final_budget: 500", "final_budget: -500")
        .replace("{code: P002, name: 土地储备前期", "{code: P001, name: 土地储备前期")
    )
    err = _refused(jixiao, write_file(text), "budget.lines[1].final_budget")
    assert "budget.lines[2].final_budget" in err


def test_it_refuses_a_payment_outside_the_year(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace("date: 2024-09-20", "date: 2025-01-03")
    _refused(jixiao, write_file(text), "budget.payments[1].date", "不在 2024 年度内")


def test_it_refuses_a_negative_payment_that_is_not_a_refund(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = small_year_text.replace(", refund: true", "")
    _refused(jixiao, write_file(text), "budget.payments[2]", "负数金额只能用于退款")


def test_it_refuses_a_yaml_syntax_error_with_its_line(jixiao: Run, write_file: Write) -> None:
    _refused(jixiao, write_file("unit: 万元\ndepartment: [unclosed\n"), "YAML 格式错误", "第")


def test_a_refused_replacement_keeps_the_stored_year(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    assert jixiao("load", write_file(small_year_text))[0] == 0
    bad = write_file(small_year_text.replace("final_budget: 500", "final_budget: -1"), "bad.yaml")
    before = _table_counts()
    code, _, _ = jixiao("load", "--replace", bad)
    assert code == 2
    assert _table_counts() == before


def test_a_failure_half_way_through_a_load_writes_nothing(
    jixiao: Run, write_file: Write, small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("磁盘已满（模拟）")

    monkeypatch.setattr(storing, "insert_payments", fail)  # after the year and its lines
    before = _table_counts()
    code, _, err = jixiao("load", write_file(small_year_text))
    assert code == 3  # an internal error has its own exit status, never 1 (findings)
    assert "内部错误" in err and "Traceback" not in err
    assert _table_counts() == before


def test_it_loads_a_good_file_and_says_so(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    code, out, _ = jixiao("load", write_file(small_year_text))
    assert code == 0
    assert "已导入：测试区测试局（test-dept）2024年度" in out
    assert m.Payment.objects.count() == 3


def _with_forecasts(text: str, *dates: str) -> str:
    forecasts = ", ".join(f'{{date: {d}, amount: "100.00"}}' for d in dates)
    return text.replace(
        "    execution_reason: 部分合同尾款次年支付。\n",
        f"    execution_reason: 部分合同尾款次年支付。\n    forecasts: [{forecasts}]\n",
    )


def test_it_refuses_a_stated_forecast_date_repeated_in_a_goal(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = _with_forecasts(small_year_text, "2024-06-30", "2024-09-30", "2024-06-30")
    assert "forecasts:" in text
    err = _refused(
        jixiao, write_file(text), "goals[1].forecasts[2].date",
        "截至日期 2024-06-30 的全年预计执行数在同一目标中重复",
    )  # fmt: skip
    assert "goals[1].forecasts[0].date" in err and "forecasts[1]" not in err
    assert m.StatedForecast.objects.count() == 0


def test_it_refuses_a_stated_forecast_date_outside_the_year(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    text = _with_forecasts(small_year_text, "2025-01-31")
    _refused(
        jixiao, write_file(text), "goals[1].forecasts[0].date",
        "全年预计执行数的截至日期 2025-01-31 不在 2024 年度内",
    )  # fmt: skip
