"""Layouts as data: the YAML files that say how a performance form, or a budget or ledger
table, is laid out.

A layout file (``format: jixiao-form-layout/2``; version 1 files read as before) names a
form (``form``: goals, project-evaluation, department-evaluation, monitoring or attainment;
or one of the budget and ledger tables: budget, adjustments, ledger, whose table is
``tables.lines`` / ``adjustments`` / ``payments``), how a sheet in that layout is known
(``identify``: words of its title, header texts it must have; for a standard form,
``by_header``: how it is told by its header alone; for a table, ``sheet_names``), the
labelled cells above its table (``labels``, by key), its
``tables`` (``indicators`` and, for the self-evaluation forms, ``funds``), each a ``name``
and its ``columns`` by key (each with its printed label, the other header texts that mean
it, its ``type`` — how a cell is read — whether it is required, and its note) in printed
order (a funds block also names its total row, ``total_rows``, and its parts by use,
``use_rows``), and ``totals`` (the words that end the indicator rows and label 总分 and
评价等级).
A column's key is its role: the reading code knows ``target``, ``actual``, ``weight``,
``operator`` (计算符号 in a column of its own), ``unit`` (度量单位) … (``ROLES``).

A goals layout says which words of a sheet's title make it the department-wide goal
(``identify.department_titles``: on their own, 部门整体支出绩效目标申报表;
``identify.department_words``: where the sheet fills no 项目代码, 部门整体); one that states
neither, nor its bases, takes those of ``mof-goals`` (``GOALS_DEFAULTS``).

``base: ID`` starts from another layout: its tables, totals, labels (a key stated replaces
that key) and ``by_header``. A form layout takes the ``labels`` keys that neither it nor
its bases state from ``mof-project-evaluation`` (``DEFAULTS``): the words of the labelled
cells and of the 年度总体目标 block (``objective``, ``expected_objective``,
``actual_objective``; the funds block ends at that block) are data, never code. A table
this file states changes the base's one column by column (a column restated replaces that
column, ``null`` drops it, a new one is added), ``order`` lists the columns kept in their
order, and ``funds: null`` drops the table. A file whose ``base`` is its own id changes the shipped
layout of that id.

Where layouts are found: the shipped ones in ``src/jixiao/rules/layouts``, then each
file or folder given with ``--layouts`` (``jixiao review``, ``jixiao import``) or listed
in the environment variable ``JIXIAO_LAYOUTS`` (paths separated by ``os.pathsep``). A file
found later replaces a layout of the same id. docs/excel.md shows a worked example.

Every defect is a Chinese ``Problem`` naming the file and the field; nothing half-read is
used.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jixiao.interchange.dataset_file import load_yaml, read_limited
from jixiao.interchange.excel.cells import (
    BASIC_KINDS,
    FUNDING_SOURCES,
    NATURES,
    PercentMeaning,
    Reader,
    read_amount,
    read_code,
    read_date,
    read_percent,
    read_target_text,
    read_yes_no,
)
from jixiao.interchange.excel.form_vocabulary import (
    KINDS,
    LIKELIHOODS,
    REASONS,
    STATES,
    FormKind,
    read_attained,
    read_form_text,
    read_operator,
    read_score,
)
from jixiao.interchange.excel.headers import Column, TableSpec, fold
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

FORMAT = "jixiao-form-layout/2"
FORMATS = ("jixiao-form-layout/1", FORMAT)
"""Version 2 adds the budget and ledger tables (``form``: budget, adjustments, ledger), the
cell types they need, ``labels``, ``identify.sheet_names`` and ``identify.by_header``, and
the funds block's ``total_rows`` and ``use_rows``; a version 1 file reads as before."""
ENVIRONMENT = "JIXIAO_LAYOUTS"
_PACKAGE = "jixiao"
_FOLDER = ("rules", "layouts")

