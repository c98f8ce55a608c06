"""The performance forms: their columns, vocabularies and how a sheet's kind is told.

Four forms, shared by templates, import, review and export:

- ``GOALS`` — 项目支出绩效目标申报表 (and 部门整体支出绩效目标申报表): a labelled block
  (部门代码, 部门名称, 项目代码, 项目名称, 年度总体目标) over the indicator rows
  一级指标 | 二级指标 | 三级指标 | 指标类型 | 年度指标值 | 分值 | 上年实际完成值.
- ``EVALUATION`` — the indicator block of 项目支出绩效自评表 and 部门整体支出绩效自评表
  (一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施; the
  department form calls two of them 指标值/计算公式 and 实际值, and adds 说明), and
  ``FUNDS``, the funds block of the project form (项目资金（万元）| 年初预算数 | 全年预算数 |
  全年执行数 | 分值 | 执行率 | 得分).
- ``MONITORING`` — the indicator table of 项目支出绩效目标执行监控表 (项目名称 | 一级 | 二级 |
  三级 | 年度指标值 | 1-7月实际完成值 | 完成值截至 | … | 偏差原因类别 | 偏差原因说明 |
  完成目标可能性 | 备注).

``classify(sheet)`` tells which form a sheet holds: by the title (the text of its first rows:
“…项目支出绩效自评表”, “部门整体支出绩效自评表”, “…执行监控表”, “…绩效目标申报表”), and
failing a title, by the header it has. A sheet counts only when the form's indicator header
is found in it, so an instructions sheet titled like a form (说明) and the computed sheets
of an export (项目资金执行, 部门汇总, 审核意见) are not forms.

``form_view(sheet)`` is the sheet as forms are read: a horizontally merged range keeps its
value in its first column only (a label merged over A:E is one label, not five), while a
vertically merged range stays filled down (an 一级指标 merged over five rows names each).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.monitoring import Likelihood, ReasonCategory
from jixiao.core.rules import ProjectRules
from jixiao.interchange.excel.cells import (
    Declared,
    PercentMeaning,
    Vocabulary,
    number,
    read_amount,
    read_code,
    read_date,
    read_percent,
    read_target_text,
    read_text,
)
from jixiao.interchange.excel.headers import Column, Header, TableSpec, find_header, fold
from jixiao.interchange.excel.workbook import CellValue, Sheet

KINDS: Vocabulary[IndicatorKind] = Vocabulary(
    "指标类型",
    {IndicatorKind.quantitative: "定量", IndicatorKind.qualitative: "定性"},
    [("定量指标", IndicatorKind.quantitative), ("定性指标", IndicatorKind.qualitative)],
)
STATES: Vocabulary[QualitativeState] = Vocabulary(
    "完成情况",
    {state: state.value for state in QualitativeState},
    [
        ("达成", QualitativeState.achieved),
        ("部分达成", QualitativeState.partly_achieved),
        ("未达成", QualitativeState.not_achieved),
    ],
)
LIKELIHOODS: Vocabulary[Likelihood] = Vocabulary(
    "完成目标可能性",
    {item: item.value for item in Likelihood},
    [
        ("确定", Likelihood.certain),
        ("可能", Likelihood.possible),
        ("不可能", Likelihood.impossible),
    ],
)
REASONS: Vocabulary[ReasonCategory] = Vocabulary(
    "偏差原因类别",
    {item: item.value for item in ReasonCategory},
    [
        ("经费", ReasonCategory.funding),
        ("制度", ReasonCategory.rules),
        ("人员", ReasonCategory.staff),
        ("硬件", ReasonCategory.equipment),
        ("硬件条件", ReasonCategory.equipment),
    ],
)

NO_FIGURE_MARKS = frozenset(
    {"未填报", "无法评分", "未评分", "不适用", "未评定", "—", "——", "-", "--", "/", "无"}
)
"""What a score or weight cell prints when there is no figure (read as empty)."""


def read_score(value: CellValue, declared: Declared) -> Decimal | None:
    """A weight or score: a number, or one of the no-figure marks (未填报, 不适用, —) as empty."""
    if isinstance(value, str) and fold(value) in NO_FIGURE_MARKS:
        return None
    return number(value, what="分数")


def read_form_text(value: CellValue, declared: Declared) -> str:
    return read_text(value, declared)


_LEVEL1 = Column(
    "level1",
    "一级指标",
    ("一级",),
    required=True,
    note="必填；从下拉列表选择，如 产出指标、效益指标、满意度指标",
)
_LEVEL2 = Column(
    "level2",
    "二级指标",
    ("二级",),
    required=True,
    note="必填；从下拉列表选择，如 数量指标、质量指标、时效指标、成本指标",
)
_LEVEL3 = Column(
    "level3",
    "三级指标",
    ("三级", "指标名称", "三级指标名称", "绩效指标"),
    required=True,
    note="必填；指标的名称，同一目标内不重复（导入时按一级/二级/三级识别指标）",
)
_KIND = Column(
    "kind",
    "指标类型",
    ("指标性质", "定量/定性", "定性/定量"),
    read=KINDS.read,
    note="定量 或 定性（下拉选择）；不填时，年度指标值含数值的为定量，否则为定性",
)
_TARGET_NOTE = (
    "定量指标写 计算符号+数值+单位：≥95%、≤30天、=12个、≤90万元、>0；只写数值（如 100%）表示“=”。"
    "可用 ≥ ≤ > < = 或 >= <=，全角 ＞＝９５％ 也认。定性指标写文字目标，如“效果明显”"
)
_TARGET = Column(
    "target",
    "年度指标值",
    ("指标值", "年度目标值", "目标值", "预期指标值", "年度指标值(a)", "指标值/计算公式"),
    read=read_target_text,
    note=_TARGET_NOTE,
)
_WEIGHT = Column(
    "weight",
    "分值",
    ("权重", "指标分值", "权重(分值)", "分值(权重)"),
    read=read_score,
    required=True,
    note="必填；各指标分值与预算执行率分值合计100",
)

GOALS = TableSpec(
    "绩效指标表",
    (
        Column("seq", "序号", ("编号",), read=None, counts_as_data=False),
        _LEVEL1,
        _LEVEL2,
        _LEVEL3,
        _KIND,
        _TARGET,
        _WEIGHT,
        Column(
            "last_year",
            "上年实际完成值",
            ("上年实际值", "上年完成值", "上年度实际完成值"),
            read=read_target_text,
            note="可不填；用于检查指标值是否设置偏低",
        ),
    ),
)

EVALUATION = TableSpec(
    "绩效指标表",
    (
        _LEVEL1,
        _LEVEL2,
        _LEVEL3,
        _KIND,
        _TARGET,
        Column(
            "actual",
            "实际完成值",
            ("全年实际值", "实际值", "完成值", "全年实际完成值", "实际完成值(b)", "实际完成情况"),
            read=read_target_text,
            percent=PercentMeaning.fraction,
            note="定量指标写数值和单位（如 96.8%、52186宗）；定性指标写完成情况"
            "（达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差），"
            "或“说明（完成情况）”；空白或“未填报”为未填报",
        ),
        Column(
            "state",
            "完成情况",
            ("完成状态", "定性指标完成情况"),
            read=STATES.read,
            note="可不填；定性指标的完成情况（下拉选择）",
        ),
        _WEIGHT,
        Column(
            "score",
            "得分",
            ("自评得分", "实际得分", "评分"),
            read=read_score,
            note="单位自评的得分；定性指标按完成情况在档次内给分",
        ),
        Column(
            "remark",
            "偏差原因分析及改进措施",
            (
                "偏差原因及改进措施",
                "偏差原因分析",
                "未完成原因分析及改进措施",
                "原因分析及改进措施",
                "未完成原因和改进措施",
                "偏差原因",
            ),
            read=read_form_text,
            note="未达成或超额完成时填写；改进措施写在“改进措施：”之后",
        ),
        Column(
            "note",
            "说明",
            ("备注", "计分说明"),
            read=read_form_text,
            counts_as_data=False,
            note="部门整体支出绩效自评表：计分说明（导入时不使用）",
        ),
    ),
)

FUNDS = TableSpec(
    "项目资金表",
    (
        Column(
            "label",
            "项目资金",
            (
                "资金来源",
                "资金",
                "资金类别",
                "预算资金",
                "项目资金情况",
                "预算执行情况",
                "年度部门整体支出预算执行情况",
                "部门整体支出预算执行情况",
                "年度预算执行情况",
            ),
            read=read_form_text,
            counts_as_data=False,
        ),
        Column(
            "initial_budget",
            "年初预算数",
            ("年初预算", "年初数"),
            read=read_amount,
            required=True,
            amount=True,
        ),
        Column(
            "final_budget",
            "全年预算数",
            ("全年预算", "调整后预算数", "预算数(调整后)", "全年预算数(a)"),
            read=read_amount,
            required=True,
            amount=True,
        ),
        Column(
            "executed",
            "全年执行数",
            ("执行数", "全年实际执行数", "实际支出数", "全年支出数", "全年执行数(b)"),
            read=read_amount,
            required=True,
            amount=True,
        ),
        Column("weight", "分值", (), read=read_score),
        Column(
            "rate",
            "执行率",
            ("预算执行率", "执行率(b/a)"),
            read=read_percent,
            percent=PercentMeaning.fraction,
        ),
        Column("score", "得分", (), read=read_score),
    ),
    part_rows=True,
)

MONITORING = TableSpec(
    "绩效指标监控表",
    (
        Column(
            "project",
            "项目代码",
            ("项目编码", "项目编号"),
            read=read_code,
            counts_as_data=False,
            note="可不填；不填时按项目名称识别项目",
        ),
        Column(
            "owner",
            "项目名称",
            ("项目", "绩效目标"),
            read=read_form_text,
            counts_as_data=False,
            note="项目名称；部门整体绩效目标的指标写“部门整体”",
        ),
        _LEVEL1,
        _LEVEL2,
        _LEVEL3,
        Column(
            "target",
            "年度指标值",
            ("指标值", "年度目标值", "目标值"),
            read=read_target_text,
            counts_as_data=False,
            note="仅供对照，导入时不修改指标值",
        ),
        Column(
            "progress",
            "实际完成值",
            ("截至目前实际完成值", "累计完成值", "完成值", "实际完成情况", "目前完成值"),
            read=read_target_text,
            percent=PercentMeaning.fraction,
            required=True,
            note="截至“完成值截至”日期（不填为表头的截至日期）的完成值，如 62%、31000宗",
        ),
        Column(
            "as_of",
            "完成值截至",
            ("完成值截至日期", "截至日期", "数据截至"),
            read=read_date,
            note="可不填：默认为表头写明的截至日期",
        ),
        Column(
            "ratio",
            "完成率",
            ("指标完成率",),
            read=None,
            counts_as_data=False,
            note="导出时计算，导入时不使用",
        ),
        Column(
            "projected",
            "全年预计完成值",
            ("全年预计完成率",),
            read=None,
            counts_as_data=False,
            note="导出时计算，导入时不使用",
        ),
        Column(
            "reason_category",
            "偏差原因类别",
            ("偏差原因分类", "原因类别"),
            read=REASONS.read,
            note="下拉选择：" + "、".join(REASONS.options),
        ),
        Column(
            "reason", "偏差原因说明", ("偏差原因分析", "偏差原因", "原因说明"), read=read_form_text
        ),
        Column(
            "likelihood",
            "完成目标可能性",
            ("完成可能性", "预计完成可能性", "能否完成"),
            read=LIKELIHOODS.read,
            note="下拉选择：" + "、".join(LIKELIHOODS.options),
        ),
        Column("note", "备注", (), read=read_form_text, counts_as_data=False),
    ),
)

SUGGESTED_NOTE = "完成目标可能性按进度推算"
"""The 备注 an export writes when the likelihood shown was suggested, not entered."""

FORM_LABELS = {
    "department_code": ("部门代码", "部门编码"),
    "department_name": (
        "部门名称",
        "主管部门",
        "部门",
        "预算部门",
        "主管部门名称",
        "部门（单位）名称",
        "部门(单位)名称",
    ),
    "year": ("年度", "预算年度", "所属年度"),
    "project_code": ("项目代码", "项目编码", "项目编号"),
    "project_name": ("项目名称",),
    "implementer": ("实施单位",),
    "objective": ("年度总体目标", "总体目标", "年度绩效目标"),
    "as_of": ("截至日期", "监控日期", "截止日期"),
}
"""Labelled cells above the tables of the forms."""


class FormKind(StrEnum):
    goals = "goals"
    project_evaluation = "project-evaluation"
    department_evaluation = "department-evaluation"
    monitoring = "monitoring"

    @property
    def form_title(self) -> str:
        return FORM_TITLES[self]


FORM_TITLES = {
    FormKind.goals: "项目支出绩效目标申报表",
    FormKind.project_evaluation: "项目支出绩效自评表",
    FormKind.department_evaluation: "部门整体支出绩效自评表",
    FormKind.monitoring: "项目支出绩效目标执行监控表",
}
DEPARTMENT_GOALS_TITLE = "部门整体支出绩效目标申报表"

_TITLE_WORDS: tuple[tuple[str, FormKind], ...] = (
    ("部门整体支出绩效自评表", FormKind.department_evaluation),
    ("部门整体绩效自评表", FormKind.department_evaluation),
    ("绩效自评表", FormKind.project_evaluation),
    ("执行监控表", FormKind.monitoring),
    ("运行监控表", FormKind.monitoring),
    ("绩效监控表", FormKind.monitoring),
    ("目标申报表", FormKind.goals),
    ("绩效目标表", FormKind.goals),
)
TITLE_ROWS = 4
"""Rows a form's title may take at the top of a sheet."""

