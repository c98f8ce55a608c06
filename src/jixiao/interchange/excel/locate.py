"""Locating a workbook's tables: one step for every kind of sheet jixiao reads.

workbook → sheet → ``Located`` (the layout picked, the sheet as it is read, the header
found) → typed rows with their cells (``headers.read_table``) → records (``planning`` for
the budget and ledger tables, ``form_sheets`` / ``form_goals`` for the forms).

Every layout is data (``layout_files``): the performance forms and the budget and ledger
tables alike. ``locate(sheet, layouts)`` tries the forms first, then the tables:

- **Forms.** First the layouts that are not standard (a province's, one read from
  ``--layouts``): a layout fits when its title words (if it names any; if not, a title
  naming a standard form must name its form) are in the sheet's title and its indicator
  header is found with every header text it names; of those that fit, the one that asks
  most, then matches most columns, wins (a layout read from a file ahead of a shipped one
  on a tie). Failing that, the standard layouts: by the title (the text of its first rows:
  “…项目支出绩效自评表”, “部门整体支出绩效自评表”, “…执行监控表”, “…绩效目标申报表”), and
  failing a title, by the header alone as each standard layout's ``identify.by_header``
  says (tried by rank). A sheet counts only when the form's indicator header is found in
  it, so an instructions sheet titled like a form (说明) and the computed sheets of an
  export (项目资金执行, 部门汇总, 审核意见) are not forms.
- **Budget and ledger tables.** Every table layout's header is looked for; the best match
  wins (all required columns, then most columns, then a sheet named like the table:
  ``identify.sheet_names``); a sheet with neither every required column nor three
  columns matched holds no table.

``form_view(sheet)`` is the sheet as forms are read: a horizontally merged range keeps its
value in its first column only (a label merged over A:E is one label, not five), while a
vertically merged range stays filled down (an 一级指标 merged over five rows names each).
A monitoring form's header loses its period (“1-7月实际完成值” → “实际完成值”).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel.form_vocabulary import FormKind
from jixiao.interchange.excel.headers import Header, TableSpec, find_header, fold
from jixiao.interchange.excel.layout_files import (
    TABLE_FORMS,
    FormLayout,
    HeaderSign,
    shipped_layout,
    shipped_layouts,
)
from jixiao.interchange.excel.workbook import Sheet, Workbook

STANDARD_IDS = {
    FormKind.goals: "mof-goals",
    FormKind.project_evaluation: "mof-project-evaluation",
    FormKind.department_evaluation: "mof-department-evaluation",
    FormKind.monitoring: "mof-monitoring",
}
"""The standard (MoF) layout of each form."""

TITLE_ROWS = 4
"""Rows a form's title may take at the top of a sheet."""

_PERIOD = re.compile(
    r"^(?:\d{1,2}(?:-|~|至|—|－)\d{1,2}月(?:份)?|\d{1,2}月(?:份)?|截至\d{1,2}月\d{1,2}日)"
)
_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")


@dataclass(frozen=True)
class Located:
    """A table found in a sheet: the layout it is read by, the sheet as read, its header."""

    layout: FormLayout
    sheet: Sheet
    header: Header

    @property
    def kind(self) -> FormKind:
        """The form (performance forms only)."""
        return self.layout.kind

    @property
    def read_as(self) -> str:
        """How the sheet is read, for messages: 按版式“财政部项目支出绩效自评表”读取."""
        return f"按版式“{self.layout.name}”读取"


def locate(
    sheet: Sheet, layouts: Sequence[FormLayout] | None = None, unit: AmountUnit | None = None
) -> Located | None:
    """The table a sheet holds and the layout it is read by, or None (see the module).

    ``unit``: the amount unit of a budget or ledger table that declares none.
    """
    if sheet.hidden:
        return None
    layouts = shipped_layouts() if layouts is None else layouts
    return locate_form(sheet, layouts) or locate_table(sheet, layouts, unit)


def locate_workbook(
    workbook: Workbook, layouts: Sequence[FormLayout] | None = None, unit: AmountUnit | None = None
) -> list[Located]:
    """Every table of a workbook, located, in sheet order (a sheet's forms in row order)."""
    found: list[Located] = []
    for sheet in workbook.sheets:
        forms = locate_forms(sheet, layouts)
        if forms:
            found.extend(forms)
            continue
        located = locate(sheet, layouts, unit)
        if located is not None:
            found.append(located)
    return found


# --- the budget and ledger tables ---------------------------------------------------------


