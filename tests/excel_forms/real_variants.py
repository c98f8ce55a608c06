"""Filled 项目支出绩效自评表 and provincial 监控表 built the many ways real units fill them.

A ``Form`` is a correct self-evaluation (figures that agree); a variant changes how it is
written (merged two-row headers, a title and 填报单位 lines, spacer columns, full-width
headers, operators and targets as typed, percentages and amounts in their many forms,
formulas, hidden rows and sheets, several projects with a 汇总 sheet, notes below the table,
.xls); a mistake changes a figure so that it no longer agrees. Variants and mistakes are
independent, so every mistake is seeded into every variant.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FUNDS_HEADER = [
    "项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
]  # fmt: skip
INDICATOR_HEADER = [
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
    "偏差原因分析及改进措施",
]  # fmt: skip


@dataclass
class Row:
    """One indicator row: what the unit typed in each column."""

    level1: str
    level2: str
    name: str
    target: Any
    actual: Any
    weight: Any
    score: Any
    reason: Any = None
    formats: dict[int, str] = field(default_factory=dict)
    unit: Any = None
    """度量单位, where a province's form has the column."""
    kind: Any = None
    """指标类型 (申报表)."""
    last_year: Any = None
    """上年实际完成值 (申报表)."""
    """Number formats by column index (0 = 一级指标)."""


@dataclass
class Form:
    """A correct 项目支出绩效自评表 in 万元: 100 budgeted, 86.2 spent, 86.20 %, 8.62 points."""

    sheet: str = "P010"
    name: str = "不动产登记业务运行"
    above: list[list[Any]] = field(
        default_factory=lambda: [["项目支出绩效自评表"], ["（2024年度）"]]
    )
    labels: list[list[Any]] | None = None
    """The labelled cells between the title and the funds block (None: the project's)."""
    funds_header: list[Any] = field(default_factory=lambda: list(FUNDS_HEADER))
    funds: list[list[Any]] = field(
        default_factory=lambda: [
            ["年度资金总额", None, 100, 100, 86.2, 10, 0.862, 8.62],
            ["其中：本年财政拨款", None, 100, 100, 86.2],
            ["上年结转资金", None, 0, 0, 0],
            ["其他资金", None, None, None, None],
        ]
    )
    objective: list[list[Any]] = field(
        default_factory=lambda: [
            ["年度总体目标", "预期目标", None, None, "实际完成情况"],
            ["年度总体目标", "完成年度登记任务。", None, None, "已完成。"],
        ]
    )
    indicator_header: list[Any] = field(default_factory=lambda: list(INDICATOR_HEADER))
    rows: list[Row] = field(
        default_factory=lambda: [
            Row("产出指标", "数量指标", "完成确权登记宗数", "≥500宗", "520宗", 20, 20),
            Row("产出指标", "质量指标", "登记差错率", "≤1%", "0.5%", 15, 15),
            Row("产出指标", "时效指标", "按期办结率", "≥95%", "96%", 15, 15),
            Row(
                "效益指标",
                "社会效益指标",
                "群众办事便利度",
                "明显提升",
                "达成年度指标",
                30,
                28,
                "窗口高峰时段仍需排队，下年增设自助终端。",
            ),
            Row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10),
        ]
    )
    columns: tuple[str, ...] = ("level1", "level2", "name", "target", "actual", "weight", "score",
                                "reason")  # fmt: skip
    """The ``Row`` field written in each column of the indicator table."""
    weight_total: Any = 100
    total: Any = 96.62
    grade: str = "优"
    below: list[list[Any]] = field(default_factory=list)
    two_row_header: bool = False
    rate_format: str = "0.00%"
    score_formulas: bool = False
    """得分 as formulas: each row's =F×ratio and 总分 =SUM(…)."""
    hooks: list[Callable[[Worksheet, Placed], None]] = field(default_factory=list)
    """Changes made to the finished sheet (merges, hidden rows, spacer columns)."""
    derived: list[Callable[[Form], None]] = field(default_factory=list)
    """Rows derived from the others (小计), made as the form is written: after a mistake."""


@dataclass
class Placed:
    """Where the blocks of a rendered form start (1-based rows)."""

    funds_header: int
    first_funds: int
    indicator_header: int
    first_indicator: int
    total: int


