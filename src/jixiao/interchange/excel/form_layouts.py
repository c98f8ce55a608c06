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

``classify(sheet, layouts)`` tells which form and layout a sheet holds: it is
``locate.locate_form``, the one locate step every table is found by (see ``locate``).
"""

from __future__ import annotations

import re

from jixiao.core.rules import ProjectRules
from jixiao.interchange.excel.form_vocabulary import (
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
from jixiao.interchange.excel.headers import TableSpec
from jixiao.interchange.excel.layout_files import shipped_layout
from jixiao.interchange.excel.locate import (
    STANDARD_IDS,
    TITLE_ROWS,
    Located,
    form_view,
    kind_by_title,
    locate_form,
    standard_layout,
    table_header,
    title_text,
    without_period_labels,
)

GOALS = shipped_layout(STANDARD_IDS[FormKind.goals]).indicators
EVALUATION = shipped_layout(STANDARD_IDS[FormKind.project_evaluation]).indicators
FUNDS: TableSpec = shipped_layout(STANDARD_IDS[FormKind.project_evaluation]).funds  # type: ignore[assignment]
MONITORING = shipped_layout(STANDARD_IDS[FormKind.monitoring]).indicators

SUGGESTED_NOTE = "完成目标可能性按进度推算"
"""The 备注 an export writes when the likelihood shown was suggested, not entered."""

DEPARTMENT_GOALS_TITLE = shipped_layout(STANDARD_IDS[FormKind.goals]).department_goal.titles[0]
"""The title a template of the department-wide goal prints (the layout's first such word)."""
FORM_LABELS = dict(shipped_layout(STANDARD_IDS[FormKind.project_evaluation]).labels)
"""Labelled cells above the tables of the forms (the standard layouts' ``labels``)."""


Classified = Located
"""A sheet recognised as a form (its ``kind``, ``sheet``, ``header`` and ``layout``)."""
classify = locate_form


def level_options(rules: ProjectRules) -> tuple[list[str], list[str]]:
    """The first- and second-level names a rule set knows, for dropdowns."""
    level1 = [group.name for group in rules.level1]
    level2 = list(dict.fromkeys(name for group in rules.level1 for name in group.level2))
    return level1, level2


# “产出指标（50分）”, “数量指标(权重20%)”: the group's weight printed after its name
_WEIGHT_NOTE = re.compile(r"[（(]\s*(?:权重|分值)?\s*[0-9]+(?:\.[0-9]+)?\s*(?:分|%|％)?\s*[)）]$")


def _spellings(text: str) -> tuple[str, ...]:
    """The name as written, then without a weight printed after it."""
    bare = _WEIGHT_NOTE.sub("", text).strip()
    return (text, bare) if bare and bare != text else (text,)


def canonical_level1(text: str, rules: ProjectRules) -> str:
    """A first-level name as the rule set spells it: “产出” or “产出指标（50分）” → “产出指标”;
    others as written."""
    names = [group.name for group in rules.level1]
    for spelling in _spellings(text):
        for candidate in (spelling, spelling + "指标", spelling.removesuffix("类指标") + "指标"):
            if candidate in names:
                return candidate
    return text


def canonical_level2(level1: str, text: str, rules: ProjectRules) -> str:
    """A second-level name as the rule set spells it: “数量” or “数量指标（20分）” → “数量指标”;
    others as written."""
    group = rules.group(level1)
    names = list(group.level2) if group else []
    names += [name for g in rules.level1 for name in g.level2 if name not in names]
    for spelling in _spellings(text):
        endings = ("", "指标", "效益指标", "满意度指标")
        for candidate in (spelling + ending for ending in endings):
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
    "TITLE_ROWS",
    "Classified",
    "FormKind",
    "canonical_level1",
    "canonical_level2",
    "classify",
    "form_view",
    "kind_by_title",
    "level_options",
    "read_form_text",
    "read_score",
    "standard_layout",
    "table_header",
    "title_text",
    "without_period_labels",
]
