"""A report section's text as one string, to and from a department-year's prose.

The editor (web or Word) shows each section as plain text: paragraphs separated by a
blank line. How a section's paragraphs map onto the year depends on its kind
(:class:`~jixiao.core.outline.SectionKind`):

* ``text``: the paragraphs as they are (部门整体支出绩效目标, 自评结论综述 …);
* ``items``: one item per paragraph, without the number the report adds (部门职能,
  重点工作任务, 下一步改进措施);
* ``titled``: per item, a title line and its body (主要工作成效, 存在的主要问题).

``section_text`` and ``with_section_text`` are inverse: a year's prose read into a
section and written back is the same prose, so the demo's report comes out unchanged
whether its text was loaded from the dataset file or approved in the web.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jixiao.core.outline import SECTION_KINDS, SectionKind
from jixiao.core.year import Achievement, DepartmentYear, Problem

PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n+")

TEXT_FIELDS = ("functions_preamble", "annual_objective", "conclusion", "key_task_analysis")
ITEM_FIELDS = ("functions", "key_tasks", "improvement_measures")


def paragraphs(text: str) -> tuple[str, ...]:
    """The text's paragraphs: split at blank lines, each stripped, empty ones dropped."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return tuple(p.strip() for p in PARAGRAPH_BREAK.split(normalized) if p.strip())


def joined(parts: tuple[str, ...] | list[str]) -> str:
    return "\n\n".join(parts)


def section_text(year: DepartmentYear, key: str) -> str:
    """The text of section ``key`` as the year holds it ("" for a key it does not hold)."""
    if key in TEXT_FIELDS:
        return str(getattr(year, key))
    if key in ITEM_FIELDS:
        return joined(getattr(year, key))
    if key == "achievements":
        return joined([_titled(a.title, a.text) for a in year.achievements])
    if key == "problems":
        return joined([_titled(p.title, p.text) for p in year.problems])
    return ""


def _titled(title: str, text: str) -> str:
    return f"{title}\n{text}" if text else title


def _split_titled(text: str) -> list[tuple[str, str]]:
    items = []
    for paragraph in paragraphs(text):
        title, _, body = paragraph.partition("\n")
        items.append((title.strip(), body.strip()))
    return items


def with_section_text(year: DepartmentYear, key: str, text: str) -> DepartmentYear:
    """The year with section ``key``'s prose replaced by ``text``. An achievement keeps
    the metrics it states when its title is unchanged (the checks read them)."""
    kind = SECTION_KINDS.get(key)
    if (
        kind is None
        or kind is SectionKind.computed
        or key
        not in (
            *TEXT_FIELDS,
            *ITEM_FIELDS,
            "achievements",
            "problems",
        )
    ):
        return year
    if key in TEXT_FIELDS:
        return replace(year, **{key: joined(paragraphs(text))})
    if key in ITEM_FIELDS:
        return replace(year, **{key: paragraphs(text)})
    if key == "achievements":
        metrics = {a.title: a.metrics for a in year.achievements}
        return replace(
            year,
            achievements=tuple(
                Achievement(title, body, metrics.get(title, ()))
                for title, body in _split_titled(text)
            ),
        )
    return replace(year, problems=tuple(Problem(t, b) for t, b in _split_titled(text)))
