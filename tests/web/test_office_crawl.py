"""Scope of every list: the demo's 业务科室 follows every link from the 首页 and never sees
another office's project (its code or its name) on any page or download it can reach."""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from datetime import date
from html import unescape
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.test import Client

from jixiao.services.indicator_library import combined_library
from jixiao.services.monitoring import monitor_stored_year
from jixiao.storage import models as m
from jixiao.web.accounts import DEMO_OFFICE, create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SKIPPED = ("/logout/", "/static/", "/i18n/")
LIMIT = 400


def _links(base: str, html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        url = urldefrag(urljoin(base, unescape(href))).url
        parsed = urlparse(url)
        if parsed.netloc or not parsed.path.startswith("/"):
            continue
        if not parsed.path.startswith(SKIPPED):
            found.append(url)
    return found


def _text(body: bytes) -> str:
    """A page's text; for a download in a zip container (.xlsx, .docx), every part's."""
    if not body.startswith(b"PK"):
        return body.decode("utf-8", "replace")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


def crawl(client: Client, start: str = "/") -> dict[str, str]:
    """Every page reachable from ``start`` by links: its text (HTML, JSON, or the text
    inside a download), by URL."""
    pages: dict[str, str] = {}
    queue = deque([start])
    while queue and len(pages) < LIMIT:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code != 200:
            pages[url] = ""
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _text(body)
        pages[url] = text
        if response["Content-Type"].startswith("text/html"):
            queue.extend(link for link in _links(url, text) if link not in pages)
    return pages


def _mentions(text: str, code: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", text) is not None


def _compared_snapshots(fiscal_year: m.FiscalYear) -> str:
    """The monitoring page comparing two snapshots taken at the end of July and October."""
    code, year = fiscal_year.department.code, fiscal_year.year
    first, second = (
        monitor_stored_year(code, year, day, snapshot=True).snapshot_id
        for day in (date(year, 7, 31), date(year, 10, 31))
    )
    return f"/d/{code}/{year}/monitoring/?a={first}&b={second}"


def _api_urls(fiscal_year: m.FiscalYear) -> list[str]:
    base = f"/api/years/{fiscal_year.department.code}/{fiscal_year.year}"
    return [
        base,
        *(f"{base}/{part}" for part in ("lines", "ledger", "goals", "evaluation", "monitoring")),
    ]


def _without(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


def _year_of(url: str) -> int | None:
    found = re.match(r"/(?:d|api/years)/[^/]+/(\d{4})\b", url)
    return int(found.group(1)) if found else None


def test_the_demo_office_sees_no_other_office_project_on_any_page(demo: m.FiscalYear) -> None:
    office = m.Office.objects.get(department=demo.department, code=DEMO_OFFICE)
    create_account("crawler", Role.office, PASSWORD, demo.department, office)
    client = Client()
    assert client.login(username="crawler", password=PASSWORD)
    others = m.Project.objects.filter(fiscal_year__department=demo.department).exclude(
        office=office
    )
    assert others.filter(fiscal_year=demo).exists()
    pages = crawl(client)
    assert any(url.endswith("/monitoring/") for url in pages), sorted(pages)
    pages.update(crawl(client, _compared_snapshots(demo)))
    for url in _api_urls(demo):
        pages.update(crawl(client, url))
    # the shared 指标库's indicator names are rule data, not projects (历史文化街区保护规划
    # is a demo project and part of the indicator 历史文化街区保护规划获批数)
    library_names = [name for e in combined_library().indicators for name in e.names]
    pages = {url: _without(text, library_names) for url, text in pages.items()}
    leaks = [
        (url, project.code, project.name)
        for url, text in pages.items()
        for project in others
        if _year_of(url) in (None, project.fiscal_year.year)
        and (_mentions(text, project.code) or project.name in text)
    ]
    assert not leaks, leaks[:20]