READERS: dict[str, Reader | None] = {
    "text": read_form_text,
    "target": read_target_text,
    "score": read_score,
    "amount": read_amount,
    "percent": read_percent,
    "code": read_code,
    "date": read_date,
    "none": None,
    "kinds": KINDS.read,
    "states": STATES.read,
    "likelihoods": LIKELIHOODS.read,
    "reasons": REASONS.read,
    "operator": read_operator,
    "attained": read_attained,
    "funding_sources": FUNDING_SOURCES.read,
    "natures": NATURES.read,
    "basic_kinds": BASIC_KINDS.read,
    "yes_no": read_yes_no,
}
"""A column's ``type``: how its cells are read (``none`` keeps the cell as it is, unused)."""

_INDICATOR_ROLES = ("seq", "level1", "level2", "level3", "kind", "operator", "target", "unit",
                    "weight", "last_year", "actual", "state", "score", "attained", "remark",
                    "note", "cost_standard", "cost_share")  # fmt: skip
_MONITORING_ROLES = ("project", "owner", "level1", "level2", "level3", "operator", "target", "unit",
                     "progress", "as_of", "ratio", "projected", "reason_category", "reason",
                     "improvement", "likelihood", "note")  # fmt: skip
_FUNDS_ROLES = ("label", "initial_budget", "final_budget", "executed", "weight", "rate", "score",
                "projected")  # fmt: skip
_LINE_ROLES = ("seq", "code", "name", "funding_source", "nature", "basic_kind", "project",
               "project_name", "functional_class", "economic_class", "initial_budget",
               "adjustment", "final_budget", "executed", "execution_rate", "carryover",
               "over_budget_explanation", "office")  # fmt: skip
_ADJUSTMENT_ROLES = ("seq", "line", "line_name", "date", "amount", "document_number", "reason")
_PAYMENT_ROLES = ("seq", "line", "line_name", "date", "voucher", "amount", "refund",
                  "description")  # fmt: skip


class LayoutForm(StrEnum):
    """The form a layout lays out; ``attainment`` is a target-vs-actual table (no weights);
    ``budget``, ``adjustments`` and ``ledger`` are the tables of 预算与执行 and 支出明细."""

    goals = "goals"
    project_evaluation = "project-evaluation"
    department_evaluation = "department-evaluation"
    monitoring = "monitoring"
    attainment = "attainment"
    budget = "budget"
    adjustments = "adjustments"
    ledger = "ledger"

    @property
    def is_form(self) -> bool:
        """A performance form (located by its title, then its header), not a budget table."""
        return self not in TABLE_FORMS

    @property
    def main_table(self) -> str:
        """The key of its table in ``tables`` (a form's is ``indicators``)."""
        return _MAIN_TABLES.get(self, "indicators")

    @property
    def kind(self) -> FormKind:
        """The form kind it is read and imported as (an attainment table: a project's)."""
        if self is LayoutForm.attainment:
            return FormKind.project_evaluation
        return FormKind(self.value)

    @property
    def form_title(self) -> str:
        if self is LayoutForm.attainment:
            return "绩效目标完成情况表"
        return self.kind.form_title


TABLE_FORMS = (LayoutForm.budget, LayoutForm.adjustments, LayoutForm.ledger)
"""The budget and ledger tables, in the order a tie between them is broken."""
_MAIN_TABLES = {
    LayoutForm.budget: "lines",
    LayoutForm.adjustments: "adjustments",
    LayoutForm.ledger: "payments",
}

ROLES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    **{
        form.value: {
            "indicators": _MONITORING_ROLES if form is LayoutForm.monitoring else _INDICATOR_ROLES,
            "funds": _FUNDS_ROLES,
        }
        for form in LayoutForm
        if form.is_form
    },
    "budget": {"lines": _LINE_ROLES},
    "adjustments": {"adjustments": _ADJUSTMENT_ROLES},
    "ledger": {"payments": _PAYMENT_ROLES},
}
"""The column keys the reading code knows, by form and table."""

_REQUIRED_ROLES = ("level1", "level2", "level3")


@dataclass(frozen=True)
class Totals:
    """The words of the rows below the indicator rows (by a row's first filled cell)."""

    end: tuple[str, ...]
    """A row starting with one of these ends the indicator rows."""
    total: tuple[str, ...]
    """总分: its 分值 cell is the printed weight total, its 得分 cell the printed total."""
    grade: tuple[str, ...]
    """评价等级: the grade is the first text to its right."""


