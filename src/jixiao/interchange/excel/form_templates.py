"""Blank templates of the performance forms, and the goal declaration (申报表) layout.

``write_form_template(kind, path, rules=None, prefill=None)`` writes a template .xlsx of one
of four forms, blank (``jixiao template``) or with what a department-year page knows filled
in (``Prefill``: 部门代码, 部门名称, 年度; a per-project form the project too when the user
has exactly one, and the 说明 sheet lists the projects the user may import):

- 项目支出绩效目标申报表 (``goals``): 部门代码, 部门名称, 项目代码, 项目名称, 年度总体目标
  over 一级指标 | 二级指标 | 三级指标 | 指标类型 | 年度指标值 | 分值 | 上年实际完成值;
- 项目支出绩效自评表 (``project-evaluation``): the layout ``write_evaluation_workbook``
  exports (``documents.evaluation_tables.write_project_sheet``), blank, with a 项目代码 cell
  beside 项目名称, so that an export imports back and a filled template imports alike;
- 部门整体支出绩效自评表 (``department-evaluation``): the department form of the export,
  its common indicators (财预〔2013〕53号) listed with their formulas and weights, and blank
  rows for the department's own indicators;
- 绩效目标执行监控表 (``monitoring``): 项目代码 | 项目名称 | 一级 | 二级 | 三级 | 年度指标值 |
  实际完成值 | 完成值截至 | 偏差原因类别 | 偏差原因说明 | 完成目标可能性 | 备注.

Every template has the instructions sheet 说明 first; data-validation dropdowns for the
first- and second-level names (the rule set's vocabulary), 指标类型 (定量/定性), the
qualitative states (offered in 实际完成值, not enforced: a quantitative actual is typed),
完成目标可能性 and 偏差原因类别, 评价等级, and the unit (项目资金（万元）/（元）); an input
message on 年度指标值 explaining the operators; labels and headers locked (sheet protection
without a password, against slips), value cells unlocked.

``write_goal_sheet`` lays out one goal declaration; the export (``form_exports``) uses it.

Every form sheet is in 宋体, prints on landscape A4 with its header row repeated and the page
numbers in the footer, and ends in the 填报单位（盖章） / 填报人 / 联系电话 / 填报日期 line
(open to fill in; the import skips it like a 注 row).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from jixiao.core.goals import QualitativeState
from jixiao.core.money import HUNDRED, ZERO
from jixiao.core.rules import ProjectRules
from jixiao.documents.evaluation_forms import (
    DepartmentForm,
    FundsLine,
    IndicatorLine,
    ProjectForm,
)
from jixiao.documents.evaluation_tables import write_department_sheet, write_project_sheet
from jixiao.documents.sheet_setup import (
    form_font,
    print_form,
    title_font,
    write_signature,
)
from jixiao.interchange import dataset as ds
from jixiao.interchange.excel.form_layouts import (
    DEPARTMENT_GOALS_TITLE,
    FORM_LABELS,
    GOALS,
    KINDS,
    LIKELIHOODS,
    MONITORING,
    REASONS,
    FormKind,
    level_options,
)
from jixiao.interchange.excel.headers import TableSpec
from jixiao.interchange.excel.templates import WEB_IMPORT
from jixiao.interchange.excel.writer import write_instructions
from jixiao.interchange.rule_files import load_rule_set

TEMPLATE_ROWS = 20
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = form_font()
_BOLD = form_font(bold=True)
_TITLE = title_font()
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNLOCKED = Protection(locked=False)
GOAL_WIDTHS = (12, 16, 28, 10, 18, 8, 18, 16, 10)
MONITORING_WIDTHS = (12, 24, 10, 12, 22, 14, 16, 14, 12, 30, 14, 20)

TEMPLATE_NAMES: dict[str, FormKind] = {
    "goals": FormKind.goals,
    "项目支出绩效目标申报表": FormKind.goals,
    "绩效目标申报表": FormKind.goals,
    "申报表": FormKind.goals,
    "project-evaluation": FormKind.project_evaluation,
    "项目支出绩效自评表": FormKind.project_evaluation,
    "自评表": FormKind.project_evaluation,
    "department-evaluation": FormKind.department_evaluation,
    "部门整体支出绩效自评表": FormKind.department_evaluation,
    "monitoring": FormKind.monitoring,
    "绩效目标执行监控表": FormKind.monitoring,
    "项目支出绩效目标执行监控表": FormKind.monitoring,
    "监控表": FormKind.monitoring,
}
"""Names ``jixiao template`` accepts for the forms."""

_TARGET_PROMPT = (
    "定量：计算符号+数值+单位，如 ≥95%、≤30天、=12个、≤90万元；只写数值表示“=”。"
    "定性：文字目标，如 效果明显"
)

COMMON = (
    "表头、标签和合计行已锁定（工作表保护，无密码，防误改）；白色单元格可填写。",
    *WEB_IMPORT,
    "指标按 一级指标/二级指标/三级指标 识别：表中是该目标的全部指标，表中新的指标新增，已有的更新，"
    "已存而表中没有的删除。一级、二级指标从下拉列表选择（也认“产出”“数量”这样的简写）。",
    "年度指标值：定量指标写 计算符号+数值+单位，如 ≥95%、≤30天、=12个、≤90万元、>0，"
    "只写数值（如 100%）表示“=”；可用 ≥ ≤ > < = 或 >= <=，全角 ＞＝９５％ 也认。"
    "定性指标写文字目标，如“效果明显”。",
)

INSTRUCTIONS: dict[FormKind, tuple[str, ...]] = {
    FormKind.goals: (
        "本模板用于申报一个项目（或部门整体）的年度绩效目标与指标。一个工作表一个项目："
        "复制工作表可填写多个项目。部门整体绩效目标把标题改为“部门整体支出绩效目标申报表”，不填项目代码。",
        "填写部门代码（或部门名称）、项目代码、项目名称、年度（标题下一行，如“（2024年度）”）和年度总体目标。",
        *COMMON,
        "指标类型：定量 或 定性（下拉选择）；不填时，年度指标值含数值的为定量，否则为定性。",
        "分值：各三级指标分值之和加预算执行率分值（10分）应为100。",
        "上年实际完成值可不填；填写时用于检查指标值是否设置偏低。",
    ),
    FormKind.project_evaluation: (
        "本模板即“导入”页“已存的表格”下载的项目支出绩效自评表版式（一个工作表一个项目）："
        "下载的表可修改后再上传导入，填好的模板也可上传导入。",
        "填写年度（如“（2024年度）”）、项目名称、项目代码、主管部门和实施单位。"
        "项目资金一栏选择单位（项目资金（万元）或项目资金（元））。",
        *COMMON,
        "项目资金：有预算行的项目，资金以预算行为准，表中数须与之相符（按表中位数比较）；"
        "没有预算行的项目，表中数即项目的资金。执行率写百分数（如 92.87%）。",
        "实际完成值：定量指标写数值和单位；定性指标从下拉列表选完成情况（达成年度指标 / "
        "部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差），或写“说明（完成情况）”。",
        "得分：单位自评的得分。定性指标按完成情况在档次内给分：达成 80%～100%，部分达成 60%～80%，"
        "未达成 0～60%（按规则集）。"
        "各行得分、执行率、执行率得分、总分和评价等级作为单位的填报数保存，"
        "与按规则计算的不一致时，导入后在“绩效自评”页逐项列出。",
        "偏差原因分析及改进措施：未达成或超额完成（≥130%）的指标须填写；改进措施写在“改进措施：”之后。",
        "预算执行率偏低的原因写在表下方一行：“说明：预算执行情况说明：……”。",
        "只想核对不保存：上传后看预览，再点“取消”；系统维护人员可用命令行 "
        "jixiao review 文件.xlsx 逐表列出填报数与按规则计算数的每一处差异。",
    ),
    FormKind.department_evaluation: (
        "本模板即系统导出的部门整体支出绩效自评表版式，填好后在“导入”页上传。",
        "共性指标（财预〔2013〕53号，如预算完成率、预算调整率）由部门年度数据计算，导入时不使用；"
        "其下空行填写部门的履职指标（部门整体绩效目标的指标）。",
        *COMMON,
        "分值：共性指标和履职指标分值合计100；不适用的指标在实际值一栏写“不适用”。",
        "导入后在“绩效自评”页按评价框架核对各行得分、总分和评价等级；系统维护人员也可用命令行 "
        "jixiao review 文件.xlsx 核对（不保存）。",
    ),
    FormKind.monitoring: (
        "本模板用于填报绩效目标执行监控（运行监控）：每个指标截至某日的完成值、完成目标可能性和偏差原因。",
        "在表头上方填写部门名称（或部门代码）、年度和截至日期。",
        "项目代码可不填（按项目名称识别项目）；部门整体绩效目标的指标，项目名称写“部门整体”。",
        "只记录已有指标的进度（指标以绩效目标申报表导入）；一行一个指标。",
        "完成值截至：该完成值截至的日期，不填为表头的截至日期。同一指标同一日期已有进度的更新，"
        "没有的新增；已存的进度不会被删除。",
        "完成目标可能性：确定能 / 有可能 / 完全不可能；偏差原因类别：经费保障 / 制度保障 / "
        "人员保障 / 硬件条件保障 / 其他（下拉选择）。",
        *WEB_IMPORT,
    ),
}


@dataclass(frozen=True)
class Prefill:
    """What a template downloaded from a department-year page knows."""

    department_code: str = ""
    department_name: str = ""
    year: int | None = None
    projects: tuple[tuple[str, str], ...] = ()
    """(项目代码, 项目名称) of the projects the user may import forms of."""

    @property
    def year_label(self) -> str:
        return f"（{self.year}年度）" if self.year else "（    年度）"

    @property
    def project(self) -> tuple[str, str]:
        """The project of a per-project form: the user's only one, else blank."""
        return self.projects[0] if len(self.projects) == 1 else ("", "")

    def instructions(self, kind: FormKind) -> tuple[str, ...]:
        """A 说明 line listing the projects, for the per-project forms."""
        if kind not in (FormKind.goals, FormKind.project_evaluation) or not self.projects:
            return ()
        shown = "；".join(f"{code} {name}" for code, name in self.projects[:PROJECTS_LISTED])
        more = f" 等{len(self.projects)}个" if len(self.projects) > PROJECTS_LISTED else ""
        return (f"本年度您可导入的项目（项目代码 项目名称）：{shown}{more}。",)


