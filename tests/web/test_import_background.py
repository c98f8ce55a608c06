"""A large upload is previewed in the background: the upload answers at once with a page
that asks again until the preview is ready; a refused file shows its problems; the
confirmed import writes as a small one does."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from jixiao.interchange.excel.layouts import BUDGET_KIND
from jixiao.services.excel_export import export_workbook
from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db(transaction=True)  # the job's thread reads committed rows

BASE = f"/d/{FIRST}/{YEAR}"


@pytest.fixture(autouse=True)
def _every_upload_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_BACKGROUND_BYTES", "1")


def _budget(path: Path, name: str) -> Path:
    export_workbook(FIRST, YEAR, BUDGET_KIND, path)
    book = openpyxl.load_workbook(path)
    for row in book["预算与执行"].iter_rows(min_row=7):
        if row[1].value == "L01":
            row[2].value = name
    book.save(path)
    return path


def _until_ready(client: Client, url: str) -> Any:
    for _ in range(200):
        page = client.get(url)
        if page.status_code != 200 or "import-waiting" not in page.content.decode():
            return page
        assert '<meta http-equiv="refresh"' in page.content.decode()
        time.sleep(0.05)
    raise AssertionError("the preview never finished")


def test_a_large_upload_is_previewed_in_the_background_then_confirmed(
    world: World, tmp_path: Path
) -> None:
    finance = world.client("finance")
    with _budget(tmp_path / "budget.xlsx", "改名的预算行").open("rb") as file:
        upload = finance.post(f"{BASE}/import/", {"workbook": file})
    assert upload.status_code == 302 and "/import/preview/?token=" in upload["Location"]
    preview = _until_ready(finance, upload["Location"])
    assert preview.status_code == 200
    assert (
        "预览（尚未写入）" in preview.content.decode()
        and "改名的预算行" in preview.content.decode()
    )
    assert world.line("L01").name != "改名的预算行"  # nothing written yet
    token = preview.context["token"]
    done = finance.post(f"{BASE}/import/confirm/", {"token": token})
    assert done.status_code == 302
    assert world.line("L01").name == "改名的预算行"
    assert m.ImportRecord.objects.count() == 1


def test_a_refused_background_preview_shows_its_problems(world: World, tmp_path: Path) -> None:
    path = _budget(tmp_path / "budget.xlsx", "改名")
    book = openpyxl.load_workbook(path)
    sheet = book["预算与执行"]
    final = [cell.value for cell in sheet[6]].index("全年预算数") + 1
    sheet.cell(row=7, column=final).value = "一百"
    book.save(path)
    finance = world.client("finance")
    with path.open("rb") as file:
        upload = finance.post(f"{BASE}/import/", {"workbook": file})
    refused = _until_ready(finance, upload["Location"])
    assert refused.status_code == 400
    assert refused.context["problems"][0].where.startswith("预算与执行!")
    gone = finance.get(upload["Location"])  # the upload is forgotten
    assert gone.status_code == 302


def test_another_session_cannot_see_a_preview(world: World, tmp_path: Path) -> None:
    finance = world.client("finance")
    with _budget(tmp_path / "budget.xlsx", "改名").open("rb") as file:
        upload = finance.post(f"{BASE}/import/", {"workbook": file})
    _until_ready(finance, upload["Location"])
    stranger = world.client("admin").get(upload["Location"])
    assert stranger.status_code == 302  # not this session's upload
