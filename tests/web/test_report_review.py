"""The report page offers each Word report's 审核意见 to those who prepare the reports."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    settings.JIXIAO_HOME = tmp_path / "home"
    return Path(settings.JIXIAO_HOME)


def test_the_review_notes_are_kept_beside_the_report_for_its_preparers(
    world: World, home: Path
) -> None:
    finance = world.client("finance")
    assert finance.post(f"{BASE}/reports/", {"groups": ["report"]}).status_code == 302
    report = m.GeneratedReport.objects.get(kind="report-docx")
    stored = home / "reports" / report.file
    assert stored.with_name(f"{stored.stem}-review.docx").is_file()
    assert "?format=review" in finance.get(f"{BASE}/reports/").content.decode()
    download = finance.get(f"{BASE}/reports/{report.pk}/download/?format=review")
    assert download.status_code == 200
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs
    )
    assert "审核意见" in text and "不随报告报送" in text


def test_the_bureau_sees_the_report_but_not_its_review_notes(world: World, home: Path) -> None:
    assert (
        world.client("finance").post(f"{BASE}/reports/", {"groups": ["report"]}).status_code == 302
    )
    report = m.GeneratedReport.objects.get(kind="report-docx")
    bureau = world.client("bureau")
    assert "?format=review" not in bureau.get(f"{BASE}/reports/").content.decode()
    url = f"{BASE}/reports/{report.pk}/download/"
    assert bureau.get(url).status_code == 200
    assert bureau.get(f"{url}?format=review").status_code == 404