def render(form: Form, sheet: Worksheet) -> Placed:
    """Write ``form`` into an empty sheet."""
    for derive in form.derived:
        derive(form)
    sheet.title = form.sheet
    labels = form.labels
    if labels is None:
        labels = [
            ["项目名称", form.name, None, None, "项目代码", form.sheet],
            ["主管部门", "测试区测试局", None, None, "实施单位", "登记中心"],
        ]
    for line in [*form.above, *labels]:
        sheet.append(line)
    funds_header = sheet.max_row + 1
    if form.funds_header:
        sheet.append(form.funds_header)
    for line in form.funds:
        sheet.append(line)
    first_funds = funds_header + 1
    for line in form.objective:
        sheet.append(line)
    indicator_header = sheet.max_row + 1
    if form.two_row_header:
        indicator_header = _two_row_header(sheet, form.indicator_header)
    else:
        sheet.append(form.indicator_header)
    first = sheet.max_row + 1
    for offset, row in enumerate(form.rows):
        sheet.append([getattr(row, column) for column in form.columns])
        for column, number_format in row.formats.items():
            sheet.cell(row=first + offset, column=column + 1).number_format = number_format
    total = sheet.max_row + 1
    if form.total is not None:
        sheet.append(["总分", None, None, None, None, form.weight_total, form.total])
        sheet.append(["评价等级", None, None, None, None, form.grade])
    for line in form.below:
        sheet.append(line)
    rate = sheet.cell(row=first_funds, column=7)
    if form.funds and isinstance(rate.value, float):
        rate.number_format = form.rate_format
    placed = Placed(funds_header, first_funds, indicator_header, first, total)
    if form.score_formulas:
        _score_formulas(sheet, form, placed)
    for hook in form.hooks:
        hook(sheet, placed)
    return placed


def _two_row_header(sheet: Worksheet, header: list[Any]) -> int:
    """“绩效指标” merged over 一级/二级/三级 in the first row; the others merged down."""
    top = sheet.max_row + 1
    sheet.append(["绩效指标", None, None, *header[3:]])
    sheet.append([*header[:3], *([None] * (len(header) - 3))])
    sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=3)
    for column in range(4, len(header) + 1):
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    return top


def _score_formulas(sheet: Worksheet, form: Form, placed: Placed) -> None:
    """Each 得分 as =F*ratio (the cached value is the typed score) and 总分 as a SUM."""
    cached: dict[str, Any] = {}
    for offset, row in enumerate(form.rows):
        cell = sheet.cell(row=placed.first_indicator + offset, column=7)
        if isinstance(row.score, (int, float)) and isinstance(row.weight, (int, float)):
            ratio = Decimal(str(row.score)) / Decimal(str(row.weight))
            cell.value = f"=F{cell.row}*{ratio.normalize()}"
            cached[cell.coordinate] = row.score
    last = placed.first_indicator + len(form.rows) - 1
    funds_score = f"H{placed.first_funds}"
    total = sheet.cell(row=placed.total, column=7)
    total.value = f"=SUM(G{placed.first_indicator}:G{last})+{funds_score}"
    cached[total.coordinate] = form.total
    sheet.parent.__dict__.setdefault("_cached_values", {})[sheet.title] = cached


# --- files ---------------------------------------------------------------------------------


def save(
    forms: list[Form],
    path: Path,
    *,
    extra: Callable[[Any], None] | None = None,
    cached: bool = True,
) -> Path:
    """Each form on its own sheet; ``extra`` adds sheets (汇总, hidden lists); ``cached``
    False leaves formulas without values, as openpyxl saves them."""
    book = Workbook()
    first = True
    for form in forms:
        sheet = book.active if first else book.create_sheet()
        first = False
        render(form, sheet)
    if extra is not None:
        extra(book)
    book.save(path)
    values = book.__dict__.get("_cached_values")
    if values and cached:
        _write_cached_values(path, book, values)
    return path


