"""指标库历年数值 stored: an imported workbook's 历年数值 sheet is kept with the new version
(department or region as given, unit, 来源, 示意数据), shown on the library page, counted apart from
the stored goals' actuals in the suggested target and in 目标值偏低, written again by the
export (export → import → export gives the same sheet); a bad row is refused naming its
cell, and nothing is stored."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
from jixiao.core.indicator_library import PastValueSource
from jixiao.interchange.problems import InputRejected
from jixiao.services import indicator_library as service
from jixiao.storage import models as m
from tests.cycle.test_indicator_library_storage import CASES, history, past_goal, year

__all__ = ["history", "year"]  # fixtures used by name

pytestmark = pytest.mark.django_db

HISTORY_HEADER = ["指标编码", "年度", "部门或地区", "项目代码", "年度指标值", "实际完成值",
                  "计量单位", "来源", "示意数据"]  # fmt: skip


def _with_version(path: Path, version: str = "2025.1") -> Any:
    book = load_workbook(path)
    for row in book["库信息"].iter_rows():
        if row[0].value == "版本":
            row[1].value = version
    return book


def _history_rows(path: Path) -> list[tuple[Any, ...]]:
    sheet = load_workbook(path)["历年数值"]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _workbook_with_values(tmp_path: Path, rows: list[list[Any]], name: str = "in.xlsx") -> Path:
    path = tmp_path / name
    service.export_workbook("natural-resources", path)
    book = _with_version(path)
    sheet = book["历年数值"]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


REGION_ROW = ["ZR-DJ-01", 2022, "广州市", None, None, 5.1, "万宗", "2022年广州市不动产登记统计"]


def test_an_imported_sheet_is_stored_with_the_version_as_given(
    tmp_path: Path, history: m.FiscalYear
) -> None:
    path = _workbook_with_values(tmp_path, [REGION_ROW])
    assert [c for c in _history_rows(path)[0]] == HISTORY_HEADER
    preview = service.preview_import(path)
    assert preview.system_rows == 3  # the stored goals' actuals, written by the export
    assert preview.history_rows == 13  # the shipped file's twelve and the region's one
    version = service.commit_import(path, "财政局")
    stored = version.past_values.get(department="广州市")
    assert (stored.code, stored.year, stored.actual, stored.unit, stored.source) == (
        "ZR-DJ-01", 2022, Decimal("5.1"), "万宗", "2022年广州市不动产登记统计",
    )  # fmt: skip
    assert version.past_values.count() == 13
    assert not version.past_values.filter(source=PastValueSource.system.value).exists()


def test_the_suggestion_counts_both_sources_in_the_indicators_unit(
    tmp_path: Path, history: m.FiscalYear
) -> None:
    service.commit_import(_workbook_with_values(tmp_path, [REGION_ROW]), "财政局")
    first = service.suggestions_for(history, "P010")[0]
    assert first.entry.code == "ZR-DJ-01"
    # 41000 45000 60000 (stored goals); 52186 (file) and 51000 (5.1万宗, imported)
    assert first.target_text == "≥51000宗"
    assert first.source_lines == [
        "本系统历年实际值：最低41000宗，中位45000宗，最高60000宗，3 个",
        "指标库历年数值：最低51000宗，中位51593宗，最高52186宗，2 个",
    ]
    assert first.used_text == "建议值为本系统历年实际值3个、指标库历年数值2个的中位数"


def test_export_import_export_gives_the_same_sheet(tmp_path: Path, history: m.FiscalYear) -> None:
    first = _workbook_with_values(tmp_path, [REGION_ROW])
    service.commit_import(first, "财政局")
    exported = tmp_path / "out.xlsx"
    service.export_workbook("natural-resources", exported)
    assert sorted(map(str, _history_rows(exported))) == sorted(map(str, _history_rows(first)))
    book = _with_version(exported, "2025.2")
    again = tmp_path / "again.xlsx"
    book.save(again)
    service.commit_import(again, "财政局")
    last = tmp_path / "last.xlsx"
    service.export_workbook("natural-resources", last)
    assert _history_rows(last) == _history_rows(exported)
    sources = {row[7] for row in _history_rows(last)[1:]}
    assert PastValueSource.system.value in sources


ILLUSTRATIVE_ROW = ["ZR-DJ-01", 2021, "示例区", None, None, 4.8, "万宗", "示例数据", "是"]


def test_the_illustrative_flag_goes_out_and_in_again_unchanged(
    tmp_path: Path, history: m.FiscalYear
) -> None:
    """示意数据 on a row the library carries and on one drawn from a stored goal: written
    as 是, stored with the version, and export → import → export gives the same sheet."""
    m.Indicator.objects.filter(goal__project__code="Q010").update(illustrative=True)
    first = _workbook_with_values(tmp_path, [REGION_ROW, ILLUSTRATIVE_ROW])
    version = service.commit_import(first, "财政局")
    assert version.past_values.get(department="示例区").illustrative
    assert not version.past_values.get(department="广州市").illustrative
    exported = tmp_path / "out.xlsx"
    service.export_workbook("natural-resources", exported)
    rows = _history_rows(exported)
    flagged = {(row[2], row[7]) for row in rows[1:] if row[8] == "是"}
    assert flagged == {("示例区", "示例数据"), ("other", PastValueSource.system.value)}
    assert sorted(map(str, rows)) == sorted(map(str, _history_rows(first)))
    again = tmp_path / "again.xlsx"
    _with_version(exported, "2025.2").save(again)
    service.commit_import(again, "财政局")
    last = tmp_path / "last.xlsx"
    service.export_workbook("natural-resources", last)
    assert _history_rows(last) == rows


def test_a_sheet_without_the_illustrative_column_still_imports(
    tmp_path: Path, history: m.FiscalYear
) -> None:
    path = _workbook_with_values(tmp_path, [REGION_ROW])
    book = load_workbook(path)
    book["历年数值"].delete_cols(HISTORY_HEADER.index("示意数据") + 1)
    book.save(path)
    assert _history_rows(path)[0] == tuple(HISTORY_HEADER[:-1])  # as written before it
    version = service.commit_import(path, "财政局")
    assert version.past_values.count() == 13
    assert not version.past_values.filter(illustrative=True).exists()


def test_an_approved_proposal_keeps_the_librarys_values(
    tmp_path: Path, history: m.FiscalYear
) -> None:
    from tests.cycle.test_indicator_library_storage import proposal_input

    service.commit_import(_workbook_with_values(tmp_path, [REGION_ROW]), "财政局")
    proposal = service.propose(history, "P001", proposal_input(), user_name="规划科")
    version = service.approve(proposal.pk, "财政局")
    assert version.past_values.filter(department="广州市", unit="万宗").count() == 1
    assert version.past_values.count() == 13


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        (["ZR-DJ-01", 2022, "广州市", None, None, 5, "公顷"], "G", "不是同一类"),
        (["ZR-DJ-01", 2022, "广州市", None, None, 5, "万吨宗"], "G", "不认识的计量单位"),
        (["ZR-DJ-01", 2022, "广州市", None, None, None, None], "F", "缺少实际完成值"),
        (["NOPE", 2022, "广州市", None, None, 5, None], "A", "不在指标库中"),
        (["ZR-DJ-01", "去年", "广州市", None, None, 5, None], "B", ""),
        (["ZR-DJ-01", 2022, "广州市", None, None, "五万", None], "F", ""),
        (["ZR-DJ-01", 2022, "广州市", None, None, 5, None, "年报" * 151], "H", "来源超过300个字"),
        (["ZR-DJ-01", 2022, "广州市", None, None, 5, None, "年报", "大概"], "I", "是、否或留空"),
    ],
)
def test_a_bad_row_is_refused_naming_its_cell_and_nothing_is_stored(
    tmp_path: Path, year: m.FiscalYear, row: list[Any], cell: str, message: str
) -> None:
    path = _workbook_with_values(tmp_path, [row])
    where = f"历年数值!{cell}{len(_history_rows(path))}"
    with pytest.raises(InputRejected) as rejected:
        service.commit_import(path, "财政局")
    assert any(p.where == where and message in p.message for p in rejected.value.problems), (
        rejected.value.problems
    )
    assert not m.LibraryVersion.objects.exists()
    assert not m.LibraryPastValue.objects.exists()


def test_a_repeated_row_is_refused(tmp_path: Path, year: m.FiscalYear) -> None:
    path = _workbook_with_values(tmp_path, [REGION_ROW, REGION_ROW])
    with pytest.raises(InputRejected) as rejected:
        service.preview_import(path)
    (problem,) = rejected.value.problems
    assert problem.where.startswith("历年数值!") and "重复" in problem.message


def test_a_workbook_with_the_former_department_header_still_reads(
    tmp_path: Path, year: m.FiscalYear
) -> None:
    path = _workbook_with_values(tmp_path, [REGION_ROW])
    book = load_workbook(path)
    book["历年数值"]["C1"] = "部门代码"
    book.save(path)
    assert service.commit_import(path, "财政局").past_values.filter(department="广州市").exists()


def test_last_years_library_value_of_the_department_makes_a_target_too_low(
    tmp_path: Path, year: m.FiscalYear
) -> None:
    named = [["ZR-DJ-01", year.year - 1, year.department.name, None, None, 4.5, "万宗", "年报"]]
    service.commit_import(_workbook_with_values(tmp_path, named), "财政局")
    target = "≥44000宗"
    row = Indicator("产出指标", "数量指标", CASES, IndicatorKind.quantitative, target, Decimal(10))
    (finding,) = service.library_findings(year, PerformanceGoal("P010", "登记", indicators=(row,)))
    assert "低于上年实际完成值45000宗（指标库历年数值），目标值偏低" in finding.message
    past_goal(year.department, year.year - 1, "P010", "46000宗")  # the system's own wins
    (finding,) = service.library_findings(year, PerformanceGoal("P010", "登记", indicators=(row,)))
    assert "低于上年实际完成值46000宗（本系统历年实际值）" in finding.message


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_a_stored_shipped_version_the_shipped_files_past_values() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from jixiao.interchange.indicator_library_files import shipped_indicator_library

    executor = MigrationExecutor(connection)
    [node] = [key for key in executor.loader.graph.nodes if key[0] == "storage"
              and key[1].endswith("_library_past_values")]  # fmt: skip
    before = sorted(parent.key for parent in executor.loader.graph.node_map[node].parents)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("storage", "LibraryVersion").objects.create(
        library="natural-resources", version="2024.1", name="自然资源", benchmark_tolerance=0,
        origin="import",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    stored = [
        (v.code, v.year, v.department, v.project_code, v.target, v.actual, v.unit, v.source,
         v.illustrative)
        for v in m.LibraryPastValue.objects.order_by("id")
    ]  # fmt: skip
    shipped = [
        (v.code, v.fiscal_year, v.department, v.project_code or "", v.target, v.actual, v.unit,
         v.note, v.illustrative)
        for v in shipped_indicator_library("natural-resources").history
    ]  # fmt: skip
    assert stored == shipped and len(stored) > 10
    assert Decimal("17.7") in {v[5] for v in stored}
