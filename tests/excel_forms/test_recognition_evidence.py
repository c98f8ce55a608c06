"""Which evidence tells a form where no title in its first rows names one: the header's own
signs before the sheet name, the sheet name only with every required column, and a
header with another form's columns refused by the 申报表's signs."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.form_vocabulary import FormKind
from jixiao.interchange.excel.locate import locate_form
from jixiao.interchange.excel.workbook import Sheet, read_workbook

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施"]  # fmt: skip
ROWS = [["产出指标", "数量指标", "完成宗数", "≥500宗", "520宗", 50, 50, ""],
        ["效益指标", "社会效益指标", "满意度", "≥90%", "95%", 50, 50, ""]]  # fmt: skip


def _file(tmp_path: Path, title: str, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "f.xlsx")
    return tmp_path / "f.xlsx"


def _sheet(tmp_path: Path, title: str, rows: list[list[object]]) -> Sheet:
    return read_workbook(_file(tmp_path, title, rows)).sheets[0]


def test_the_header_of_a_self_evaluation_beats_a_sheet_name_of_a_goals_form(
    tmp_path: Path,
) -> None:
    sheet = _sheet(tmp_path, "绩效目标表", [["项目名称", "某项目"], HEADER, *ROWS])
    found = locate_form(sheet)
    assert found is not None and found.kind is FormKind.project_evaluation
    assert {"actual", "score"} <= set(found.header.columns)


def test_an_instructions_sheet_named_after_a_form_is_not_a_form(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "绩效自评表填表说明", [
        ["填表说明"], ["一级指标", "二级指标", "三级指标", "填写要求"],
        ["产出指标", "数量指标", "例：完成宗数", "按实际完成填写"]])  # fmt: skip
    assert locate_form(sheet) is None


def test_a_sheet_name_tells_a_form_whose_header_has_every_required_column(
    tmp_path: Path,
) -> None:
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "备注"]
    rows = [["产出指标", "数量指标", "完成宗数", "≥500宗", 50, ""]]
    sheet = _sheet(tmp_path, "项目支出绩效目标申报表", [["项目名称", "某项目"], header, *rows])
    found = locate_form(sheet)
    assert found is not None and found.kind is FormKind.goals
    without_weight = _sheet(
        tmp_path, "项目支出绩效目标申报表",
        [["项目名称", "某项目"], header[:4], *(row[:4] for row in rows)],
    )  # fmt: skip
    assert locate_form(without_weight) is None


def test_an_untitled_department_goals_form_is_told_by_its_sheet_name(tmp_path: Path) -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标类型", "年度指标值", "分值"]
    path = _file(tmp_path, "部门整体支出绩效目标申报表", [
        ["部门名称", "测试区测试局"], header,
        ["产出指标", "数量指标", "完成宗数", "定量", "≥500宗", 100]])  # fmt: skip
    [form] = read_forms(read_workbook(path))
    assert form.kind is FormKind.goals
    assert form.department_goal


def test_an_untitled_monitoring_form_is_not_read_as_a_goals_form(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "Sheet1", [
        ["项目名称", "某项目"], ["项目资金（万元）", "年初预算数", "1-7月执行数", "执行率"],
        ["年度资金总额", 100, 50, "50%"], ["年度总体目标", "完成确权登记"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况",
         "偏差原因分析"],
        ["产出指标", "数量指标", "完成宗数", "≥500宗", "300宗", "520宗", ""]])  # fmt: skip
    # the 监控表's own sign (a 完成目标可能性 column) does not hold: not found, as before
    assert locate_form(sheet) is None


def test_an_untitled_monitoring_form_with_its_own_sign_is_a_monitoring_form(
    tmp_path: Path,
) -> None:
    sheet = _sheet(tmp_path, "Sheet1", [
        ["项目名称", "某项目"], ["年度总体目标", "完成确权登记"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值",
         "完成目标可能性"],
        ["产出指标", "数量指标", "完成宗数", "≥500宗", "300宗", "520宗", "确定能"]])  # fmt: skip
    found = locate_form(sheet)
    assert found is not None and found.kind is FormKind.monitoring
    assert {"progress", "projected", "likelihood"} <= set(found.header.columns)


def test_a_goals_form_with_a_planned_completion_date_is_still_a_goals_form(
    tmp_path: Path,
) -> None:
    # the monitoring words refused are whole terms (预计完成值/情况), not any 预计完成…
    sheet = _sheet(tmp_path, "Sheet1", [
        ["项目名称", "某项目"], ["年度总体目标", "完成确权登记"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "预计完成时间"],
        ["产出指标", "数量指标", "完成宗数", "≥500宗", 100, "2024年12月"]])  # fmt: skip
    found = locate_form(sheet)
    assert found is not None and found.kind is FormKind.goals
