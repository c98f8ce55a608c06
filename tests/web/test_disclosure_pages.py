"""绩效信息公开: 财务科 chooses what is published (a reason required when not), the list
downloads as .xlsx, and the public page, read without signing in, offers the published
items only — no unpublished item, reason or 审核意见 is reachable from it."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
from django.test import Client
from docx import Document

from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}/disclosure/"
PUBLIC = f"/public/{FIRST}/{YEAR}/"
SECRET = "涉密项目不宜公开"


def _choose(client: Client) -> int:
    """Publish the report, keep the goals and the tables back (with reasons)."""
    response = client.post(
        BASE,
        {
            "published-report": "on",
            "reason-goals": SECRET,
            "reason-evaluation": "待决算批复后公开",
        },
    )
    return response.status_code


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row for row in sheet.iter_rows(values_only=True) if any(row)]


def test_finance_chooses_and_the_list_reads_back(world: World) -> None:
    finance = world.client("finance")
    assert _choose(finance) == 302
    stored = {
        row.item: row for row in m.DisclosureItem.objects.filter(fiscal_year=world.fiscal_year)
    }
    assert stored["report"].published and not stored["goals"].published
    assert stored["goals"].reason == SECRET
    page = finance.get(BASE).content.decode()
    assert SECRET in page
    rows = _rows(finance.get(f"{BASE}export/").content)
    assert rows[1] == ("公开事项", "公开时点", "是否公开", "非公开原因")
    assert ("项目绩效目标表", "随预算公开", "否", SECRET) in rows
    assert ("部门整体及项目绩效自评报告", "随决算公开", "是", None) in rows


def test_a_reason_is_required_when_not_published(world: World) -> None:
    finance = world.client("finance")
    response = finance.post(BASE, {"published-report": "on", "reason-goals": SECRET})
    assert response.status_code == 400
    assert "“绩效自评表”不公开时必须填写非公开原因。" in response.content.decode()
    assert not m.DisclosureItem.objects.exists()  # nothing stored


@pytest.mark.parametrize("persona", ["office", "leader", "bureau", "outsider"])
def test_only_finance_and_admin_choose(world: World, persona: str) -> None:
    assert _choose(world.client(persona)) in (403, 404)
    assert not m.DisclosureItem.objects.exists()


def test_anonymous_sees_only_the_published_items(world: World) -> None:
    assert _choose(world.client("finance")) == 302
    anonymous = Client()
    page = anonymous.get(PUBLIC)
    assert page.status_code == 200
    text = page.content.decode()
    assert "部门整体及项目绩效自评报告" in text
    assert "项目绩效目标表" not in text and "绩效自评表" not in text.replace("自评报告", "")
    assert SECRET not in text
    assert "Cache-Control" not in page.headers or "no-store" not in page["Cache-Control"]
    assert "script-src" in page["Content-Security-Policy"]
    for item in ("goals", "evaluation", "review", "nothing"):
        assert anonymous.get(f"{PUBLIC}{item}/").status_code == 404
    rows = _rows(anonymous.get(f"{PUBLIC}package.xlsx").content)
    assert [row[0] for row in rows[2:]] == ["部门整体及项目绩效自评报告"]
    assert SECRET not in str(rows)
    assert anonymous.get(BASE).status_code == 302  # the internal page asks to sign in
    assert anonymous.get(f"/public/{FIRST}/{YEAR + 5}/").status_code == 404


def test_anonymous_downloads_the_published_report_without_review_notes(world: World) -> None:
    assert _choose(world.client("finance")) == 302
    response = Client().get(f"{PUBLIC}report/")
    assert response.status_code == 200, response.content.decode()
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "自评报告" in text
    assert "审核意见" not in text


def test_published_goals_are_the_approved_targets(world: World) -> None:
    goal = world.project("P001").goal
    goal.declaration_status = m.WorkflowStatus.approved
    goal.save()
    finance = world.client("finance")
    response = finance.post(
        BASE,
        {"published-goals": "on", "reason-evaluation": "待决算", "reason-report": "待决算"},
    )
    assert response.status_code == 302
    rows = _rows(Client().get(f"{PUBLIC}goals/").content)
    assert rows[1] == ("项目名称", "年度总体目标", "一级指标", "二级指标", "三级指标", "年度指标值")
    targets = {row[4]: row[5] for row in rows[2:]}
    assert targets
    assert targets == {indicator.level3: indicator.target for indicator in goal.indicators.all()}
    assert Client().get(f"{PUBLIC}report.pdf").status_code == 404  # the report is not published


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_published_report_downloads_as_pdf(world: World) -> None:
    assert _choose(world.client("finance")) == 302
    response = Client().get(f"{PUBLIC}report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_bar_links_the_page_for_those_who_read_reports(world: World) -> None:
    assert BASE in world.client("finance").get(f"/d/{FIRST}/{YEAR}/").content.decode()
    assert BASE not in world.client("office").get(f"/d/{FIRST}/{YEAR}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_public_file_is_made_once_while_the_data_is_unchanged(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.services import disclosure

    assert _choose(world.client("finance")) == 302
    made: list[str] = []
    real = disclosure._document

    def counting(*args: object) -> bytes:
        made.append("report")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(disclosure, "_document", counting)
    first = Client().get(f"{PUBLIC}report/")
    second = Client().get(f"{PUBLIC}report/")
    assert first.content == second.content and len(made) == 1
    line = m.BudgetLine.objects.filter(fiscal_year=world.fiscal_year).first()
    assert line is not None
    line.name += "（调整）"
    line.save()
    Client().get(f"{PUBLIC}report/")
    assert len(made) == 2  # changed data makes the file anew


def test_the_choices_are_in_the_audit_log(world: World) -> None:
    finance = world.client("finance")
    assert _choose(finance) == 302
    page = finance.get(f"/d/{FIRST}/{YEAR}/audit/").content.decode()
    assert "部门整体及项目绩效自评报告 公开" in page
    assert "项目绩效目标表 不公开" in page
