"""The 运行监控 page shows the 全年预计执行数 a unit stated in its imported monitoring form
beside jixiao's forecast, marked when it lies outside the forecast's range."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from jixiao.services.excel_import import import_workbook
from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.excel_forms.forms import DEMO, DEMO_YEAR, store_demo
from tests.excel_forms.test_monitoring_rows import save
from tests.excel_forms.test_stated_forecast import mof_form

pytestmark = pytest.mark.django_db


def test_the_monitoring_page_shows_the_stated_forecast(tmp_path: Path) -> None:
    store_demo()
    import_workbook(save(tmp_path / "m.xlsx", mof_form("1.00")))  # far below what is spent
    demo = m.FiscalYear.objects.get(department__code=DEMO, year=DEMO_YEAR)
    client = Client()
    user = create_account("forecast-finance", Role.finance, "pw-123456-x", demo.department).user
    client.force_login(user)
    response = client.get(f"/d/{DEMO}/{DEMO_YEAR}/monitoring/?as_of=2023-07-31")
    assert response.status_code == 200
    (row,) = [r for r in response.context["rows"] if r.progress.code == "LW23-P09"]
    assert row.forecast.stated == Decimal("10000.00") and row.stated_outside
    page = response.content.decode()
    assert "单位填报预计执行数（万元）" in page
    cell = 'class="num stated-outside" title="截至2023-07-31的监控表；不在预测区间内">1.00</td>'
    assert cell in page
    others = [r for r in response.context["rows"] if r.progress.code != "LW23-P09"]
    assert all(r.forecast is None or r.forecast.stated is None for r in others)
