"""The 全年预计执行数 a unit states in its monitoring form's 项目资金 block: imported and stored
with the monitoring progress, kept through a dataset round trip and other imports, shown on
the 运行监控 page beside jixiao's forecast (tests/web/test_monitoring_stated_forecast.py),
and a 提示 in the 审核意见 when it lies outside
the computed interval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from jixiao.core.money import format_wan
from jixiao.interchange import dataset as ds
from jixiao.interchange.dataset_file import dump_dataset, parse_dataset
from jixiao.services.excel_import import import_workbook
from jixiao.services.monitoring import monitor_stored_year
from jixiao.services.reading import export_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m
from tests.excel_forms.forms import DEMO, DEMO_YEAR, store_demo
from tests.excel_forms.test_monitoring_rows import save

pytestmark = pytest.mark.django_db
JULY = date(2023, 7, 31)


def mof_form(projected: str, as_of: str = "2023年7月31日") -> list[list[Any]]:
    """The 执行监控表 of LW23-P09 as its unit fills it: one project, its funds block, its rows."""
    return [
        ["项目支出绩效目标执行监控表"],
        [f"（2023年度，截至{as_of}）"],
        ["项目代码", "LW23-P09", None, "项目名称", "违法用地图斑整治"],
        ["主管部门及代码", "广州市规划和自然资源局荔湾区分局"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "1-7月执行数", "1-7月执行率",
         "全年预计执行数"],
        ["年度资金总额", 251.89, 251.89, 160.00, "63.52%", projected],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值",
         "偏差原因说明", "完成目标可能性", "备注"],
        ["产出指标", "质量指标", "历史存量违法用地整改率", "≥90%", "80%", "92%", None, "确定能",
         None],
    ]  # fmt: skip


def _goal(code: str = "LW23-P09") -> ds.GoalEntry:
    return next(g for g in export_dataset(DEMO, DEMO_YEAR).goals if g.project == code)


def _amount_in_dataset_unit(wan: str) -> Decimal:
    unit = export_dataset(DEMO, DEMO_YEAR, payments=False).unit
    return Decimal(wan) if unit.value == "万元" else Decimal(wan) * 10000


def test_the_stated_forecast_is_imported_stored_and_changed_in_place(tmp_path: Path) -> None:
    store_demo()
    path = save(tmp_path / "m.xlsx", mof_form("240.00"))
    preview = import_workbook(path, dry_run=True)
    assert preview.counts()["全年预计执行数"] == {"added": 1, "changed": 0, "removed": 0}
    assert not m.StatedForecast.objects.exists()
    import_workbook(path)
    assert _goal().forecasts == [
        ds.ForecastEntry(date=JULY, amount=_amount_in_dataset_unit("240.00"))
    ]
    (row,) = m.StatedForecast.objects.all()
    assert (row.date, row.amount) == (JULY, Decimal("2400000.00"))
    assert not import_workbook(path).changed  # the same form again writes nothing
    again = import_workbook(save(tmp_path / "n.xlsx", mof_form("235.50")))
    assert again.counts()["全年预计执行数"] == {"added": 0, "changed": 1, "removed": 0}
    (row,) = m.StatedForecast.objects.all()
    assert row.amount == Decimal("2355000.00")
    assert row.history.count() == 2  # the change is in the audit trail


def test_a_stated_forecast_survives_the_dataset_round_trip(tmp_path: Path) -> None:
    store_demo()
    import_workbook(save(tmp_path / "m.xlsx", mof_form("240.00")))
    text = dump_dataset(export_dataset(DEMO, DEMO_YEAR))
    assert "forecasts:" in text
    store_dataset(parse_dataset(text.encode("utf-8")), replace=True)
    assert _goal().forecasts == [
        ds.ForecastEntry(date=JULY, amount=_amount_in_dataset_unit("240.00"))
    ]
    assert dump_dataset(export_dataset(DEMO, DEMO_YEAR)) == text


def test_a_later_form_without_the_figure_keeps_the_stored_one(tmp_path: Path) -> None:
    store_demo()
    import_workbook(save(tmp_path / "m.xlsx", mof_form("240.00")))
    lines = mof_form("240.00", as_of="2023年8月31日")
    lines[5][5] = None
    lines[-1][4] = "85%"
    result = import_workbook(save(tmp_path / "n.xlsx", lines))
    assert result.counts()["指标进度"]["added"] == 1
    assert [f.date for f in _goal().forecasts] == [JULY]


def test_monitoring_sets_the_stated_figure_beside_the_forecast(tmp_path: Path) -> None:
    store_demo()
    computed = next(
        f for f in monitor_stored_year(DEMO, DEMO_YEAR, JULY).forecasts
        if f.project_code == "LW23-P09"
    )  # fmt: skip
    inside = format_wan(computed.projected).replace(",", "")
    import_workbook(save(tmp_path / "m.xlsx", mof_form(inside)))
    report = monitor_stored_year(DEMO, DEMO_YEAR, JULY)
    forecast = next(f for f in report.forecasts if f.project_code == "LW23-P09")
    assert (forecast.stated, forecast.stated_as_of) == (Decimal(inside) * 10000, JULY)
    assert "monitoring-stated-forecast-outside" not in {f.id for f in report.review_findings}
    assert forecast.projected == computed.projected  # shown beside, never in its place

    outside = computed.projected_high / 10000 + Decimal("30.00")
    import_workbook(save(tmp_path / "n.xlsx", mof_form(f"{outside:.2f}")))
    report = monitor_stored_year(DEMO, DEMO_YEAR, JULY)
    (note,) = [f for f in report.review_findings if f.id == "monitoring-stated-forecast-outside"]
    assert note.severity.label == "提示"
    assert note.subject.startswith("LW23-P09 ")
    assert f"填报全年预计执行数{format_wan(outside * 10000)}万元" in note.message
    assert "不在按支出进度测算的区间" in note.message
    earlier = monitor_stored_year(DEMO, DEMO_YEAR, date(2023, 6, 30))
    before = next(f for f in earlier.forecasts if f.project_code == "LW23-P09")
    assert before.stated is None  # a form dated after the monitoring date is not used


def _p07_form(projected: str) -> list[list[Any]]:
    """LW23-P07's form, as ``mof_form`` writes LW23-P09's."""
    lines = mof_form(projected)
    lines[2] = ["项目代码", "LW23-P07", None, "项目名称", "不动产登记业务运行"]
    lines[5] = ["年度资金总额", 300.00, 300.00, 180.00, "60.00%", projected]
    lines[-1] = ["产出指标", "数量指标", "审结不动产登记案件", "≥50000宗", "30000宗",
                 "52000宗", None, "确定能", None]  # fmt: skip
    return lines


def test_a_workbook_with_a_sheet_per_project_stores_each_stated_forecast(
    tmp_path: Path,
) -> None:
    store_demo()
    book = Workbook()
    for title, lines in (("P09", mof_form("240.00")), ("P07", _p07_form("290.00"))):
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
    book.remove(book.worksheets[0])
    book.save(tmp_path / "m.xlsx")
    result = import_workbook(tmp_path / "m.xlsx")
    assert result.counts()["全年预计执行数"] == {"added": 2, "changed": 0, "removed": 0}
    assert [f.amount for f in _goal().forecasts] == [_amount_in_dataset_unit("240.00")]
    assert [f.amount for f in _goal("LW23-P07").forecasts] == [_amount_in_dataset_unit("290.00")]



def test_several_forms_on_one_sheet_store_each_stated_forecast(tmp_path: Path) -> None:
    """Forms printed one below the other on one sheet, each with its own title, project and
    funds block: each project's figure is its own form's."""
    store_demo()
    lines = [*mof_form("240.00"), [], [], *_p07_form("290.00")]
    result = import_workbook(save(tmp_path / "m.xlsx", lines))
    assert result.counts()["全年预计执行数"] == {"added": 2, "changed": 0, "removed": 0}
    assert [f.amount for f in _goal().forecasts] == [_amount_in_dataset_unit("240.00")]
    assert [f.amount for f in _goal("LW23-P07").forecasts] == [_amount_in_dataset_unit("290.00")]
