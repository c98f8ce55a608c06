"""The monitoring report (.docx): 预算绩效运行监控报告, in the official-document layout.

Rendered with docxtpl from ``templates/monitoring.docx`` (built by
:func:`jixiao.documents.template_builder.build_monitoring_template` with the same page
and styles as the self-evaluation report; it may be restyled in Word). Every sentence
and table cell comes from one ``MonitoringReport`` through
:mod:`jixiao.documents.monitoring_text`; the charts come from
:mod:`jixiao.documents.charts` and are inserted 15 cm wide, or replaced by a note when
no Chinese font is installed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import OpcError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from jixiao.core.budget import execution_rate
from jixiao.core.money import ZERO, format_percent, format_wan
from jixiao.core.monitoring import progress_ratio
from jixiao.core.monitoring_report import MonitoringReport
from jixiao.documents import charts
from jixiao.documents.docx_jinja import DOCX_JINJA
from jixiao.documents.docx_layout import finish_for_print
from jixiao.documents.monitoring_text import (
    TOTAL_LABEL,
    consequence_sentences,
    forecast_sentences,
    forecast_table_notes,
    indicator_sentences,
    light_text,
    overall_sentences,
    period_label,
    project_sentences,
    project_table_columns,
    project_table_notes,
    projected_totals,
    proposal_sentences,
    range_text,
    report_title,
    source_sentences,
)
from jixiao.documents.report import TemplateError, _describe

TEMPLATE_NAME = "monitoring.docx"
CHART_WIDTH = Mm(150)


def _project_rows(report: MonitoringReport) -> list[dict[str, str]]:
    """One row per project, then the 合计 row (recorded amounts: exact totals, rounded once)."""
    result = report.result
    rows = [
        {
            "code": p.code,
            "name": report.project_name(p.code),
            "final_budget": format_wan(p.final_budget),
            "executed": format_wan(p.executed),
            "execution_rate": format_percent(p.execution_rate),
            "progress_ratio": format_percent(p.progress_ratio),
            "light": light_text(p.light),
        }
        for p in result.projects
    ]
    if rows:
        budget, executed = (c.total for c in project_table_columns(report))
        rate = execution_rate(executed, budget)
        rows.append(
            {
                "code": "",
                "name": TOTAL_LABEL,
                "final_budget": format_wan(budget),
                "executed": format_wan(executed),
                "execution_rate": format_percent(rate),
                "progress_ratio": format_percent(progress_ratio(rate, result.time_progress)),
                "light": "",
            }
        )
    return rows


def _forecast_rows(report: MonitoringReport) -> list[dict[str, str]]:
    """One row per project, then the 合计 row (forecasts add up as stated)."""
    rows = [
        {
            "code": f.project_code,
            "name": report.project_name(f.project_code),
            "final_budget": format_wan(f.final_budget),
            "projected": format_wan(f.projected),
            "range": range_text(f),
            "unspent": format_wan(f.projected_unspent),
            "projected_rate": format_percent(f.projected_rate),
        }
        for f in report.forecasts
    ]
    if rows:
        budget, projected, unspent = projected_totals(report)
        low = sum((f.projected_low for f in report.forecasts), ZERO)
        high = sum((f.projected_high for f in report.forecasts), ZERO)
        rows.append(
            {
                "code": "",
                "name": TOTAL_LABEL,
                "final_budget": format_wan(budget),
                "projected": format_wan(projected),
                "range": f"{format_wan(low)}～{format_wan(high)}",
                "unspent": format_wan(unspent),
                "projected_rate": format_percent(execution_rate(projected, budget)),
            }
        )
    return rows


def monitoring_context(report: MonitoringReport) -> dict[str, Any]:
    """The template variables, without the charts: plain strings, lists and dicts.

    Only what the department publishes: findings addressed to the preparer go to the
    审核意见 (``monitoring_text.review_findings``), never into the report.
    """
    return {
        "title": report_title(report),
        "period": period_label(report.as_of),
        "overall": overall_sentences(report),
        "sources": source_sentences(report),
        "project_paragraphs": project_sentences(report),
        "project_rows": _project_rows(report),
        "project_notes": project_table_notes(report),
        "forecast_paragraphs": forecast_sentences(report),
        "forecast_rows": _forecast_rows(report),
        "forecast_notes": forecast_table_notes(report),
        "proposals": proposal_sentences(report),
        "indicators": indicator_sentences(report),
        "consequences": consequence_sentences(report),
        "chart_note": charts.NO_FONT_NOTE,
    }


@contextmanager
def _template_path(template: Path | None) -> Iterator[Path]:
    if template is not None:
        yield Path(template)
        return
    with as_file(files("jixiao.documents") / "templates" / TEMPLATE_NAME) as packaged:
        yield Path(packaged)


def _image(document: DocxTemplate, png: bytes | None) -> InlineImage | None:
    return None if png is None else InlineImage(document, io.BytesIO(png), width=CHART_WIDTH)


def render_monitoring_docx(
    report: MonitoringReport, out_path: Path, template: Path | None = None
) -> Path:
    """Write the monitoring report as a Word file at ``out_path`` and return that path."""
    out_path = Path(out_path)
    with _template_path(template) as template_path:
        if not template_path.is_file():
            raise TemplateError(f"找不到 Word 模板文件：{template_path}")
        try:
            document = DocxTemplate(template_path)
            context = monitoring_context(report)
            context["execution_chart"] = _image(document, charts.execution_chart(report))
            context["lights_chart"] = _image(document, charts.lights_chart(report))
            document.render(context, DOCX_JINJA, autoescape=True)
            finish_for_print(document.docx, context["title"], report.department_name, report.as_of)
        except (
            jinja2.TemplateError,
            etree.LxmlError,
            zipfile.BadZipFile,
            OpcError,
            KeyError,
            ValueError,
        ) as error:
            raise TemplateError(
                f"Word 模板“{template_path}”无法渲染：{_describe(error)}"
            ) from error
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document.save(out_path)
    return out_path


__all__ = ["CHART_WIDTH", "TEMPLATE_NAME", "monitoring_context", "render_monitoring_docx"]
