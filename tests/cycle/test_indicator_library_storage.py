"""指标库 stored: past values drawn from the stored goals, suggestions with the spread of
past actuals, "目标值偏低" against last year's stored actual, proposals approved into a
new library version or returned, and the Excel import (all or nothing) and export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.indicator_library import Direction, ValueBasis
from jixiao.interchange.problems import InputRejected
from jixiao.interchange.rule_workbooks import write_library_workbook
from jixiao.services import indicator_library as service
from jixiao.storage import models as m
from jixiao.storage.models import ProposalStatus
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db

CASES = "审结不动产登记案件数"  # ZR-DJ-01, 宗, higher is better, no benchmark


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    return store_text(first_department_text(small_year_text))


def past_goal(department: m.Department, year: int, project: str, actual: str) -> m.Indicator:
    fiscal_year, _ = m.FiscalYear.objects.get_or_create(department=department, year=year)
    project_row = m.Project.objects.create(fiscal_year=fiscal_year, code=project, name="不动产登记")
    goal = m.PerformanceGoal.objects.create(fiscal_year=fiscal_year, project=project_row)
    return m.Indicator.objects.create(
        goal=goal, position=0, level1="产出指标", level2="数量指标", level3=CASES,
        kind="quantitative", target="≥40000宗", weight=Decimal(10), actual=actual,
    )  # fmt: skip


@pytest.fixture
def history(year: m.FiscalYear) -> m.FiscalYear:
    """Three past actuals of 审结不动产登记案件数: two of this department, one of another."""
    other = m.Department.objects.create(code="other", name="另一局")
    past_goal(year.department, year.year - 2, "P010", "41000宗")
    past_goal(year.department, year.year - 1, "P010", "45000宗")
    past_goal(other, year.year - 1, "Q010", "60000宗")
    return year


def test_past_values_come_from_the_stored_goals(history: m.FiscalYear) -> None:
    library = service.combined_library()
    values = [v for v in library.values_of("ZR-DJ-01") if v.department in ("test-dept", "other")]
    assert sorted((v.fiscal_year, v.department, v.actual) for v in values) == [
        (2022, "test-dept", Decimal("41000")),
        (2023, "other", Decimal("60000")),
        (2023, "test-dept", Decimal("45000")),
    ]
    assert all(v.target == Decimal("40000") for v in values)
    assert not m.LibraryVersion.objects.exists()  # nothing copied


def test_suggestions_carry_the_spread_of_past_actuals(history: m.FiscalYear) -> None:
    suggestions = service.suggestions_for(history, "P010")
    first = suggestions[0]
    assert first.entry.code == "ZR-DJ-01"  # used by this project before
    assert first.relevant
    # the shipped file adds the published 2023 value of liwan-ghzy (52186)
    assert first.spread_text == (
        "历年实际值：最低41000宗，中位48593宗，最高60000宗，4 个"
        "（本系统历年实际值3个、指标库历年数值1个）"
    )
    assert first.source_lines == [
        "本系统历年实际值：最低41000宗，中位45000宗，最高60000宗，3 个",
        "指标库历年数值：最低52186宗，中位52186宗，最高52186宗，1 个",
    ]
    assert first.used_text == "建议值为本系统历年实际值3个、指标库历年数值1个的中位数"
    assert first.target_text == "≥48593宗"
    assert service.sector_of(suggestions) == "自然资源"
    chosen = PerformanceGoal(
        "P010",
        "x",
        indicators=(
            Indicator("产出指标", "数量指标", CASES, IndicatorKind.quantitative, "1宗", Decimal(1)),
        ),
    )
    codes = [s.entry.code for s in service.suggestions_for(history, "P010", chosen)]
    assert "ZR-DJ-01" not in codes


def test_a_target_below_last_years_actual_is_too_low(history: m.FiscalYear) -> None:
    def goal(target: str) -> PerformanceGoal:
        row = Indicator(
            "产出指标", "数量指标", CASES, IndicatorKind.quantitative, target, Decimal(10)
        )
        return PerformanceGoal("P010", "不动产登记", indicators=(row,))

    (finding,) = service.library_findings(history, goal("≥44000宗"))
    assert finding.id == "target-too-low"
    assert finding.severity.value == "warning"
    assert "低于上年实际完成值45000宗（本系统历年实际值），目标值偏低" in finding.message
    assert service.library_findings(history, goal("≥46000宗")) == []


def proposal_input(level3: str = "不动产登记档案数字化率") -> service.ProposalInput:
    return service.ProposalInput(
        level1="产出指标", level2="质量指标", level3=level3, sector="自然资源",
        field="不动产登记", kind=IndicatorKind.quantitative, unit="%",
        direction=Direction.higher_is_better, definition="已数字化档案卷数 ÷ 档案总卷数 × 100%",
        basis=ValueBasis.plan, reason="档案数字化是本年重点工作",
    )  # fmt: skip


def test_a_proposal_approved_enters_a_new_library_version(year: m.FiscalYear) -> None:
    proposal = service.propose(year, "P001", proposal_input(), user_name="规划科")
    assert proposal.status == ProposalStatus.pending
    with pytest.raises(service.IndicatorLibraryError, match="已有待审核的提议"):
        service.propose(year, "P001", proposal_input(), user_name="规划科")
    with pytest.raises(service.IndicatorLibraryError, match="重名"):
        service.propose(year, "P001", proposal_input(CASES), user_name="规划科")
    assert service.pending_count() == 1
    version = service.approve(proposal.pk, "财政局")
    assert (version.library, version.version, version.origin) == (
        "natural-resources", "2024.2", "approval",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.approved
    assert proposal.code == f"XZ-{proposal.pk:04d}"
    library = service.current_library("natural-resources")
    assert library.version == "2024.2"
    entry = library.entry(proposal.code)
    assert entry is not None and entry.level3 == "不动产登记档案数字化率"
    assert library.entry("ZR-DJ-01") is not None  # the earlier entries stay
    assert [h.status for h in proposal.history.order_by("history_id")] == ["pending", "approved"]
    with pytest.raises(service.IndicatorLibraryError, match="已通过"):
        service.approve(proposal.pk, "财政局")


def test_a_proposal_is_returned_with_a_reason(year: m.FiscalYear) -> None:
    proposal = service.propose(year, "", proposal_input(), user_name="财务科")
    with pytest.raises(service.IndicatorLibraryError, match="理由"):
        service.return_proposal(proposal.pk, "财政局", " ")
    returned = service.return_proposal(proposal.pk, "财政局", "与ZR-DJ-04口径重复")
    assert returned.status == ProposalStatus.returned
    assert returned.decision_reason == "与ZR-DJ-04口径重复"
    assert not m.LibraryVersion.objects.exists()


def test_an_incomplete_proposal_names_what_is_missing(year: m.FiscalYear) -> None:
    values = proposal_input()
    bad = service.ProposalInput(**{**vars(values), "definition": "", "unit": ""})
    with pytest.raises(service.IndicatorLibraryError, match="请填写：指标解释"):
        service.propose(year, "", bad)
    no_unit = service.ProposalInput(**{**vars(values), "unit": ""})
    with pytest.raises(service.IndicatorLibraryError, match="须写明计量单位"):
        service.propose(year, "", no_unit)


def test_import_previews_then_stores_a_new_version(tmp_path: Path, year: m.FiscalYear) -> None:
    path = tmp_path / "library.xlsx"
    service.export_workbook("natural-resources", path)
    book = load_workbook(path)
    info = book["库信息"]
    for row in info.iter_rows():
        if row[0].value == "版本":
            row[1].value = "2025.1"
    sheet = book["指标库"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("三级指标") + 1, value="审结不动产登记案件总数")
    book.save(path)
    preview = service.preview_import(path)
    assert preview.current_version == "2024.1"
    assert preview.new_version == "2025.1"
    assert preview.changed == ("ZR-DJ-01 审结不动产登记案件总数",)
    assert preview.added == preview.removed == ()
    assert not m.LibraryVersion.objects.exists()
    stored = service.commit_import(path, "财政局")
    assert stored.origin == "import"
    assert service.current_library("natural-resources").entry("ZR-DJ-01").level3 == (  # type: ignore[union-attr]
        "审结不动产登记案件总数"
    )
    with pytest.raises(service.IndicatorLibraryError, match="已有版本“2025\\.1”"):
        service.preview_import(path)


def test_a_bad_workbook_is_refused_naming_its_cells(tmp_path: Path, year: m.FiscalYear) -> None:
    path = tmp_path / "library.xlsx"
    write_library_workbook(service.current_library("natural-resources"), path)
    book = load_workbook(path)
    info = book["库信息"]
    for row in info.iter_rows():
        if row[0].value == "版本":
            row[1].value = "2025.1"
    sheet = book["指标库"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("计量单位") + 1, value="")
    book.save(path)
    with pytest.raises(InputRejected) as rejected:
        service.commit_import(path, "财政局")
    assert any(
        p.where.startswith("指标库!") and "缺少计量单位" in p.message
        for p in rejected.value.problems
    )
    assert not m.LibraryVersion.objects.exists()


def test_two_changes_making_the_same_version_keep_the_first(
    year: m.FiscalYear, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = service.propose(year, "", proposal_input(), user_name="规划科")
    second = service.propose(year, "", proposal_input("土地供应计划完成率"), user_name="规划科")
    made = service.approve(first.pk, "财政局")
    # as if both were approved at the same moment: the second computes the same version
    monkeypatch.setattr(service, "next_version", lambda _version, _taken: made.version)
    with pytest.raises(service.IndicatorLibraryError, match="请刷新后重试"):
        service.approve(second.pk, "财政局")
    second.refresh_from_db()
    assert second.status == ProposalStatus.pending
    assert m.LibraryVersion.objects.count() == 1