def locate_table(
    sheet: Sheet, layouts: Sequence[FormLayout], unit: AmountUnit | None = None
) -> Located | None:
    """The budget, adjustments or ledger table of a sheet, best match first."""
    candidates = sorted(
        (layout for layout in layouts if not layout.form.is_form),
        key=lambda layout: TABLE_FORMS.index(layout.form),
    )
    best: tuple[tuple[int, int, int], FormLayout, Header] | None = None
    for layout in candidates:
        header = find_header(sheet, layout.table, default_unit=unit)
        if header is None:
            continue
        score = _score(header, layout, sheet)
        if best is None or score > best[0]:
            best = (score, layout, header)
    if best is None:
        return None
    (complete, matched, _), layout, header = best
    if not complete and matched < 3:
        return None  # a stray pair of words, not a table
    return Located(layout, sheet, header)


def _score(header: Header, layout: FormLayout, sheet: Sheet) -> tuple[int, int, int]:
    required = [c.key for c in layout.table.columns if c.required]
    complete = int(all(key in header.columns for key in required))
    hinted = int(any(word in sheet.name for word in layout.sheet_names))
    return complete, header.matched, hinted


# --- the performance forms ----------------------------------------------------------------


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
    """The folded text of the first rows from the first that is not blank (the title of a
    form)."""
    start = next((index for index, row in enumerate(sheet.rows) if any(row)), 0)
    parts = []
    for row in sheet.rows[start : start + rows]:
        for value in row:
            if isinstance(value, str) and value.strip():
                parts.append(fold(value))
    return "".join(parts)


def _title_words(layouts: Sequence[FormLayout]) -> list[tuple[str, FormKind]]:
    """The standard layouts' title words, longest first: 部门整体支出绩效自评表 before 自评表."""
    words = [(word, layout.kind) for layout in layouts if layout.fallback for word in layout.titles]
    return sorted(words, key=lambda pair: -len(pair[0]))


def _kind_in(text: str, layouts: Sequence[FormLayout] | None) -> FormKind | None:
    for word, kind in _title_words(shipped_layouts() if layouts is None else layouts):
        if word in text:
            return kind
    return None


