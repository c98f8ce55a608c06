"""The same generated values through every way data comes in — the web form, the API, an
Excel import, a dataset file and a rule file — are accepted or refused alike.

Two kinds of value: the figure of a 实际完成值 (which a rule file does not carry) and a
分值 (which the API does not take; it takes an assessed score within it).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ninja.errors import HttpError
from openpyxl import load_workbook

from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_files import parse_rule_set
from jixiao.services.excel_export import export_form_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.storage import models as m
from jixiao.web.api.endpoints import refuse_out_of_bounds
from jixiao.web.goal_editing import DeclarationRowForm, EvaluationRowForm
from tests.conftest import SMALL_YEAR
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

RULES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "rules" / "mof-2020-project.yaml"
LEVEL = "产出指标"

places = st.integers(min_value=0, max_value=8)
EVERY_PATH = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
"""Each example runs an Excel import (dry run): a few dozen keep the test under a minute."""


@st.composite
def figures(draw: st.DrawFn) -> str:
    """Plain decimal texts around every limit: tiny, huge, many places, many digits."""
    digits = draw(st.integers(min_value=1, max_value=18))
    whole = draw(st.integers(min_value=0, max_value=10**digits - 1))
    exponent = draw(places)
    value = Decimal(whole).scaleb(-exponent)
    return f"{value:f}"


@pytest.fixture
def form_file(world: World, tmp_path: Path) -> tuple[Path, int]:
    """The stored 自评表 of P001 and the row of 按期完成率 in it."""
    path = export_form_workbook(FIRST, YEAR, "evaluation", tmp_path / "form.xlsx", None)
    book = load_workbook(path)
    sheet = next(s for s in book.worksheets if "P001" in s.title)
    row = next(r for r in range(1, 60) if sheet.cell(r, 3).value == "按期完成率")
    return path, row


def _excel_accepts(form: tuple[Path, int], column: str, value: str, folder: Path) -> bool:
    source, row = form
    path = shutil.copy(source, folder / "edited.xlsx")
    book = load_workbook(path)
    sheet = next(s for s in book.worksheets if "P001" in s.title)
    sheet[f"{column}{row}"] = value
    book.save(path)
    try:
        import_workbook(Path(path), dry_run=True)
    except InputRejected as rejected:
        located = [p for p in rejected.problems if p.where.endswith(f"!{column}{row}")]
        return not located
    return True


def _dataset_accepts(old: str, new: str) -> bool:
    assert old in SMALL_YEAR
    try:
        parse_dataset(SMALL_YEAR.replace(old, new, 1).encode())
    except InputRejected:
        return False
    return True


def _indicator(world: World) -> m.Indicator:
    return m.Indicator.objects.get(goal__project=world.project("P001"), level3="按期完成率")


# --- the figure of a 实际完成值 ------------------------------------------------------------


def _form_accepts_actual(indicator: m.Indicator, actual: str) -> bool:
    data = {"ind-id": str(indicator.pk), "ind-actual": actual}
    form = EvaluationRowForm(data, prefix="ind", rows={indicator.pk: indicator})
    return form.is_valid() or "actual" not in form.errors


def _api_accepts_actual(indicator: m.Indicator, actual: str) -> bool:
    try:
        refuse_out_of_bounds(indicator, {"actual": actual})
    except HttpError:
        return False
    return True


@EVERY_PATH
@given(figure=figures())
@example(figure="1" + "0" * 250)
@example(figure="999999999999999")
@example(figure="1000000000000000")
@example(figure="0.000001")
@example(figure="0.0000001")
def test_an_actual_figure_is_accepted_or_refused_alike_on_every_path(
    world: World, form_file: tuple[Path, int], tmp_path: Path, figure: str
) -> None:
    actual = f"{figure}%"
    indicator = _indicator(world)
    answers = {
        "form": _form_accepts_actual(indicator, actual),
        "api": _api_accepts_actual(indicator, actual),
        "excel": _excel_accepts(form_file, "E", actual, tmp_path),
        "dataset": _dataset_accepts("actual: 90%", f'actual: "{actual}"'),
    }
    assert len(set(answers.values())) == 1, (figure, answers)


# --- a 分值 ----------------------------------------------------------------------------


def _form_accepts_weight(indicator: m.Indicator, weight: str) -> bool:
    data = {
        "ind-id": str(indicator.pk), "ind-level1": LEVEL, "ind-level2": "时效指标",
        "ind-level3": indicator.level3, "ind-kind": "quantitative", "ind-target": "≥95%",
        "ind-weight": weight,
    }  # fmt: skip
    levels = {LEVEL: ["数量指标", "质量指标", "时效指标", "成本指标"]}
    form = DeclarationRowForm(data, prefix="ind", levels=levels)
    return form.is_valid() or "weight" not in form.errors


def _rule_file_accepts_weight(weight: str) -> bool:
    text = RULES.read_text(encoding="utf-8").replace("weight: 50", f"weight: {weight}", 1)
    try:
        parse_rule_set(text)
    except InputRejected as rejected:
        return not any(p.where == "level1[0].weight" for p in rejected.problems)
    return True


@EVERY_PATH
@given(figure=figures())
@example(figure="100")
@example(figure="100.0001")
@example(figure="20.1234")
@example(figure="20.12345")
@example(figure="100000")
@example(figure="20.10000")
@example(figure="0.00000000")
def test_a_weight_is_accepted_or_refused_alike_on_every_path(
    world: World, form_file: tuple[Path, int], tmp_path: Path, figure: str
) -> None:
    answers = {
        "form": _form_accepts_weight(_indicator(world), figure),
        "excel": _excel_accepts(form_file, "F", figure, tmp_path),
        "dataset": _dataset_accepts("weight: 20,", f"weight: {figure},"),
        "rule file": _rule_file_accepts_weight(figure),
    }
    assert len(set(answers.values())) == 1, (figure, answers)
