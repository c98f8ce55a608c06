"""Export → import → the database unchanged, for every form, on the demo year and the small year."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.services.excel_import import import_workbook
from tests.excel_forms.forms import (
    AS_OF,
    DEMO,
    DEMO_YEAR,
    counts,
    export,
    store_demo,
    store_text,
    stored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    store_demo()


@pytest.mark.parametrize("kind", ["goals", "evaluation"])
def test_an_export_of_the_demo_year_imports_back_without_a_change(
    demo: None, kind: str, tmp_path: Path
) -> None:
    before, rows = stored(), counts()
    path = export(kind, tmp_path / f"{kind}.xlsx")
    trial = import_workbook(path, dry_run=True)
    assert not trial.changed, list(map(str, trial.changes()))
    result = import_workbook(path)
    assert not result.changed
    assert (result.department_code, result.year) == (DEMO, DEMO_YEAR)
    assert stored() == before
    assert counts() == rows  # nothing written: not even an unchanged row saved again


@pytest.mark.parametrize("as_of", AS_OF)
def test_the_monitoring_table_of_the_demo_imports_back_without_a_change(
    demo: None, as_of: object, tmp_path: Path
) -> None:
    before, rows = stored(), counts()
    path = export("monitoring", tmp_path / "monitoring.xlsx", as_of=as_of)  # type: ignore[arg-type]
    result = import_workbook(path)
    assert not result.changed, list(map(str, result.changes()))
    assert result.sheets == ("绩效指标（项目支出绩效目标执行监控表）",)
    assert stored() == before and counts() == rows


def test_the_demo_goals_survive_a_round_trip_through_every_form(demo: None, tmp_path: Path) -> None:
    before = stored()
    for kind in ("goals", "evaluation", "goals"):
        import_workbook(export(kind, tmp_path / f"{kind}.xlsx"))
    import_workbook(export("monitoring", tmp_path / "m.xlsx", as_of=AS_OF[1]))
    assert stored() == before


def test_the_small_year_round_trips_its_goal_declarations(
    small_year_text: str, tmp_path: Path
) -> None:
    store_text(small_year_text)
    before = stored("test-dept", 2024)
    path = export("goals", tmp_path / "goals.xlsx", "test-dept", 2024)
    assert not import_workbook(path).changed
    assert stored("test-dept", 2024) == before


def test_an_exported_self_evaluation_clears_claims_it_does_not_print(
    small_year_text: str, tmp_path: Path
) -> None:
    """The export prints jixiao's figures, not the unit's: imported back, it claims nothing
    the rules would not say, so the claims stored before are cleared (and say so)."""
    store_text(small_year_text)
    path = export("evaluation", tmp_path / "evaluation.xlsx", "test-dept", 2024)
    trial = import_workbook(path, dry_run=True)
    changes = [str(change) for change in trial.changes()]
    assert any("填报总得分：95.5 → （空）" in text for text in changes), changes
    assert any("填报得分：18.95 → （空）" in text for text in changes), changes
    assert all("P001" in text for text in changes), changes
    import_workbook(path)
    again = import_workbook(export("evaluation", tmp_path / "again.xlsx", "test-dept", 2024))
    assert not again.changed
    assert "claimed_score" not in stored("test-dept", 2024)