_PERIOD = re.compile(
    r"^(?:\d{1,2}(?:-|~|至|—|－)\d{1,2}月(?:份)?|\d{1,2}月(?:份)?|截至\d{1,2}月\d{1,2}日)"
)


def form_view(sheet: Sheet) -> Sheet:
    """The sheet with horizontal merges kept in their first column only (see the module)."""
    wide = [merged for merged in sheet.merged if merged[1] != merged[3]]
    if not wide:
        return sheet
    rows = list(sheet.rows)  # only the rows a merge touches are copied
    copied: set[int] = set()
    for first_row, first_col, last_row, last_col in wide:
        for r in range(first_row, min(last_row, len(rows) - 1) + 1):
            if r not in copied:
                rows[r] = list(rows[r])
                copied.add(r)
            row = rows[r]
            for c in range(first_col + 1, min(last_col, len(row) - 1) + 1):
                row[c] = None
    return replace(sheet, rows=rows)


def without_period_labels(sheet: Sheet, rows: range) -> Sheet:
    """Header cells with a leading period (“1-7月实际完成值” → “实际完成值”), for matching."""
    copied = list(sheet.rows)
    for r in rows:
        if r >= len(copied):
            break
        changed = None
        for c, value in enumerate(copied[r]):
            if isinstance(value, str):
                stripped = _PERIOD.sub("", fold(value))
                if stripped != fold(value) and stripped:
                    changed = changed or list(copied[r])
                    changed[c] = stripped
        if changed is not None:
            copied[r] = changed
    return replace(sheet, rows=copied)