@dataclass(frozen=True)
class HeaderSign:
    """One way a standard form is told by its header alone (no title names a form)."""

    roles: tuple[str, ...] = ()
    """Columns the header must have."""
    texts: tuple[str, ...] = ()
    """Header texts (folded) one of the matched columns must print."""
    without: tuple[str, ...] = ()
    """Columns the header must not have."""
    funds_above: bool = False
    """The funds block's header must be found above the indicator header."""
    above: tuple[str, ...] = ()
    """Labels (folded) one of which must begin a cell above the indicator header."""
    without_texts: tuple[str, ...] = ()
    """Words (folded) no header cell may contain: another form's columns (“1-7月执行情况”,
    全年预计完成情况 of a 监控表)."""


@dataclass(frozen=True)
class ByHeader:
    """How a standard layout is told by its header when no title names a form."""

    rank: int
    """Tried in rank order (lowest first); the first that holds wins."""
    signs: tuple[HeaderSign, ...]
    """One of them must hold."""
    read_with: str | None = None
    """The layout whose indicator header is looked for (None: its own)."""


@dataclass(frozen=True)
class FundsRows:
    """The rows of a funds block named by their label (its first cell)."""

    total: tuple[str, ...] = ()
    """The total row (年度资金总额 …); without one the first row is the total."""
    by_use: tuple[str, ...] = ()
    """Parts that break the total down by use (基本支出 / 项目支出), not by source."""


@dataclass(frozen=True)
class DepartmentGoal:
    """How a 申报表 in a goals layout is known for the department-wide goal, by its title."""

    titles: tuple[str, ...] = ()
    """Title words that say so on their own (部门整体支出绩效目标申报表; the first is the
    title a template of the department-wide goal prints)."""
    words: tuple[str, ...] = ()
    """Title words that say so where the sheet fills no 项目代码 (部门整体)."""

    def names(self, title: str, project_code: bool) -> bool:
        """Whether a sheet with this (folded) title text is the department-wide goal."""
        if any(fold(word) in title for word in self.titles):
            return True
        return not project_code and any(fold(word) in title for word in self.words)


@dataclass(frozen=True)
class FormLayout:
    """A layout read from its file."""

    id: str
    name: str
    form: LayoutForm
    table: TableSpec
    """Its main table: a form's indicator table, or the budget / ledger table."""
    funds: TableSpec | None
    titles: tuple[str, ...]
    """Words of the title (the first rows); a sheet whose title has one may be this layout."""
    headers: tuple[str, ...]
    """Header texts (folded) the indicator header must all have."""
    fallback: bool
    """A standard layout: used when no other layout identifies the sheet (see ``locate``)."""
    totals: Totals
    source: str = ""
    origin: str = ""
    """The file it was read from."""
    sheet_names: tuple[str, ...] = ()
    """Words of a sheet's name that break a tie between tables matching equally well."""
    by_header: ByHeader | None = None
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Labelled cells above the table (部门代码 …), by key."""
    funds_rows: FundsRows = FundsRows()
    department_goal: DepartmentGoal = DepartmentGoal()

    @property
    def indicators(self) -> TableSpec:
        """A form's indicator table (its main table)."""
        return self.table

    @property
    def kind(self) -> FormKind:
        return self.form.kind

    @property
    def attainment(self) -> bool:
        return self.form is LayoutForm.attainment

    @property
    def specificity(self) -> int:
        """How much the layout asks of a sheet: more asked, the surer a match."""
        return 2 * len(self.headers) + (1 if self.titles else 0)


# --- the file's shape --------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1, max_length=200)]


class _ColumnModel(_Strict):
    label: Text
    synonyms: list[Text] = Field(default_factory=list)
    type: Literal[
        "text", "target", "score", "amount", "percent", "code", "date", "none", "kinds", "states",
        "likelihoods", "reasons", "operator", "attained", "funding_sources", "natures",
        "basic_kinds", "yes_no",
    ] = "text"  # fmt: skip
    required: bool = False
    percent: Literal["fraction", "points"] | None = None
    counts_as_data: bool = True
    note: str = ""