def _write_cached_values(path: Path, book: Any, cached: dict[str, dict[str, Any]]) -> None:
    """Give the formulas the values Excel would have saved with them (openpyxl saves none)."""
    names = {sheet.title: f"xl/worksheets/sheet{index}.xml" for index, sheet in
             enumerate(book.worksheets, start=1)}  # fmt: skip
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for title, values in cached.items():
        xml = members[names[title]].decode()
        for ref, value in values.items():
            xml = re.sub(
                rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f><v\s*/?>(?:</v>)?',
                rf"\1<f>\2</f><v>{value}</v>",
                xml,
            )
        members[names[title]] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def convert(path: Path, suffix: str) -> Path:
    """The same workbook saved by LibreOffice as ``suffix`` (xls, or xlsx recalculated)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed to save .xls"
    out = path.parent / f"converted-{suffix}"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{path.parent}/lo-profile",
         "--convert-to", suffix, "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"{path.stem}.{suffix}"


def column_of(header: list[Any], name: str) -> int:
    return header.index(name)


def copy_form(form: Form) -> Form:
    return copy.deepcopy(form)


def letter(column: int) -> str:
    return get_column_letter(column)


# --- variants: how units write a correct form ---------------------------------------------


def _without_unit(label: Any) -> Any:
    """“项目资金（万元）” without its unit, once the unit is declared elsewhere."""
    return re.sub(r"[（(]万元[)）]$", "", label) if isinstance(label, str) else label


def _title_and_stamp(form: Form) -> None:
    form.above = [
        ["附件2"],
        [f"2024年度{form.above[0][0]}"],
        ["填报单位（盖章）：测试区测试局", None, None, None, "填报日期：2025年3月10日"],
        ["单位：万元"],
    ]
    form.funds_header[:1] = [_without_unit(label) for label in form.funds_header[:1]]


def _insert_column(at: int) -> Callable[[Worksheet, Placed], None]:
    def hook(sheet: Worksheet, placed: Placed) -> None:
        sheet.insert_cols(at)

    return hook


def _leading_blank_column(form: Form) -> None:
    form.hooks.append(_insert_column(1))


def _spacer_column(form: Form) -> None:
    form.hooks.append(_insert_column(4))


def _full_width_headers(form: Form) -> None:
    form.funds_header[5:8] = ["分　值", "执 行 率", "得  分"]
    form.indicator_header = [
        "一级指标", "二级指标", "三级指标", "年度指标值（含单位）", "实际完成值（含单位）",
        "分 值", "得分", "偏差原因分析\n及改进措施",
    ]  # fmt: skip


def _operators(greater: str, less: str) -> Callable[[Form], None]:
    def variant(form: Form) -> None:
        for row in form.rows:
            if isinstance(row.target, str):
                row.target = row.target.replace("≥", greater).replace("≤", less)

    return variant


def _targets_as_typed(form: Form) -> None:
    """Targets with the operator after the figure, units of time, area and money, 100 %,
    and qualitative targets; 产出 keeps its 50 points."""
    form.rows[:3] = [
        Row("产出指标", "数量指标", "完成确权登记宗数", "500宗以上", "520宗", 10, 10),
        Row("产出指标", "数量指标", "档案库房改造面积", "1200平方米", "1200平方米", 5, 5),
        Row("产出指标", "质量指标", "资料归档率", "100%", "100%", 5, 5),
        Row("产出指标", "质量指标", "按期办结率", "95%以上", "96%", 10, 10),
        Row("产出指标", "时效指标", "办结时限", "≤3个工作日", "2个工作日", 5, 5),
        Row("产出指标", "时效指标", "档案数字化进度", "按时完成", "达成年度指标", 5, 5),
        Row("产出指标", "成本指标", "档案库房改造成本", "≤1.2万元", "1.15万元", 10, 10),
    ]
    satisfaction = ("群众满意度", "达到预期", "达成年度指标", 10, 10)
    form.rows[-1] = Row("满意度指标", "服务对象满意度指标", *satisfaction)


def _words_after(form: Form) -> None:
    """“90%及以上”, “1%以下”: the operator after the figure."""
    for row in form.rows:
        if isinstance(row.target, str) and row.target[:1] in "≥≤":
            words = "及以上" if row.target[0] == "≥" else "以下"
            row.target = row.target[1:] + words


def _operator_words_after(form: Form) -> None:
    """“90%及以上”, “1%以下”, “3个工作日内”: the operator after the figure."""
    _words_after(form)
    form.rows[2] = Row("产出指标", "时效指标", "办结时限", "3个工作日内", "2个工作日", 15, 15)


def _percent_numbers(form: Form) -> None:
    """Percentages typed as numbers formatted %: 0.96 shown “96%”."""
    for row in form.rows:
        if isinstance(row.actual, str) and row.actual.endswith("%"):
            figure = row.actual[:-1]
            row.actual = float(Decimal(figure) / 100)
            row.formats[4] = "0.0%" if "." in figure else "0%"


def _percent_text(form: Form) -> None:
    rate = form.funds[0][6]
    if isinstance(rate, float):
        form.funds[0][6] = f"{Decimal(str(rate)) * 100:.2f}%"


def _percent_header(form: Form) -> None:
    """执行率（%） with 86.2 in it."""
    form.funds_header[6] = "执行率（%）"
    rate = form.funds[0][6]
    if isinstance(rate, float):
        form.funds[0][6] = float(Decimal(str(rate)) * 100)
    form.rate_format = "General"


def _yuan(form: Form, *, as_text: bool = False) -> None:
    form.above.append(["单位：元"])
    form.funds_header[:1] = [_without_unit(label) for label in form.funds_header[:1]]
    for line in form.funds:
        for index in (2, 3, 4):
            if index < len(line) and isinstance(line[index], (int, float)):
                amount = Decimal(str(line[index])) * 10000
                line[index] = f"{amount:,.2f}" if as_text else float(amount)


def _formulas(form: Form) -> None:
    form.score_formulas = True


def _hidden(form: Form) -> None:
    def hook(sheet: Worksheet, placed: Placed) -> None:
        spare = placed.total
        sheet.insert_rows(spare)
        sheet.row_dimensions[spare].hidden = True

    form.hooks.append(hook)


def _notes_below(form: Form) -> None:
    form.below = [
        [],
        ["说明：预算执行情况说明：部分合同尾款跨年支付。"],
        ["填表人：张三", None, None, "联系电话：0571-88886666", None, "填报日期：2025年3月10日"],
        ["审核人：李四"],
    ]


def _reason_placeholders(form: Form) -> None:
    """Rows with full marks say “无” or “/” where the reason would go."""
    for index, row in enumerate(form.rows):
        if row.reason is None:
            row.reason = "无" if index % 2 else "/"


def _merged_levels(form: Form) -> None:
    """一级指标 merged down over its rows, as forms are printed."""

    def hook(sheet: Worksheet, placed: Placed) -> None:
        start = placed.first_indicator
        for offset in range(1, len(form.rows) + 1):
            row = placed.first_indicator + offset
            if offset == len(form.rows) or form.rows[offset].level1 != form.rows[offset - 1].level1:
                if row - 1 > start:
                    for inner in range(start + 1, row):
                        sheet.cell(row=inner, column=1).value = None
                    sheet.merge_cells(start_row=start, start_column=1, end_row=row - 1,
                                      end_column=1)  # fmt: skip
                start = row

    form.hooks.append(hook)


def _funds_two_row_header(form: Form) -> None:
    """“预算数” merged over 年初 | 全年 in the funds block; the other headers merged down."""

    def hook(sheet: Worksheet, placed: Placed) -> None:
        top = placed.funds_header
        sheet.insert_rows(top + 1)
        sheet.cell(row=top, column=3).value, sheet.cell(row=top, column=4).value = "预算数", None
        sheet.cell(row=top + 1, column=3).value, sheet.cell(row=top + 1, column=4).value = (
            "年初",
            "全年",
        )
        sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
        for column in (1, 5, 6, 7, 8):
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top + 1, end_column=column
            )

    form.hooks.append(hook)


def _merged_title(form: Form) -> None:
    form.hooks.append(lambda sheet, placed: sheet.merge_cells("A1:H1"))


def _points_written(form: Form) -> None:
    """分值 and 得分 typed with their unit: “20分”."""
    for row in form.rows:
        row.weight = f"{row.weight}分"
        row.score = row.score if row.score is None else f"{row.score}分"


def _grade_in_words(form: Form) -> None:
    form.grade = "优秀"


def _total_labelled_heji(form: Form) -> None:
    def hook(sheet: Worksheet, placed: Placed) -> None:
        sheet.cell(row=placed.total, column=1).value = "合计"

    form.hooks.append(hook)


def _dashes_for_nothing(form: Form) -> None:
    form.funds[2] = ["上年结转资金", None, "—", "—", "—"]
    form.funds[3] = ["其他资金", None, "-", "-", "/"]


def _two_decimal_percents(form: Form) -> None:
    for row in form.rows:
        for name in ("target", "actual"):
            text = getattr(row, name)
            if isinstance(text, str) and text.endswith("%"):
                two = re.sub(r"-?\d+(\.\d+)?%$", lambda m: f"{Decimal(m.group()[:-1]):.2f}%", text)
                setattr(row, name, two)


def _short_level_names(form: Form) -> None:
    for row in form.rows:
        row.level1, row.level2 = row.level1.removesuffix("指标"), row.level2.removesuffix("指标")


def _amounts_with_unit(form: Form) -> None:
    for line in form.funds:
        for index in (2, 3, 4):
            if index < len(line) and isinstance(line[index], (int, float)):
                line[index] = f"{line[index]}万元"


def _figures_as_text(form: Form) -> None:
    for row in form.rows:
        row.weight = str(row.weight)
        row.score = row.score if row.score is None else str(row.score)


def _wrapped_headers(form: Form) -> None:
    form.indicator_header = [
        "一级\n指标", "二级\n指标", "三级\n指标", "年度\n指标值", "实际\n完成值", "分\n值",
        "得\n分", "偏差原因分析\n及改进措施",
    ]  # fmt: skip
    form.funds_header = [
        "项目资金\n（万元）", None, "年初\n预算数", "全年\n预算数", "全年\n执行数", "分\n值",
        "执行\n率", "得\n分",
    ]  # fmt: skip


def _percent_points_actuals(form: Form) -> None:
    """实际完成值（%）: 96 means 96 %."""
    form.indicator_header[4] = "实际完成值（%）"
    for row in form.rows:
        if isinstance(row.actual, str) and row.actual.endswith("%"):
            row.actual = float(row.actual[:-1])


def _group_weights_in_names(form: Form) -> None:
    """“产出指标（50分）” and “数量指标(20分)”: the group's weight after its name."""
    weights: dict[str, Decimal] = {}
    for row in form.rows:
        weights[row.level1] = weights.get(row.level1, Decimal(0)) + Decimal(str(row.weight))
    for row in form.rows:
        row.level1 = f"{row.level1}（{weights[row.level1]}分）"
        row.level2 = f"{row.level2}({row.weight}分)"


