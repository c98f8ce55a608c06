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
from typing import Any

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
    changed: dict[str, Any] = {}
    if key in TEXT_FIELDS:
        changed[key] = joined(paragraphs(text))
        return replace(year, **changed)
    if key in ITEM_FIELDS:
        changed[key] = paragraphs(text)
        return replace(year, **changed)
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


# --- reading a printed report back (Word in) ------------------------------------------------

FUNCTION_NUMBER = re.compile(r"^\d+、")
ACHIEVEMENT_NUMBER = re.compile(r"^\d+[.．]")
PROBLEM_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")
MEASURE_NUMBER = re.compile(r"^[一二三四五六七八九十]+是")
END_OF_REPORT = ("附表", "附件")


def _run_in(printed: str, number: re.Pattern[str]) -> str:
    """ "1.标题。正文" → "标题\\n正文" (the item's title line, then its body)."""
    body = number.sub("", printed, count=1)
    title, mark, rest = body.partition("。")
    if not mark:
        return body
    return f"{title}\n{rest}" if rest else title


def printed_to_text(key: str, printed: list[str]) -> str:
    """A section's printed paragraphs as the text the editor keeps (numbers removed)."""
    if key == "functions":
        return joined([FUNCTION_NUMBER.sub("", p, count=1) for p in printed])
    if key == "key_tasks":
        items = "".join(printed).rstrip("。").split("；")
        return joined([item.strip() for item in items if item.strip()])
    if key == "achievements":
        return joined([_run_in(p, ACHIEVEMENT_NUMBER) for p in printed])
    if key == "problems":
        return joined([_run_in(p, PROBLEM_NUMBER) for p in printed])
    if key == "improvement_measures":
        return joined([MEASURE_NUMBER.sub("", p, count=1) for p in printed])
    return joined(printed)


def sections_from_paragraphs(
    headings: list[tuple[str, list[str]]],
    printed: list[str],
    computed: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """The sections of a printed report, found by their headings.

    ``headings`` are the outline's (heading, keys under it), ``printed`` the document's
    paragraphs in order; paragraphs in ``computed`` (the 收支情况, the score sentence,
    the offices' paragraphs) are jixiao's own and left out. Under 部门职能 the numbered
    paragraphs are the functions and the others the preamble. Reading stops at 附表.
    """
    keys_of = dict(headings)
    collected: dict[str, list[str]] = {}
    current: list[str] = []
    for paragraph in printed:
        text = paragraph.strip()
        if not text:
            continue
        if text.startswith(END_OF_REPORT) and collected:
            break
        if text in keys_of:
            current = keys_of[text]
            for key in current:
                collected.setdefault(key, [])
            continue
        if not current or text in computed:
            continue
        if "functions" in current and "functions_preamble" in current:
            key = "functions" if FUNCTION_NUMBER.match(text) else "functions_preamble"
        else:
            key = current[-1]
        collected[key].append(text)
    return {key: printed_to_text(key, found) for key, found in collected.items()}
