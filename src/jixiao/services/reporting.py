"""Writing the self-evaluation report of a stored department-year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jixiao.core.budget import BudgetFigures, budget_figures
from jixiao.core.consistency import Finding, run_checks
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.narrative import ReportContent, report_content
from jixiao.documents.report import render_docx, render_markdown
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.reading import department_year, find_fiscal_year


@dataclass(frozen=True)
class WrittenReport:
    docx: Path
    markdown: Path
    content: ReportContent
    figures: BudgetFigures
    findings: tuple[Finding, ...]
    evaluation: YearEvaluation | None = None


def write_report(
    department_code: str, year: int, out_dir: Path, template: Path | None = None
) -> WrittenReport:
    """Compute the year's figures, findings and self-evaluation and write
    DIR/YYYY-CODE-self-evaluation.* (the evaluation's forms appended as 附表)."""
    stored = find_fiscal_year(department_code, year)
    records = department_year(department_code, year)
    findings = tuple(run_checks(records))
    evaluation = evaluate_stored_year(department_code, year)
    content = report_content(
        records, findings, attachment_label=stored.attachment_label, evaluation=evaluation
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{year}-{department_code}-self-evaluation"
    docx = render_docx(content, stem.with_suffix(".docx"), template=template)
    markdown = stem.with_suffix(".md")
    markdown.write_text(render_markdown(content), encoding="utf-8")
    return WrittenReport(docx, markdown, content, budget_figures(records), findings, evaluation)
