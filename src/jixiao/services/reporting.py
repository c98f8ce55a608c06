"""Writing the self-evaluation report of a stored department-year, and its 审核意见."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jixiao.core.budget import BudgetFigures, budget_figures
from jixiao.core.consistency import Finding, run_checks
from jixiao.core.coverage import Coverage, self_evaluation_coverage
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.narrative import ReportContent, report_content
from jixiao.core.review import report_review, rule_set_names
from jixiao.documents.report import render_docx, render_markdown
from jixiao.documents.review_notes import render_review_notes_docx
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.reading import department_year, find_fiscal_year
from jixiao.services.report_text import finish_content


@dataclass(frozen=True)
class WrittenReport:
    docx: Path
    markdown: Path
    content: ReportContent
    figures: BudgetFigures
    findings: tuple[Finding, ...]
    """Everything the 审核意见 lists: consistency, coverage, the evaluation's notes."""
    evaluation: YearEvaluation | None = None
    review: Path | None = None
    """The 审核意见 (.docx) written beside the report."""
    coverage: Coverage | None = None


def write_report(
    department_code: str,
    year: int,
    out_dir: Path,
    template: Path | None = None,
    prepared_on: date | None = None,
) -> WrittenReport:
    """Compute the year's figures, findings and self-evaluation and write
    DIR/YYYY-CODE-self-evaluation.* (the evaluation's forms appended as 附表) and the
    notes for the preparer, DIR/YYYY-CODE-self-evaluation-review.docx (审核意见)."""
    composed = composed_report(department_code, year)
    content, findings, evaluation = composed.content, composed.findings, composed.evaluation
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{year}-{department_code}-self-evaluation"
    docx = render_docx(content, stem.with_suffix(".docx"), template=template)
    markdown = stem.with_suffix(".md")
    markdown.write_text(render_markdown(content), encoding="utf-8")
    review = render_review_notes_docx(
        content.title,
        findings,
        out_dir / f"{stem.name}-review.docx",
        department=composed.department_name,
        prepared_on=prepared_on or date.today(),
        rule_sets=rule_set_names(evaluation),
    )
    return WrittenReport(
        docx, markdown, content, composed.figures, findings, evaluation, review, composed.coverage
    )


@dataclass(frozen=True)
class ComposedReport:
    """What the report prints and what its 审核意见 lists, before any file is written."""

    content: ReportContent
    figures: BudgetFigures
    findings: tuple[Finding, ...]
    evaluation: YearEvaluation | None
    coverage: Coverage | None
    department_name: str


def composed_report(department_code: str, year: int) -> ComposedReport:
    """What the report prints and what its 审核意见 lists, without writing a file."""
    stored = find_fiscal_year(department_code, year)
    records = department_year(department_code, year)
    consistency = tuple(run_checks(records))
    evaluation = evaluate_stored_year(department_code, year, records=records)
    coverage = (
        None
        if evaluation is None
        else self_evaluation_coverage(records, (p.project_code for p in evaluation.projects))
    )
    content = report_content(
        records,
        consistency,
        attachment_label=stored.attachment_label,
        evaluation=evaluation,
        coverage=coverage,
    )
    content, text_findings = finish_content(stored, content, records, evaluation)
    figures = budget_figures(records)
    findings = (*report_review(records, figures, consistency, evaluation, coverage), *text_findings)
    return ComposedReport(content, figures, findings, evaluation, coverage, records.department_name)
