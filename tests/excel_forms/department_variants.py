"""Filled 部门整体支出绩效自评表 built the many ways departments fill them.

The form is a ``real_variants.Form`` with the department's own parts: 部门（单位）名称 above,
the 年度部门整体支出预算执行情况 block (年度资金总额 over 基本支出 / 项目支出), the common
indicators of 财预〔2013〕53号 (指标值/计算公式, 实际值 as a rate, scored with ``mof-2013-dept``)
and the department's own 履职 indicators. The project form's variants and mistakes apply
where they make sense for this form (``SHARED_VARIANTS``, ``SHARED_MISTAKES``); the others
are the department form's own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tests.excel_forms.real_variants import (
    MISTAKES,
    VARIANTS,
    Form,
    Row,
    _add_to_total,
    _figure,
    _like,
)

DEPARTMENT_HEADER = [
    "一级指标", "二级指标", "三级指标", "指标值/计算公式", "实际值", "分值", "得分", "说明",
]  # fmt: skip
DEPARTMENT_FUNDS_HEADER = [
    "年度部门整体支出预算执行情况（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值",
    "执行率", "得分",
]  # fmt: skip


def department_rows() -> list[Row]:
    """Common indicators (53号, as the template prints them) and 履职 indicators: 90 points."""
    return [
        Row("投入", "预算配置", "在职人员控制率", "在职人员数÷编制数；≤100%", "95%", 3, 3),
        Row(
            "投入",
            "预算配置",
            "“三公经费”变动率",
            "(三公经费预算数−上年三公经费预算数)÷上年三公经费预算数；≤0%",
            "-5%",
            3,
            3,
        ),
        Row(
            "投入", "预算配置", "重点支出安排率", "本年度重点项目支出÷项目总支出；≥80%", "85%", 4, 4
        ),
        Row("过程", "预算执行", "预算调整率", "预算调整数÷年初预算数；≤0%", "0%", 5, 5),
        Row("过程", "预算执行", "支付进度率", "实际支付进度÷既定支付进度；≥100%", "98%", 4, 3.92),
        Row("产出指标", "数量指标", "控规调整项目数", "≥3项", "3项", 20, 20),
        Row("产出指标", "质量指标", "规划成果审查通过率", "≥95%", "98%", 11, 11),
        Row("产出指标", "时效指标", "按期办结率", "≥95%", "96%", 10, 10),
        Row(
            "效益指标",
            "社会效益指标",
            "规划管控作用",
            "效果明显",
            "达成年度指标",
            20,
            18,
            "个别片区控规批复晚于计划，下年提前启动编制。",
        ),
        Row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10),
    ]


def department_form() -> Form:
    """A correct 部门整体支出绩效自评表: 375 万元 budgeted, 341.59 spent (91.09 %, 9.11 points),
    common indicators 20.92 and 履职 indicators 69 points: 97.03, 优."""
    return Form(
        sheet="部门整体",
        name="测试区测试局",
        above=[["部门整体支出绩效自评表"], ["（2024年度）"]],
        labels=[["部门（单位）名称", "测试区测试局"]],
        funds_header=list(DEPARTMENT_FUNDS_HEADER),
        funds=[
            ["年度资金总额", None, 375, 375, 341.59, 10, 0.9109, 9.11],
            ["其中：基本支出", None, 275, 275, 255.39],
            ["项目支出", None, 100, 100, 86.2],
        ],
        objective=[],
        indicator_header=list(DEPARTMENT_HEADER),
        rows=department_rows(),
        total=97.03,
    )


SHARED_VARIANTS = (
    "base", "two-row-header", "title-and-stamp", "leading-blank-column", "spacer-column",
    "operators-ascii", "operators-words", "operators-long-words", "operators-japanese",
    "percent-numbers", "percent-text", "percent-header", "yuan", "yuan-text-thousands",
    "formulas-cached", "hidden-row", "notes-below", "reason-placeholders", "merged-levels",
    "funds-two-row-header", "merged-title", "points-written", "grade-in-words",
    "total-labelled-heji", "two-decimal-percents", "short-level-names", "amounts-with-unit",
    "figures-as-text", "percent-points-actuals", "group-weights-in-names", "serial-column",
    "section-column", "template-placeholders",
)  # fmt: skip
"""The project form's variants that make sense for the department form."""


def _spaced_headers(form: Form) -> None:
    """Two-character headers spread with a full-width space: “分　值”, “得　分”."""
    for header in (form.indicator_header, form.funds_header):
        for index, text in enumerate(header):
            if isinstance(text, str) and len(text) == 2:
                header[index] = f"{text[0]}　{text[1]}"


