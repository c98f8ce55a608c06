"""jixiao review: a planted-error table yields exactly its errors, and stores nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.vocabulary import Severity
from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel_forms.forms import (
    DEPARTMENT_SHEET,
    P04,
    P07,
    P09,
    counts,
    edit_many,
    export,
    store_demo,
)
from tests.excel_forms.goals_variants import written
from tests.excel_forms.real_variants import Form, save

Run = Callable[..., tuple[int, str, str]]

PLANTED = {
    P07: {
        "G19": 0,  # a total row printed 0 while its rows are full …
        "F20": None,  # … (grade left blank: one planted error, one finding)
        "E12": "25项",  # target ≥25项 met exactly …
        "G12": 8,  # … yet 2 points deducted, with no reason
        "E6": 255.39,  # 255.39 ÷ 275.00 = 92.87 % …
        "E7": 255.39,
        "G6": 0.9287,
        "H6": 10,  # … given the full 10 points (9.29)
    },
    P09: {
        "F13": 20,  # weights add to 110 …
        "G13": 20,
        "D12": "≥100%",  # 72.74 % of a 100 % target …
        "E12": "72.74%",
        "G12": 15,  # … given full marks
        "G19": 109.51,  # the total is the sum of the printed rows; 总分 F19 stays 100
    },
    P04: {
        "E12": "已形成阶段性成果（部分达成年度指标并具有一定效果）",
        "G12": 13,  # 部分达成: [60 %, 80 %) of 15 = 9 … 11.99
        "G18": 91,
        "F19": "良",  # 91 is 优
    },
}
EXPECTED = {
    P07: Counter(
        ["total-not-sum-of-rows", "deduction-on-met-target-without-reason", "execution-score-wrong"]
    ),
    P09: Counter(["weights-not-100", "full-marks-on-unmet-target"]),
    P04: Counter(["qualitative-score-outside-band", "grade-outside-band"]),
    DEPARTMENT_SHEET: Counter(),
}
CELLS = {
    "total-not-sum-of-rows": (f"{P07}!G19", "0", "97"),
    "deduction-on-met-target-without-reason": (f"{P07}!G12", "8", "10"),
    "execution-score-wrong": (f"{P07}!H6", "10", "9.29"),
    "weights-not-100": (f"{P09}!F19", "100", "110"),
    "full-marks-on-unmet-target": (f"{P09}!G12", "15", "10.91"),
    "qualitative-score-outside-band": (f"{P04}!G12", "13", "9～11.99"),
    "grade-outside-band": (f"{P04}!F19", "良", "优"),
}


@pytest.fixture
def tables(tmp_path: Path, django_db_setup: None, django_db_blocker: object) -> tuple[Path, Path]:
    """The demo's self-evaluation tables as exported, and a copy with planted errors (the
    demo is stored and rolled back here, so that the review itself may run without a database)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        from django.db import transaction

        with transaction.atomic():
            store_demo()
            correct = export("evaluation", tmp_path / "correct.xlsx")
            transaction.set_rollback(True)
    return correct, edit_many(correct, tmp_path / "planted.xlsx", PLANTED)


def test_a_correct_table_gives_no_finding(tables: tuple[Path, Path]) -> None:
    result = review_workbook(tables[0])
    assert result.clean, [f.lines() for f in result.findings]
    assert [s.sheet for s in result.sheets] == [DEPARTMENT_SHEET, P07, P09, P04]
    assert [(s.total, s.grade) for s in result.sheets[1:]] == [
        (Decimal("98.64"), "优"),
        (Decimal("98.88"), "优"),
        (Decimal(89), "良"),
    ]


def test_the_planted_errors_are_found_exactly_once_each(tables: tuple[Path, Path]) -> None:
    result = review_workbook(tables[1])
    found = {sheet.sheet: Counter(f.id for f in sheet.findings) for sheet in result.sheets}
    assert found == EXPECTED
    assert all(f.category == "审核" and f.severity is Severity.error for f in result.findings)


def test_each_finding_names_its_cell_and_both_figures(tables: tuple[Path, Path]) -> None:
    result = review_workbook(tables[1])
    for finding in result.findings:
        where, claimed, computed = CELLS[finding.id]
        assert (finding.where, finding.claimed, finding.computed) == (where, claimed, computed)
        assert finding.rule and finding.message
    by_id = {f.id: f for f in result.findings}
    assert "92.87%" in by_id["execution-score-wrong"].message
    assert by_id["full-marks-on-unmet-target"].rule == "未达成：实际值÷指标值×分值 = 72.74÷100×15"


def test_review_runs_without_a_database(tables: tuple[Path, Path]) -> None:
    """No django_db mark here: any query would fail the test."""
    assert len(review_workbook(tables[1]).findings) == 7


@pytest.mark.django_db
def test_review_writes_nothing(tables: tuple[Path, Path], jixiao: Run) -> None:
    store_demo()
    before = counts()
    code, _, err = jixiao("review", tables[1])
    assert code == 1, err
    assert counts() == before


@pytest.mark.django_db
def test_the_command_exits_0_1_or_2(tables: tuple[Path, Path], jixiao: Run, tmp_path: Path) -> None:
    code, out, _ = jixiao("review", tables[0])
    assert code == 0 and "审核结论：未发现问题" in out
    code, out, _ = jixiao("review", tables[1])
    assert code == 1
    assert "审核结论：共发现 7 项（错误 7）" in out
    assert f"{P07}!H6  execution-score-wrong  填报 10，计算 9.29" in out
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"\xff\xfe\x00junk")
    code, _, err = jixiao("review", junk)
    assert code == 2 and "无法审核" in err
    budget = tmp_path / "budget.csv"
    budget.write_text("预算行代码,金额\nL01,1\n", encoding="utf-8")
    code, _, err = jixiao("review", budget)
    assert code == 2 and "没有找到项目支出绩效自评表" in err


def test_another_rule_set_is_applied_when_given(tables: tuple[Path, Path]) -> None:
    from jixiao.interchange.rule_files import load_rule_set

    regional = load_rule_set("regional-tiered-project")
    result = review_workbook(tables[0], regional)
    assert "regional-tiered-project" in result.rules
    p04 = next(s for s in result.sheets if s.sheet == P04)
    assert "execution-score-wrong" in {f.id for f in p04.findings}  # 44.96 % is tiered to 0


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputRejected):
        review_workbook(path)


@pytest.mark.parametrize("form", ["project", "goals", "goals-without-last-year"])
def test_a_required_column_missing_from_the_header_is_reported_once(
    form: str, tmp_path: Path
) -> None:
    """The header's finding says it; each row's empty 分值 and the weight sum it leaves
    unverifiable are the same cause, not reported again (a 申报表 printed without 分值, as
    the MoF's 2015 form is)."""
    drawn = Form() if form == "project" else written("funds-block-no-kind")
    at = drawn.indicator_header.index("分值")
    drawn.indicator_header[at] = "备用"
    if form == "goals-without-last-year":
        drawn.indicator_header.remove("上年实际完成值")
        drawn.columns = tuple(c for c in drawn.columns if c != "last_year")
    result = review_workbook(save([drawn], tmp_path / "form.xlsx"))
    (finding,) = result.findings
    assert finding.message.startswith("绩效指标表缺少必需的列：分值"), review_lines(result)