def _serial_column(form: Form) -> None:
    """A 序号 column before 一级指标."""

    def hook(sheet: Worksheet, placed: Placed) -> None:
        sheet.insert_cols(1)
        sheet.cell(row=placed.indicator_header, column=1).value = "序号"
        for offset in range(len(form.rows)):
            sheet.cell(row=placed.first_indicator + offset, column=1).value = offset + 1

    form.hooks.append(hook)


_SPLIT = re.compile(r"^(≥|≤|>=|<=|＞|＜|>|<|=)?\s*(-?\d+(?:\.\d+)?)\s*(.*)$")


def _split_target(row: Row) -> None:
    """The target as a province's system prints it: 指标性质 | 指标值 | 度量单位; the
    actual a bare figure in that unit (96 for 96 %)."""
    match = _SPLIT.match(row.target) if isinstance(row.target, str) else None
    if match is None:
        row.kind, row.unit = "定性", None
        return
    operator, figure, unit = match.groups()
    row.kind, row.target, row.unit = operator or "=", figure, unit or None
    if isinstance(row.actual, str) and unit and row.actual.endswith(unit):
        row.actual = row.actual.removesuffix(unit)


def _county_operator_layout(form: Form) -> None:
    """A county's 部门预算项目支出绩效自评表 printed by its province's budget system: a first
    column of section labels merged down (预算执行情况（10分） over the funds block, 绩效指标
    （90分） over the indicator table); the funds block 年度预算数 | 年初预算 | 调整后预算数 |
    预算执行数 | 预算执行率 | 权重 | 得分 | 原因 with 总额 / 其中：财政资金 rows; the indicators
    一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析."""
    form.indicator_header = [
        "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
        "得分", "未完成原因分析",
    ]  # fmt: skip
    form.columns = ("level1", "level2", "name", "kind", "target", "unit", "actual", "weight",
                    "score", "reason")  # fmt: skip
    form.funds_header = [
        "年度预算数（万元）", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
        "得分", "原因",
    ]  # fmt: skip
    names = {"年度资金总额": "总额", "其中：本年财政拨款": "其中：财政资金",
             "上年结转资金": "财政专户管理资金"}  # fmt: skip

    def derive(form: Form) -> None:  # after a mistake: it is seeded in the standard columns
        for row in form.rows:
            _split_target(row)
        form.funds = [
            [names.get(line[0], line[0]), *line[2:5], *line[6:7], *line[5:6], *line[7:8]]
            for line in form.funds
        ]

    def hook(sheet: Worksheet, placed: Placed) -> None:
        rate = sheet.cell(row=placed.first_funds, column=7)
        rate.number_format = "General"
        sheet.cell(row=placed.first_funds, column=5).number_format = form.rate_format
        total, grade = placed.total, placed.total + 1
        if form.total is not None:
            for row in (total, grade):
                for column in range(2, 8):
                    sheet.cell(row=row, column=column).value = None
            sheet.cell(row=total, column=8).value = form.weight_total
            sheet.cell(row=total, column=9).value = form.total
            sheet.cell(row=grade, column=8).value = form.grade
        sheet.insert_cols(1)
        last_funds = placed.first_funds + len(form.funds) - 1
        last_indicator = placed.first_indicator + len(form.rows) - 1
        for label, top, bottom in (
            ("预算执行情况（10分）", placed.funds_header, last_funds),
            ("绩效指标（90分）", placed.indicator_header, last_indicator),
        ):
            sheet.cell(row=top, column=1).value = label
            sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)

    form.derived.append(derive)
    form.hooks.append(hook)