class _TableModel(_Strict):
    name: Text | None = None
    part_rows: bool | None = None
    columns: dict[str, _ColumnModel | None] = Field(default_factory=dict)
    order: list[Text] | None = None
    total_rows: list[Text] | None = None
    use_rows: list[Text] | None = None


class _HeaderSignModel(_Strict):
    roles: list[Text] = Field(default_factory=list)
    texts: list[Text] = Field(default_factory=list)
    without: list[Text] = Field(default_factory=list)
    funds_above: bool = False
    above: list[Text] = Field(default_factory=list)
    without_texts: list[Text] = Field(default_factory=list)


class _ByHeaderModel(_Strict):
    rank: int
    when: list[_HeaderSignModel] = Field(min_length=1)
    read_with: str | None = None


class _IdentifyModel(_Strict):
    titles: list[Text] = Field(default_factory=list)
    headers: list[Text] = Field(default_factory=list)
    sheet_names: list[Text] = Field(default_factory=list)
    by_header: _ByHeaderModel | None = None
    department_titles: list[Text] | None = None
    department_words: list[Text] | None = None


class _TotalsModel(_Strict):
    end: list[Text] = Field(default_factory=list)
    total: list[Text] = Field(default_factory=list)
    grade: list[Text] = Field(default_factory=list)


class _LayoutModel(_Strict):
    format: Literal["jixiao-form-layout/1", "jixiao-form-layout/2"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
    name: Text
    form: LayoutForm
    source: str = ""
    base: str | None = None
    fallback: bool = False
    identify: _IdentifyModel = Field(default_factory=_IdentifyModel)
    labels: dict[Text, list[Text]] | None = None
    tables: dict[
        Literal["indicators", "funds", "lines", "adjustments", "payments"], _TableModel | None
    ] = Field(default_factory=dict)
    totals: _TotalsModel | None = None

    def version_2(self) -> list[str]:
        """The fields it uses that only version 2 of the format has."""
        used = []
        if not self.form.is_form:
            used.append("form")
        if self.labels is not None:
            used.append("labels")
        if self.identify.sheet_names:
            used.append("identify.sheet_names")
        if self.identify.by_header is not None:
            used.append("identify.by_header")
        for name in ("department_titles", "department_words"):
            if getattr(self.identify, name) is not None:
                used.append(f"identify.{name}")
        for which, table in self.tables.items():
            if table is not None and (table.total_rows is not None or table.use_rows is not None):
                used.append(f"tables.{which}")
        return used


@dataclass(frozen=True)
class _Raw:
    model: _LayoutModel
    origin: str


def _parse(raw: bytes, origin: str) -> _Raw:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected(
            [Problem(origin, "版式文件不是 UTF-8 编码，请以 UTF-8 编码另存后再读入")]
        ) from None
    try:
        document = load_yaml(text)
    except InputRejected as rejected:
        raise InputRejected(
            [Problem(f"{origin}：{p.where}" if p.where else origin, p.message)
             for p in rejected.problems]
        ) from None  # fmt: skip
    if not isinstance(document, dict):
        raise InputRejected([Problem(origin, "版式文件应为一个键值对象（以 format: 等字段开头）")])
    try:
        model = _LayoutModel.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error, prefix=origin)) from None
    return _Raw(model, origin)


# --- resolving a layout (its base, its column references) --------------------------------


@dataclass
class _Table:
    """A table as resolved from a layout and its bases: its name and columns in order."""

    name: str
    columns: dict[str, _ColumnModel]
    part_rows: bool = False
    total_rows: tuple[str, ...] = ()
    use_rows: tuple[str, ...] = ()


def _merged(base: _Table | None, table: _TableModel) -> _Table:
    columns = dict(base.columns) if base else {}
    for key, column in table.columns.items():
        if column is None:
            columns.pop(key, None)
        else:
            columns[key] = column
    if table.order is not None:
        columns = {key: columns[key] for key in table.order if key in columns}
    name = table.name or (base.name if base else "绩效指标表")
    part_rows = table.part_rows if table.part_rows is not None else bool(base and base.part_rows)
    total_rows = base.total_rows if base else ()
    use_rows = base.use_rows if base else ()
    if table.total_rows is not None:
        total_rows = tuple(table.total_rows)
    if table.use_rows is not None:
        use_rows = tuple(table.use_rows)
    return _Table(name, columns, part_rows, total_rows, use_rows)


