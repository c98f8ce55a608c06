"""A department-year survives load → export → load unchanged, at both grains."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.budget import budget_figures
from jixiao.core.vocabulary import FundingSource, Nature, ProjectCategory
from jixiao.interchange.dataset_file import dump_dataset, parse_dataset
from jixiao.interchange.problems import InputRejected
from jixiao.services.reading import department_year, export_dataset
from jixiao.services.storing import store_dataset
from tests.conftest import DEMO

pytestmark = pytest.mark.django_db


def _load(text: str) -> None:
    store_dataset(parse_dataset(text.encode("utf-8")), replace=True)


def test_it_exports_the_demo_as_the_dataset_it_loaded() -> None:
    original = parse_dataset(DEMO.read_bytes())
    store_dataset(original)
    exported = export_dataset("liwan-ghzy", 2023)
    assert exported == original


def test_it_exports_a_line_grain_year_as_the_dataset_it_loaded(small_year_text: str) -> None:
    original = parse_dataset(small_year_text.encode())
    store_dataset(original)
    assert export_dataset("test-dept", 2024) == original


def test_it_gives_the_same_text_after_a_second_round(small_year_text: str) -> None:
    _load(small_year_text)
    first = dump_dataset(export_dataset("test-dept", 2024))
    _load(first)
    second = dump_dataset(export_dataset("test-dept", 2024))
    assert first == second
    assert parse_dataset(first.encode()) == parse_dataset(small_year_text.encode())


def test_it_keeps_amounts_in_yuan_to_the_cent(small_year_text: str) -> None:
    _load(small_year_text)
    year = department_year("test-dept", 2024)
    figures = budget_figures(year)
    assert figures.final_budget == Decimal("9200000.00")
    # 298.5 + (40 + 70.5 - 0.5) + 210.25 万元
    assert figures.executed == Decimal("6187500.00")
    assert figures.executed_by_source[FundingSource.government_fund_budget] == Decimal("2102500")
    assert figures.executed_by_nature[Nature.basic] == Decimal("2985000")


def test_it_sums_the_ledger_per_line_in_the_database(small_year_text: str) -> None:
    _load(small_year_text)
    lines = {line.code: line for line in department_year("test-dept", 2024).lines}
    assert lines["L01"].executed == Decimal("1100000.00")
    assert lines["B01"].executed == Decimal("2985000.00")


def test_it_reads_the_demo_totals_as_published() -> None:
    store_dataset(parse_dataset(DEMO.read_bytes()))
    figures = budget_figures(department_year("liwan-ghzy", 2023))
    assert figures.final_budget == Decimal("1031181900.00")
    assert figures.executed == Decimal("772616700.00")
    assert figures.carryover == Decimal("25782800.00")


def test_it_refuses_to_overwrite_a_year_without_replace(small_year_text: str) -> None:
    from jixiao.interchange.problems import InputRejected

    dataset = parse_dataset(small_year_text.encode())
    store_dataset(dataset)
    with pytest.raises(InputRejected, match="--replace"):
        store_dataset(dataset)
    store_dataset(dataset, replace=True)


def test_it_keeps_the_project_category_and_the_rounding_note_choice(
    small_year_text: str,
) -> None:
    text = small_year_text.replace(
        "{code: P002, name: 土地储备前期, office: ghk}",
        "{code: P002, name: 土地储备前期, office: ghk, category: construction}",
    ).replace("goals:\n", "report: {rounding_note: true}\ngoals:\n", 1)
    original = parse_dataset(text.encode())
    store_dataset(original)
    assert export_dataset("test-dept", 2024) == original
    year = department_year("test-dept", 2024)
    categories = {project.code: project.category for project in year.projects}
    assert categories == {"P001": None, "P002": ProjectCategory.construction}
    assert year.rounding_note is True


def test_it_refuses_a_recurrent_project_of_another_category(small_year_text: str) -> None:
    text = small_year_text.replace("recurrent: true}", "recurrent: true, category: one_off}")
    with pytest.raises(InputRejected, match="类别应为 recurrent"):
        parse_dataset(text.encode())
