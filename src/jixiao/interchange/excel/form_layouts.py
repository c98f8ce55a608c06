"""The performance forms: their layouts, and how a sheet's form and layout are told.

The layouts are data (``layout_files``, ``src/jixiao/rules/layouts/*.yaml``); the MoF
standard forms' tables are kept here under their names, shared by templates, import,
review and export:

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

``classify(sheet, layouts)`` tells which form and layout a sheet holds. First the layouts
that are not standard (a province's, one read from ``--layouts``): a layout fits when its
title words (if it names any; if not, a title naming a standard form must name its form)
are in the sheet's title and its indicator header is found with every header text it
names; of those that fit, the one that asks most, then matches most columns, wins (a
layout read from a file ahead of a shipped one on a tie). Failing
that, the standard MoF layouts: by the title (the text of its first rows: “…项目支出绩效
自评表”, “部门整体支出绩效自评表”, “…执行监控表”, “…绩效目标申报表”), and failing a title,
by the header it has. A sheet counts only when the form's indicator header is found in it,
so an instructions sheet titled like a form (说明) and the computed sheets of an export
(项目资金执行, 部门汇总, 审核意见) are not forms.

``form_view(sheet)`` is the sheet as forms are read: a horizontally merged range keeps its
value in its first column only (a label merged over A:E is one label, not five), while a
vertically merged range stays filled down (an 一级指标 merged over five rows names each).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from jixiao.core.rules import ProjectRules
from jixiao.interchange.excel.form_vocabulary import (
    DEPARTMENT_GOALS_TITLE,
    FORM_TITLES,
    KINDS,
    LIKELIHOODS,
    NO_FIGURE_MARKS,
    QUALITATIVE_MARK,
    REASONS,
    STATES,
    FormKind,
    read_form_text,
    read_score,
)
from jixiao.interchange.excel.headers import Header, TableSpec, find_header, fold
from jixiao.interchange.excel.layout_files import FormLayout, shipped_layout, shipped_layouts
from jixiao.interchange.excel.workbook import Sheet

_STANDARD_IDS = {
    FormKind.goals: "mof-goals",
    FormKind.project_evaluation: "mof-project-evaluation",
    FormKind.department_evaluation: "mof-department-evaluation",
    FormKind.monitoring: "mof-monitoring",
}
GOALS = shipped_layout(_STANDARD_IDS[FormKind.goals]).indicators
EVALUATION = shipped_layout(_STANDARD_IDS[FormKind.project_evaluation]).indicators
FUNDS: TableSpec = shipped_layout(_STANDARD_IDS[FormKind.project_evaluation]).funds  # type: ignore[assignment]
MONITORING = shipped_layout(_STANDARD_IDS[FormKind.monitoring]).indicators

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


def _title_words(layouts: Sequence[FormLayout]) -> list[tuple[str, FormKind]]:
    """The standard layouts' title words, longest first: 部门整体支出绩效自评表 before 自评表."""
    words = [(word, layout.kind) for layout in layouts if layout.fallback for word in layout.titles]
    return sorted(words, key=lambda pair: -len(pair[0]))