@dataclass
class _Resolved:
    """What a layout has once its bases are applied."""

    tables: dict[str, _Table | None] = field(default_factory=dict)
    totals: _TotalsModel | None = None
    labels: dict[str, list[str]] | None = None
    by_header: _ByHeaderModel | None = None
    department: DepartmentGoal | None = None


def _department(model: _IdentifyModel, base: DepartmentGoal | None) -> DepartmentGoal | None:
    """The department-wide goal's title words a layout states, over its base's."""
    if model.department_titles is None and model.department_words is None:
        return base
    base = base or DepartmentGoal()
    titles, words = model.department_titles, model.department_words
    return DepartmentGoal(
        base.titles if titles is None else tuple(titles),
        base.words if words is None else tuple(words),
    )


def _resolve(layout_id: str, raws: Mapping[str, _Raw], seen: tuple[str, ...] = ()) -> _Resolved:
    raw = raws[layout_id]
    model = raw.model
    resolved = _Resolved()
    if model.base is not None:
        if model.base in (*seen, layout_id):
            chain = " → ".join((*seen, layout_id, model.base))
            raise InputRejected([Problem(f"{raw.origin}：base", f"版式互相引用：{chain}")])
        if model.base not in raws:
            known = "、".join(sorted(raws))
            raise InputRejected(
                [Problem(f"{raw.origin}：base", f"没有 id 为“{model.base}”的版式（可用：{known}）")]
            )
        resolved = _resolve(model.base, raws, (*seen, layout_id))
    tables = dict(resolved.tables)
    for which, table in model.tables.items():
        tables[which] = None if table is None else _merged(tables.get(which), table)
    return _Resolved(
        tables,
        model.totals or resolved.totals,
        {**(resolved.labels or {}), **model.labels} if model.labels else resolved.labels,
        model.identify.by_header or resolved.by_header,
        _department(model.identify, resolved.department),
    )


def _column(key: str, model: _ColumnModel) -> Column:
    percent = PercentMeaning(model.percent) if model.percent else None
    if model.type == "percent" and percent is None:
        percent = PercentMeaning.fraction
    return Column(
        key,
        model.label,
        tuple(model.synonyms),
        read=READERS[model.type],
        required=model.required,
        amount=model.type == "amount",
        percent=percent,
        counts_as_data=model.counts_as_data,
        note=model.note,
    )


def _table(
    origin: str, which: str, table: _Table, order: Sequence[str] | None, roles: Sequence[str]
) -> tuple[TableSpec, list[Problem]]:
    problems = []
    where = f"{origin}：tables.{which}"
    for key in order or ():
        if key not in table.columns:
            problems.append(Problem(f"{where}.order", f"没有名为“{key}”的列"))
    built = []
    for key, column in table.columns.items():
        if key not in roles:
            problems.append(
                Problem(
                    f"{where}.columns.{key}", f"“{key}”不是此表能用的列（可用：{'、'.join(roles)}）"
                )
            )
        else:
            built.append(_column(key, column))
    if not built:
        problems.append(Problem(f"{where}.columns", "表中没有列"))
    return TableSpec(table.name, tuple(built), part_rows=table.part_rows), problems