def title_text(sheet: Sheet, rows: int = TITLE_ROWS) -> str:
    """The folded text of the first rows (the title of a form)."""
    parts = []
    for row in sheet.rows[:rows]:
        for value in row:
            if isinstance(value, str) and value.strip():
                parts.append(fold(value))
    return "".join(parts)


def kind_by_title(sheet: Sheet) -> FormKind | None:
    text = title_text(sheet)
    for word, kind in _TITLE_WORDS:
        if word in text:
            return kind
    return None


@dataclass(frozen=True)
class Classified:
    """A sheet recognised as a form: its kind and the header of its indicator table."""

    kind: FormKind
    sheet: Sheet
    header: Header


def indicator_header(sheet: Sheet, kind: FormKind, start_row: int = 0) -> Header | None:
    spec = spec_of(kind)
    header = find_header(sheet, spec, start_row=start_row, scan_rows=60, minimum=3)
    if header is None:
        return None
    required = [c.key for c in spec.columns if c.required]
    if sum(1 for key in required if key in header.columns) < 2:
        return None  # a stray pair of words, not an indicator table
    return header


def spec_of(kind: FormKind) -> TableSpec:
    if kind is FormKind.goals:
        return GOALS
    if kind is FormKind.monitoring:
        return MONITORING
    return EVALUATION


