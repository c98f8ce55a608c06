"""Word in, Word out: the demo's report edited in Word comes back as exactly the
sections the clerk changed, with figures changed by hand flagged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from jixiao.cli import demo_dataset_path
from jixiao.interchange.dataset_file import read_dataset
from jixiao.interchange.report_docx_reading import ReportFileError, report_paragraphs
from jixiao.services.report_text import (
    UploadedSection,
    approve,
    read_uploaded_report,
    save_draft,
    store_uploaded,
    submit,
)
from jixiao.services.reporting import composed_report, write_report
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

CODE, YEAR = "liwan-ghzy", 2023


@pytest.fixture
def demo_report(tmp_path: Path) -> Path:
    store_dataset(read_dataset(demo_dataset_path()), replace=True)
    return write_report(CODE, YEAR, tmp_path).docx


def _edited(path: Path, edits: dict[str, str]) -> bytes:
    """The report as Word saves it after the clerk replaced whole paragraphs."""
    document = Document(str(path))
    for paragraph in document.paragraphs:
        for old, new in edits.items():
            if paragraph.text.startswith(old):
                for run in paragraph.runs[1:]:
                    run.text = ""
                paragraph.runs[0].text = new
    saved = io.BytesIO()
    document.save(saved)
    return saved.getvalue()


def _year() -> m.FiscalYear:
    return m.FiscalYear.objects.get(department__code=CODE, year=YEAR)


def _read(paragraphs: list[str]) -> list[UploadedSection]:
    return read_uploaded_report(_year(), paragraphs, composed_report(CODE, YEAR).content)


def test_the_unchanged_demo_report_reads_back_with_no_difference(demo_report: Path) -> None:
    paragraphs = report_paragraphs(demo_report.read_bytes())
    assert _read(paragraphs) == []


def test_it_shows_exactly_the_sections_changed_in_word(demo_report: Path) -> None:
    raw = _edited(
        demo_report,
        {
            "二是": "二是梳理优化核心绩效指标体系，细化量化绩效指标。",
            "（三）部分项目支出进度偏低": "（三）部分项目支出进度偏低。个别项目执行率仅为60%。",
        },
    )
    changed = _read(report_paragraphs(raw))
    assert [section.key for section in changed] == ["problems", "improvement_measures"]
    measures = changed[1]
    assert ("+", "梳理优化核心绩效指标体系，细化量化绩效指标。") in measures.diff
    assert sum(1 for mark, _ in measures.diff if mark == "-") == 1
    assert changed[0].after.endswith("部分项目支出进度偏低\n个别项目执行率仅为60%。")


def test_a_figure_typed_over_in_word_is_flagged(demo_report: Path) -> None:
    year = _year()
    save_draft(year, "conclusion", "全年预算执行率为{{执行率}}。", "demo-finance")
    submit(year, "conclusion", "demo-finance")
    approve(year, "conclusion", "demo-leader")
    report = write_report(CODE, YEAR, demo_report.parent)
    assert "全年预算执行率为74.93%。" in report.markdown.read_text(encoding="utf-8")
    raw = _edited(report.docx, {"全年预算执行率为": "全年预算执行率为80.00%。"})
    [section] = _read(report_paragraphs(raw))
    assert section.key == "conclusion"
    assert any("{{执行率}}" in flag for flag in section.flags)
    assert any("80.00" in flag and "74.93%" in flag for flag in section.flags)


def test_confirmed_sections_are_stored_as_drafts_for_review(demo_report: Path) -> None:
    year = _year()
    raw = _edited(demo_report, {"二是": "二是细化量化绩效指标。"})
    [section] = _read(report_paragraphs(raw))
    [row] = store_uploaded(year, {section.key: section.after}, "demo-finance")
    assert row.status == m.WorkflowStatus.draft
    assert "细化量化绩效指标。" in row.text
    assert row.history.count() >= 1


def test_a_file_that_is_not_word_is_refused_in_chinese() -> None:
    with pytest.raises(ReportFileError, match="不是有效的 Word"):
        report_paragraphs(b"not a zip")