def _unit_words(form: Form) -> None:
    """As a county's budget system prints them: units in words (“≥95百分比”), actuals as
    bare figures or with the unit in words, qualitative ones 达成预期指标."""
    for row in form.rows:
        for name in ("target", "actual"):
            text = getattr(row, name)
            if isinstance(text, str) and text.endswith("%"):
                setattr(row, name, text[:-1] + "百分比")
    form.rows[0].actual = "520"
    form.rows[2].actual = "96"
    form.rows[3].actual = "达成预期指标"


def _section_column(form: Form) -> None:
    """A first column with “绩效指标” merged down beside the indicator table (its header
    and every row), as the MoF's forms print it."""

    def hook(sheet: Worksheet, placed: Placed) -> None:
        sheet.insert_cols(1)
        top, bottom = placed.indicator_header, placed.first_indicator + len(form.rows) - 1
        sheet.cell(row=top, column=1).value = "绩效指标"
        sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)

    form.hooks.append(hook)


def _template_placeholders(form: Form) -> None:
    """The template's spare rows left in, unfilled (三级指标 “指标2” and “……” after each
    二级指标's rows), as forms are published."""
    rows: list[Row] = []
    for at, row in enumerate(form.rows):
        rows.append(row)
        following = form.rows[at + 1] if at + 1 < len(form.rows) else None
        if following is None or following.level2 != row.level2:
            for spare in ("指标2", "……"):
                rows.append(Row(row.level1, row.level2, spare, None, None, None, None))
    form.rows = rows