def _kind_by_header(sheet: Sheet) -> FormKind | None:
    monitoring = indicator_header(without_period_labels(sheet, range(0, 60)), FormKind.monitoring)
    if monitoring is not None and "likelihood" in monitoring.columns:
        return FormKind.monitoring
    header = indicator_header(sheet, FormKind.project_evaluation)
    if header is None:
        return None
    texts = {fold(sheet.value(header.rows[-1], col)) for col in header.columns.values()}
    if "指标值/计算公式" in texts:
        return FormKind.department_evaluation
    if "actual" in header.columns or "score" in header.columns:
        funds = find_header(sheet, FUNDS, minimum=3)
        if funds is not None and funds.rows[0] < header.rows[0]:
            return FormKind.project_evaluation
        return FormKind.project_evaluation if "score" in header.columns else None
    if "kind" in header.columns and "target" in header.columns:
        return FormKind.goals
    return None


def classify(sheet: Sheet) -> Classified | None:
    """The form a sheet holds (its indicator header found), or None."""
    if sheet.hidden or not sheet.rows:
        return None
    view = form_view(sheet)
    kind = kind_by_title(view) or _kind_by_header(view)
    if kind is None:
        return None
    if kind is FormKind.monitoring:
        found = indicator_header(without_period_labels(view, range(0, 60)), kind)
        if found is None:
            return None
        # only the header row loses its period (“1-7月”): data cells stay as written
        view = without_period_labels(view, range(found.rows[0], found.rows[-1] + 1))
    header = indicator_header(view, kind)
    if header is None:
        return None
    return Classified(kind, view, header)


def level_options(rules: ProjectRules) -> tuple[list[str], list[str]]:
    """The first- and second-level names a rule set knows, for dropdowns."""
    level1 = [group.name for group in rules.level1]
    level2 = list(dict.fromkeys(name for group in rules.level1 for name in group.level2))
    return level1, level2


def canonical_level1(text: str, rules: ProjectRules) -> str:
    """A first-level name as the rule set spells it: “产出” → “产出指标”; others as written."""
    names = [group.name for group in rules.level1]
    if text in names:
        return text
    for candidate in (text + "指标", text.removesuffix("类指标") + "指标"):
        if candidate in names:
            return candidate
    return text


def canonical_level2(level1: str, text: str, rules: ProjectRules) -> str:
    """A second-level name as the rule set spells it: “数量” → “数量指标”; others as written."""
    group = rules.group(level1)
    names = list(group.level2) if group else []
    names += [name for g in rules.level1 for name in g.level2 if name not in names]
    if text in names:
        return text
    for candidate in (text + "指标", text + "效益指标", text + "满意度指标"):
        if candidate in names:
            return candidate
    return text
