"""The demo's report is written from text stored as any text written in the web: its
prose, approved again section by section through the review, prints the same report."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from jixiao.cli import demo_dataset_path
from jixiao.interchange.dataset_file import read_dataset
from jixiao.services.reading import department_year
from jixiao.services.report_text import approve, save_draft, section_states, submit
from jixiao.services.reporting import write_report
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

CODE, YEAR = "liwan-ghzy", 2023


@pytest.fixture
def demo() -> m.FiscalYear:
    store_dataset(read_dataset(demo_dataset_path()), replace=True)
    return m.FiscalYear.objects.get(department__code=CODE, year=YEAR)


def test_every_section_of_the_demo_is_approved_text(demo: m.FiscalYear) -> None:
    states = section_states(demo, department_year(CODE, YEAR))
    written = [s for s in states if s.approved]
    assert {s.key for s in written} >= {
        "functions_preamble",
        "functions",
        "annual_objective",
        "key_tasks",
        "conclusion",
        "key_task_analysis",
        "achievements",
        "problems",
        "improvement_measures",
    }
    assert all(s.status == m.WorkflowStatus.approved and not s.changed for s in written)


def test_the_demo_approved_again_through_the_review_prints_the_same_report(
    demo: m.FiscalYear, tmp_path: Path
) -> None:
    before = write_report(CODE, YEAR, tmp_path / "before")
    for state in section_states(demo, department_year(CODE, YEAR)):
        if not state.approved:
            continue
        save_draft(demo, state.key, state.approved, "demo-finance")
        submit(demo, state.key, "demo-finance")
        approve(demo, state.key, "demo-leader")
    after = write_report(CODE, YEAR, tmp_path / "after")
    assert after.markdown.read_text(encoding="utf-8") == before.markdown.read_text(encoding="utf-8")
    assert after.content == before.content
    metrics = m.AchievementMetric.objects.filter(achievement__fiscal_year=demo).count()
    assert metrics == sum(len(a.metrics) for a in department_year(CODE, YEAR).achievements)
    assert metrics > 0


def test_the_demo_prose_holds_no_figure_that_contradicts_the_data(
    demo: m.FiscalYear, tmp_path: Path
) -> None:
    report = write_report(CODE, YEAR, tmp_path)
    assert not [f for f in report.findings if f.id.startswith("report-")]


def test_a_figure_typed_by_hand_is_in_the_review_notes_and_not_in_the_report(
    demo: m.FiscalYear, tmp_path: Path
) -> None:
    save_draft(demo, "conclusion", "全年预算执行率为12.34%。", "demo-finance")
    submit(demo, "conclusion", "demo-finance")
    approve(demo, "conclusion", "demo-leader")
    report = write_report(CODE, YEAR, tmp_path)
    [finding] = [f for f in report.findings if f.id == "report-figure-typed"]
    assert "74.93%" in finding.message
    printed = report.markdown.read_text(encoding="utf-8")
    assert "全年预算执行率为12.34%。" in printed and "74.93%。请改用" not in printed
    notes = "\n".join(p.text for p in Document(str(report.review)).paragraphs)
    assert "{{执行率}}" in notes