PROJECTS_LISTED = 60


def _safe(text: str) -> str:
    return _ILLEGAL.sub("", text)


@dataclass
class _Writer:
    """Writes a form sheet cell by cell, in the style of the evaluation tables."""

    sheet: Worksheet
    widths: Sequence[float]

    def __post_init__(self) -> None:
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def put(
        self,
        row: int,
        column: int,
        value: object,
        *,
        span: int = 1,
        label: bool = False,
        number_format: str | None = None,
        unlocked: bool = False,
        align: Alignment | None = None,
        border: bool = True,
    ) -> None:
        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            cell.value = value
            cell.number_format = number_format or "General"
            cell.alignment = align or _CENTER
        else:
            text = _safe("" if value is None else str(value))
            cell.value = text or None
            if text:
                cell.data_type = "s"  # never a formula
                if text.startswith(FORMULA_LEADERS):
                    cell.quotePrefix = True
            cell.alignment = align or (_LEFT if len(text) > 8 else _CENTER)
        cell.font = _BOLD if label else _FONT
        if label:
            cell.fill = _HEADER_FILL
        last = column + span - 1
        for c in range(column, last + 1):
            target = self.sheet.cell(row=row, column=c)
            if border:
                target.border = _BORDER
            if unlocked:
                target.protection = _UNLOCKED
        if span > 1:
            self.sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=last)

    def title(self, row: int, text: str, *, unlocked: bool = False, size: int = 16) -> None:
        font = _TITLE if size == 16 else _BOLD
        cell = self.sheet.cell(row=row, column=1)
        cell.value = _safe(text)
        cell.data_type = "s"
        cell.font = font
        cell.alignment = _CENTER
        if unlocked:
            cell.protection = _UNLOCKED
        self.sheet.merge_cells(
            start_row=row, start_column=1, end_row=row, end_column=len(self.widths)
        )
        self.sheet.row_dimensions[row].height = 28 if size == 16 else 20


