"""The outline (提纲) of a 部门整体支出绩效自评报告: its sections, their order, their
numbering and which of them must be written.

The outline is data (``jixiao/rules/outlines/*.yaml``, read by
:mod:`jixiao.interchange.outline_files`): a region's variant is a file, not code. Two
ship: ``reference``, the outline of the published Liwan 2023 report the demo
reproduces, and ``guangdong``, the 广东省部门整体支出绩效自评报告 outline, which adds
绩效自评工作情况 and 结果应用.

Each section names the *key* of the text it holds; the keys are one vocabulary
(:data:`SECTION_KINDS`), so a section reads the same stored text whatever outline
prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_OUTLINE = "reference"


class SectionKind(StrEnum):
    """How a section's text is written and stored."""

    text = "text"
    """One or more paragraphs, printed as written."""
    items = "items"
    """One item per paragraph, numbered by the report (一是…, 1、…)."""
    titled = "titled"
    """Items of a title line and a body, separated by a blank line (成效, 问题)."""
    computed = "computed"
    """Written by jixiao from the stored figures; not edited (收支情况)."""


SECTION_KINDS: dict[str, SectionKind] = {
    "functions_preamble": SectionKind.text,
    "functions": SectionKind.items,
    "budget": SectionKind.computed,
    "annual_objective": SectionKind.text,
    "key_tasks": SectionKind.items,
    "work_process": SectionKind.text,
    "conclusion": SectionKind.text,
    "key_task_analysis": SectionKind.text,
    "achievements": SectionKind.titled,
    "problems": SectionKind.titled,
    "improvement_measures": SectionKind.items,
    "result_application": SectionKind.text,
}
"""Every section key an outline may use, and how its text is written."""

YEAR_TABLE_KEYS = frozenset(SECTION_KINDS) - {"budget", "work_process", "result_application"}
"""Sections whose approved text the year's own tables hold (and the dataset file carries)."""

PROJECT_KEY_PREFIX = "project:"
"""A project's paragraph in 各重点工作任务绩效目标完成情况分析: ``project:<code>``."""


KEY_TASK_KEY_PREFIX = "key_task:"
"""A key task's paragraph, written by the office 财务科 assigns it to: ``key_task:<n>``."""


def project_key(project_code: str) -> str:
    return f"{PROJECT_KEY_PREFIX}{project_code}"


def key_task_key(position: int) -> str:
    return f"{KEY_TASK_KEY_PREFIX}{position}"


def is_office_paragraph(key: str) -> bool:
    """A paragraph of a project or a key task, merged into 各重点工作任务…完成情况分析."""
    return key.startswith((PROJECT_KEY_PREFIX, KEY_TASK_KEY_PREFIX))


@dataclass(frozen=True)
class OutlineSection:
    """One heading of the outline and, when it holds text, the key of that text."""

    heading: str
    """As printed, numbering included: "一、基本情况", "（一）部门职能"."""
    level: int
    """1 for 一、…, 2 for （一）…."""
    key: str = ""
    """The text under the heading; empty for a heading that only groups others."""
    required: bool = False
    """The report is not complete while this section is empty."""
    label: str = ""
    """How the editor names a key that shares its heading (部门职能的引言)."""

    @property
    def kind(self) -> SectionKind | None:
        return SECTION_KINDS.get(self.key)

    @property
    def title(self) -> str:
        """The heading without its number: "部门职能"."""
        heading = self.heading
        for separator in ("、", "）"):
            if separator in heading[:5]:
                heading = heading.split(separator, 1)[1]
        return self.label or heading


@dataclass(frozen=True)
class Outline:
    name: str
    title: str
    source: str
    sections: tuple[OutlineSection, ...]

    def keyed(self) -> tuple[OutlineSection, ...]:
        """The sections that hold text, in reading order."""
        return tuple(s for s in self.sections if s.key)

    def section(self, key: str) -> OutlineSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def headings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.heading for s in self.sections))


class OutlineError(ValueError):
    """An outline file names an unknown section key or numbers its headings wrongly."""


def checked(outline: Outline) -> Outline:
    """The outline, or OutlineError naming what is wrong with it."""
    unknown = [s.key for s in outline.sections if s.key and s.key not in SECTION_KINDS]
    if unknown:
        raise OutlineError(f"提纲“{outline.name}”中有未知的章节：{'、'.join(unknown)}")
    keys = [s.key for s in outline.sections if s.key]
    if len(keys) != len(set(keys)):
        raise OutlineError(f"提纲“{outline.name}”中有重复的章节")
    if any(s.level not in (1, 2) for s in outline.sections):
        raise OutlineError(f"提纲“{outline.name}”的标题层级只能是 1 或 2")
    return outline


GROUPS = {"functions_preamble": "basics", "functions": "basics", "conclusion": "analysis"}
"""A heading that only groups others is named by the first section under it."""
SHARED_HEADINGS = {"functions_preamble": "functions"}


def report_headings(outline: Outline) -> dict[str, str]:
    """The headings the report prints, by section key (and ``basics`` / ``analysis`` for
    the two that group others), as the outline numbers them."""
    headings: dict[str, str] = {}
    group = ""
    for section in outline.sections:
        if not section.key:
            group = section.heading
            continue
        if group and section.key in GROUPS:
            headings.setdefault(GROUPS[section.key], group)
        group = ""
        headings.setdefault(SHARED_HEADINGS.get(section.key, section.key), section.heading)
    return headings


def placed_before(outline: Outline, key: str, anchor: str) -> bool:
    """Whether section ``key`` comes before section ``anchor`` in the outline."""
    keys = [s.key for s in outline.sections]
    return anchor in keys and key in keys and keys.index(key) < keys.index(anchor)
