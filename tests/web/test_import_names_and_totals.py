"""The import page: templates that know their department-year, a preview with each sheet's
rows and 合计 to tick against Excel, and the user's own file name in every message."""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.core.money import format_wan
from jixiao.interchange.excel.layouts import BUDGET_KIND, LEDGER_KIND
from jixiao.services.excel_export import export_workbook
from jixiao.storage import models as m
from jixiao.web.views import imports
from tests.web.conftest import FIRST, YEAR, World

BASE = f"/d/{FIRST}/{YEAR}"
RANDOM = "feedface"
"""The start of the random part of a stored upload's path, made known to look for it."""


@pytest.fixture(autouse=True)
def _known_random_folder(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.JIXIAO_HOME = tmp_path / "home"
    numbers = itertools.count()
    monkeypatch.setattr(imports.secrets, "token_hex", lambda n: f"{RANDOM}{next(numbers):016d}")


def _book(response: Any) -> Any:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(f"{BASE}/import/", {"workbook": SimpleUploadedFile(name, content)})


def _exported(tmp_path: Path, kind: Any) -> bytes:
    return export_workbook(FIRST, YEAR, kind, tmp_path / f"{kind.name}.xlsx").read_bytes()


@pytest.mark.django_db
def test_templates_from_the_page_carry_the_department_year_and_projects(world: World) -> None:
    finance, office = world.client("finance"), world.client("office")
    budget = _book(finance.get(f"{BASE}/import/templates/budget/"))["预算与执行"]
    assert [budget[f"B{row}"].value for row in (2, 3, 4)] == [FIRST, "测试区测试局", YEAR]
    goals = _book(finance.get(f"{BASE}/import/templates/goals/"))
    assert goals["项目支出绩效目标申报表"]["B4"].value is None  # two projects: the clerk chooses
    notes = [str(r[1]) for r in goals["说明"].iter_rows(values_only=True) if r[1]]
    assert any("P001 国土空间规划编制；P002 土地储备前期" in line for line in notes)
    own = _book(office.get(f"{BASE}/import/templates/goals/"))["项目支出绩效目标申报表"]
    assert [own[ref].value for ref in ("B3", "B4", "E4")] == [FIRST, "P001", "国土空间规划编制"]
    evaluation = _book(office.get(f"{BASE}/import/templates/project-evaluation/"))
    assert evaluation["项目支出绩效自评表"]["F3"].value == "P001"


@pytest.mark.django_db
def test_the_preview_lists_each_sheets_rows_and_totals_as_the_export_prints_them(
    world: World, tmp_path: Path
) -> None:
    finance = world.client("finance")
    path = tmp_path / "budget.xlsx"
    export_workbook(FIRST, YEAR, BUDGET_KIND, path)
    sheet = openpyxl.load_workbook(path)["预算与执行"]
    header = [cell.value for cell in sheet[6]]
    total_row = next(r for r in sheet.iter_rows(min_row=7, values_only=True) if r[0] == "合计")
    preview = _upload(finance, "二〇二四年预算.xlsx", path.read_bytes())
    assert preview.status_code == 200, preview.context.get("problems")
    budget, _ = preview.context["totals"]
    assert (budget.sheet, budget.rows) == ("预算与执行", 3)
    printed = {a.label: format_wan(a.yuan) for a in budget.amounts}
    for label in ("年初预算数", "全年预算数", "执行数"):  # the export's 合计 row, in 万元
        assert printed[label] == f"{total_row[header.index(label)]:,.2f}", label
    page = preview.content.decode()
    table = page[
        page.index('id="import-totals"') : page.index("</table>", page.index("import-totals"))
    ]
    assert (
        "合计（万元）" in table
        and f'<td>年初预算数</td><td class="num">{printed["年初预算数"]}' in table
    )
    ledger = _upload(finance, "台账.xlsx", _exported(tmp_path, LEDGER_KIND))
    [amount] = ledger.context["totals"][0].amounts
    text = ledger.content.decode()
    assert f"{format_wan(amount.yuan)}<br>" in text  # in 万元, and as the sheet holds it in 元
    assert re.search(r"表中 [\d,]+\.\d\d 元", text)


@pytest.mark.django_db
def test_a_refused_upload_is_named_by_the_users_own_file_name(world: World) -> None:
    refused = _upload(world.client("finance"), "二季度预算.xlsx", b"not a workbook at all")
    assert refused.status_code == 400
    problems = refused.context["problems"]
    assert problems and all(p.where.startswith("二季度预算.xlsx") for p in problems)
    assert RANDOM not in refused.content.decode()
    uploads = Path(imports.uploads_folder())
    assert not uploads.exists() or not list(uploads.iterdir())  # nothing left behind


@pytest.mark.django_db
def test_the_preview_the_confirmation_and_the_record_name_the_users_file(
    world: World, tmp_path: Path
) -> None:
    finance = world.client("finance")
    preview = _upload(finance, "预算 (最终版).xlsx", _exported(tmp_path, BUDGET_KIND))
    page = preview.content.decode()
    assert "预算 (最终版).xlsx" in page and RANDOM not in page
    done = finance.post(f"{BASE}/import/confirm/", {"token": preview.context["token"]}, follow=True)
    assert "已导入“预算 (最终版).xlsx”" in done.content.decode()
    record = m.ImportRecord.objects.get()
    assert record.file_name == "预算 (最终版).xlsx"
    assert not list(imports.uploads_folder().iterdir())  # the upload and its folder are gone


def test_a_stored_name_keeps_the_users_name_safe_for_the_file_system() -> None:
    assert imports.stored_name("预算表.XLSX") == "预算表.XLSX"
    assert imports.stored_name("a\x00b/c.xlsx") == "a_b_c.xlsx"
    assert imports.stored_name("...xlsx") == "上传的文件.xlsx"
    long = imports.stored_name("预" * 300 + ".csv")
    assert long.endswith(".csv") and len(long.encode()) <= imports.MAX_NAME_BYTES


@pytest.mark.django_db(transaction=True)  # the background job's thread reads committed rows
def test_a_background_preview_names_the_users_file(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_BACKGROUND_BYTES", "1")
    finance = world.client("finance")
    upload = _upload(finance, "坏文件.xlsx", b"PK\x03\x04 broken zip")
    assert upload.status_code == 302
    for _ in range(200):
        page = finance.get(upload["Location"])
        if "import-waiting" not in page.content.decode():
            break
        time.sleep(0.05)
    assert page.status_code == 400
    problems = page.context["problems"]
    assert problems and all(p.where.startswith("坏文件.xlsx") for p in problems)
    assert RANDOM not in page.content.decode()
    good = _upload(finance, "后台预览.xlsx", _exported(tmp_path, BUDGET_KIND))
    for _ in range(200):
        ready = finance.get(good["Location"])
        if "import-waiting" not in ready.content.decode():
            break
        time.sleep(0.05)
    assert "后台预览.xlsx" in ready.content.decode()
    assert [t.sheet for t in ready.context["totals"]] == ["预算与执行", "预算调整"]


@pytest.mark.django_db
def test_an_offices_goal_template_from_the_page_imports_without_typing_who_or_when(
    world: World,
) -> None:
    office = world.client("office")
    book = _book(office.get(f"{BASE}/import/templates/goals/"))
    sheet = book["项目支出绩效目标申报表"]
    sheet["B5"] = "按期完成规划编制。"
    row = ("产出指标", "数量指标", "规划成果", "定量", "≥3个", 90)
    for column, value in zip("ABCDEF", row, strict=True):
        sheet[f"{column}7"] = value
    filled = io.BytesIO()
    book.save(filled)
    preview = _upload(office, "规划科申报表.xlsx", filled.getvalue())
    assert preview.status_code == 200, preview.context.get("problems")
    assert preview.context["result"].department_code == FIRST
    [totals] = preview.context["totals"]
    assert (totals.table, totals.rows, totals.amounts) == ("项目支出绩效目标申报表", 1, ())
    assert any(change.key.startswith("P001") for change in preview.context["changes"])