def _wrapped_headers(form: Form) -> None:
    """Headers broken after their first two characters, as narrow printed columns wrap."""
    for header in (form.indicator_header, form.funds_header):
        for index, text in enumerate(header):
            if isinstance(text, str) and len(text) > 3 and "（" not in text:
                header[index] = f"{text[:2]}\n{text[2:]}"


def _targets_without_formulas(form: Form) -> None:
    """The common rows' 指标值 as the target alone (“≤100%”), no formula before it."""
    for row in form.rows:
        if isinstance(row.target, str) and "；" in row.target:
            row.target = row.target.rsplit("；", 1)[1]


def _department_label(label: str) -> Callable[[Form], None]:
    def variant(form: Form) -> None:
        form.labels = [[label, "测试区测试局"]]

    return variant


def _parts_with_rates(form: Form) -> None:
    """基本支出 and 项目支出 print their own 执行率, as 10号's department form does."""
    form.funds[1] += [None, "92.87%"]
    form.funds[2] += [None, "86.20%"]


def _objective_block(form: Form) -> None:
    form.objective = [
        ["年度总体目标", "完成年度国土空间规划管理任务。", None, None, "实际完成情况", "已完成。"]
    ]


def _formula_column_heading(form: Form) -> None:
    """A province's headings: 指标值 and 全年实际值, 计分说明 for 说明."""
    form.indicator_header[3:5] = ["指标值", "全年实际值"]
    form.indicator_header[7] = "计分说明"


def _subtotals(form: Form, off: int = 0) -> None:
    """A “小计” row after each first-level group: its rows' 分值 and 得分, ``off`` added to
    the 产出 group's 得分. Made again each time (the rows may have changed since)."""
    rows: list[Row] = []
    kept = [row for row in form.rows if row.name]
    for index, row in enumerate(kept):
        rows.append(row)
        if index + 1 < len(kept) and kept[index + 1].level1 == row.level1:
            continue
        members = [r for r in kept if r.level1 == row.level1]
        weight = sum((_figure(r.weight) or Decimal(0) for r in members), Decimal(0))
        score = sum((_figure(r.score) or Decimal(0) for r in members), Decimal(0))
        score += off if row.level1.startswith("产出") else 0
        weight_cell, score_cell = _like(row.weight, weight), _like(row.score, score)
        rows.append(Row(f"{row.level1}小计", None, None, None, None, weight_cell, score_cell))
    form.rows = rows


def _group_subtotals(form: Form) -> None:
    form.derived.append(_subtotals)


def _subtotal_off(form: Form) -> None:
    """The 产出 小计 3 points above its rows (beyond what rounding three whole scores allows)."""
    form.derived[:] = [derive for derive in form.derived if derive is not _subtotals]
    form.derived.append(lambda form: _subtotals(form, off=3))


DEPARTMENT_VARIANTS: dict[str, Callable[[Form], None]] = {
    **{name: VARIANTS[name] for name in SHARED_VARIANTS},
    "spaced-headers": _spaced_headers,
    "wrapped-headers": _wrapped_headers,
    "targets-without-formulas": _targets_without_formulas,
    "label-department-name": _department_label("部门名称"),
    "label-unit-name": _department_label("预算部门"),
    "parts-with-rates": _parts_with_rates,
    "objective-block": _objective_block,
    "province-headings": _formula_column_heading,
    "group-subtotals": _group_subtotals,
}
"""Each variant writes the same correct department form another way."""


# --- mistakes -------------------------------------------------------------------------------


def _total_off(form: Form) -> None:
    """总分 one point above the rows."""
    _add_to_total(form, 1)


SHARED_MISTAKES = (
    "score-above-weight", "weights-95", "rate-wrong", "zero-total", "qualitative-unrated",
    "grade-wrong",
)  # fmt: skip

DEPARTMENT_MISTAKES: dict[str, tuple[Callable[[Form], None], str]] = {
    **{name: MISTAKES[name] for name in SHARED_MISTAKES},
    "total-off": (_total_off, "total-not-sum-of-rows"),
    "subtotal-off": (_subtotal_off, "subtotal-contradicts-rows"),
}
"""Each mistake and the finding that must report it."""


def written(variant: str, mistake: str | None = None) -> Form:
    form = department_form()
    DEPARTMENT_VARIANTS[variant](form)
    if mistake is not None:
        DEPARTMENT_MISTAKES[mistake][0](form)
    return form


__all__ = ["DEPARTMENT_MISTAKES", "DEPARTMENT_VARIANTS", "department_form", "written"]
