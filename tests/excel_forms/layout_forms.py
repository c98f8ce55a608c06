"""Filled forms in the layouts real units use, built cell by cell (not copies of real forms)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]

FUNDS = [
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", 100, 100, 95, 10, "95%", 9.5],
]

OPERATOR_COLUMNS: Rows = [
    ["2023年度项目支出绩效自评表"],
    ["项目名称", "乡村道路养护", None, "主管部门", "某县交通运输局"],
    *FUNDS,
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "分值",
        "实际完成值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "养护道路里程", "≥", 120, "公里", 15, 125, 15, None],
    ["产出指标", "质量指标", "道路优良率", "≥", 90, "%", 15, 92, 15, None],
    ["产出指标", "时效指标", "养护完成时间", "≤", 12, "月", 10, 12, 10, None],
    ["产出指标", "成本指标", "养护单价", "≤", 8000, "元", 10, 7600, 10, None],
    ["效益指标", "社会效益指标", "新建候车亭", "=", 12, "个", 20, 12, 20, None],
    [
        "效益指标",
        "可持续影响指标",
        "群众出行条件",
        "定性",
        "明显改善",
        None,
        10,
        "达成年度指标",
        10,
        None,
    ],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", 90, "%", 10, 93, 10, None],
    ["总分", None, None, None, None, None, 100, None, 99.5],
    ["评价等级", "优"],
]
"""指标性质 holds the operator, 指标值 the figure, 度量单位 the unit (rows 6-12)."""

COMBINED_TARGET: Rows = [
    ["2023年度省级专项资金项目支出绩效自评表"],
    ["项目名称", "农村饮水安全巩固提升"],
    *FUNDS,
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效目标值",
        "全年完成值",
        "指标权重",
        "自评分",
        "偏差说明",
    ],
    ["产出指标", "数量指标", "改造供水工程", "≥40处", "42处", 25, 25, None],
    ["产出指标", "质量指标", "水质达标率", "≥95%", "96.5%", 25, 25, None],
    [
        "效益指标",
        "社会效益指标",
        "受益人口",
        "≥30000人",
        "24000人",
        30,
        24,
        "部分工程延期。改进措施：加快验收",
    ],
    ["满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "91%", 10, 10, None],
    ["总分", None, None, None, None, 100, 93.5],
    ["评价等级", "优"],
]
"""目标值 and 完成值 carry operator and unit in one cell; the columns have other names."""

ATTAINMENT: Rows = [
    ["某县2023年度县级专项资金绩效目标完成情况表"],
    ["项目名称", "县级农村公路养护专项"],
    [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度目标值",
        "实际完成值",
        "是否达成",
        "未达成原因",
    ],
    [1, "产出指标", "数量指标", "养护里程", "≥120公里", "125公里", "是", None],
    [2, "产出指标", "质量指标", "优良路率", "≥85%", "82%", "否", "雨季水毁较多"],
    [3, "产出指标", "时效指标", "完成时间", "≤12个月", "12个月", "是", None],
    [4, "效益指标", "社会效益指标", "群众出行条件", "明显改善", "达成年度指标", "是", None],
    [5, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "88%", "是", None],
    [6, "产出指标", "数量指标", "新建错车道", "20处", "16处", "否", None],
]
"""No 分值 or 得分: row 5 printed 是 though 88% < 90%, row 6 not met without a reason."""


def xlsx(path: Path, *sheets: tuple[str, Rows]) -> Path:
    """Write sheets of plain values (row 1 first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path