def _target_header_words(form: Form) -> None:
    """A city's 自评表 headers: 年初目标值（A）| 实际完成值（B）, and the reason column
    偏差大或目标未完成原因分析."""
    form.indicator_header[3:5] = ["年初目标值（A）", "实际完成值（B）"]
    form.indicator_header[7] = "偏差大或目标未完成原因分析"


VARIANTS: dict[str, Callable[[Form], None]] = {
    "base": lambda form: None,
    "two-row-header": lambda form: setattr(form, "two_row_header", True),
    "title-and-stamp": _title_and_stamp,
    "leading-blank-column": _leading_blank_column,
    "spacer-column": _spacer_column,
    "full-width-headers": _full_width_headers,
    "operators-ascii": _operators(">=", "<="),
    "operators-words": _operators("不低于", "不高于"),
    "operators-long-words": _operators("大于等于", "小于等于"),
    "operators-japanese": _operators("≧", "≦"),
    "targets-as-typed": _targets_as_typed,
    "operator-words-after": _operator_words_after,
    "percent-numbers": _percent_numbers,
    "percent-text": _percent_text,
    "percent-header": _percent_header,
    "yuan": _yuan,
    "yuan-text-thousands": lambda form: _yuan(form, as_text=True),
    "formulas-cached": _formulas,
    "hidden-row": _hidden,
    "notes-below": _notes_below,
    "reason-placeholders": _reason_placeholders,
    "merged-levels": _merged_levels,
    "funds-two-row-header": _funds_two_row_header,
    "merged-title": _merged_title,
    "points-written": _points_written,
    "grade-in-words": _grade_in_words,
    "total-labelled-heji": _total_labelled_heji,
    "dashes-for-nothing": _dashes_for_nothing,
    "two-decimal-percents": _two_decimal_percents,
    "short-level-names": _short_level_names,
    "amounts-with-unit": _amounts_with_unit,
    "figures-as-text": _figures_as_text,
    "wrapped-headers": _wrapped_headers,
    "percent-points-actuals": _percent_points_actuals,
    "group-weights-in-names": _group_weights_in_names,
    "serial-column": _serial_column,
    "county-operator-layout": _county_operator_layout,
    "unit-words": _unit_words,
    "section-column": _section_column,
    "template-placeholders": _template_placeholders,
    "target-header-words": _target_header_words,
}
"""Each variant writes the same correct form another way."""


# --- how the file around the form is made ---------------------------------------------------


def _summary_sheet(book: Any) -> None:
    """A 汇总 sheet listing the projects and their scores, as a department sends them."""
    summary = book.create_sheet("汇总", 0)
    summary.append(["2024年度项目支出绩效自评结果汇总表"])
    header = ["序号", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "执行率", "自评得分"]
    summary.append([*header, "评价等级"])
    for index, sheet in enumerate(book.worksheets[1:], start=1):
        summary.append([index, sheet["B3"].value, 100, 86.2, "86.20%", 96.62, "优"])


def _hidden_lists(book: Any) -> None:
    """The drop-down lists on a hidden sheet, as templates carry them."""
    lists = book.create_sheet("下拉选项")
    for row in (
        ["产出指标", "数量指标"],
        ["效益指标", "社会效益指标"],
        ["满意度指标", "服务对象满意度指标"],
    ):
        lists.append(row)
    lists.sheet_state = "hidden"


def _two_projects(form: Form) -> list[Form]:
    second = copy_form(form)
    second.sheet, second.name = "P011", "农村宅基地确权登记"
    return [form, second]


FILES: dict[str, Callable[[Form, Path], Path]] = {
    "xlsx": lambda form, path: save([form], path),
    "summary-sheet": lambda form, path: save(_two_projects(form), path, extra=_summary_sheet),
    "hidden-sheet": lambda form, path: save([form], path, extra=_hidden_lists),
    "xls": lambda form, path: convert(save([form], path), "xls"),
    "office-xlsx": lambda form, path: convert(save([form], path), "xlsx"),
}
"""Each way the workbook around a form is saved; office ones go through LibreOffice."""