def _layout(layout_id: str, raws: Mapping[str, _Raw]) -> FormLayout:
    raw = raws[layout_id]
    model = raw.model
    resolved = _resolve(layout_id, raws)
    tables = resolved.tables
    roles = ROLES[model.form.value]
    problems: list[Problem] = []
    if model.format != FORMAT:
        problems.extend(
            Problem(f"{raw.origin}：{name}", f"须写 format: {FORMAT}（{name} 是第2版的字段）")
            for name in model.version_2()
        )
    which = model.form.main_table
    main = tables.get(which)
    if main is None:
        needed = f"版式须有 {which}（{_MAIN_NAMES[which]}）"
        raise InputRejected([Problem(f"{raw.origin}：tables", needed)])
    own = next((table for key, table in model.tables.items() if key == which), None)
    order = own.order if own is not None else None
    spec, found = _table(raw.origin, which, main, order, roles[which])
    problems.extend(found)
    missing = [key for key in _REQUIRED_ROLES if key not in {c.key for c in spec.columns}]
    if model.form.is_form and missing and not found:
        problems.append(
            Problem(f"{raw.origin}：tables.indicators", f"指标表须有 {'、'.join(missing)} 列")
        )
    for other in tables:
        if other not in roles:
            problems.append(Problem(f"{raw.origin}：tables.{other}", "此种版式没有这张表"))
    funds = None
    funds_table = tables.get("funds")
    if funds_table is not None and "funds" in roles:
        own = model.tables.get("funds")
        order = own.order if own is not None else None
        funds, found = _table(raw.origin, "funds", funds_table, order, roles["funds"])
        problems.extend(found)
    identified = model.identify.titles or model.identify.headers or model.fallback
    if model.form.is_form and not identified:
        problems.append(
            Problem(
                f"{raw.origin}：identify",
                "须写明识别此版式的标题文字（titles）或表头文字（headers）",
            )
        )
    lookup = spec.lookup()
    for position, header in enumerate(model.identify.headers):
        if fold(header) not in lookup:
            problems.append(
                Problem(
                    f"{raw.origin}：identify.headers[{position}]",
                    f"“{header}”不是指标表任何一列的列名或别名",
                )
            )
    known = _FORM_LABELS if model.form.is_form else _TABLE_LABELS
    labels = resolved.labels or {}
    if model.form.is_form and layout_id != DEFAULTS and DEFAULTS in raws:
        labels = {**(_resolve(DEFAULTS, raws).labels or {}), **labels}
    department = resolved.department
    if department is None and model.form is LayoutForm.goals and GOALS_DEFAULTS in raws:
        department = _resolve(GOALS_DEFAULTS, raws).department
    for name in ("department_titles", "department_words"):
        if getattr(model.identify, name) is not None and model.form is not LayoutForm.goals:
            problems.append(
                Problem(
                    f"{raw.origin}：identify.{name}",
                    "只有申报表（form: goals）的版式可写部门整体目标的标题文字",
                )
            )
    for key in labels:
        if key not in known:
            usable = "、".join(known)
            problems.append(
                Problem(f"{raw.origin}：labels.{key}", f"“{key}”不是能用的标签（可用：{usable}）")
            )
    by_header = _by_header(raw.origin, resolved.by_header, raws, problems)
    if problems:
        raise InputRejected(problems)
    totals = resolved.totals or _TotalsModel()
    return FormLayout(
        id=model.id,
        name=model.name,
        form=model.form,
        table=spec,
        funds=funds,
        titles=tuple(fold(t) for t in model.identify.titles),
        headers=tuple(fold(h) for h in model.identify.headers),
        fallback=model.fallback,
        totals=Totals(
            tuple(map(fold, totals.end)),
            tuple(map(fold, totals.total)),
            tuple(map(fold, totals.grade)),
        ),
        source=model.source,
        origin=raw.origin,
        sheet_names=tuple(model.identify.sheet_names),
        by_header=by_header,
        labels={key: tuple(names) for key, names in labels.items()},
        funds_rows=FundsRows(
            tuple(map(fold, funds_table.total_rows)) if funds_table else (),
            tuple(map(fold, funds_table.use_rows)) if funds_table else (),
        ),
        department_goal=department or DepartmentGoal(),
    )


_TABLE_LABELS = ("department_code", "department_name", "year")
_FORM_LABELS = (*_TABLE_LABELS, "project_code", "project_name", "implementer", "objective",
                "expected_objective", "actual_objective", "as_of")  # fmt: skip
"""The labelled cells a layout's ``labels`` may name, for the tables and for the forms
(``expected_objective`` / ``actual_objective``: the 预期目标 / 实际完成情况 labels of the
年度总体目标 block, their texts in the row below)."""
DEFAULTS = "mof-project-evaluation"
"""The layout whose ``labels`` a form layout has where neither it nor its bases state them."""
GOALS_DEFAULTS = "mof-goals"
"""The layout whose department-wide goal words (``identify.department_titles`` /
``department_words``) a goals layout has where neither it nor its bases state them."""

