"""机构与账号, the user list, 修改密码, 责任科室 on the project page and 结转下一年度."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.interchange.excel.user_list import USERS
from jixiao.storage import models as m
from jixiao.web.models import Membership, Role
from tests.web.conftest import FIRST, PASSWORD, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"


def _user_list(path: Path, rows: list[list[object]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "用户名单"
    sheet.append([c.label for c in USERS.columns])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return SimpleUploadedFile("users.xlsx", path.read_bytes())


def test_only_admin_and_bureau_open_the_setup_page(world: World) -> None:
    for persona, status in (("admin", 200), ("bureau", 200), ("finance", 403), ("office", 403)):
        assert world.client(persona).get("/setup/").status_code == status, persona
    assert "机构与账号" in world.client("admin").get("/").content.decode()


def test_admin_creates_a_department_an_office_a_year_and_an_account(world: World) -> None:
    client = world.client("admin")
    client.post("/setup/", {"kind": "department", "code": "new-dept", "name": "新区新局"})
    department = m.Department.objects.get(code="new-dept")
    client.post("/setup/", {"kind": "office", "department": department.pk, "code": "K01",
                            "name": "综合科"})  # fmt: skip
    client.post("/setup/", {"kind": "year", "department": department.pk, "year": 2025})
    response = client.post("/setup/", {"kind": "account", "username": "zhang", "full_name": "张三",
                                       "role": "office", "department": "new-dept",
                                       "office": "综合科", "password": ""})  # fmt: skip
    membership = Membership.objects.get(user__username="zhang")
    assert membership.office is not None and membership.office.name == "综合科"
    assert membership.user.get_full_name() == "张三"
    [created] = response.context["created"]
    assert client.login(username="zhang", password=created.password)
    assert m.FiscalYear.objects.filter(department=department, year=2025).exists()


def test_a_wrong_account_says_why_and_creates_nothing(world: World) -> None:
    response = world.client("bureau").post(
        "/setup/", {"kind": "account", "username": "root2", "full_name": "某人", "role": "admin"}
    )
    assert "只有系统管理员能建立系统管理员账号" in response.content.decode()
    assert not User.objects.filter(username="root2").exists()


def test_a_user_list_is_imported_whole_or_not_at_all(world: World, tmp_path: Path) -> None:
    client = world.client("admin")
    good = ["li", "李四", "财务科", FIRST, None, None]
    bad = ["wang", "王五", "业务科室", FIRST, "宣传科", None]
    upload = _user_list(tmp_path / "a.xlsx", [good, bad])
    response = client.post("/setup/", {"kind": "users", "file": upload})
    page = response.content.decode()
    assert "用户名单!E3" in page and "宣传科" in page
    assert not User.objects.filter(username__in=["li", "wang"]).exists()
    bad[4] = "规划科"
    upload = _user_list(tmp_path / "b.xlsx", [good, bad])
    response = client.post("/setup/", {"kind": "users", "file": upload})
    assert [a.username for a in response.context["created"]] == ["li", "wang"]
    assert Membership.objects.get(user__username="wang").role == Role.office


def test_the_user_list_template_downloads_and_reads_back(world: World, tmp_path: Path) -> None:
    response = world.client("admin").get("/setup/user-list-template/")
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    header = [c.value for c in openpyxl.load_workbook(path)["用户名单"][1]]
    assert header == [c.label for c in USERS.columns]


def test_a_user_changes_their_own_password(world: World) -> None:
    client = world.client("office")
    new = "a-new-long-passphrase-2024"
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": new,
                                          "new_password2": new})  # fmt: skip
    assert response.status_code == 302
    assert world.users["office"].__class__.objects.get(username="office").check_password(new)


def test_finance_assigns_a_project_office_the_office_does_not(world: World) -> None:
    tdk = m.Office.objects.get(code="tdk", department=world.fiscal_year.department)
    url = f"{BASE}/projects/P001/office/"
    assert world.client("office").post(url, {"office": tdk.pk}).status_code == 403
    page = world.client("finance").get(f"{BASE}/projects/P001/").content.decode()
    assert 'id="project-office-form"' in page
    world.client("finance").post(url, {"office": tdk.pk})
    assert world.project("P001").office == tdk
    other = m.Office.objects.filter(department=world.other_year.department).first()
    assert other is not None
    world.client("finance").post(url, {"office": other.pk})
    assert world.project("P001").office == tdk


def test_finance_carries_the_year_forward_with_the_projects_it_ticks(world: World) -> None:
    url = f"{BASE}/carry-forward/"
    assert world.client("office").get(url).status_code == 403
    client = world.client("finance")
    assert "P002" in client.get(url).content.decode()
    response = client.post(url, {"project": ["P002"]})
    assert response.status_code == 302 and response["Location"] == f"/d/{FIRST}/{YEAR + 1}/"
    new = m.FiscalYear.objects.get(department=world.fiscal_year.department, year=YEAR + 1)
    assert list(new.projects.values_list("code", flat=True)) == ["P002"]
    again = client.post(url, {"project": ["P002"]}, follow=True)
    assert "已有项目" in again.content.decode()


def test_a_carried_goal_shows_last_years_actuals_under_the_targets(world: World) -> None:
    world.client("finance").post(f"{BASE}/carry-forward/", {"project": ["P001"]})
    page = world.client("office").get(f"/d/{FIRST}/{YEAR + 1}/projects/P001/goal/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('class="small muted last-year-actual"') == 3
    assert "上年实际完成值：90%" in text


def test_a_file_that_is_no_user_list_says_so(world: World, tmp_path: Path) -> None:
    client = world.client("admin")
    junk = SimpleUploadedFile("users.xlsx", b"not a workbook at all")
    page = client.post("/setup/", {"kind": "users", "file": junk})
    assert page.status_code == 200 and page.context["problems"]
    book = openpyxl.Workbook()
    book.active.append(["随便", "什么"])
    book.save(tmp_path / "other.xlsx")
    other = SimpleUploadedFile("other.xlsx", (tmp_path / "other.xlsx").read_bytes())
    text = client.post("/setup/", {"kind": "users", "file": other}).content.decode()
    assert "未找到用户名单" in text
