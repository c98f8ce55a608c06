"""LibreOffice opens the monitoring table and report and converts them to PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jixiao.services.monitoring import monitor_stored_year, write_monitoring
from tests.monitoring_service.ledger import store_ledger_year
from tests.office import pdf_pages_and_size, require_tools, to_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]


def test_the_monitoring_table_and_report_convert_to_pdf(tmp_path: Path) -> None:
    require_tools("soffice", "pdfinfo")
    store_ledger_year()
    written = write_monitoring(
        monitor_stored_year("jc-dept", 2024, date(2024, 10, 31)), tmp_path / "out"
    )
    pages, (width, height) = pdf_pages_and_size(to_pdf(written.docx, tmp_path))
    assert (round(width), round(height)) == (595, 842)
    assert pages >= 3
    table_pages, _ = pdf_pages_and_size(to_pdf(written.xlsx, tmp_path))
    assert table_pages >= 1