_MAIN_NAMES = {
    "indicators": "指标表",
    "lines": "预算与执行表",
    "adjustments": "预算调整表",
    "payments": "支出明细表",
}


def _by_header(
    origin: str, model: _ByHeaderModel | None, raws: Mapping[str, _Raw], problems: list[Problem]
) -> ByHeader | None:
    if model is None:
        return None
    if model.read_with is not None and model.read_with not in raws:
        problems.append(
            Problem(
                f"{origin}：identify.by_header.read_with", f"没有 id 为“{model.read_with}”的版式"
            )
        )
    signs = tuple(
        HeaderSign(tuple(sign.roles), tuple(map(fold, sign.texts)), tuple(sign.without),
                   sign.funds_above, tuple(map(fold, sign.above)),
                   tuple(map(fold, sign.without_texts)))
        for sign in model.when
    )  # fmt: skip
    return ByHeader(model.rank, signs, model.read_with)


# --- where layouts are found -------------------------------------------------------------


def _shipped_raws() -> dict[str, _Raw]:
    folder = resources.files(_PACKAGE).joinpath(*_FOLDER)
    raws: dict[str, _Raw] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            raw = _parse(entry.read_bytes(), f"layouts/{entry.name}")
            raws[raw.model.id] = raw
    return raws


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    if not path.exists():
        raise InputRejected([Problem(str(path), "版式文件或目录不存在")])
    return [path]


def _user_raws(paths: Iterable[Path]) -> dict[str, _Raw]:
    raws: dict[str, _Raw] = {}
    for path in paths:
        for file in _files(path):
            raw = _parse(read_limited(file, "版式文件"), str(file))
            raws[raw.model.id] = raw
    return raws


def environment_paths(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The paths listed in ``JIXIAO_LAYOUTS``."""
    value = environ.get(ENVIRONMENT, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


_REPLACED = "replaced:"
"""The key a shipped layout keeps when a file replaces it and builds on it (``base`` = own id)."""


def _build(raws: Mapping[str, _Raw], first: Sequence[str]) -> tuple[FormLayout, ...]:
    """Every layout, the ones named in ``first`` ahead of the rest (in file order)."""
    rest = (key for key in raws if key not in first and not key.startswith(_REPLACED))
    return tuple(_layout(key, raws) for key in (*first, *rest))


@cache
def shipped_layouts() -> tuple[FormLayout, ...]:
    """The layouts shipped with jixiao."""
    raws = _shipped_raws()
    return _build(raws, ())


def load_layouts(
    paths: Sequence[Path | str] = (), *, environ: Mapping[str, str] | None = None
) -> tuple[FormLayout, ...]:
    """The shipped layouts with those found in ``paths`` and ``JIXIAO_LAYOUTS``.

    The layouts read from files come first: where two layouts identify a sheet equally
    well, a province's own file wins over the shipped one.
    """
    extra = [*environment_paths(os.environ if environ is None else environ), *map(Path, paths)]
    if not extra:
        return shipped_layouts()
    user = _user_raws(extra)
    raws = _shipped_raws()
    for key, raw in user.items():
        if raw.model.base == key and key in raws:  # the shipped one, changed: build on it
            raws[_REPLACED + key] = raws[key]
            raw = _Raw(raw.model.model_copy(update={"base": _REPLACED + key}), raw.origin)
        raws[key] = raw
    return _build(raws, list(user))


def shipped_layout(layout_id: str) -> FormLayout:
    """A shipped layout by id (``mof-project-evaluation`` …)."""
    return next(layout for layout in shipped_layouts() if layout.id == layout_id)


__all__ = [
    "ENVIRONMENT",
    "FORMAT",
    "ROLES",
    "DepartmentGoal",
    "FormLayout",
    "LayoutForm",
    "Totals",
    "environment_paths",
    "load_layouts",
    "shipped_layout",
    "shipped_layouts",
]
