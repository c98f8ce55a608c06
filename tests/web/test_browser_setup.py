"""In a real browser: 系统管理员 sets up a department, an office and its users; 财务科
imports a budget with 责任科室; the office sees its project; the year is carried forward."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 (fixtures)
    _allow_the_orm_beside_playwright,
    _shot,
    browser,
    nav_link,
    page,
)

pytestmark = pytest.mark.django_db(transaction=True)

DEPARTMENT = "city-env"


def _log_in(tab: Any, base: str, username: str, password: str = PASSWORD) -> None:
    tab.context.clear_cookies()
    tab.goto(f"{base}/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/")


def _budget(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算与执行"
    for row in (
        ["部门代码", DEPARTMENT], ["年度", 2024], ["单位：万元"],
        ["预算行代码", "预算行名称", "资金来源", "支出性质", "项目代码", "项目名称", "责任科室",
         "年初预算数", "全年预算数"],
        ["L01", "大气监测", "一般公共预算财政拨款", "项目支出", "P01", "大气监测", "监测科",
         100, 100],
        ["L02", "宣传教育", "一般公共预算财政拨款", "项目支出", "P02", "宣传教育", None, 50, 50],
    ):  # fmt: skip
        sheet.append(row)
    book.save(path)
    return path


def _submit(tab: Any, form: str, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        locator = tab.locator(f"#{form} [name={name}]")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(label=value)
        else:
            locator.fill(value)
    tab.click(f"#{form} button[type=submit]")
    tab.wait_for_load_state()


def test_a_department_is_set_up_imported_seen_and_carried_forward(
    page: Any,  # noqa: F811
    live_server: Any,
    tmp_path: Path,
) -> None:
    base = live_server.url
    create_account("root", Role.admin, PASSWORD)
    _log_in(page, base, "root")
    nav_link(page, "机构与账号").click()
    _submit(page, "form-department", {"code": DEPARTMENT, "name": "市生态环境局"})
    assert "已建立部门：市生态环境局" in page.inner_text(".messages")
    _submit(page, "form-office", {"department": "市生态环境局", "code": "K01", "name": "监测科"})
    _submit(page, "form-year", {"department": "市生态环境局", "year": "2024"})
    password = "finance-passphrase-2024"
    for username, name, role, office in (("cai", "蔡会计", "财务科", ""),
                                         ("jian", "简监测", "业务科室", "监测科")):  # fmt: skip
        _submit(page, "form-account", {"username": username, "full_name": name, "role": role,
                                       "department": DEPARTMENT, "office": office,
                                       "password": password})  # fmt: skip
        assert username in page.inner_text("#created-accounts")
    _shot(page, "60-setup")
    assert "市生态环境局" in page.inner_text("#departments")

    _log_in(page, base, "cai", password)
    assert "蔡会计" in page.inner_text(".account")
    page.goto(f"{base}/d/{DEPARTMENT}/2024/import/")
    page.set_input_files("#workbook", str(_budget(tmp_path / "预算.xlsx")))
    page.click("#upload-button")
    page.click("#confirm-import")
    page.wait_for_load_state()
    project = m.Project.objects.get(fiscal_year__department__code=DEPARTMENT, code="P01")
    assert project.office is not None and project.office.name == "监测科"

    _log_in(page, base, "jian", password)
    page.goto(f"{base}/d/{DEPARTMENT}/2024/budget/")
    listed = page.inner_text("main")
    assert "大气监测" in listed and "宣传教育" not in listed
    page.goto(f"{base}/d/{DEPARTMENT}/2024/projects/P01/")
    assert "监测科" in page.inner_text("main")

    _log_in(page, base, "cai", password)
    page.goto(f"{base}/d/{DEPARTMENT}/2024/")
    nav_link(page, "结转下一年度").click()
    page.uncheck("#carry-P02")
    _shot(page, "61-carry-forward")
    page.click("#carry-forward")
    page.wait_for_url(f"{base}/d/{DEPARTMENT}/2025/")
    assert "结转项目 1 个" in page.inner_text(".messages")
    carried = m.Project.objects.filter(
        fiscal_year__department__code=DEPARTMENT, fiscal_year__year=2025
    )
    assert [(p.code, p.office.name if p.office else None) for p in carried] == [("P01", "监测科")]