def kind_by_title(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> FormKind | None:
    """The form a sheet's title (in its first rows) names."""
    return _kind_in(title_text(sheet), layouts)


def kind_by_sheet_name(
    sheet: Sheet, layouts: Sequence[FormLayout] | None = None
) -> FormKind | None:
    """The form a sheet's name names (a sheet named 项目支出绩效目标申报表)."""
    return _kind_in(fold(sheet.name), layouts)


def naming_text(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> str:
    """The folded text that names a sheet's form: its title, or, where the title names no
    form and the sheet name does, the sheet name."""
    title = title_text(sheet)
    if kind_by_title(sheet, layouts) is None and kind_by_sheet_name(sheet, layouts) is not None:
        return fold(sheet.name)
    return title


def standard_layout(kind: FormKind, layouts: Sequence[FormLayout] | None = None) -> FormLayout:
    """The standard (MoF) layout of a form; a file may replace it under the same id."""
    return layout_by_id(STANDARD_IDS[kind], layouts)


def layout_by_id(layout_id: str, layouts: Sequence[FormLayout] | None = None) -> FormLayout:
    """A layout of ``layouts`` by id, or the shipped one."""
    found = (layout for layout in layouts or () if layout.id == layout_id)
    return next(found, None) or shipped_layout(layout_id)


def table_header(sheet: Sheet, spec: TableSpec, start_row: int = 0) -> Header | None:
    """The header of an indicator table: three columns at least, two of them required ones."""
    header = find_header(sheet, spec, start_row=start_row, scan_rows=60, minimum=3)
    if header is None:
        return None
    required = [c.key for c in spec.columns if c.required]
    if sum(1 for key in required if key in header.columns) < min(2, len(required)):
        return None  # a stray pair of words, not an indicator table
    return header


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


def locate_form(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> Located | None:
    """The form and layout a sheet holds (its indicator header found), or None."""
    if sheet.hidden or not sheet.rows:
        return None
    layouts = shipped_layouts() if layouts is None else layouts
    forms = [layout for layout in layouts if layout.form.is_form]
    view = form_view(sheet)
    fitting = _fitting(view, forms)
    if fitting is not None:
        return fitting
    kind = kind_by_title(view, forms)
    if kind is not None:
        return _located(view, standard_layout(kind, forms))
    layout = _by_header(view, forms)
    if layout is not None:
        return _located(view, layout)
    # the weakest evidence, after the header's own signs: a sheet name (“绩效自评表填表说明”
    # names a form too), so only a header with every required column is taken
    kind = kind_by_sheet_name(view, forms)
    if kind is None:
        return None
    found = _located(view, standard_layout(kind, forms))
    return found if found is not None and _every_required(found) else None


def _every_required(found: Located) -> bool:
    columns = found.header.columns
    return all(c.key in columns for c in found.layout.indicators.columns if c.required)


def locate_forms(sheet: Sheet, layouts: Sequence[FormLayout] | None = None) -> list[Located]:
    """The forms of a sheet: one, or several printed one below the other.

    Below the first form's indicator header, a title line (one short cell naming a form:
    “项目支出绩效目标执行监控表”) begins another form when one is found from there down.
    Each form is located in the sheet with the other forms' rows left blank, so that every
    cell keeps its place (C17 is still C17).
    """
    first = locate_form(sheet, layouts)
    if first is None:
        return []
    layouts = shipped_layouts() if layouts is None else layouts
    forms = [layout for layout in layouts if layout.form.is_form]
    words = [word for word, _ in _title_words(forms)]
    starts = [0]
    for row in range(first.header.rows[-1] + 1, sheet.height):
        if _title_line(sheet.rows[row], words) and locate_form(
            form_part(sheet, row, sheet.height), layouts
        ):
            starts.append(row)
    if len(starts) == 1:
        return [first]
    bounds = [*starts, sheet.height]
    parts = (locate_form(form_part(sheet, a, b), layouts) for a, b in pairwise(bounds))
    return [part for part in parts if part is not None]


_TITLE_LENGTH = 40
"""At most this many characters in a title line."""


def _title_line(row: Sequence[object], words: Sequence[str]) -> bool:
    filled = [value for value in row if value is not None and str(value).strip()]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    text = fold(filled[0])
    return len(text) <= _TITLE_LENGTH and any(word in text for word in words)


def form_part(sheet: Sheet, start: int, end: int) -> Sheet:
    """The sheet with only rows start … end-1 kept (the others blank, in their places)."""
    rows = [row if start <= index < end else [] for index, row in enumerate(sheet.rows)]
    hidden = frozenset(row for row in sheet.hidden_rows if start <= row < end)
    return replace(sheet, rows=rows, hidden_rows=hidden)


def _fitting(view: Sheet, layouts: Sequence[FormLayout]) -> Located | None:
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
    return _located(view, best[1])


def _by_header(view: Sheet, layouts: Sequence[FormLayout]) -> FormLayout | None:
    """The standard layout a sheet without a form title is, by its header alone."""
    ranked = sorted(
        (layout for layout in layouts if layout.fallback and layout.by_header is not None),
        key=lambda layout: layout.by_header.rank if layout.by_header else 0,
    )
    for layout in ranked:
        assert layout.by_header is not None
        reading = layout
        if layout.by_header.read_with is not None:
            reading = layout_by_id(layout.by_header.read_with, layouts)
        seen = _reading_view(view, reading)
        header = table_header(seen, reading.indicators)
        if header is None:
            continue
        if any(_holds(sign, seen, header, reading) for sign in layout.by_header.signs):
            return layout
    return None


def _holds(sign: HeaderSign, sheet: Sheet, header: Header, layout: FormLayout) -> bool:
    columns = header.columns
    if not all(role in columns for role in sign.roles):
        return False
    if any(role in columns for role in sign.without):
        return False
    if sign.texts:
        printed = {fold(sheet.value(header.rows[-1], col)) for col in columns.values()}
        if not set(sign.texts) <= printed:
            return False
    if sign.without_texts:
        # a word within a cell: “1-7月执行情况” has 执行情况 whatever its period
        texts = _header_texts(sheet, header)
        if any(word in text for word in sign.without_texts for text in texts):
            return False
    if sign.funds_above:
        funds = find_header(sheet, layout.funds, minimum=3) if layout.funds else None
        if funds is None or funds.rows[0] >= header.rows[0]:
            return False
    return not sign.above or _labelled_above(sheet, header.rows[0], sign.above)


def _labelled_above(sheet: Sheet, header_row: int, labels: Sequence[str]) -> bool:
    """Whether a cell above the header begins with one of ``labels`` (年度总体目标 …)."""
    for row in sheet.rows[:header_row]:
        for value in row:
            if isinstance(value, str) and fold(value).startswith(tuple(labels)):
                return True
    return False


def _located(view: Sheet, layout: FormLayout) -> Located | None:
    if layout.kind is FormKind.monitoring:
        found = table_header(_reading_view(view, layout), layout.indicators)
        if found is None:
            return None
        # only the header row loses its period (“1-7月”): data cells stay as written
        view = without_period_labels(view, range(found.rows[0], found.rows[-1] + 1))
    header = table_header(view, layout.indicators)
    if header is None:
        return None
    return Located(layout, view, header)


__all__ = [
    "STANDARD_IDS",
    "TITLE_ROWS",
    "Located",
    "form_part",
    "form_view",
    "kind_by_sheet_name",
    "kind_by_title",
    "layout_by_id",
    "locate",
    "locate_form",
    "locate_forms",
    "locate_table",
    "locate_workbook",
    "naming_text",
    "standard_layout",
    "table_header",
    "title_text",
    "without_period_labels",
]
