"""The library page lists the 指标库历年数值 an import stored, as given, and each indicator's
spread by source."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from jixiao.services import indicator_library as service
from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.cycle.test_indicator_library_storage import year
from tests.cycle.test_library_past_values import REGION_ROW, _workbook_with_values
from tests.web.conftest import PASSWORD

__all__ = ["year"]  # a fixture used by name

pytestmark = pytest.mark.django_db


def test_the_library_page_shows_the_librarys_values(tmp_path: Path, year: m.FiscalYear) -> None:
    service.commit_import(_workbook_with_values(tmp_path, [REGION_ROW]), "财政局")
    create_account("finance", Role.finance, PASSWORD, year.department)
    client = Client()
    assert client.login(username="finance", password=PASSWORD)
    page = client.get("/library/").content.decode()
    table = page.split('id="library-values-table"')[1].split("</table>")[0]
    assert "广州市" in table and "万宗" in table and "2022年广州市不动产登记统计" in table
    entries = page.split('id="library-entries"')[1].split("</table>")[0]
    assert "指标库历年数值：最低51000宗" in entries