def kind_by_title(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> FormKind | None:
    text = title_text(sheet)
    for word, kind in _title_words(shipped_layouts() if layouts is None else layouts):
        if word in text:
            return kind
    return None


@dataclass(frozen=True)
class Classified:
    """A sheet recognised as a form: its kind, layout and the header of its indicator table."""

    kind: FormKind
    sheet: Sheet
    header: Header
    layout: FormLayout


def standard_layout(kind: FormKind, layouts: Sequence[FormLayout] | None = None) -> FormLayout:
    """The standard (MoF) layout of a form; a file may replace it under the same id."""
    wanted = _STANDARD_IDS[kind]
    found = (layout for layout in layouts or () if layout.id == wanted)
    return next(found, None) or shipped_layout(wanted)


def spec_of(kind: FormKind) -> TableSpec:
    return standard_layout(kind).indicators


def table_header(sheet: Sheet, spec: TableSpec, start_row: int = 0) -> Header | None:
    """The header of an indicator table: three columns at least, two of them required ones."""
    header = find_header(sheet, spec, start_row=start_row, scan_rows=60, minimum=3)
    if header is None:
        return None
    required = [c.key for c in spec.columns if c.required]
    if sum(1 for key in required if key in header.columns) < min(2, len(required)):
        return None  # a stray pair of words, not an indicator table
    return header


def indicator_header(
    sheet: Sheet, kind: FormKind, start_row: int = 0, layouts: Sequence[FormLayout] | None = None
) -> Header | None:
    return table_header(sheet, standard_layout(kind, layouts).indicators, start_row)


def _kind_by_header(sheet: Sheet, layouts: Sequence[FormLayout]) -> FormKind | None:
    monitoring = indicator_header(
        without_period_labels(sheet, range(0, 60)), FormKind.monitoring, layouts=layouts
    )
    if monitoring is not None and "likelihood" in monitoring.columns:
        return FormKind.monitoring
    header = indicator_header(sheet, FormKind.project_evaluation, layouts=layouts)
    if header is None:
        return None
    texts = {fold(sheet.value(header.rows[-1], col)) for col in header.columns.values()}
    if "指标值/计算公式" in texts:
        return FormKind.department_evaluation
    if "actual" in header.columns or "score" in header.columns:
        funds_spec = standard_layout(FormKind.project_evaluation, layouts).funds
        funds = find_header(sheet, funds_spec, minimum=3) if funds_spec else None
        if funds is not None and funds.rows[0] < header.rows[0]:
            return FormKind.project_evaluation
        return FormKind.project_evaluation if "score" in header.columns else None
    if "kind" in header.columns and "target" in header.columns:
        return FormKind.goals
    return None


_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")


def _header_texts(sheet: Sheet, header: Header) -> set[str]:
    """Each header cell's text, folded, also without its bracketed part."""
    texts: set[str] = set()
    for row in header.rows:
        for value in sheet.rows[row] if row < sheet.height else ():
            if isinstance(value, str) and value.strip():
                folded = fold(value)
                texts.update((folded, _BRACKETED.sub("", folded)))
    return texts


def _reading_view(sheet: Sheet, layout: FormLayout) -> Sheet:
    """The sheet its header is looked for in: a monitoring header loses its “1-7月”."""
    if layout.kind is FormKind.monitoring:
        return without_period_labels(sheet, range(0, 60))
    return sheet


def _fitting(view: Sheet, layouts: Sequence[FormLayout]) -> Classified | None:
    """The best of the layouts that are not standard for a sheet, if one fits it."""
    title = title_text(view)
    titled = kind_by_title(view, layouts)
    best: tuple[tuple[int, int], FormLayout, Header] | None = None
    for layout in layouts:
        if layout.fallback:
            continue
        if layout.titles and not any(word in title for word in layout.titles):
            continue
        if not layout.titles and titled is not None and titled is not layout.kind:
            continue  # a 申报表 by its title is not read as a 自评表 however alike the headers
        header = table_header(_reading_view(view, layout), layout.indicators)
        if header is None:
            continue
        if layout.headers and not set(layout.headers) <= _header_texts(
            _reading_view(view, layout), header
        ):
            continue
        score = (layout.specificity, header.matched)
        if best is None or score > best[0]:
            best = (score, layout, header)
    if best is None:
        return None
    return _classified(view, best[1])


def _classified(view: Sheet, layout: FormLayout) -> Classified | None:
    if layout.kind is FormKind.monitoring:
        found = table_header(_reading_view(view, layout), layout.indicators)
        if found is None:
            return None
        # only the header row loses its period (“1-7月”): data cells stay as written
        view = without_period_labels(view, range(found.rows[0], found.rows[-1] + 1))
    header = table_header(view, layout.indicators)
    if header is None:
        return None
    return Classified(layout.kind, view, header, layout)


def classify(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> Classified | None:
    """The form and layout a sheet holds (its indicator header found), or None."""
    if sheet.hidden or not sheet.rows:
        return None
    layouts = shipped_layouts() if layouts is None else layouts
    view = form_view(sheet)
    fitting = _fitting(view, layouts)
    if fitting is not None:
        return fitting
    kind = kind_by_title(view, layouts) or _kind_by_header(view, layouts)
    if kind is None:
        return None
    return _classified(view, standard_layout(kind, layouts))


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


__all__ = [
    "DEPARTMENT_GOALS_TITLE",
    "EVALUATION",
    "FORM_LABELS",
    "FORM_TITLES",
    "FUNDS",
    "GOALS",
    "KINDS",
    "LIKELIHOODS",
    "MONITORING",
    "NO_FIGURE_MARKS",
    "QUALITATIVE_MARK",
    "REASONS",
    "STATES",
    "SUGGESTED_NOTE",
    "Classified",
    "FormKind",
    "canonical_level1",
    "canonical_level2",
    "classify",
    "form_view",
    "indicator_header",
    "kind_by_title",
    "level_options",
    "read_form_text",
    "read_score",
    "spec_of",
    "standard_layout",
    "table_header",
    "title_text",
    "without_period_labels",
]
