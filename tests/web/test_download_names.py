"""Every download is saved under a Chinese file name (``filename*=UTF-8''…``), with a
plain ASCII name beside it for clients that cannot read one; and the audit log shows
vocabulary in words (定量, not "quantitative")."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from django.http import HttpResponseBase

from jixiao.storage import models as m
from jixiao.web.downloads import ascii_name, content_disposition
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
HEADER = re.compile(r"""attachment; filename="([ -~]+)"; filename\*=UTF-8''([!-~]+)$""")


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> None:
    settings.JIXIAO_HOME = tmp_path / "home"


def _names(response: HttpResponseBase) -> tuple[str, str]:
    """The (Chinese, ASCII) names a download is saved under."""
    assert response.status_code == 200
    found = HEADER.fullmatch(response["Content-Disposition"])
    assert found, response["Content-Disposition"]
    return unquote(found.group(2)), found.group(1)


def test_the_header_names_the_file_in_utf8_with_an_ascii_fallback() -> None:
    header = content_disposition("2024年度测试局 审计日志.xlsx", 'test "dept" 2024.xlsx')
    assert header == (
        'attachment; filename="test-dept-2024.xlsx"; '
        "filename*=UTF-8''2024%E5%B9%B4%E5%BA%A6%E6%B5%8B%E8%AF%95%E5%B1%80%20"
        "%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx"
    )
    assert ascii_name("../审计.xlsx") == "..-.xlsx"  # no path separator survives


def test_the_audit_export_and_the_import_forms_have_chinese_names(world: World) -> None:
    finance = world.client("finance")
    name, fallback = _names(finance.get(f"{BASE}/audit/export/"))
    assert (name, fallback) == ("2024年度测试区测试局审计日志.xlsx", f"{FIRST}-2024-audit.xlsx")
    for template in finance.get(f"{BASE}/import/").context["templates"]:
        name, fallback = _names(finance.get(f"{BASE}/import/templates/{template.name}/"))
        assert name == f"{template.title}.xlsx" and fallback == f"{template.name}.xlsx"
    name, fallback = _names(finance.get(f"{BASE}/import/filled/goals/"))
    assert name.startswith("2024年度测试区测试局") and name.endswith(".xlsx")
    assert fallback == f"2024-{FIRST}-goals.xlsx"


def test_generated_reports_download_under_chinese_names(world: World) -> None:
    finance = world.client("finance")
    sent = {"groups": ["report", "evaluation", "monitoring"], "as_of": "2024-10-31"}
    assert finance.post(f"{BASE}/reports/", sent).status_code == 302
    names = {}
    for report in m.GeneratedReport.objects.filter(fiscal_year=world.fiscal_year):
        name, fallback = _names(finance.get(f"{BASE}/reports/{report.pk}/download/"))
        assert fallback == report.file.rsplit("/", 1)[-1]
        names[report.kind] = name
    stamp = r"-\d{8}-\d{6}"
    expected = {
        "report-docx": rf"2024年度测试区测试局自评报告{stamp}\.docx",
        "report-md": rf"2024年度测试区测试局自评报告{stamp}\.md",
        "evaluation-xlsx": rf"2024年度测试区测试局绩效自评表{stamp}\.xlsx",
        "monitoring-xlsx": rf"2024年度测试区测试局运行监控表（截至2024-10-31）{stamp}\.xlsx",
        "monitoring-docx": rf"2024年度测试区测试局运行监控报告（截至2024-10-31）{stamp}\.docx",
    }
    assert set(names) == set(expected)
    for kind, pattern in expected.items():
        assert re.fullmatch(pattern, names[kind]), names[kind]
    word = m.GeneratedReport.objects.get(kind="report-docx")
    review = finance.get(f"{BASE}/reports/{word.pk}/download/?format=review")
    assert re.fullmatch(rf"2024年度测试区测试局自评报告审核意见{stamp}\.docx", _names(review)[0])


def test_the_audit_log_shows_the_indicator_kind_in_words(world: World) -> None:
    finance = world.client("finance")
    page = finance.get(f"{BASE}/audit/?kind=indicator").content.decode()
    assert "定量" in page and "quantitative" not in page
    book = openpyxl.load_workbook(io.BytesIO(finance.get(f"{BASE}/audit/export/").content))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "定量" in cells and not any("quantitative" in cell for cell in cells)