# --- mistakes seeded into a variant -------------------------------------------------------


def _figure(value: Any) -> Decimal | None:
    """A weight or score as the variant wrote it (20, "20", "20分")."""
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str) and value.removesuffix("分").replace(".", "").isdigit():
        return Decimal(value.removesuffix("分"))
    return None


def _like(original: Any, value: Decimal) -> Any:
    """``value`` written the way ``original`` was."""
    if isinstance(original, str):
        return f"{value.normalize():f}" + ("分" if original.endswith("分") else "")
    return int(value) if value == value.to_integral() else float(value)


def _full_row(form: Form, least: int = 0) -> Row:
    return next(
        row
        for row in form.rows
        if row.name  # not a 小计 row
        and (weight := _figure(row.weight)) is not None
        and weight >= least
        and _figure(row.score) == weight
    )


def _add_to_total(form: Form, step: int) -> None:
    total = _figure(form.total)
    assert total is not None
    form.total = _like(form.total, total + step)


def _score_above_weight(form: Form) -> None:
    row = _full_row(form)
    weight = _figure(row.weight)
    assert weight is not None
    row.score = _like(row.score, weight + 2)
    _add_to_total(form, 2)


def _weights_95(form: Form) -> None:
    row = _full_row(form, least=10)
    weight = _figure(row.weight)
    assert weight is not None
    row.weight, row.score = _like(row.weight, weight - 5), _like(row.score, weight - 5)
    _add_to_total(form, -5)


def _rate_wrong(form: Form) -> None:
    line = form.funds[0]
    rate = line[6]
    if isinstance(rate, float):
        line[6] = round(rate + (0.02 if rate < 1 else 2), 4)
    else:
        bumped = re.sub(r"\d+(\.\d+)?", lambda m: f"{Decimal(m.group()) + 2:f}", str(rate), count=1)
        line[6] = bumped


def _zero_total(form: Form) -> None:
    line = form.funds[0]
    for index in (2, 3, 4):
        line[index] = "0.00" if isinstance(line[index], str) else 0


def _qualitative_unrated(form: Form) -> None:
    reached = ("达成年度指标", "达成预期指标")
    row = next(r for r in form.rows if r.actual in reached and r.score != r.weight)
    row.actual = None


def _grade_wrong(form: Form) -> None:
    form.grade = "良好" if len(form.grade) > 1 else "良"


MISTAKES: dict[str, tuple[Callable[[Form], None], str]] = {
    "score-above-weight": (_score_above_weight, "indicator-score-off-rule"),
    "weights-95": (_weights_95, "weights-not-100"),
    "rate-wrong": (_rate_wrong, "execution-rate-wrong"),
    "zero-total": (_zero_total, "funds-total-not-sum-of-rows"),
    "qualitative-unrated": (_qualitative_unrated, "score-without-actual"),
    "grade-wrong": (_grade_wrong, "grade-outside-band"),
}
"""Each mistake and the finding that must report it."""


# --- a provincial 项目支出绩效监控表 written the same many ways ---------------------------------


def monitoring_lines() -> list[list[Any]]:
    """A correct provincial monitoring form: 251.89 万元 budgeted, 160 spent by 31 July."""
    return [
        ["2023年度项目支出绩效监控表（截至2023年7月31日）"],
        ["项目代码", "LW23-P09", None, "项目名称", "违法用地整治"],
        ["主管部门", "测试区测试局"],
        ["项目资金（万元）", "年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"],
        ["年度资金总额", 251.89, 160.00, "63.52%", 251.89],
        ["其中：本年财政拨款", 200.00, 130.00, "65.00%", 200.00],
        ["上年结转资金", 51.89, 30.00, "57.81%", 51.89],
        ["年度总体目标", "年初设定目标", None, "1-7月实际完成情况", None, "全年预计完成情况"],
        [None, "完成历史存量违法用地整治", None, "已整治八成", None, "可完成"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况",
         "偏差原因分析", "完成目标可能性", "备注"],
        ["产出指标", "质量指标", "历史存量违法用地整改率", "≥90%", "80%", "92%",
         "拆除复耕须协调补偿", "确定能", None],
    ]  # fmt: skip


FUNDS_ROWS = (4, 5, 6)


def _monitoring_stamp(lines: list[list[Any]]) -> None:
    lines[3][0] = "项目资金"
    lines[1:1] = [
        ["填报单位（盖章）：测试区测试局", None, None, "填报日期：2023年8月5日"],
        ["单位：万元"],
    ]


def _monitoring_full_width(lines: list[list[Any]]) -> None:
    lines[3][1:] = ["年初 预算数", "1－7月执行数", "1-7月 执行率", "全年预计　执行数"]


