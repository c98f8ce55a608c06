"""Filled 项目支出绩效目标申报表 built the many ways units fill them.

The form is a ``real_variants.Form`` without a funds block and without scores: 一级 | 二级 |
三级 | 指标类型 | 年度指标值 | 分值 | 上年实际完成值, the weights adding up to 90 (the
execution rate's 10 points are the rule set's). The project form's variants that fit it
apply unchanged (``SHARED_VARIANTS``); the others are the 申报表's own, among them the
provincial layout with 指标性质 / 指标值 / 度量单位 in their own columns. A mistake is
seeded into the form before it is written, so that it is written the variant's way too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openpyxl.worksheet.worksheet import Worksheet

from tests.excel_forms.department_variants import _spaced_headers, _wrapped_headers
from tests.excel_forms.real_variants import (
    VARIANTS,
    Form,
    Placed,
    Row,
    _figure,
    _like,
    _words_after,
)

GOALS_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标类型",
    "年度指标值",
    "分值",
    "上年实际完成值",
]
GOALS_COLUMNS = ("level1", "level2", "name", "kind", "target", "weight", "last_year")


def goals_rows() -> list[Row]:
    def row(level1: str, level2: str, name: str, kind: str, target: str, weight: int,
            last_year: str | None = None) -> Row:  # fmt: skip
        return Row(level1, level2, name, target, None, weight, None, kind=kind,
                   last_year=last_year)  # fmt: skip

    return [
        row("产出指标", "数量指标", "完成确权登记宗数", "定量", "≥500宗", 20, "480宗"),
        row("产出指标", "质量指标", "登记差错率", "定量", "≤1%", 15, "1.2%"),
        row("产出指标", "时效指标", "按期办结率", "定量", "≥95%", 15, "94%"),
        row("效益指标", "社会效益指标", "群众办事便利度", "定性", "明显提升", 30),
        row("满意度指标", "服务对象满意度指标", "群众满意度", "定量", "≥90%", 10, "88%"),
    ]


def goals_form() -> Form:
    """A correct 项目支出绩效目标申报表 of project P010: five indicators, 90 points."""
    return Form(
        above=[["项目支出绩效目标申报表"], ["（2024年度）"]],
        funds_header=[],
        funds=[],
        objective=[["年度总体目标", "完成年度不动产登记任务，群众满意度不低于90%。"]],
        indicator_header=list(GOALS_HEADER),
        columns=GOALS_COLUMNS,
        rows=goals_rows(),
        total=None,
    )


SHARED_VARIANTS = (
    "base", "two-row-header", "title-and-stamp", "leading-blank-column", "spacer-column",
    "operators-ascii", "operators-words", "operators-long-words", "operators-japanese",
    "hidden-row", "notes-below", "merged-levels", "merged-title", "points-written",
    "short-level-names", "figures-as-text", "two-decimal-percents", "group-weights-in-names",
    "serial-column", "section-column", "template-placeholders",
)  # fmt: skip
"""The project form's variants that make sense for the 申报表."""


def _kind_blank(form: Form) -> None:
    """指标类型 left blank: a target with a figure is quantitative."""
    for row in form.rows:
        row.kind = None


def _no_kind_column(form: Form) -> None:
    form.indicator_header.remove("指标类型")
    form.columns = tuple(c for c in form.columns if c != "kind")


def _no_last_year(form: Form) -> None:
    form.indicator_header.remove("上年实际完成值")
    form.columns = tuple(c for c in form.columns if c != "last_year")


_SPLIT = re.compile(r"^(≥|≤|>=|<=|＞|＜|>|<|=)?\s*(-?\d+(?:\.\d+)?)?\s*(.*)$")


def _operator_columns(form: Form) -> None:
    """A province's layout: 指标性质 (≥ ≤ = or 定性) | 指标值 | 度量单位."""
    header = form.indicator_header
    at = header.index("指标类型")
    header[at : at + 2] = ["指标性质", "指标值", "度量单位"]
    form.columns = (*form.columns[:at], "kind", "target", "unit", *form.columns[at + 2 :])
    for row in form.rows:
        match = _SPLIT.match(row.target) if isinstance(row.target, str) else None
        if match and (match.group(1) or match.group(2)) and row.kind != "定性":
            operator, figure, unit = match.groups()
            if figure is None and unit and not unit.isascii() and unit != "％":
                figure, unit = unit, None  # words where the figure should be
            row.kind, row.target, row.unit = operator or "=", figure, unit or None
        else:
            row.kind = "定性"


def _equals_typed(form: Form) -> None:
    """An exact target written “=500宗” in a Text cell (a General one would make it a
    formula)."""
    form.rows[0].target = "=500宗"
    column = form.columns.index("target") + 1

    def as_text(sheet: Worksheet, placed: Placed) -> None:
        cell = sheet.cell(row=placed.first_indicator, column=column)
        cell.data_type, cell.number_format = "s", "@"

    form.hooks.append(as_text)


def _full_width_figures(form: Form) -> None:
    """Targets typed with a Chinese input method: ≥９５％, ＞＝５００宗."""
    table = str.maketrans("0123456789%", "０１２３４５６７８９％")
    for row in form.rows:
        if isinstance(row.target, str) and row.target[:1] == "≥":
            row.target = "＞＝" + row.target[1:].translate(table)


