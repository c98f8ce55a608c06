"""指标库 in the web: suggestions on the goal page, "目标值偏低" in the live check (a
warning that does not block), proposals from goal editing, the 财政局's queue and 待办,
the library page for every role, and the Excel export and import (preview, then commit).

The first department (``world``): 规划科 (the ``office`` persona) runs P001."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from jixiao.interchange.rule_files import parse_rule_set
from jixiao.services import indicator_library as service
from jixiao.storage import models as m
from jixiao.storage.models import ProposalStatus
from jixiao.web import goal_checks
from tests.web.conftest import FIRST, YEAR, World
from tests.web.forms import form_data

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
CASES = "审结不动产登记案件数"
PROPOSAL = {
    "project": "P001", "level1": "产出指标", "level2": "质量指标",
    "level3": "不动产登记档案数字化率", "sector": "自然资源", "field": "不动产登记",
    "kind": "quantitative", "unit": "%", "direction": "higher", "basis": "计划标准",
    "definition": "已数字化档案卷数 ÷ 档案总卷数 × 100%", "reason": "档案数字化是本年重点工作",
}  # fmt: skip


@pytest.fixture
def last_year(world: World) -> m.FiscalYear:
    """Last year's P001 of the first department reached 45000 宗 of 审结不动产登记案件数."""
    previous = m.FiscalYear.objects.create(department=world.fiscal_year.department, year=YEAR - 1)
    project = m.Project.objects.create(fiscal_year=previous, code="P001", name="国土空间规划编制")
    goal = m.PerformanceGoal.objects.create(fiscal_year=previous, project=project)
    m.Indicator.objects.create(
        goal=goal, position=0, level1="产出指标", level2="数量指标", level3=CASES,
        kind="quantitative", target="≥40000宗", weight=Decimal(10), actual="45000宗",
    )  # fmt: skip
    return previous


def test_the_goal_page_offers_library_indicators_with_the_spread(
    last_year: m.FiscalYear, as_persona: Callable[[str], Client]
) -> None:
    response = as_persona("office").get(f"{BASE}/projects/P001/goal/")
    assert response.status_code == 200
    suggestions = response.context["library_suggestions"]
    first = suggestions[0]
    assert first.entry.code == "ZR-DJ-01"  # this project used it last year
    assert first.spread_text == (
        "历年实际值：最低45000宗，中位48593宗，最高52186宗，2 个"
        "（本系统历年实际值1个、指标库历年数值1个）"
    )
    assert response.context["library_sector"] == "自然资源"
    page = response.content.decode()
    assert 'id="library-picker"' in page and "≥48593宗" in page
    # the levels of every suggestion are the rule set's: the department set's are not offered
    assert all(s.entry.sector != "部门整体" for s in suggestions)
    # a reader sees no picker
    reader = as_persona("leader").get(f"{BASE}/projects/P001/goal/").content.decode()
    assert "library-picker" not in reader


def test_a_target_below_last_years_actual_is_a_warning_in_the_live_check(
    last_year: m.FiscalYear, as_persona: Callable[[str], Client]
) -> None:
    result = _with_low_target(as_persona("office"), "≥44000宗")
    low = [f for f in result["findings"] if "目标值偏低" in f["message"]]
    assert [f["severity"] for f in low] == ["warning"]
    assert "低于上年实际完成值45000宗" in low[0]["message"]
    assert result["errors"] == 0


def _with_low_target(client: Client, target: str) -> dict[str, Any]:
    data = form_data(client.get(f"{BASE}/projects/P001/goal/"))
    index = int(data["ind-TOTAL_FORMS"])
    data["ind-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"ind-{index}-level1": "产出指标", f"ind-{index}-level2": "数量指标",
            f"ind-{index}-level3": CASES, f"ind-{index}-kind": "quantitative",
            f"ind-{index}-target": target, f"ind-{index}-weight": "0",
        }
    )  # fmt: skip
    result: dict[str, Any] = client.post(f"{BASE}/projects/P001/goal/validate/", data).json()
    return result


