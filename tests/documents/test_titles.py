"""Titles broken into balanced lines at word boundaries."""

from __future__ import annotations

import pytest

from jixiao.documents.titles import TITLE_LINE_WIDTH, text_width, title_lines

LIWAN = "2023年度广州市规划和自然资源局荔湾区分局部门整体支出绩效自评报告"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "2023年度广州市荔湾区发展和改革局部门整体支出绩效自评报告",
            ["2023年度广州市荔湾区发展和改革局", "部门整体支出绩效自评报告"],
        ),
        (
            "2024年度广州市越秀区住房和城乡建设局部门整体支出绩效自评报告",
            ["2024年度广州市越秀区住房和城乡建设局", "部门整体支出绩效自评报告"],
        ),
        (
            "2023年度中共广州市荔湾区委员会办公室部门整体支出绩效自评报告",
            ["2023年度中共广州市荔湾区委员会办公室", "部门整体支出绩效自评报告"],
        ),
        (
            "2023年度广州市荔湾区公共资源交易中心部门整体支出绩效自评报告",
            ["2023年度广州市荔湾区公共资源交易中心", "部门整体支出绩效自评报告"],
        ),
        (
            "2023年度广州市荔湾区政务服务数据管理局预算绩效运行监控报告（截至2023年10月31日）",
            [
                "2023年度广州市荔湾区政务服务数据管理局",
                "预算绩效运行监控报告",
                "（截至2023年10月31日）",
            ],
        ),
    ],
)
def test_it_breaks_after_the_organisation_and_before_the_kind_of_document(
    title: str, lines: list[str]
) -> None:
    assert title_lines(title) == lines


def test_it_never_breaks_the_liwan_title_inside_a_word() -> None:
    lines = title_lines(LIWAN)
    assert "".join(lines) == LIWAN
    assert len(lines) == 2
    assert not lines[0].endswith("荔湾区分")
    assert all(line.endswith(("局", "报告")) for line in lines)


def test_it_never_breaks_a_date_of_the_monitoring_title() -> None:
    title = "2023年度广州市规划和自然资源局荔湾区分局预算绩效运行监控报告（截至2023年7月31日）"
    lines = title_lines(title)
    assert "".join(lines) == title
    assert any("2023年7月31日" in line for line in lines)
    assert lines[-1] == "（截至2023年7月31日）"


def test_every_line_fits_the_type_area_and_a_short_title_stays_one_line() -> None:
    long_name = "2023年度广州市荔湾区" + "某" * 30 + "管理局部门整体支出绩效自评报告"
    assert all(text_width(line) <= TITLE_LINE_WIDTH for line in title_lines(long_name))
    assert "".join(title_lines(long_name)) == long_name
    assert title_lines("2023年度某局报告") == ["2023年度某局报告"]
    assert title_lines("") == []
