"""The report page's PDF button: a stored Word report downloaded as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document

from jixiao.documents import pdf
from jixiao.storage import models as m
from tests.office import require_tools
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"


@pytest.fixture
def stored_docx(world: World, settings: Any, tmp_path: Path) -> m.GeneratedReport:
    settings.JIXIAO_HOME = tmp_path / "home"
    folder = Path(settings.JIXIAO_HOME) / "reports" / FIRST / str(YEAR)
    folder.mkdir(parents=True)
    document = Document()
    document.add_paragraph("部门整体支出绩效自评报告")
    document.save(str(folder / "r.docx"))
    return m.GeneratedReport.objects.create(
        fiscal_year=world.fiscal_year, kind="report-docx", file=f"{FIRST}/{YEAR}/r.docx", size=1
    )


def test_without_libreoffice_the_button_says_so_and_the_download_explains(
    world: World, stored_docx: m.GeneratedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    client = world.client("finance")
    page = client.get(f"{BASE}/reports/").content.decode()
    assert "服务器未安装 LibreOffice" in page
    assert "format=pdf" not in page
    answer = client.get(f"{BASE}/reports/{stored_docx.pk}/download/?format=pdf", follow=True)
    assert answer.status_code == 200
    assert "未找到 LibreOffice" in answer.content.decode()


@pytest.mark.libreoffice
def test_the_pdf_button_downloads_the_word_report_as_pdf(
    world: World, stored_docx: m.GeneratedReport
) -> None:
    require_tools("soffice")
    client = world.client("finance")
    assert "format=pdf" in client.get(f"{BASE}/reports/").content.decode()
    answer = client.get(f"{BASE}/reports/{stored_docx.pk}/download/?format=pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")
    office = world.client("office")  # a 业务科室 may not download the department's files
    assert office.get(f"{BASE}/reports/{stored_docx.pk}/download/?format=pdf").status_code == 403
