"""运行监控, 报告, 导入 and 整改: what they show, what they write, and who may do what."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from jixiao.interchange.excel.layouts import BUDGET_KIND
from jixiao.services.excel_export import export_form_workbook, export_workbook
from jixiao.storage import models as m
from jixiao.storage.models import RectificationStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import DEMO, DEMO_YEAR, FIRST, PASSWORD, YEAR, World, store_text

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
DEMO_BASE = f"/d/{DEMO}/{DEMO_YEAR}"


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> Path:
    settings.JIXIAO_HOME = tmp_path / "home"
    return Path(settings.JIXIAO_HOME)


def _demo_client(demo: m.FiscalYear, role: Role = Role.finance, office: str = "") -> Client:
    client = Client()
    found = m.Office.objects.get(department=demo.department, code=office) if office else None
    user = create_account(f"demo-{role}-{office}", role, PASSWORD, demo.department, found).user
    client.force_login(user)
    return client


# 运行监控


def test_monitoring_shows_lights_forecast_proposals_and_consequences(demo: m.FiscalYear) -> None:
    response = _demo_client(demo).get(f"{DEMO_BASE}/monitoring/?as_of=2023-10-31")
    assert response.status_code == 200
    context = response.context
    assert context["as_of"] == date(2023, 10, 31)
    assert len(context["rows"]) == 15
    lights = [row.progress.light.value for row in context["rows"] if row.progress.light]
    assert lights.count("red") == 4 and lights.count("yellow") == 4 and lights.count("green") == 7
    assert context["proposals"] and context["consequence_rules"]
    page = response.content.decode()
    assert "55.78%" in page  # 执行进度比 of the department (the CLI prints the same)
    assert "69,875.94" in page  # projected year-end execution of the projects
    assert set(context["charts"]) == {"rates", "forecast"}
    assert page.count('<svg class="chart-svg"') == 2
    july = _demo_client(demo, Role.leader).get(f"{DEMO_BASE}/monitoring/?as_of=2023-07-31")
    assert july.context["department"].light.value == "red"


def test_the_office_sees_its_own_projects_on_the_monitoring_page(demo: m.FiscalYear) -> None:
    response = _demo_client(demo, Role.office, "K03").get(f"{DEMO_BASE}/monitoring/")
    codes = [row.progress.code for row in response.context["rows"]]
    assert codes == ["LW23-P04", "LW23-P05"]
    assert response.context["can_snapshot"] is False


def test_snapshots_are_taken_by_finance_only_and_compared(demo: m.FiscalYear) -> None:
    finance = _demo_client(demo)
    office = _demo_client(demo, Role.office, "K03")
    url = f"{DEMO_BASE}/monitoring/snapshots/"
    before = m.MonitoringSnapshot.objects.count()
    assert office.post(url, {"as_of": "2023-06-30"}).status_code == 403
    assert finance.post(url, {"as_of": "2023-06-30"}).status_code == 302
    assert finance.post(url, {"as_of": "2022-06-30"}).status_code == 302  # refused, explained
    assert finance.post(url, {"as_of": "2023-09-30"}).status_code == 302
    assert m.MonitoringSnapshot.objects.count() == before + 2
    first, second = m.MonitoringSnapshot.objects.order_by("as_of").values_list("id", flat=True)[:2]
    page = finance.get(f"{DEMO_BASE}/monitoring/?a={first}&b={second}")
    changes = page.context["changes"]
    assert changes and all(c.project_code for c in changes)
    office_changes = office.get(f"{DEMO_BASE}/monitoring/?a={first}&b={second}").context["changes"]
    assert {c.project_code for c in office_changes} <= {"LW23-P04", "LW23-P05"}


def test_a_snapshot_of_another_department_cannot_be_compared(world: World) -> None:
    fiscal_year = world.fiscal_year
    from jixiao.services.monitoring import monitor_stored_year

    own = monitor_stored_year(FIRST, YEAR, date(2024, 6, 30), snapshot=True).snapshot_id
    other = monitor_stored_year("other-dept", YEAR, date(2024, 6, 30), snapshot=True).snapshot_id
    response = world.client("finance").get(f"{BASE}/monitoring/?a={own}&b={other}")
    assert response.context["changes"] is None
    assert "不属于本部门年度" in response.content.decode()
    assert fiscal_year.snapshots.count() == 1


# 报告


def test_finance_generates_and_downloads_the_reports_with_their_figures(
    demo: m.FiscalYear, _home: Path
) -> None:
    import docx

    finance = _demo_client(demo)
    response = finance.post(
        f"{DEMO_BASE}/reports/",
        {"groups": ["report", "evaluation", "monitoring"], "as_of": "2023-10-31"},
    )
    assert response.status_code == 302
    rows = list(m.GeneratedReport.objects.filter(fiscal_year=demo).order_by("kind"))
    assert [r.kind for r in rows] == sorted(
        ["report-docx", "report-md", "evaluation-xlsx", "monitoring-xlsx", "monitoring-docx"]
    )
    assert all(r.created_by_name.startswith("demo-finance") for r in rows)
    folder = _home / "reports" / DEMO / str(DEMO_YEAR)
    # the Word reports, each with its 审核意见 kept beside it
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx"] * 4 + [".md", ".xlsx", ".xlsx"]
    word = next(r for r in rows if r.kind == "report-docx")
    download = finance.get(f"{DEMO_BASE}/reports/{word.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。" in text
    listing = finance.get(f"{DEMO_BASE}/reports/").content.decode()
    assert word.file.rsplit("/", 1)[-1] in listing and "demo-finance" in listing


def test_report_permissions(world: World, _home: Path) -> None:
    finance = world.client("finance")
    assert finance.post(f"{BASE}/reports/", {"groups": ["report"]}).status_code == 302
    report = m.GeneratedReport.objects.get(kind="report-docx")
    url = f"{BASE}/reports/{report.pk}/download/"
    expected = {"admin": 200, "finance": 200, "leader": 200, "bureau": 200, "office": 403}
    for persona, status in {**expected, "outsider": 404}.items():
        assert world.client(persona).get(url).status_code == status, persona
    for persona in ("leader", "bureau", "office"):
        refused = world.client(persona).post(f"{BASE}/reports/", {"groups": ["report"]})
        assert refused.status_code == 403, persona
    other = store_text_year_report(world, _home)
    assert finance.get(f"{BASE}/reports/{other.pk}/download/").status_code == 404


def store_text_year_report(world: World, home: Path) -> m.GeneratedReport:
    """A report of the other department (its id must not open under the first)."""
    path = home / "reports" / "other-dept" / str(YEAR) / "x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    return m.GeneratedReport.objects.create(
        fiscal_year=world.other_year, kind="report-md", file="other-dept/2024/x.md", size=1
    )


def test_a_report_file_outside_the_reports_folder_is_never_served(world: World) -> None:
    report = m.GeneratedReport.objects.create(
        fiscal_year=world.fiscal_year, kind="report-md", file="../secret_key", size=1
    )
    assert world.client("finance").get(f"{BASE}/reports/{report.pk}/download/").status_code == 404


# 导入


def _budget_workbook(path: Path, change: dict[str, str] | None = None) -> Path:
    export_workbook(FIRST, YEAR, BUDGET_KIND, path)
    book = openpyxl.load_workbook(path)
    sheet = book["预算与执行"]
    for row in sheet.iter_rows(min_row=7):
        code = row[1].value
        if change and code in change:
            row[2].value = change[code]
    book.save(path)
    return path


def test_import_previews_then_writes_on_confirmation(world: World, tmp_path: Path) -> None:
    finance = world.client("finance")
    path = _budget_workbook(tmp_path / "budget.xlsx", {"L01": "国土空间规划编制（调整）"})
    with path.open("rb") as file:
        preview = finance.post(f"{BASE}/import/", {"workbook": file})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "预览（尚未写入）" in page and "国土空间规划编制（调整）" in page
    changes = preview.context["changes"]
    assert [(c.action, c.key) for c in changes] == [("changed", "L01")]
    assert changes[0].where.startswith("预算与执行!")
    assert world.line("L01").name == "国土空间规划编制"  # nothing written yet
    token = preview.context["token"]
    done = finance.post(f"{BASE}/import/confirm/", {"token": token})
    assert done.status_code == 302 and done["Location"].endswith("/budget/")
    assert world.line("L01").name == "国土空间规划编制（调整）"
    again = finance.post(f"{BASE}/import/confirm/", {"token": token})
    assert again.status_code == 302  # the upload is gone: nothing imported twice
    assert not list((Path(world_home()) / "uploads").iterdir())


def world_home() -> Path:
    from django.conf import settings

    return Path(settings.JIXIAO_HOME)


def test_import_lists_every_problem_and_writes_nothing(world: World, tmp_path: Path) -> None:
    path = _budget_workbook(tmp_path / "budget.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["预算与执行"]
    header = [cell.value for cell in sheet[6]]
    final = header.index("全年预算数") + 1
    sheet.cell(row=7, column=final).value = "一百"
    sheet.cell(row=8, column=final).value = "abc"
    book.save(path)
    with path.open("rb") as file:
        response = world.client("finance").post(f"{BASE}/import/", {"workbook": file})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) >= 2
    assert all(p.where.startswith("预算与执行!") for p in problems[:2])
    assert "未导入任何数据" in response.content.decode()
    assert not list((world_home() / "uploads").iterdir())


def test_import_refuses_a_file_over_the_size_limit_before_reading_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_BYTES", "100")
    upload = io.BytesIO(b"PK" + b"x" * 500)
    upload.name = "big.xlsx"
    response = world.client("finance").post(f"{BASE}/import/", {"workbook": upload})
    assert response.status_code == 400 and "超过导入上限" in response.content.decode()


def test_who_may_import(world: World) -> None:
    for persona, status in {
        "admin": 200, "finance": 200, "office": 200, "leader": 403, "bureau": 403, "outsider": 404,
    }.items():  # fmt: skip
        assert world.client(persona).get(f"{BASE}/import/").status_code == status, persona
    assert world.client("leader").post(f"{BASE}/import/confirm/", {"token": "x"}).status_code == 403


def _goals_workbook(path: Path, sheet: str, objective: str) -> Path:
    """The year's goals exported, with one sheet's 年度总体目标 rewritten."""
    export_form_workbook(FIRST, YEAR, "goals", path)
    book = openpyxl.load_workbook(path)
    target = book[sheet]
    row = next(r for r in target.iter_rows(max_col=2) if r[0].value == "年度总体目标")
    row[1].value = objective
    book.save(path)
    return path


def _upload(client: Client, path: Path) -> Any:
    with path.open("rb") as file:
        return client.post(f"{BASE}/import/", {"workbook": file})


def test_an_office_imports_the_forms_of_its_own_project(world: World, tmp_path: Path) -> None:
    office = world.client("office")
    page = office.get(f"{BASE}/import/").content.decode()
    assert "导入本科室项目的绩效目标申报表" in page
    titles = [t.title for t in office.get(f"{BASE}/import/").context["templates"]]
    assert titles == ["项目支出绩效目标申报表", "项目支出绩效自评表", "项目支出绩效目标执行监控表"]
    path = _goals_workbook(tmp_path / "goals.xlsx", "P001 国土空间规划编制", "按期完成规划报批。")
    preview = _upload(office, path)
    assert preview.status_code == 200, preview.context.get("problems")
    done = office.post(f"{BASE}/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"].endswith("/goals/")
    goal = m.PerformanceGoal.objects.get(project=world.project("P001"))
    assert goal.expected_objective == "按期完成规划报批。"


def test_an_office_may_not_import_the_department_goal_or_the_budget(
    world: World, tmp_path: Path
) -> None:
    office = world.client("office")
    path = _goals_workbook(tmp_path / "goals.xlsx", "部门整体绩效目标", "改写的部门目标。")
    refused = _upload(office, path)
    assert refused.status_code == 400
    assert [(p.where, p.message) for p in refused.context["problems"]] == [
        (
            "部门整体绩效目标",
            "部门整体支出绩效目标不属于您科室，不能由您导入修改（请交财务科或该项目的科室）",
        )
    ]
    budget = _upload(office, _budget_workbook(tmp_path / "budget.xlsx", {"L01": "改名"}))
    assert budget.status_code == 400
    assert "预算与执行表、预算调整表和支出明细由财务科导入" in budget.content.decode()
    assert world.line("L01").name == "国土空间规划编制"
    department_goal = m.PerformanceGoal.objects.get(fiscal_year=world.fiscal_year, project=None)
    assert department_goal.expected_objective != "改写的部门目标。"
    finance = _upload(world.client("finance"), path)  # the same file is 财务科's to import
    assert finance.status_code == 200


@pytest.mark.parametrize("persona", ["finance", "office"])
def test_blank_templates_download_as_workbooks(world: World, persona: str) -> None:
    client = world.client(persona)
    for template in client.get(f"{BASE}/import/").context["templates"]:
        response = client.get(f"{BASE}/import/templates/{template.name}/")
        assert response.status_code == 200, template.name
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert "说明" in book.sheetnames, template.name
        assert "attachment" in response["Content-Disposition"]


def _download(client: Client, url: str) -> openpyxl.Workbook:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_an_office_downloads_only_its_own_projects_forms(world: World, tmp_path: Path) -> None:
    office, finance = world.client("office"), world.client("finance")
    goals = _download(office, f"{BASE}/import/filled/goals/")
    assert goals.sheetnames == ["说明", "P001 国土空间规划编制"]
    assert "部门整体绩效目标" in _download(finance, f"{BASE}/import/filled/goals/").sheetnames
    evaluation = _download(office, f"{BASE}/import/filled/evaluation/")
    assert evaluation.sheetnames[0].startswith("P001")
    assert not any("部门整体" in name for name in evaluation.sheetnames[:-1])
    findings = [row[0] for row in evaluation.worksheets[-1].iter_rows(values_only=True)]
    assert not any("部门整体" in str(owner) for owner in findings)
    # what an office downloads imports back unchanged, by the office itself
    path = tmp_path / "goals.xlsx"
    goals.save(path)
    preview = _upload(office, path)
    assert preview.status_code == 200, preview.context.get("problems")
    assert preview.context["changes"] == []
    evaluation.save(tmp_path / "evaluation.xlsx")
    assert _upload(office, tmp_path / "evaluation.xlsx").status_code == 200
    assert world.client("leader").get(f"{BASE}/import/filled/goals/").status_code == 403
    assert office.get(f"{BASE}/import/filled/monitoring/").status_code == 404


# 整改


def test_rectification_items_from_problems_and_findings(world: World) -> None:
    finance = world.client("finance")
    url = f"{BASE}/rectification/generate/"
    assert finance.post(url, {"source": "problems"}).status_code == 302
    assert finance.post(url, {"source": "problems"}).status_code == 302  # not twice
    items = list(m.Rectification.objects.filter(fiscal_year=world.fiscal_year))
    assert [(i.source, i.issue) for i in items] == [("problem", "部分项目支出进度偏低")]
    finance.post(url, {"source": "findings"})
    review = m.Rectification.objects.filter(fiscal_year=world.fiscal_year, source="review")
    assert review.exists()  # P001's claimed figures differ from the rules' (core.audit)
    assert not m.Rectification.objects.filter(source="audit").exists()  # 审计 is by hand
    assert world.client("office").post(url, {"source": "problems"}).status_code == 403


def _new_item(world: World, **values: str) -> m.Rectification:
    finance = world.client("finance")
    ghk = m.Office.objects.get(department=world.fiscal_year.department, code="ghk")
    data = {
        "source": "audit", "issue": "项目资料归档不全", "measure": "建立归档清单",
        "owner_office": str(ghk.pk), "deadline": "2024-12-31", "status": "not_started",
        "progress_note": "", **values,
    }  # fmt: skip
    assert finance.post(f"{BASE}/rectification/", data).status_code == 302
    return m.Rectification.objects.filter(fiscal_year=world.fiscal_year).latest("id")


def test_finance_edits_and_the_owner_office_updates_the_status(world: World) -> None:
    item = _new_item(world)
    url = f"{BASE}/rectification/{item.pk}/"
    office = world.client("office")
    page = office.get(url)
    assert page.status_code == 200 and "issue" not in page.context["form"].fields
    response = office.post(
        url, {"version": item.version, "status": "in_progress", "progress_note": "已建立清单"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.in_progress and item.issue == "项目资料归档不全"
    assert world.client("leader").post(url, {"status": "done"}).status_code == 403
    tdk = m.Office.objects.get(department=world.fiscal_year.department, code="tdk")
    other = _new_item(world, owner_office=str(tdk.pk), issue="土地储备台账不全")
    assert office.get(f"{BASE}/rectification/{other.pk}/").status_code == 403
    listed = office.get(f"{BASE}/rectification/").context["items"]
    assert [i.issue for i in listed] == ["项目资料归档不全"]
    assert world.client("outsider").get(url).status_code == 404


def test_two_editors_of_a_rectification_item(world: World) -> None:
    item = _new_item(world)
    url = f"{BASE}/rectification/{item.pk}/"
    office, finance = world.client("office"), world.client("finance")
    version = item.version
    assert (
        office.post(
            url, {"version": version, "status": "done", "progress_note": "完成"}
        ).status_code
        == 302
    )
    refused = finance.post(
        url,
        {"version": version, "source": "audit", "issue": "项目资料归档不全", "measure": "改",
         "owner_office": "", "deadline": "", "status": "in_progress", "progress_note": ""},
    )  # fmt: skip
    assert refused.status_code == 409 and "已被" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationStatus.done


def test_open_items_are_carried_into_the_next_year(world: World, small_year_text: str) -> None:
    done = _new_item(world, issue="已完成的事项", status="done")
    open_item = _new_item(world, issue="未完成的事项", status="in_progress")
    finance = world.client("finance")
    carry = f"{BASE}/rectification/carry/"
    assert finance.post(carry).status_code == 302  # 2025 not stored: marked only
    open_item.refresh_from_db()
    done.refresh_from_db()
    assert open_item.carried_at is not None and done.carried_at is None
    assert not m.Rectification.objects.exclude(fiscal_year=world.fiscal_year).exists()

    following = store_text(
        small_year_text.replace("year: 2024", "year: 2025")
        .replace("2024-", "2025-")
        .replace("测财〔2024〕", "测财〔2025〕")
    )
    assert following.year == 2025 and following.department_id == world.fiscal_year.department_id
    finance.post(carry)
    finance.post(carry)  # again: copied once only
    copies = list(m.Rectification.objects.filter(fiscal_year=following))
    assert [(c.issue, c.source, c.status, c.carried_from_id) for c in copies] == [
        ("未完成的事项", "carried", "in_progress", open_item.pk)
    ]
    assert world.client("office").post(carry).status_code == 403


def test_rectification_changes_are_in_the_audit_log(world: World) -> None:
    item = _new_item(world)
    page = world.client("finance").get(f"{BASE}/audit/rectification/{item.pk}/")
    assert page.status_code == 200 and "项目资料归档不全" in page.content.decode()


@pytest.mark.parametrize(
    ("path", "english"),
    [
        ("goals/", "Projects and goals"),
        ("projects/P001/goal/", "Add an indicator"),
        ("goals/department/", "Sum of the indicator weights"),
        ("evaluation/", "Project self-evaluations"),
        ("projects/P001/evaluation/", "Indicators achieved"),
        ("monitoring/", "Monitoring snapshots"),
        ("reports/", "Generate reports"),
        ("import/", "Upload a workbook"),
        ("rectification/", "New rectification item"),
    ],
)
def test_the_workflow_pages_are_translated(world: World, path: str, english: str) -> None:
    client = world.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"{BASE}/{path}").content.decode()
    assert english in page
    assert "Self-evaluation" in page and "Rectification" in page  # the navigation bar