def protect(sheet: Worksheet) -> None:
    """Protect without a password: locked cells stay as written; rows may be added."""
    protection = sheet.protection
    protection.sheet = True
    protection.insertRows = False
    protection.deleteRows = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.sort = False
    protection.autoFilter = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def dropdown(
    sheet: Worksheet,
    choices: Sequence[str],
    area: str,
    what: str,
    *,
    strict: bool = True,
    prompt: str | None = None,
) -> None:
    """A list validation on ``area``; ``strict`` False offers the list but accepts other text."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle="请从下拉列表中选择",
        error=f"{what}只能是：{'、'.join(choices)}",
        showInputMessage=prompt is not None,
        promptTitle=what if prompt else None,
        prompt=prompt,
    )
    validation.add(area)
    sheet.add_data_validation(validation)


def input_message(sheet: Worksheet, area: str, what: str, prompt: str) -> None:
    validation = DataValidation(
        showInputMessage=True, promptTitle=what[:32], prompt=prompt[:255], allow_blank=True
    )
    validation.add(area)
    sheet.add_data_validation(validation)


def _levels_dropdowns(
    sheet: Worksheet, rules: ProjectRules, col1: str, col2: str, first: int, last: int
) -> None:
    level1, level2 = level_options(rules)
    dropdown(sheet, level1, f"{col1}{first}:{col1}{last}", "一级指标", strict=False)
    dropdown(sheet, level2, f"{col2}{first}:{col2}{last}", "二级指标", strict=False)


# --- the goal declaration (申报表) ---------------------------------------------------------


@dataclass(frozen=True)
class GoalSheet:
    """What one goal declaration sheet shows (blank fields for a template)."""

    year: int | None
    department_code: str
    department_name: str
    project_code: str | None
    """None: the department-wide goal."""
    project_name: str
    objective: str
    indicators: Sequence[ds.IndicatorEntry]
    name: str = ""


_GOAL_FORMATS = {"weight": "0.00", "cost_share": "0.00%"}


def _goal_cells(indicator: ds.IndicatorEntry) -> dict[str, object]:
    """An indicator's cells in the declaration, by the layout's column keys."""
    share = indicator.cost_share
    return {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "level3": indicator.level3,
        "kind": KINDS.label(indicator.kind),
        "target": indicator.target,
        "weight": indicator.weight,
        "last_year": indicator.last_year_actual or "",
        "cost_standard": indicator.cost_standard,
        "cost_share": None if share is None else share / HUNDRED,
    }


def write_goal_sheet(
    sheet: Worksheet, goal: GoalSheet, rules: ProjectRules, blank_rows: int = 0
) -> None:
    """The 项目支出绩效目标申报表 (or 部门整体支出绩效目标申报表) layout."""
    writer = _Writer(sheet, GOAL_WIDTHS)
    department_goal = goal.project_code is None
    writer.title(1, DEPARTMENT_GOALS_TITLE if department_goal else FormKind.goals.form_title)
    year = f"（{goal.year}年度）" if goal.year else "（    年度）"
    writer.title(2, year, unlocked=goal.year is None, size=11)
    writer.put(3, 1, FORM_LABELS["department_code"][0], label=True)
    writer.put(3, 2, goal.department_code, span=2, unlocked=True)
    writer.put(3, 4, FORM_LABELS["department_name"][0], label=True)
    writer.put(3, 5, goal.department_name, span=3, unlocked=True)
    if department_goal:
        writer.put(4, 1, "目标名称", label=True)
        writer.put(4, 2, goal.name or "部门整体支出绩效目标", span=6)
    else:
        writer.put(4, 1, FORM_LABELS["project_code"][0], label=True)
        writer.put(4, 2, goal.project_code, span=2, unlocked=True)
        writer.put(4, 4, FORM_LABELS["project_name"][0], label=True)
        writer.put(4, 5, goal.project_name, span=3, unlocked=True)
    writer.put(5, 1, FORM_LABELS["objective"][0], label=True)
    writer.put(5, 2, goal.objective, span=6, unlocked=True, align=_LEFT)
    sheet.row_dimensions[5].height = max(45.0, 15.0 * (len(goal.objective) // 50 + 1))
    columns = [c for c in GOALS.columns if c.key != "seq"]
    for index, column in enumerate(columns, start=1):
        writer.put(6, index, column.label, label=True)
    row = 7
    for indicator in [*goal.indicators, *([None] * blank_rows)]:
        values = _goal_cells(indicator) if indicator is not None else {}
        for index, column in enumerate(columns, start=1):
            writer.put(
                row, index, values.get(column.key), unlocked=True,
                number_format=_GOAL_FORMATS.get(column.key),
            )  # fmt: skip
        row += 1
    last = max(row - 1, 7)
    if goal.indicators:
        total = sum((i.weight for i in goal.indicators), ZERO)
        writer.put(row, 1, "合计", label=True, span=5)
        writer.put(row, 6, total, number_format="0.00")
        for index in range(7, len(columns) + 1):
            writer.put(row, index, "")
        row += 1
    write_signature(sheet, row + 1, GOAL_WIDTHS, goal.department_name)
    _levels_dropdowns(sheet, rules, "A", "B", 7, last)
    dropdown(sheet, KINDS.options, f"D7:D{last}", "指标类型")
    input_message(sheet, f"E7:E{last}", "年度指标值", _TARGET_PROMPT)
    _as_text(sheet, "EGH", 7, last)
    for line in range(7, last + 1):  # a share typed as 60 reads as 60%, not 6000%
        sheet[f"I{line}"].number_format = _GOAL_FORMATS["cost_share"]
    sheet.freeze_panes = "A7"
    print_form(sheet, (6, 6))
    protect(sheet)


# --- templates ---------------------------------------------------------------------------


def _blank_line(
    level1: str = "",
    level2: str = "",
    level3: str = "",
    target: str = "",
    weight: Decimal | None = None,
) -> IndicatorLine:
    return IndicatorLine(level1, level2, level3, target, "", weight, None, "", "")


def _unmerge_column_groups(sheet: Worksheet, first: int, last: int) -> None:
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_col <= 2 and merged.min_row >= first and merged.max_row <= last:
            sheet.unmerge_cells(str(merged))


TEXT = "@"


def _as_text(sheet: Worksheet, columns: str, first: int, last: int) -> None:
    """Target and actual cells are Text, so that “=12个” or “>=95%” typed there stays what
    was typed instead of becoming a formula or a number."""
    for column in columns:
        for row in range(first, last + 1):
            sheet[f"{column}{row}"].number_format = TEXT


def _clear(sheet: Worksheet, cells: Sequence[str]) -> None:
    for ref in cells:
        sheet[ref].value = None


def _unlock(sheet: Worksheet, rows: range, columns: range) -> None:
    for row in rows:
        for column in columns:
            cell = sheet.cell(row=row, column=column)
            cell.protection = _UNLOCKED
            cell.border = _BORDER


def _find_row(sheet: Worksheet, text: str, column: int = 1) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == text:
            return row
    raise LookupError(text)  # pragma: no cover - the layout has every label


def _project_template(book: Workbook, rules: ProjectRules, prefill: Prefill) -> None:
    weight = rules.execution.weight
    funds = (
        FundsLine("年度资金总额", None, None, None, weight, None, None),  # type: ignore[arg-type]
        *(
            FundsLine(f"其中：{label}" if n == 0 else label, None, None, None)  # type: ignore[arg-type]
            for n, label in enumerate(("财政拨款", "上年结转", "其他资金"))
        ),
    )
    project_code, project_name = prefill.project
    form = ProjectForm(
        project_code=project_code,
        project_name=project_name,
        department=prefill.department_name,
        unit="",
        year_label=prefill.year_label,
        funds=funds,
        expected_objective="",
        actual_objective="",
        indicators=tuple(_blank_line() for _ in range(TEMPLATE_ROWS)),
        weight_total=Decimal(100),
        total=None,
        grade=None,
        notes=("预算执行情况说明：",),
    )
    sheet = book.create_sheet(FormKind.project_evaluation.form_title)
    write_project_sheet(sheet, form)
    # 项目代码 beside 项目名称 (the export names each sheet by the code instead)
    sheet.unmerge_cells("B3:H3")
    sheet.merge_cells("B3:D3")
    sheet["E3"].value = FORM_LABELS["project_code"][0]
    sheet["F3"].value = project_code or None
    sheet["E3"].font = _BOLD
    sheet["E3"].alignment = _CENTER
    sheet.merge_cells("F3:H3")
    for ref in ("B3", "F3", "B4", "F4", "A2"):
        sheet[ref].protection = _UNLOCKED
    for ref in ("C3", "D3", "F3", "G3", "H3"):
        sheet[ref].border = _BORDER
    funds_first, funds_last = 6, 6 + len(funds) - 1
    _clear(
        sheet,
        [
            f"{c}{r}"
            for r in range(funds_first, funds_last + 1)
            for c in "FGH"
            if not (r == funds_first and c == "F")
        ],
    )
    _unlock(sheet, range(funds_first, funds_last + 1), range(1, 9))
    sheet["A5"].protection = _UNLOCKED
    dropdown(sheet, ["项目资金（万元）", "项目资金（元）"], "A5", "金额单位")
    objective = _find_row(sheet, FORM_LABELS["objective"][0])
    _unlock(sheet, range(objective + 1, objective + 2), range(2, 9))
    header = objective + 2
    first, last = header + 1, header + TEMPLATE_ROWS
    _unmerge_column_groups(sheet, first, last)
    _clear(sheet, [f"{c}{r}" for r in range(first, last + 1) for c in "ABCDEFGH"])
    _unlock(sheet, range(first, last + 1), range(1, 9))
    total = last + 1
    _clear(sheet, [f"G{total}", f"F{total + 1}"])
    _unlock(sheet, range(total, total + 1), range(6, 8))
    _unlock(sheet, range(total + 1, total + 3), range(6, 9))
    sheet.cell(row=total + 2, column=1).protection = _UNLOCKED
    _levels_dropdowns(sheet, rules, "A", "B", first, last)
    dropdown(
        sheet,
        [s.value for s in QualitativeState],
        f"E{first}:E{last}",
        "实际完成值",
        strict=False,
        prompt="定量指标写数值和单位（如 96.8%）；定性指标选择完成情况",
    )
    input_message(sheet, f"D{first}:D{last}", "年度指标值", _TARGET_PROMPT)
    _as_text(sheet, "DE", first, last)
    dropdown(sheet, [g.grade for g in rules.grades], f"F{total + 1}", "评价等级")
    protect(sheet)


def _department_template(book: Workbook, rules: ProjectRules, prefill: Prefill) -> None:
    from jixiao.documents.evaluation_forms import _formula_text  # the export's own text
    from jixiao.interchange.department_rule_files import load_department_framework

    framework = load_department_framework("mof-2013-dept")
    common = tuple(
        _blank_line(c.level1, c.level2, c.level3, _formula_text(c), c.weight)
        for c in framework.common
    )
    duties = tuple(_blank_line() for _ in range(TEMPLATE_ROWS))
    form = DepartmentForm(
        department=prefill.department_name,
        framework=framework.name,
        year_label=prefill.year_label,
        indicators=(*common, *duties),
        weight_total=Decimal(100),
        total=None,
        grade=None,
        notes=(f"评价框架：{framework.name}。",),
    )
    sheet = book.create_sheet(FormKind.department_evaluation.form_title)
    write_department_sheet(sheet, form)
    for ref in ("B3", "A2"):
        sheet[ref].protection = _UNLOCKED
    header = 4
    common_first, common_last = header + 1, header + len(common)
    _clear(sheet, [f"{c}{r}" for r in range(common_first, common_last + 1) for c in "EGH"])
    _unlock(sheet, range(common_first, common_last + 1), range(5, 9))
    first, last = common_last + 1, common_last + TEMPLATE_ROWS
    _unmerge_column_groups(sheet, first, last)
    _clear(sheet, [f"{c}{r}" for r in range(first, last + 1) for c in "ABCDEFGH"])
    _unlock(sheet, range(first, last + 1), range(1, 9))
    total = last + 1
    _clear(sheet, [f"G{total}", f"F{total + 1}"])
    _unlock(sheet, range(total, total + 1), range(6, 8))
    _unlock(sheet, range(total + 1, total + 2), range(6, 9))
    _levels_dropdowns(sheet, rules, "A", "B", first, last)
    dropdown(
        sheet,
        [s.value for s in QualitativeState],
        f"E{first}:E{last}",
        "实际值",
        strict=False,
        prompt="定量指标写数值和单位；定性指标选择完成情况",
    )
    input_message(sheet, f"D{first}:D{last}", "年度指标值", _TARGET_PROMPT)
    _as_text(sheet, "E", common_first, common_last)
    _as_text(sheet, "DE", first, last)
    dropdown(sheet, [g.grade for g in rules.grades], f"F{total + 1}", "评价等级")
    protect(sheet)


def write_monitoring_sheet(sheet: Worksheet, rules: ProjectRules) -> None:
    writer = _Writer(sheet, MONITORING_WIDTHS)
    writer.title(1, FormKind.monitoring.form_title)
    writer.put(2, 1, FORM_LABELS["department_name"][0], label=True)
    writer.put(2, 2, "", span=2, unlocked=True)
    writer.put(2, 4, FORM_LABELS["year"][0], label=True)
    writer.put(2, 5, None, unlocked=True, number_format="0")
    writer.put(2, 6, FORM_LABELS["as_of"][0], label=True)
    writer.put(2, 7, None, unlocked=True, number_format="yyyy-mm-dd")
    columns = [c for c in MONITORING.columns if c.key not in ("ratio", "projected")]
    for index, column in enumerate(columns, start=1):
        writer.put(3, index, column.label, label=True)
    first, last = 4, 3 + TEMPLATE_ROWS * 5
    for row in range(first, last + 1):
        for index, column in enumerate(columns, start=1):
            fmt = (
                "yyyy-mm-dd"
                if column.key == "as_of"
                else ("@" if column.key == "project" else None)
            )
            writer.put(row, index, None, unlocked=True, number_format=fmt)
            if fmt:
                sheet.cell(row=row, column=index).number_format = fmt
    letter = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    _as_text(sheet, letter["target"] + letter["progress"], first, last)
    _levels_dropdowns(sheet, rules, letter["level1"], letter["level2"], first, last)
    dropdown(
        sheet,
        REASONS.options,
        f"{letter['reason_category']}{first}:{letter['reason_category']}{last}",
        "偏差原因类别",
    )
    dropdown(
        sheet,
        LIKELIHOODS.options,
        f"{letter['likelihood']}{first}:{letter['likelihood']}{last}",
        "完成目标可能性",
    )
    write_signature(sheet, last + 2, MONITORING_WIDTHS, "")
    sheet.freeze_panes = "A4"
    print_form(sheet, (3, 3))
    protect(sheet)


def _specs(kind: FormKind) -> list[tuple[str, TableSpec]]:
    from jixiao.interchange.excel.form_layouts import EVALUATION, FUNDS

    if kind is FormKind.goals:
        return [(kind.form_title, GOALS)]
    if kind is FormKind.monitoring:
        return [(kind.form_title, MONITORING)]
    if kind is FormKind.project_evaluation:
        title = kind.form_title
        return [(f"{title}（项目资金）", FUNDS), (f"{title}（绩效指标）", EVALUATION)]
    return [(kind.form_title, EVALUATION)]


def new_form_book(kind: FormKind, title: str | None = None, extra: Sequence[str] = ()) -> Workbook:
    """A workbook whose first sheet is the instructions of ``kind`` (and ``extra`` lines)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    lines = (*INSTRUCTIONS[kind], *extra)
    write_instructions(book, title or kind.form_title, lines, _specs(kind))
    book.properties.creator = "jixiao"
    return book


def write_form_template(
    kind: FormKind, path: Path, rules: ProjectRules | None = None, prefill: Prefill | None = None
) -> Path:
    """Write a template of a form to ``path`` (.xlsx), blank or with ``prefill`` filled in."""
    rules = rules or load_rule_set("mof-2020-project")
    prefill = prefill or Prefill()
    book = new_form_book(kind, extra=prefill.instructions(kind))
    if kind is FormKind.goals:
        code, name = prefill.project
        goal = GoalSheet(
            prefill.year, prefill.department_code, prefill.department_name, code, name, "", ()
        )
        write_goal_sheet(book.create_sheet(kind.form_title), goal, rules, blank_rows=TEMPLATE_ROWS)
    elif kind is FormKind.project_evaluation:
        _project_template(book, rules, prefill)
    elif kind is FormKind.department_evaluation:
        _department_template(book, rules, prefill)
    else:
        sheet = book.create_sheet(kind.form_title)
        write_monitoring_sheet(sheet, rules)
        sheet["B2"].value = prefill.department_name or None
        sheet["E2"].value = prefill.year
    book.active = 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


__all__ = ["TEMPLATE_NAMES", "GoalSheet", "Prefill", "write_form_template", "write_goal_sheet"]
