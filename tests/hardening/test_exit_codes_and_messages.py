"""Exit statuses (0 clean, 1 findings, 2 refused, 3 internal error, logged) and messages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import parse_rule_set
from jixiao.services import storing

pytestmark = pytest.mark.django_db

Run = Callable[..., tuple[int, str, str]]
Write = Callable[..., Path]
RULES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "rules" / "mof-2020-project.yaml"


def test_an_internal_error_exits_3_and_is_logged_with_its_traceback(
    jixiao: Run, write_file: Write, small_year_text: str, monkeypatch: pytest.MonkeyPatch,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    settings.JIXIAO_HOME = tmp_path / "home"

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的程序缺陷")

    monkeypatch.setattr(storing, "insert_payments", fail)
    code, _, err = jixiao("load", write_file(small_year_text))
    assert code == 3
    assert "内部错误" in err and "Traceback" not in err
    log = tmp_path / "home" / "logs" / "internal-errors.log"
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert str(log) in err


def test_evaluate_json_prints_amounts_at_two_places(
    jixiao: Run, write_file: Write, small_year_text: str
) -> None:
    assert jixiao("load", write_file(small_year_text))[0] == 0
    code, out, err = jixiao("evaluate", "--department", "test-dept", "--year", "2024", "--json")
    assert code in (0, 1), err
    amounts = re.findall(r'"(?:executed|final_budget|initial_budget)": "([^"]*)"', out)
    assert amounts
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?", amount) for amount in amounts), amounts
    json.loads(out)


def test_an_export_orders_the_evaluation_inputs_the_same_way_on_every_database(
    jixiao: Run, write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    assert "inputs: {编制数: 50, 在职人员数: 48}" in small_year_text
    assert jixiao("load", write_file(small_year_text))[0] == 0
    exported = tmp_path / "exported.yaml"
    code, _, err = jixiao("export", "--department", "test-dept", "--year", "2024", exported)
    assert code == 0, err
    out = exported.read_text(encoding="utf-8")
    assert out.index("在职人员数") < out.index("编制数")  # sorted, not in the rows' order


def test_a_rule_file_with_an_alias_or_a_weight_past_100_is_refused_in_chinese() -> None:
    text = RULES.read_text(encoding="utf-8")
    aliased = text.replace("weight: 50", "weight: &w 50", 1).replace("weight: 30", "weight: *w", 1)
    for bad, expected in (
        (aliased, "别名"),
        (text.replace("weight: 50", "weight: 150", 1), "超出"),
    ):
        with pytest.raises(InputRejected) as refused:
            parse_rule_set(bad)
        assert expected in str(refused.value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("export",), "缺少必填参数"),
        (("evaluate", "--department", "x", "--year", "abc"), "应为整数"),
        (("no-such-command",), "不是可选值之一"),
    ],
)
def test_a_command_line_mistake_exits_2_with_a_chinese_message(
    args: tuple[str, ...], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from jixiao.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "error:" not in err
