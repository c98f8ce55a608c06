"""The audit log: who changed what, when, before and after (django-simple-history)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"


def test_it_shows_a_change_made_through_the_orm_with_the_user_attached(world: World) -> None:
    project = world.project("P001")
    project.name = "国土空间总体规划编制（修订）"
    project._history_user = world.users["finance"]  # type: ignore[attr-defined]
    project.save()

    page = world.client("leader").get(f"{BASE}/audit/project/{project.pk}/").content.decode()
    assert "finance" in page
    assert "国土空间规划编制" in page  # before
    assert "国土空间总体规划编制（修订）" in page  # after
    assert "修改" in page


def test_the_year_log_lists_the_change_with_its_amounts_in_yuan(world: World) -> None:
    line = world.line("L01")
    line.final_budget = Decimal("1200000.01")
    line._history_user = world.users["finance"]  # type: ignore[attr-defined]
    line.save()

    response = world.client("finance").get(f"{BASE}/audit/")
    entry = next(e for e in response.context["entries"] if e.label.startswith("L01"))
    assert entry.who == "finance" and entry.action == "修改"
    change = next(c for c in entry.changes if c.field == "final_budget")
    assert (change.before, change.after) == ("1,200,000.00元", "1,200,000.01元")


def test_a_change_made_through_a_page_request_is_attributed_to_the_signed_in_user(
    world: World,
) -> None:
    """HistoryRequestMiddleware attaches the request's user to saves made while serving it
    (the editing pages of the later issue rely on this)."""
    from simple_history.models import HistoricalRecords

    client = Client()
    client.force_login(world.users["office"])
    request = client.get(f"{BASE}/").wsgi_request
    HistoricalRecords.context.request = request
    try:
        indicator = m.Indicator.objects.get(
            goal__fiscal_year=world.fiscal_year, level3="编制规划数量"
        )
        indicator.actual = "2个"
        indicator.save()
    finally:
        del HistoricalRecords.context.request
    row = indicator.history.first()  # type: ignore[attr-defined]
    assert row.history_user == world.users["office"]


def test_the_office_sees_changes_of_its_own_projects_only(world: World) -> None:
    for code in ("P001", "P002"):
        project = world.project(code)
        project.name += "（调整）"
        project.save()
    entries = world.client("office").get(f"{BASE}/audit/").context["entries"]
    labels = [entry.label for entry in entries]
    assert any(label.startswith("P001") for label in labels)
    assert not any(label.startswith("P002") for label in labels)
    assert not any(entry.kind.key == "year" for entry in entries)


def test_a_deleted_object_stays_in_the_log_without_a_link(world: World) -> None:
    adjustment = m.BudgetAdjustment.objects.get(budget_line=world.line("L01"))
    adjustment.delete()
    response = world.client("finance").get(f"{BASE}/audit/?kind=adjustment")
    entry = response.context["entries"][0]
    assert entry.action == "删除" and not entry.live
    assert any(c.field == "amount" and c.before == "200,000.00元" for c in entry.changes)


def test_a_loaded_object_has_its_creation_in_the_log(world: World) -> None:
    indicator = m.Indicator.objects.get(goal__fiscal_year=world.fiscal_year, level3="编制规划数量")
    indicator.target = "=2个"
    indicator.save()
    response = world.client("finance").get(f"{BASE}/audit/indicator/{indicator.pk}/")
    page = response.content.decode()
    assert "修改前的值未记录" not in page
    change = next(c for e in response.context["entries"] for c in e.changes if c.field == "target")
    assert (change.before, change.after) == ("=1个", "=2个")
    for model in (m.Indicator, m.IndicatorProgress, m.BudgetAdjustment):  # loaded in bulk
        created = model.history.filter(history_type="+").count()  # type: ignore[attr-defined]
        assert created == model.objects.count() > 0


def test_a_first_change_of_an_object_without_its_creation_says_so(world: World) -> None:
    indicator = m.Indicator.objects.get(goal__fiscal_year=world.fiscal_year, level3="编制规划数量")
    indicator.history.all().delete()  # type: ignore[attr-defined]  # as loaded by jixiao 0.1
    indicator.target = "=2个"
    indicator.save()
    page = world.client("finance").get(f"{BASE}/audit/indicator/{indicator.pk}/")
    assert "修改前的值未记录" in page.content.decode()


def _newest_changes(entries: object) -> dict[str, object]:
    newest: dict[str, object] = {}
    for entry in entries:  # type: ignore[attr-defined]
        for change in entry.changes:
            newest.setdefault(change.field, change)
    return newest


def test_fields_links_and_rule_sets_are_shown_by_their_chinese_names(world: World) -> None:
    project = world.project("P001")
    other = m.Office.objects.filter(department=project.fiscal_year.department)
    office = other.exclude(pk=project.office_id).first()
    assert office is not None
    before = project.office.name if project.office else "—"
    project.office = office
    project.save()
    year = world.fiscal_year
    year.project_rules = "regional-tiered-project"
    year.save()

    response = world.client("finance").get(f"{BASE}/audit/")
    changes = _newest_changes(response.context["entries"])
    assert (changes["office_id"].label, changes["office_id"].before) == ("科室", before)
    assert changes["office_id"].after == office.name
    rules = changes["project_rules"]
    assert rules.before == "财政部项目支出绩效自评（财预〔2020〕10号）"
    assert "regional" not in rules.after and rules.after
    created = m.FiscalYear.history.filter(id=year.pk, history_type="+")  # type: ignore[attr-defined]
    if created.exists():
        page = world.client("finance").get(f"{BASE}/audit/year/{year.pk}/")
        shown = _newest_changes(reversed(page.context["entries"]))
        assert shown["department_id"].after == year.department.name


def test_the_export_title_dates_the_export_in_chinese(world: World) -> None:
    import io

    from openpyxl import load_workbook

    response = world.client("finance").get(f"{BASE}/audit/export/")
    title = load_workbook(io.BytesIO(response.content)).active["A1"].value
    assert title.startswith(f"{world.fiscal_year.department.name}{YEAR}年度审计日志（")
    assert title.endswith("日导出）") and "导出于" not in title
