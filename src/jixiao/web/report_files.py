"""Reports generated from the web, kept under ``JIXIAO_HOME/reports/<department>/<year>/``.

Each generation writes the services' files into a temporary folder, then moves them into
the year's folder with the time in the name (``2023-liwan-ghzy-self-evaluation-20240517-
101530.docx``), so earlier files stay as they were, and records one ``GeneratedReport``
row per file (kind, path relative to the reports folder, size, who, when). Downloads
resolve the stored path inside the reports folder and refuse anything outside it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.documents import pdf
from jixiao.services.evaluating import evaluate_stored_year, write_evaluation_tables
from jixiao.services.monitoring import monitor_stored_year, write_monitoring
from jixiao.services.reporting import write_report
from jixiao.storage import models as m
from jixiao.storage.models import ReportKind
from jixiao.web.workflow import user_name

GROUPS = ("report", "evaluation", "monitoring")
"""What a user may ask for: the self-evaluation report (.docx and .md), the evaluation
tables (.xlsx), the monitoring table and report at a date (.xlsx and .docx)."""

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def reports_root() -> Path:
    return Path(settings.JIXIAO_HOME) / "reports"


def year_folder(fiscal_year: m.FiscalYear) -> Path:
    """JIXIAO_HOME/reports/<department code>/<year> (the code made safe for a path)."""
    code = _SAFE.sub("_", fiscal_year.department.code).strip("._") or "department"
    return reports_root() / code / str(fiscal_year.year)


def resolve(report: m.GeneratedReport) -> Path | None:
    """The file of a generated report, or None when it is gone or outside the folder."""
    root = reports_root().resolve()
    path = (root / report.file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class Written:
    kind: str
    path: Path
    as_of: date | None = None
    review: Path | None = None
    """The 审核意见 written with a Word report, kept beside it (see ``review_of``)."""


def _write(
    fiscal_year: m.FiscalYear, groups: Iterable[str], as_of: date, out: Path
) -> list[Written]:
    code, year = fiscal_year.department.code, fiscal_year.year
    written: list[Written] = []
    if "report" in groups:
        report = write_report(code, year, out)
        written += [
            Written(ReportKind.report_docx, report.docx, review=report.review),
            Written(ReportKind.report_md, report.markdown),
        ]
    if "evaluation" in groups:
        tables = write_evaluation_tables(evaluate_stored_year(code, year), out)
        written.append(Written(ReportKind.evaluation_xlsx, tables))
    if "monitoring" in groups:
        files = write_monitoring(monitor_stored_year(code, year, as_of), out)
        written += [
            Written(ReportKind.monitoring_xlsx, files.xlsx, as_of),
            Written(ReportKind.monitoring_docx, files.docx, as_of, getattr(files, "review", None)),
        ]
    return written


def generate(
    fiscal_year: m.FiscalYear, groups: Iterable[str], as_of: date, user: Any
) -> list[m.GeneratedReport]:
    """Write the asked-for files and record them; raises the services' UserFacingError."""
    wanted = [group for group in GROUPS if group in set(groups)]
    if not wanted:
        return []
    folder = year_folder(fiscal_year)
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    root = reports_root().resolve()
    rows = []
    with tempfile.TemporaryDirectory(prefix="jixiao-report-") as tmp:
        for item in _write(fiscal_year, wanted, as_of, Path(tmp)):
            target = _free(folder / f"{item.path.stem}-{stamp}{item.path.suffix}")
            shutil.move(str(item.path), target)
            if item.review is not None and item.review.is_file():
                shutil.move(str(item.review), review_path(target))
            rows.append(
                m.GeneratedReport.objects.create(
                    fiscal_year=fiscal_year,
                    kind=item.kind,
                    file=str(target.resolve().relative_to(root)),
                    size=target.stat().st_size,
                    as_of=item.as_of,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                    created_by_name=user_name(user),
                    created_at=now,
                )
            )
    return rows


def _free(path: Path) -> Path:
    """``path``, or the same name with -2, -3 … when a file of that name exists."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def review_path(docx: Path) -> Path:
    """Where the 审核意见 of a stored Word report is kept: beside it, ``…-review.docx``."""
    return docx.with_name(f"{docx.stem}-review{docx.suffix}")


def review_of(report: m.GeneratedReport) -> Path | None:
    """The stored 审核意见 of a Word report, or None (not a Word report, or none kept)."""
    docx = resolve(report)
    if docx is None or report.kind not in PDF_KINDS:
        return None
    review = review_path(docx)
    return review if review.is_file() else None


PDF_KINDS = (ReportKind.report_docx, ReportKind.monitoring_docx)
"""The Word reports a user may also download as PDF, converted on the first request."""


def pdf_available() -> bool:
    """Whether this server can make PDFs (LibreOffice is installed)."""
    return pdf.available()


def pdf_of(report: m.GeneratedReport) -> Path | None:
    """The PDF of a stored Word report, made beside it on the first request.

    None when the Word file is gone or the report is not a Word report; raises
    :class:`jixiao.documents.pdf.PdfError` (a Chinese message) when LibreOffice is
    missing or fails. The PDF is written to a temporary folder and then moved in, so a
    second request at the same time never reads half a file.
    """
    docx = resolve(report)
    if docx is None or report.kind not in PDF_KINDS:
        return None
    target = docx.with_suffix(".pdf")
    if target.is_file() and target.stat().st_mtime >= docx.stat().st_mtime:
        return target
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-", dir=docx.parent) as tmp:
        made = pdf.convert_to_pdf(docx, Path(tmp))
        os.replace(made, target)
    return target


CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".md": "text/markdown; charset=utf-8",
}


DOWNLOAD_TITLES: dict[str, str] = {
    ReportKind.report_docx: "自评报告",
    ReportKind.report_md: "自评报告",
    ReportKind.evaluation_xlsx: "绩效自评表",
    ReportKind.monitoring_xlsx: "运行监控表",
    ReportKind.monitoring_docx: "运行监控报告",
}


def download_name(report: m.GeneratedReport, suffix: str, part: str = "") -> str:
    """The Chinese name a stored file is saved under, e.g.
    ``2023年度广州市…分局运行监控表（截至2023-10-31）-20240517-101530.xlsx``; ``part``
    names a file kept beside the report (its 审核意见)."""
    fiscal_year = report.fiscal_year
    title = DOWNLOAD_TITLES.get(report.kind, "报告")
    if report.as_of is not None:
        title += f"（截至{report.as_of:%Y-%m-%d}）"
    stamp = timezone.localtime(report.created_at).strftime("%Y%m%d-%H%M%S")
    department = fiscal_year.department.name
    return f"{fiscal_year.year}年度{department}{title}{part}-{stamp}{suffix}"


def missing_text() -> str:
    return _("该文件已不存在（可能已被清理），请重新生成。")