def test_a_rule_set_written_as_data_makes_a_low_target_an_error(
    last_year: m.FiscalYear, as_persona: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = (files("jixiao") / "rules" / "mof-2020-project.yaml").read_text(encoding="utf-8")
    strict = shipped.replace("low_target_blocks: false", "low_target_blocks: true")
    assert strict != shipped
    monkeypatch.setattr(goal_checks, "project_rules_for", lambda _year: parse_rule_set(strict))
    result = _with_low_target(as_persona("office"), "≥44000宗")
    low = [f for f in result["findings"] if "目标值偏低" in f["message"]]
    assert [f["severity"] for f in low] == ["error"]
    assert result["errors"] >= 1


def test_a_proposal_goes_to_the_bureau_which_approves_it(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    office = as_persona("office")
    response = office.post(f"{BASE}/library/propose/", PROPOSAL)
    assert response.status_code == 302
    assert response["Location"].endswith("/projects/P001/goal/#library-proposal")
    proposal = m.IndicatorProposal.objects.get()
    assert (proposal.status, proposal.project_code) == (ProposalStatus.pending, "P001")
    # the bureau's 待办 of the department lists it; the office's does not
    bureau = as_persona("bureau")
    assert "新增指标提议" in bureau.get(f"{BASE}/todo/").content.decode()
    assert "新增指标提议" not in office.get(f"{BASE}/todo/").content.decode()
    # only the bureau decides
    decide = f"/library/proposals/{proposal.pk}/decide/"
    assert office.post(decide, {"decision": "approve"}).status_code == 403
    queue = bureau.get("/library/proposals/").content.decode()
    assert "不动产登记档案数字化率" in queue and 'name="decision"' in queue
    bureau.post(decide, {"decision": "approve", "library": "natural-resources"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.approved
    page = office.get("/library/?q=档案数字化").content.decode()
    assert proposal.code in page and "不动产登记档案数字化率" in page
    assert "新增指标提议" not in bureau.get(f"{BASE}/todo/").content.decode()
    # audited: the proposal and the decision on the year's audit page
    audit = as_persona("finance").get(f"{BASE}/audit/?kind=library_proposal").content.decode()
    assert "不动产登记档案数字化率（已通过）" in audit


def test_returning_needs_a_reason_and_a_proposal_needs_its_fields(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    office = as_persona("office")
    incomplete = {**PROPOSAL, "definition": ""}
    page = office.post(f"{BASE}/library/propose/", incomplete, follow=True).content.decode()
    assert "提议未提交" in page and "指标解释" in page
    office.post(f"{BASE}/library/propose/", PROPOSAL)
    proposal = m.IndicatorProposal.objects.get()
    bureau = as_persona("bureau")
    decide = f"/library/proposals/{proposal.pk}/decide/"
    page = bureau.post(decide, {"decision": "return", "comment": ""}, follow=True)
    assert "退回须写明理由" in page.content.decode()
    bureau.post(decide, {"decision": "return", "comment": "与ZR-DJ-04口径重复"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.returned
    own = office.get("/library/proposals/").content.decode()
    assert "与ZR-DJ-04口径重复" in own and 'name="decision"' not in own
    outsider = as_persona("outsider").get("/library/proposals/").content.decode()
    assert "不动产登记档案数字化率" not in outsider


def test_the_library_page_counts_only_the_pending_proposals_the_reader_sees(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    as_persona("office").post(f"{BASE}/library/propose/", PROPOSAL)
    for persona, shown in (("office", True), ("bureau", True), ("outsider", False)):
        page = as_persona(persona).get("/library/").content.decode()
        assert ("1 项待审核" in page) == shown, persona


def test_another_office_may_not_propose_for_a_project_it_does_not_run(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    other_office = {**PROPOSAL, "project": "P002"}
    response = as_persona("office").post(f"{BASE}/library/propose/", other_office)
    assert response.status_code == 403
    assert not m.IndicatorProposal.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "finance", "office", "leader", "bureau", "outsider"])
def test_every_role_reads_the_library(
    world: World, as_persona: Callable[[str], Client], persona: str
) -> None:
    page = as_persona(persona).get("/library/?sector=自然资源").content.decode()
    assert "ZR-DJ-01" in page and "GX-" not in page
    assert ("library-import-link" in page) == (persona in ("admin", "bureau"))
    assert as_persona(persona).get("/library/import/").status_code == (
        200 if persona in ("admin", "bureau") else 403
    )


def test_export_then_import_with_preview_and_commit(
    world: World, as_persona: Callable[[str], Client], tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded workbook waits there
    bureau = as_persona("bureau")
    response = bureau.get("/library/export/natural-resources.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert {"库信息", "指标库", "历年数值"} <= set(book.sheetnames)
    for row in book["库信息"].iter_rows():
        if row[0].value == "版本":
            row[1].value = "2025.1"
    sheet = book["指标库"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("计量单位") + 1, value="")
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with bad.open("rb") as file:
        page = bureau.post("/library/import/", {"file": file}).content.decode()
    assert "未导入" in page and "指标库!" in page and "缺少计量单位" in page
    sheet.cell(row=3, column=header.index("计量单位") + 1, value="宗")
    sheet.cell(row=2, column=header.index("三级指标") + 1, value="审结不动产登记案件总数")
    good = tmp_path / "good.xlsx"
    book.save(good)
    with good.open("rb") as file:
        page = bureau.post("/library/import/", {"file": file}).content.decode()
    assert 'id="import-preview"' in page and "ZR-DJ-01 审结不动产登记案件总数" in page
    assert not m.LibraryVersion.objects.exists()
    response = bureau.post("/library/import/commit/", follow=True)
    assert "已导入指标库" in response.content.decode()
    assert service.current_library("natural-resources").version == "2025.1"


def test_an_office_export_names_no_project_and_a_wrong_file_is_refused(
    last_year: m.FiscalYear, as_persona: Callable[[str], Client]
) -> None:
    def history(persona: str) -> list[tuple[object, ...]]:
        response = as_persona(persona).get("/library/export/natural-resources.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        header, *rows = book["历年数值"].iter_rows(values_only=True)
        year = header.index("年度")
        return [row for row in rows if str(row[year]) == str(YEAR - 1)]

    bureau_rows = history("bureau")
    office_rows = history("office")
    assert any("P001" in row for row in bureau_rows)
    assert office_rows and not any("P001" in row for row in office_rows)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "library.txt"
    page = as_persona("bureau").post("/library/import/", {"file": upload}).content.decode()
    assert "请选择指标库 Excel 文件（.xlsx）" in page


def test_the_library_import_keeps_the_configured_size_limit(
    world: World, as_persona: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_BYTES", "100")
    upload = io.BytesIO(b"x" * 200)
    upload.name = "指标库.xlsx"
    page = as_persona("bureau").post("/library/import/", {"file": upload}).content.decode()
    assert "超过导入上限 100 字节" in page
