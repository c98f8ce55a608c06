"""批量生成 in the web: the bureau requests a year's batch, the page's progress bar polls a
JSON endpoint (no inline script), and the zip is downloaded once the workers are done."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from jixiao.services.city_batch import work
from tests.web.conftest import YEAR, World

pytestmark = pytest.mark.django_db


def test_the_bureau_requests_a_batch_and_follows_its_progress(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.JIXIAO_HOME = tmp_path
    client = world.client("bureau")
    assert f'href="/bureau/{YEAR}/batches/"' in client.get(f"/bureau/{YEAR}/").content.decode()
    listing = client.get(f"/bureau/{YEAR}/batches/").content.decode()
    assert "生成全部 2 个部门" in listing
    response = client.post(f"/bureau/{YEAR}/batches/new/")
    page_url = response["Location"]
    assert response.status_code == 302 and page_url.startswith("/batches/")

    page = client.get(page_url).content.decode()
    assert f'data-url="{page_url}progress/"' in page
    assert '<progress id="batch-progress" max="3" value="0">' in page
    assert "batch_progress.js" in page and "<script>" not in page  # CSP: no inline script
    assert client.get(f"{page_url}progress/").json() == {
        "total": 3, "finished": 0, "failed": 0, "percent": 0, "complete": False,
        "download": None,
    }  # fmt: skip
    assert client.get(f"{page_url}download/").status_code == 404

    assert work("test-worker", until_idle=True, poll=0.01).done == 3
    progress = client.get(f"{page_url}progress/").json()
    assert progress["complete"] and progress["percent"] == 100
    assert progress["download"] == f"{page_url}download/"
    download = client.get(progress["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as bundle:
        names = bundle.namelist()
    assert f"{YEAR}-city-summary.docx" in names
    assert any(name.endswith("-self-evaluation.docx") for name in names)


def test_only_the_bureau_sees_the_batches(world: World) -> None:
    for persona in ("finance", "office"):
        client = world.client(persona)
        assert client.get(f"/bureau/{YEAR}/batches/").status_code == 403
        assert client.post(f"/bureau/{YEAR}/batches/new/").status_code == 403
        assert client.get("/batches/1/progress/").status_code == 403


def test_the_batch_pages_speak_english(world: World) -> None:
    client = world.client("bureau")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    listing = client.get(f"/bureau/{YEAR}/batches/").content.decode()
    assert "Generate for all 2 departments" in listing
    assert "No batch has been requested yet." in listing
