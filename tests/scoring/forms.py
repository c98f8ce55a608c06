"""Filled self-evaluation forms (项目支出绩效自评表) written as the form reads, for the tests.

A form is YAML with the header cells and the indicator block as a pipe table whose first
line names the columns, as printed on the form::

    项目名称: 国土空间规划编制
    全年预算数: 100        # 万元
    全年执行数: 92.87
    指标: |
      一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分
      产出指标 | 数量指标 | 编制规划数 | ≥3项 | 3项 | 20 | 20

Columns: 一级指标 二级指标 三级指标 指标性质 (定量/定性; inferred from the target when
absent) 年度指标值 实际完成值 分值 得分 (what the unit claimed) 评定分 (the assessor's score of
a qualitative row) 偏差原因分析 上年实际值. A qualitative row's 实际完成值 is its state.
Header cells that a unit fills in (执行率, 执行率得分, 总分, 总得分, 评价等级, 小计) are claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from jixiao.core.goals import (
    ClaimedFigures,
    Funds,
    FundsRow,
    Indicator,
    IndicatorKind,
    PerformanceGoal,
    QualitativeState,
)
from jixiao.core.money import HUNDRED, D, wan_to_yuan
from jixiao.core.targets import is_blank, parse_target
from jixiao.interchange.dataset_file import _DecimalLoader

ROW_HEADER = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值"
_KNOWN_COLUMNS = {
    "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值", "分值", "得分",
    "评定分", "偏差原因分析", "上年实际值",
}
_KINDS = {"定量": IndicatorKind.quantitative, "定性": IndicatorKind.qualitative}


@dataclass(frozen=True)
class Form:
    goal: PerformanceGoal
    funds: Funds


def _number(value: Any) -> Decimal:
    return D(value if isinstance(value, Decimal | int) else str(value))


def _rate(value: Any) -> Decimal:
    text = str(value).strip()
    assert text.endswith("%"), f"执行率应写成百分数：{text}"
    return D(text[:-1]) / HUNDRED


def _cell(value: str) -> str | None:
    return None if value.strip() == "" else value.strip()


def rows(table: str) -> tuple[Indicator, ...]:
    """The indicator block: a pipe table whose first line names the columns."""
    lines = [line for line in table.strip().splitlines() if line.strip()]
    header = [name.strip() for name in lines[0].split("|")]
    unknown = set(header) - _KNOWN_COLUMNS
    assert not unknown, f"不认识的列：{unknown}"
    indicators = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split("|")]
        cells += [""] * (len(header) - len(cells))
        row = dict(zip(header, cells, strict=True))
        indicators.append(_indicator(row))
    return tuple(indicators)


def row(line: str, header: str = ROW_HEADER) -> Indicator:
    """One indicator row under the given header (by default up to 分值)."""
    return rows(f"{header}\n{line}")[0]


def _indicator(row: dict[str, str]) -> Indicator:
    target = row["年度指标值"]
    actual = _cell(row.get("实际完成值", ""))
    if _cell(row.get("指标性质", "")):
        kind = _KINDS[row["指标性质"]]
    else:
        parsed = None if is_blank(target) else _try_parse(target)
        kind = IndicatorKind.quantitative if parsed else IndicatorKind.qualitative
    state = None
    if kind is IndicatorKind.qualitative and actual is not None:
        state = next((s for s in QualitativeState if s.value == actual), None)
    claimed = _cell(row.get("得分", ""))
    assessed = _cell(row.get("评定分", ""))
    return Indicator(
        level1=row["一级指标"],
        level2=row["二级指标"],
        level3=row["三级指标"],
        kind=kind,
        target=target,
        weight=D(row["分值"]),
        actual=actual,
        state=state,
        assessed_score=D(assessed) if assessed else None,
        claimed_score=D(claimed) if claimed else None,
        deviation_reason=row.get("偏差原因分析", ""),
        last_year_actual=_cell(row.get("上年实际值", "")),
    )


def _try_parse(target: str) -> bool:
    try:
        parsed = parse_target(target)
    except ValueError:
        return True  # looks quantitative but cannot be read: let scoring say so
    return parsed is not None and parsed.is_quantitative


def form(text: str) -> Form:
    """A goal and its funds block from a filled form written as YAML."""
    document = yaml.load(text, Loader=_DecimalLoader)
    final = wan_to_yuan(_number(document["全年预算数"]))
    executed = wan_to_yuan(_number(document["全年执行数"]))
    initial = wan_to_yuan(_number(document.get("年初预算数", document["全年预算数"])))
    claimed = ClaimedFigures(
        execution_rate=_rate(document["执行率"]) if "执行率" in document else None,
        execution_score=_number(document["执行率得分"]) if "执行率得分" in document else None,
        total=_number(document["总得分"]) if "总得分" in document else None,
        grade=document.get("评价等级"),
        level1_scores={k: _number(v) for k, v in (document.get("小计") or {}).items()},
        weight_total=_number(document["总分"]) if "总分" in document else None,
    )
    goal = PerformanceGoal(
        project_code=document.get("项目代码", "P001"),
        name=document.get("项目名称", "测试项目"),
        indicators=rows(document.get("指标", ROW_HEADER)),
        level1_weights={k: _number(v) for k, v in (document.get("一级指标分值") or {}).items()},
        claimed=claimed,
        execution_reason=document.get("执行偏差原因", ""),
    )
    funds = Funds(FundsRow("年度资金总额", initial, final, executed))
    return Form(goal, funds)