def _labels_with_department(form: Form) -> None:
    form.labels = [
        ["部门代码", "test-dept", None, "部门名称", "测试区测试局"],
        ["项目代码", "P010", None, "项目名称", "不动产登记业务运行"],
    ]


def _objective_below(form: Form) -> None:
    """年度总体目标 as a heading with the text in the row below."""
    form.objective = [["年度总体目标"], ["完成年度不动产登记任务，群众满意度不低于90%。"]]


def _kind_words(form: Form) -> None:
    """The 指标类型 column headed 定量/定性."""
    form.indicator_header[form.indicator_header.index("指标类型")] = "定量/定性"


def _year_label(form: Form) -> None:
    """The year in a labelled cell, once the title line that gave it is gone."""
    form.labels = [
        ["项目名称", form.name, None, None, "项目代码", form.sheet],
        ["主管部门", "测试区测试局", None, "预算年度", 2024],
    ]


def _untitled_no_kind(form: Form) -> None:
    """No title at all and no 指标类型 column: told by its header and 年度总体目标 above it."""
    _no_kind_column(form)
    form.above = []
    _year_label(form)


def _title_far_right_no_kind(form: Form) -> None:
    """The title in a merged cell right of the table (the first columns left blank)."""
    _no_kind_column(form)
    width = len(form.indicator_header)
    form.above = [[*([None] * (width + 2)), "2024年度项目支出绩效目标申报表"]]

    def merge(sheet: Worksheet, placed: Placed) -> None:
        sheet.merge_cells(start_row=1, start_column=width + 3, end_row=1, end_column=width + 8)

    form.hooks.append(merge)


def _title_in_sheet_name_no_kind(form: Form) -> None:
    """The title only as the sheet's name; the sheet itself starts with the project's labels."""
    _no_kind_column(form)
    form.above = []
    _year_label(form)
    form.labels[0][4:] = []
    form.sheet = "项目支出绩效目标申报表"


def _funds_block_no_kind(form: Form) -> None:
    """No title, no 指标类型; a 项目资金 block (年度资金总额 / 其中：财政拨款 / 其他资金) above."""
    _untitled_no_kind(form)
    form.funds_header = ["项目资金（万元）", None, "年度资金总额", 100]
    form.funds = [[None, None, "其中：财政拨款", 100], [None, None, "其他资金", 0]]
    form.objective = [["年度总体目标"], ["完成年度不动产登记任务，群众满意度不低于90%。"]]


GOALS_VARIANTS: dict[str, Callable[[Form], None]] = {
    **{name: VARIANTS[name] for name in SHARED_VARIANTS},
    "spaced-headers": _spaced_headers,
    "wrapped-headers": _wrapped_headers,
    "operator-words-after": _words_after,
    "kind-blank": _kind_blank,
    "no-kind-column": _no_kind_column,
    "no-last-year": _no_last_year,
    "operator-columns": _operator_columns,
    "equals-typed": _equals_typed,
    "full-width-figures": _full_width_figures,
    "labels-with-department": _labels_with_department,
    "objective-below": _objective_below,
    "kind-words": _kind_words,
    "untitled-no-kind": _untitled_no_kind,
    "title-far-right-no-kind": _title_far_right_no_kind,
    "title-in-sheet-name-no-kind": _title_in_sheet_name_no_kind,
    "funds-block-no-kind": _funds_block_no_kind,
}
"""Each variant writes the same correct 申报表 another way."""


# --- mistakes -------------------------------------------------------------------------------


def _weights_95(form: Form) -> None:
    row = form.rows[0]
    weight = _figure(row.weight)
    assert weight is not None
    row.weight = _like(row.weight, weight - 5)


def _target_unreadable(form: Form) -> None:
    """A quantitative target with no figure the scoring can read: “≥百分之九十五”."""
    form.rows[2].target = "≥百分之九十五"


def _quantitative_without_figure(form: Form) -> None:
    """A quantitative target with its operator and unit but no figure: “≥%”."""
    form.rows[2].target = "≥%"


def _duplicated(form: Form) -> None:
    """The 数量 indicator entered twice, its 20 points split over the two rows."""
    first = form.rows[0]
    first.weight = 10
    form.rows.insert(1, Row(first.level1, first.level2, first.name, "≥250宗", None, 10, None,
                            kind=first.kind))  # fmt: skip


def _no_satisfaction(form: Form) -> None:
    """The required 满意度指标 group left empty (its row dropped)."""
    form.rows = [row for row in form.rows if row.level1 != "满意度指标"]


GOALS_MISTAKES: dict[str, tuple[Callable[[Form], None], str]] = {
    "weights-85": (_weights_95, "weights-not-100"),
    "target-unreadable": (_target_unreadable, "cell-unreadable"),
    "quantitative-without-figure": (_quantitative_without_figure, "cell-unreadable"),
    "duplicated-indicator": (_duplicated, "cell-unreadable"),
    "empty-level1": (_no_satisfaction, "missing-level1"),
}
"""Each mistake and the finding that must report it."""


def written(variant: str, mistake: str | None = None) -> Form:
    form = goals_form()
    if mistake is not None:
        GOALS_MISTAKES[mistake][0](form)
    GOALS_VARIANTS[variant](form)
    return form