def _monitoring_rate_fractions(lines: list[list[Any]]) -> None:
    for row in FUNDS_ROWS:
        lines[row][3] = float(Decimal(lines[row][3].rstrip("%")) / 100)


def _monitoring_rate_points(lines: list[list[Any]]) -> None:
    lines[3][3] = "1-7月执行率（%）"
    for row in FUNDS_ROWS:
        lines[row][3] = float(lines[row][3].rstrip("%"))


def _monitoring_yuan_text(lines: list[list[Any]]) -> None:
    lines[3][0] = "项目资金"
    for row in FUNDS_ROWS:
        for col in (1, 2, 4):
            lines[row][col] = f"{Decimal(str(lines[row][col])) * 10000:,.2f}"
    lines.insert(1, ["单位：元"])


def _monitoring_notes(lines: list[list[Any]]) -> None:
    lines += [["说明：1-7月执行数含预付款。"], ["填表人：张三", None, "联系电话：020-88886666"]]


def _monitoring_target_words_after(lines: list[list[Any]]) -> None:
    lines[-1][3] = "90%及以上"


MONITORING_VARIANTS: dict[str, Callable[[list[list[Any]]], None]] = {
    "base": lambda lines: None,
    "title-and-stamp": _monitoring_stamp,
    "full-width-headers": _monitoring_full_width,
    "rate-fractions": _monitoring_rate_fractions,
    "rate-points": _monitoring_rate_points,
    "yuan-text-thousands": _monitoring_yuan_text,
    "notes-below": _monitoring_notes,
    "target-words-after": _monitoring_target_words_after,
}


def _monitoring_rate_wrong(lines: list[list[Any]]) -> None:
    """The total's rate printed 60 % (63.52 % by the amounts), in the variant's own form."""
    row = next(line for line in lines if line and line[0] == "年度资金总额")
    rate = row[3]
    row[3] = str(rate).replace("63.52", "60.00") if isinstance(rate, str) else rate * 60 / 63.52


def _monitoring_zero_total(lines: list[list[Any]]) -> None:
    row = next(line for line in lines if line and line[0] == "年度资金总额")
    row[1] = "0.00" if isinstance(row[1], str) else 0


def _funds_row(lines: list[list[Any]], label: str) -> list[Any]:
    return next(line for line in lines if line and line[0] == label)


def _monitoring_forecast_only_total(lines: list[list[Any]], figure: str) -> None:
    """The total's 全年预计执行数 alone (the 其中 rows leave theirs blank), in 万元."""
    row = _funds_row(lines, "年度资金总额")
    unit = Decimal(1) if isinstance(row[4], float) or "," not in str(row[4]) else Decimal(10000)
    row[4] = float(figure) if isinstance(row[4], float) else f"{Decimal(figure) * unit:,.2f}"
    for label in ("其中：本年财政拨款", "上年结转资金"):
        _funds_row(lines, label)[4] = None


def _monitoring_forecast_below_executed(lines: list[list[Any]]) -> None:
    _monitoring_forecast_only_total(lines, "150.00")  # 160.00 spent by July


def _monitoring_forecast_above_budget(lines: list[list[Any]]) -> None:
    _monitoring_forecast_only_total(lines, "260.00")  # 251.89 budgeted


def _monitoring_missed_unexplained(lines: list[list[Any]]) -> None:
    """The indicator forecast at 85 % against ≥90 %, its 偏差原因分析 left blank."""
    row = next(line for line in lines if line and line[0] == "产出指标")
    row[5], row[6] = "85%", None


MONITORING_MISTAKES: dict[str, tuple[Callable[[list[list[Any]]], None], str]] = {
    "rate-wrong": (_monitoring_rate_wrong, "monitoring-rate-wrong"),
    "zero-total": (_monitoring_zero_total, "funds-total-not-sum-of-rows"),
    "forecast-below-executed": (
        _monitoring_forecast_below_executed, "monitoring-forecast-below-executed"
    ),
    "forecast-above-budget": (
        _monitoring_forecast_above_budget, "monitoring-forecast-above-budget"
    ),
    "missed-unexplained": (_monitoring_missed_unexplained, "monitoring-deviation-unexplained"),
}


def save_monitoring(lines: list[list[Any]], path: Path, *, blank_column: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "监控表"
    for line in lines:
        sheet.append(line)
    header = next(i for i, line in enumerate(lines, start=1) if line and line[0] in (
        "项目资金（万元）", "项目资金"))  # fmt: skip
    for row in range(header + 1, header + 4):
        if isinstance(sheet.cell(row=row, column=4).value, float) and "%" not in str(
            sheet.cell(row=header, column=4).value
        ):
            sheet.cell(row=row, column=4).number_format = "0.00%"
    if blank_column:
        sheet.insert_cols(1)
    book.save(path)
    return path
