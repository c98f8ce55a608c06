"""The monitoring report (.docx) read back holds the generated sentences and every light."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from jixiao.documents import charts
from jixiao.documents.monitoring_report import render_monitoring_docx
from jixiao.documents.monitoring_text import (
    consequence_sentences,
    forecast_sentences,
    indicator_sentences,
    light_text,
    overall_sentences,
    proposal_sentences,
    source_sentences,
)
from jixiao.documents.template_builder import (
    MONITORING_TEMPLATE,
    build_monitoring_template,
    main,
)
from jixiao.services.monitoring import MonitoringReport, monitor_stored_year
from tests.monitoring_service.ledger import EARLIER_YEAR, store, store_ledger_year

pytestmark = pytest.mark.django_db

TITLE = "2024年度监测区测试局预算绩效运行监控报告（截至2024年10月31日）"
HEADINGS = [
    "一、总体执行情况", "二、按资金来源", "三、项目执行与预警", "四、全年执行预测", "五、调整建议",
    "六、绩效指标完成情况", "七、预算安排建议",
]  # fmt: skip


@pytest.fixture
def report() -> MonitoringReport:
    store(EARLIER_YEAR)
    store_ledger_year()
    return monitor_stored_year("jc-dept", 2024, date(2024, 10, 31))


def _read(docx: Path) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(str(docx))
    paragraphs = [p.text.replace("\n", "") for p in document.paragraphs]  # title lines
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_it_prints_the_title_headings_and_every_generated_sentence(
    report: MonitoringReport, tmp_path: Path
) -> None:
    paragraphs, _ = _read(render_monitoring_docx(report, tmp_path / "r.docx"))
    assert paragraphs[0] == TITLE
    positions = [paragraphs.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    for sentences in (
        overall_sentences, source_sentences, forecast_sentences, proposal_sentences,
        indicator_sentences, consequence_sentences,
    ):  # fmt: skip
        for sentence in sentences(report):
            assert sentence in paragraphs
    # 120 + 400 + 120 + 50 万元 (B02 is not monitored); 100 + 155 + 100.1234 + 0 spent
    assert (
        "截至2024年10月31日，监测区测试局全年预算数690.00万元，已执行355.12万元，执行率51.47%。"
        in paragraphs
    )
    assert (
        "按已完成月份计算，序时进度为83.33%，执行进度比（执行率÷序时进度）为61.76%，"
        "预警等级为黄灯。"
    ) in paragraphs


def test_it_states_the_guangzhou_consequence(report: MonitoringReport, tmp_path: Path) -> None:
    paragraphs, _ = _read(render_monitoring_docx(report, tmp_path / "r.docx"))
    assert (
        "“城市更新项目”为经常性项目，截至10月末执行155.00万元，执行率38.75%，低于50.00%，"
        "按规则下年预算按本年全年预算数的60.00%核定，即240.00万元（核减160.00万元）。"
    ) in paragraphs


def test_the_project_table_gives_every_projects_light(
    report: MonitoringReport, tmp_path: Path
) -> None:
    _, tables = _read(render_monitoring_docx(report, tmp_path / "r.docx"))
    projects, forecasts = tables
    assert projects[0] == ["项目名称", "全年预算数", "1-10月执行数", "执行率", "执行进度比", "预警"]
    body, total = projects[1:-1], projects[-1]
    assert len(body) == len(report.result.projects)
    for row, progress in zip(body, report.result.projects, strict=True):
        assert row[0] == report.project_name(progress.code)
        assert row[-1] == light_text(progress.light)
    assert body[0] == ["城市更新项目", "400.00", "155.00", "38.75%", "46.50%", "红灯"]
    assert total[:3] == ["合计", "570.00", "255.12"]  # projects only, no 基本支出
    assert [row[0] for row in forecasts[1:]] == [row[0] for row in projects[1:]]


def test_the_charts_are_inserted_as_images(report: MonitoringReport, tmp_path: Path) -> None:
    if charts.find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    docx = render_monitoring_docx(report, tmp_path / "r.docx")
    document = Document(str(docx))
    assert len(document.inline_shapes) == 2
    assert charts.NO_FONT_NOTE not in [p.text for p in document.paragraphs]


def test_without_a_chinese_font_the_report_says_so_instead_of_drawing_boxes(
    report: MonitoringReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    docx = render_monitoring_docx(report, tmp_path / "r.docx")
    document = Document(str(docx))
    assert len(document.inline_shapes) == 0
    assert [p.text for p in document.paragraphs].count(charts.NO_FONT_NOTE) == 2


def test_it_ships_the_template_the_builder_writes(tmp_path: Path) -> None:
    assert main(["--monitoring", str(tmp_path / "built.docx")]) == 0
    built = [p.text for p in Document(str(tmp_path / "built.docx")).paragraphs]
    assert [p.text for p in Document(str(MONITORING_TEMPLATE)).paragraphs] == built
    assert "{{ title }}" in built


def test_it_renders_with_a_template_built_elsewhere(
    report: MonitoringReport, tmp_path: Path
) -> None:
    template = tmp_path / "sub" / "monitoring.docx"
    build_monitoring_template(template)
    paragraphs, _ = _read(render_monitoring_docx(report, tmp_path / "r.docx", template=template))
    assert paragraphs[0] == TITLE
