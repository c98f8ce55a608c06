"""From the tables of a workbook and the stored year to a plan: the year after the import,
every change, and every problem. Pure: no database (``importing.py`` reads and writes).

How rows are matched with what is stored (natural keys)
-------------------------------------------------------
- **Budget lines** by 预算行代码 within the department-year. The 预算与执行 sheet is the
  whole budget of the year: a stored line missing from it is removed (refused while it
  still has payments); a row with a new code adds a line. A column the sheet lacks keeps
  the stored values of that field; a column present with an empty cell empties the field.
- **Projects** by 项目代码; a row may add a project (项目名称 required) or rename one.
  Projects are never removed by an import.
- **Adjustments**: when the workbook has a 预算调整 sheet with rows, it holds every
  adjustment of the year (grouped by line, in sheet order); without one (or with an empty
  one, as a freshly filled template has), stored adjustments are kept.
- An empty 预算与执行 or 支出明细 table is refused rather than read as “remove everything”.
- **Payments** by (预算行代码, 支付日期, 凭证号, 金额): the 支出明细 sheet is the whole ledger
  of the year. Rows and stored payments with the same key are paired in order (the key is
  a multiset: two identical payments on one voucher stay two); a paired payment whose 退款
  or 摘要 differs is changed; unpaired rows are added and unpaired stored payments removed.
  Changing a payment's amount, date, voucher or line therefore shows as one removal and
  one addition. Importing the same file twice pairs every row the second time: nothing
  changes.

Amounts are read in 元 (``cells.amount``) and converted to the year's entry unit exactly.
A blank 全年预算数 is 年初预算数 + 预算调整 when the row gives 预算调整; when it gives all
three they must agree (the problem is at the 预算调整 cell, with the three figures).

Validation
----------
Budget lines, projects and adjustments are built as the dataset models (``ds.Line`` …),
and the year after the import goes through ``cross_check`` with every problem mapped back
to the sheet cell it came from. Payments — possibly 100,000 rows — are checked by plain
code applying the rules of ``ds.Payment`` and of ``cross_check`` (the line exists; the date
is in the year; a negative amount only as a refund and a refund only negative; whole 分;
no payments on a line that carries a final-accounts 执行数), which
``tests/excel/test_ledger_rules.py`` checks against the models.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from jixiao.core.amounts import from_yuan, tidy, to_yuan
from jixiao.core.budget import execution_rate
from jixiao.core.money import HUNDRED, ZERO, round_half_up
from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature
from jixiao.interchange import dataset as ds
from jixiao.interchange.dataset_file import cross_check
from jixiao.interchange.excel.cells import display
from jixiao.interchange.excel.headers import RowBatch, Table, TableRow
from jixiao.interchange.problems import Problem, problems_from_validation_error

MAX_NAME = 300
MAX_CLASS = 100
MAX_VOUCHER = 100
MAX_CODE = 64

Action = Literal["added", "changed", "removed"]
ACTION_LABELS: dict[str, str] = {"added": "新增", "changed": "修改", "removed": "删除"}


@dataclass(frozen=True)
class Change:
    """One change an import makes: what, which (its natural key), where in the sheet."""

    action: Action
    what: str
    """预算行, 项目, 支出."""
    key: str
    where: str = ""
    """ "预算与执行!5" for the row that makes it; "" for a stored record the sheet lacks."""
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        place = self.where or "（已存数据）"
        text = f"{place}  {ACTION_LABELS[self.action]}{self.what} {self.key}"
        return f"{text}：{'；'.join(self.details)}" if self.details else text


@dataclass(frozen=True, slots=True)
class StoredPayment:
    """A stored payment as the ledger diff needs it; amount in 元."""

    id: int
    line: str
    date: date
    amount: Decimal
    refund: bool
    voucher: str
    description: str


class NewPayment(NamedTuple):
    """A ledger row that passed every check; amount in 元."""

    line: str
    date: date
    amount: Decimal
    refund: bool
    voucher: str
    description: str
    table: int
    row: int


@dataclass
class Tables:
    """The tables found in a workbook, by kind."""

    budget: list[Table] = field(default_factory=list)
    adjustments: list[Table] = field(default_factory=list)
    ledger: list[Table] = field(default_factory=list)

    def all(self) -> list[Table]:
        return [*self.budget, *self.adjustments, *self.ledger]


@dataclass
class Plan:
    """What an import will do to a stored year."""

    before: ds.Dataset
    after: ds.Dataset
    tables: Tables
    budget_changes: list[Change] = field(default_factory=list)
    add: list[NewPayment] = field(default_factory=list)
    update: list[tuple[StoredPayment, NewPayment]] = field(default_factory=list)
    remove: list[StoredPayment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    goal_sheets: dict[str | None, str] = field(default_factory=dict)
    """Forms: the sheet each goal was read from, by project code (None: the department)."""

    @property
    def unit(self) -> AmountUnit:
        return self.before.unit

    @property
    def budget_changed(self) -> bool:
        return bool(self.budget_changes)

    def payment_changes(self) -> Iterator[Change]:
        """The ledger's changes, built on demand (there may be 100,000)."""
        for stored, row in self.update:
            details = []
            if stored.refund != row.refund:
                details.append(f"退款：{_yes(stored.refund)} → {_yes(row.refund)}")
            if stored.description != row.description:
                old, new = stored.description or "（空）", row.description or "（空）"
                details.append(f"摘要：{old} → {new}")
            yield Change("changed", "支出", _payment_key(row), self._row_where(row), tuple(details))
        for row in self.add:
            yield Change("added", "支出", _payment_key(row), self._row_where(row))
        for stored in self.remove:
            yield Change("removed", "支出", _payment_key(stored))

    def changes(self) -> Iterator[Change]:
        yield from self.budget_changes
        yield from self.payment_changes()

    def _row_where(self, row: NewPayment) -> str:
        return self.tables.ledger[row.table].row_where(row.row)


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _payment_key(payment: NewPayment | StoredPayment) -> str:
    voucher = f" {payment.voucher}" if payment.voucher else ""
    return f"{payment.line} {payment.date.isoformat()}{voucher} {payment.amount:,.2f}元"


def plan_import(tables: Tables, before: ds.Dataset, stored: Sequence[StoredPayment]) -> Plan:
    """The plan of an import of ``tables`` into the stored year ``before`` (no payments in it)."""
    adjustments = [t for t in tables.adjustments if t.count or t.problems]
    tables = Tables(tables.budget, adjustments, tables.ledger)
    plan = Plan(before=before, after=before, tables=tables)
    budget = _BudgetReader(plan) if tables.budget else None
    final_codes = budget.codes() if budget else {line.code for line in before.budget.lines}
    if tables.ledger:
        rows = _ledger_rows(plan, final_codes)
        totals = _totals((row.line, row.amount) for row in rows)
        _diff_payments(plan, rows, stored)
    else:
        totals = _totals((p.line, p.amount) for p in stored)
    if budget:
        budget.build(totals)
    elif tables.adjustments:
        plan.problems.append(
            Problem(
                tables.adjustments[0].sheet.name,
                "预算调整表须与预算与执行表在同一个工作簿中一起导入",
            )
        )
    _check_paid_lines(plan, totals, stored, final_codes)
    # The tables' own problems come first; a streamed ledger knows its own once it is read.
    plan.problems[:0] = [*_table_problems(tables), *_empty_tables(tables)]
    if not plan.problems and plan.budget_changed:
        plan.problems.extend(_mapped_cross_check(plan, budget))
    return plan


def _table_problems(tables: Tables) -> Iterator[Problem]:
    for table in tables.all():
        yield from table.problems


def _empty_tables(tables: Tables) -> Iterator[Problem]:
    for table in [*tables.budget, *tables.ledger]:
        if not table.count and not table.problems:
            yield Problem(
                table.sheet.name,
                f"{table.spec.name}没有数据行（表头在第{table.header.rows[-1] + 1}行）；"
                "空表不导入，以免误删已存数据",
            )


def _totals(items: Iterator[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line, amount in items:
        totals[line] = totals.get(line, ZERO) + amount
    return totals


def _ledger_rows(plan: Plan, lines: set[str]) -> list[NewPayment]:
    rows: list[NewPayment] = []
    for number, table in enumerate(plan.tables.ledger):
        for batch in table.iter_batches():
            _batch_payments(plan, table, number, batch, lines, rows)
    return rows


def _batch_payments(
    plan: Plan, table: Table, number: int, batch: RowBatch, lines: set[str], rows: list[NewPayment]
) -> None:
    """The batch's rows that pass every check, added to ``rows``; a row that does not is
    checked again by ``_row_payment``, which says why (column by column, not a dict and
    a ``TableRow`` per row: a ledger may have 100,000 rows, nearly all of them fine)."""
    year = plan.before.year
    failed = batch.failed
    columns = batch.columns
    checked = zip(
        batch.indices, columns["line"], columns["date"], columns["amount"], columns["refund"],
        columns["voucher"], columns["description"], strict=True,
    )  # fmt: skip
    payment = NewPayment._make  # from a tuple, without the class's own __new__ per row
    for position, (index, line, when, amount, refund, voucher, description) in enumerate(checked):
        if (
            line in lines
            and when is not None
            and when.year == year
            and amount is not None
            and (amount <= 0 if refund else amount >= 0)
            and (voucher is None or len(voucher) <= MAX_VOUCHER)
            and position not in failed
        ):
            rows.append(
                payment((
                    line, when, amount, bool(refund), voucher or "", description or "",
                    number, index,
                ))
            )  # fmt: skip
        else:
            found = _row_payment(plan, table, number, batch.row(position), lines)
            if found is not None:
                rows.append(found)


def _row_payment(
    plan: Plan, table: Table, number: int, row: TableRow, lines: set[str]
) -> NewPayment | None:
    """The payment of a ledger row, or None with its problems added to the plan."""
    year = plan.before.year
    problems = plan.problems
    values, failed = row.values, row.failed
    line, when, amount = values["line"], values["date"], values["amount"]
    ok = not failed
    if line is None or when is None or amount is None:
        ok = False
        for key in ("line", "date", "amount"):
            if values[key] is None and key not in failed:
                message = f"{table.label(key)}：不能为空"
                problems.append(Problem(table.where(row, key), message))
    refund = bool(values["refund"])
    voucher = values["voucher"] or ""
    if line is not None and line not in lines:
        problems.append(
            Problem(
                table.where(row, "line"),
                f"预算行代码：预算行“{line}”不存在（不在{year}年度的预算行中）",
            )
        )
        ok = False
    if when is not None and when.year != year:
        problems.append(
            Problem(
                table.where(row, "date"),
                f"支付日期：{when.isoformat()} 不在 {year} 年度内",
            )
        )
        ok = False
    if amount is not None and "refund" not in failed:
        if amount < 0 and not refund:
            problems.append(
                Problem(
                    table.where(row, "amount"),
                    f"金额：读到负数“{display(table.raw(row, 'amount'))}”，"
                    "只有退款（冲减）才能为负数；如是退款，请在“退款”列填“是”",
                )
            )
            ok = False
        elif refund and amount > 0:
            problems.append(
                Problem(
                    table.where(row, "refund"),
                    f"退款：标为退款，但金额“{display(table.raw(row, 'amount'))}”是正数；"
                    "退款金额应为负数",
                )
            )
            ok = False
    if len(voucher) > MAX_VOUCHER:
        problems.append(
            Problem(table.where(row, "voucher"), f"凭证号：过长（最多{MAX_VOUCHER}个字符）")
        )
        ok = False
    if not ok:
        return None
    return NewPayment(
        line, when, amount, refund, voucher, values["description"] or "", number, row.index
    )


def _diff_payments(plan: Plan, rows: list[NewPayment], stored: Sequence[StoredPayment]) -> None:
    if not stored:  # an empty ledger: every row is added
        plan.add.extend(rows)
        return
    pool: dict[tuple[str, date, str, Decimal], deque[StoredPayment]] = {}
    for payment in stored:
        key = (payment.line, payment.date, payment.voucher, payment.amount)
        pool.setdefault(key, deque()).append(payment)
    for row in rows:
        waiting = pool.get((row.line, row.date, row.voucher, row.amount))
        if not waiting:
            plan.add.append(row)
            continue
        payment = waiting.popleft()
        if payment.refund != row.refund or payment.description != row.description:
            plan.update.append((payment, row))
    plan.remove = sorted(
        (payment for waiting in pool.values() for payment in waiting), key=lambda p: p.id
    )


def _check_paid_lines(
    plan: Plan, totals: dict[str, Decimal], stored: Sequence[StoredPayment], codes: set[str]
) -> None:
    """No payments on a removed line, nor on a line that carries a final-accounts 执行数."""
    after = {line.code: line for line in plan.after.budget.lines}
    if not plan.tables.ledger:
        counts: dict[str, int] = {}
        for payment in stored:
            counts[payment.line] = counts.get(payment.line, 0) + 1
        for code, count in counts.items():
            if code not in codes and plan.tables.budget:
                plan.problems.append(
                    Problem(
                        plan.tables.budget[0].sheet.name,
                        f"预算行“{code}”不在表中（导入后将被删除），但它已有 {count} 笔支出明细；"
                        "如确需删除，请先导入不含这些支出的支出明细表",
                    )
                )
    first_row: dict[str, NewPayment] = {}
    for row in plan.add:
        first_row.setdefault(row.line, row)
    for code in totals:
        line = after.get(code)
        if line is None or line.executed is None:
            continue
        budget = plan.tables.budget
        where = budget[0].sheet.name if budget else plan.before.department.code
        if code in first_row:
            row = first_row[code]
            where = plan.tables.ledger[row.table].where(row.row, "line")
        plan.problems.append(
            Problem(
                where,
                f"预算行“{code}”已填写执行数 {tidy(line.executed)} {plan.unit.value}（决算口径），"
                "不能同时有支出明细；请在预算与执行表中清空该行执行数后一并导入",
            )
        )


_FIELDS: dict[str, str] = {
    "code": "code",
    "name": "name",
    "funding_source": "funding_source",
    "nature": "nature",
    "basic_kind": "basic_kind",
    "project": "project",
    "functional_class": "functional_class",
    "economic_class": "economic_class",
    "initial_budget": "initial_budget",
    "final_budget": "final_budget",
    "executed": "executed",
    "carryover": "carryover",
    "over_budget_explanation": "over_budget_explanation",
}
"""Dataset field of a line → the budget sheet's column key."""

_FIELD_LABELS = {
    "name": "预算行名称",
    "funding_source": "资金来源",
    "nature": "支出性质",
    "basic_kind": "基本支出类别",
    "project": "项目代码",
    "functional_class": "支出功能分类",
    "economic_class": "支出经济分类",
    "initial_budget": "年初预算数",
    "final_budget": "全年预算数",
    "executed": "执行数",
    "carryover": "结转和结余",
    "over_budget_explanation": "超预算说明",
    "adjustments": "预算调整",
}


@dataclass
class _Origin:
    table: Table
    row: TableRow


class _BudgetReader:
    """The budget sheet(s) and the adjustments sheet(s) of a workbook, against the stored year."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.unit = plan.before.unit
        self.year = plan.before.year
        self.stored = {line.code: line for line in plan.before.budget.lines}
        self.line_origins: list[_Origin] = []
        self.project_origins: dict[str, _Origin] = {}
        self.project_offices: dict[str, tuple[str, _Origin]] = {}
        self._office_codes = _office_lookup(plan.before.department.offices)
        self.adjustment_origins: dict[str, list[_Origin]] = {}
        self._first: dict[str, str] = {}
        self._rows: list[tuple[Table, TableRow, str]] = []
        for table in plan.tables.budget:
            for row in table.rows:
                code = row.values["code"]
                if code is None:
                    if "code" not in row.failed:
                        self._problem(table.where(row, "code"), "预算行代码：不能为空")
                    continue
                if code in self._first:
                    self._problem(
                        table.where(row, "code"),
                        f"预算行代码：“{code}”重复（第一次出现在 {self._first[code]}）",
                    )
                    continue
                self._first[code] = table.where(row, "code")
                self._rows.append((table, row, code))

    def _problem(self, where: str, message: str) -> None:
        self.plan.problems.append(Problem(where, message))

    def codes(self) -> set[str]:
        return set(self._first)

    def build(self, totals: dict[str, Decimal]) -> None:
        adjustments = self._adjustments() if self.plan.tables.adjustments else None
        lines: list[ds.Line] = []
        names: dict[str, tuple[str, _Origin]] = {}
        for table, row, code in self._rows:
            line = self._line(table, row, code, adjustments, totals, names)
            if line is not None:
                lines.append(line)
                self.line_origins.append(_Origin(table, row))
        projects = self._projects(lines, names)
        before = self.plan.before
        budget = ds.Budget(totals=before.budget.totals, projects=projects, lines=lines, payments=[])
        self.plan.after = before.model_copy(update={"budget": budget})
        self._changes(lines, projects)

    # Rows → lines

    def _amount(self, yuan: Decimal) -> Decimal:
        return from_yuan(yuan, self.unit)

    def _show(self, yuan: Decimal) -> str:
        return f"{tidy(from_yuan(yuan, self.unit))} {self.unit.value}"

    def _line(
        self,
        table: Table,
        row: TableRow,
        code: str,
        adjustments: dict[str, list[ds.AdjustmentEntry]] | None,
        totals: dict[str, Decimal],
        names: dict[str, tuple[str, _Origin]],
    ) -> ds.Line | None:
        values = row.values
        prior = self.stored.get(code)
        count = len(self.plan.problems)

        def kept(key: str, default: Any) -> Any:
            if table.has(key):
                value = values[key]
                return default if value is None else value
            return getattr(prior, _FIELDS[key]) if prior is not None else default

        def kept_amount(key: str) -> Decimal | None:
            if table.has(key):
                value: Decimal | None = values[key]
                return value
            stored = getattr(prior, _FIELDS[key]) if prior is not None else None
            return None if stored is None else to_yuan(stored, self.unit)

        for key in ("name", "funding_source", "nature"):
            if values[key] in (None, "") and key not in row.failed:
                self._problem(table.where(row, key), f"{table.label(key)}：不能为空")
        name = values["name"] or ""
        nature: Nature | None = values["nature"]
        basic_kind: BasicKind | None = kept("basic_kind", None)
        project: str | None = kept("project", None)
        self._check_nature(table, row, nature, basic_kind, project)
        self._check_lengths(table, row, code, name, kept)
        initial: Decimal = values["initial_budget"] or ZERO
        final = self._final_budget(table, row, initial)
        executed = kept_amount("executed")
        if code in totals:
            if table.has("executed") and executed is not None and executed != totals[code]:
                self._problem(
                    table.where(row, "executed"),
                    f"执行数：该预算行有支出明细，执行数由明细汇总为 {self._show(totals[code])}，"
                    f"表中为 {self._show(executed)}，不一致；请清空此格或改正",
                )
            if table.has("executed"):
                executed = None
        rate_basis = totals.get(code, executed)
        self._check_rate(table, row, rate_basis, final)
        project_name = values.get("project_name")
        if project and project_name:
            if project in names and names[project][0] != project_name:
                self._problem(
                    table.where(row, "project_name"),
                    f"项目名称：项目“{project}”的名称为“{names[project][0]}”"
                    f"（{names[project][1].table.where(names[project][1].row, 'project_name')}），"
                    f"此处却为“{project_name}”",
                )
            names.setdefault(project, (project_name, _Origin(table, row)))
        self._office(table, row, project)
        if row.failed or len(self.plan.problems) > count or final is None or nature is None:
            return None
        carryover = kept_amount("carryover")
        if adjustments is not None:
            entries = adjustments.get(code, [])
        else:
            entries = list(prior.adjustments) if prior is not None else []
        try:
            return ds.Line(
                code=code,
                name=name,
                funding_source=values["funding_source"],
                nature=nature,
                basic_kind=basic_kind,
                project=project,
                functional_class=kept("functional_class", ""),
                economic_class=kept("economic_class", ""),
                initial_budget=self._amount(initial),
                adjustments=entries,
                final_budget=self._amount(final),
                executed=None if executed is None else self._amount(executed),
                carryover=None if carryover is None else self._amount(carryover),
                over_budget_explanation=kept("over_budget_explanation", ""),
            )
        except ValidationError as error:
            for problem in problems_from_validation_error(error):
                key = _FIELDS.get(problem.where.split(".")[0].split("[")[0], "code")
                self._problem(table.where(row, key), f"{table.label(key)}：{problem.message}")
            return None

    def _office(self, table: Table, row: TableRow, project: str | None) -> None:
        """The row's 责任科室, by name or code of an office the department has (an unknown
        one is a problem: an import never creates an office)."""
        given = _text(row.values.get("office"))
        if not given:
            return
        where = table.where(row, "office")
        if not project:
            self._problem(where, f"责任科室：只有项目支出才填写（读到“{given}”）")
            return
        code = self._office_codes.get(given)
        if code is None:
            known = "、".join(sorted({o.name for o in self.plan.before.department.offices}))
            self._problem(
                where,
                f"责任科室：本部门没有科室“{given}”"
                + (f"（已有：{known}）" if known else "（尚未建立任何科室）")
                + "；请先由系统管理员在“机构与账号”中建立该科室",
            )
            return
        earlier = self.project_offices.get(project)
        if earlier is not None and earlier[0] != code:
            first = earlier[1].table.where(earlier[1].row, "office")
            self._problem(
                where, f"责任科室：项目“{project}”在 {first} 的责任科室与此处“{given}”不一致"
            )
            return
        self.project_offices.setdefault(project, (code, _Origin(table, row)))

    def _final_budget(self, table: Table, row: TableRow, initial: Decimal) -> Decimal | None:
        """全年预算数 as the row gives it, or 年初预算数 + 预算调整 when only its parts are
        given; when all three are given they must agree (a problem at 预算调整)."""
        final: Decimal | None = row.values["final_budget"]
        adjustment: Decimal | None = row.values.get("adjustment")
        if "final_budget" in row.failed:
            return None
        parts_read = not {"adjustment", "initial_budget"} & row.failed
        if final is None and adjustment is not None:
            return initial + adjustment if parts_read else None
        if final is None:
            hint = "（或填写 预算调整，按 年初预算数 + 预算调整 计算）"
            hint = hint if table.has("adjustment") else ""
            self._problem(table.where(row, "final_budget"), f"全年预算数：不能为空{hint}")
        elif parts_read and adjustment is not None and initial + adjustment != final:
            self._problem(
                table.where(row, "adjustment"),
                f"预算调整：年初预算数 {self._show(initial)} + 预算调整 {self._show(adjustment)}"
                f" = {self._show(initial + adjustment)}，与全年预算数 {self._show(final)} 不一致"
                f"（预算调整应为 {self._show(final - initial)}）；三者都填写时须相符，"
                "也可清空全年预算数，由年初预算数和预算调整计算",
            )
        return final

    def _check_nature(
        self,
        table: Table,
        row: TableRow,
        nature: Nature | None,
        basic_kind: BasicKind | None,
        project: str | None,
    ) -> None:
        if nature is Nature.project and not project:
            self._problem(
                table.where(row, "project"), "项目代码：支出性质为项目支出，必须填写项目代码"
            )
        if nature is Nature.basic and project:
            self._problem(
                table.where(row, "project"),
                f"项目代码：基本支出不应填写项目代码（读到“{project}”）",
            )
        if basic_kind is not None and nature is not None and nature is not Nature.basic:
            self._problem(
                table.where(row, "basic_kind"),
                f"基本支出类别：只有基本支出才填写（读到“{basic_kind.label}”）",
            )

    def _check_lengths(self, table: Table, row: TableRow, code: str, name: str, kept: Any) -> None:
        limits = (
            ("code", code, MAX_CODE),
            ("name", name, MAX_NAME),
            ("project_name", row.values.get("project_name") or "", MAX_NAME),
            ("functional_class", kept("functional_class", ""), MAX_CLASS),
            ("economic_class", kept("economic_class", ""), MAX_CLASS),
        )
        for key, value, most in limits:
            if len(value) > most:
                message = f"{table.label(key)}：过长（最多{most}个字符）"
                self._problem(table.where(row, key), message)

    def _check_rate(
        self, table: Table, row: TableRow, executed: Decimal | None, final: Decimal | None
    ) -> None:
        claimed: Decimal | None = row.values.get("execution_rate")
        if claimed is None or final is None:
            return
        if executed is None:
            self._problem(table.where(row, "execution_rate"), "执行率：填写了执行率，但没有执行数")
            return
        rate = execution_rate(executed, final)
        if rate is None:
            return
        exponent = claimed.normalize().as_tuple().exponent
        places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 2
        computed = round_half_up(rate * HUNDRED, places)
        if round_half_up(claimed, places) != computed:
            self._problem(
                table.where(row, "execution_rate"),
                f"执行率：表中为 {display(table.raw(row, 'execution_rate'))}"
                f"（即 {tidy(claimed)}%），但 执行数 ÷ 全年预算数 = {computed}%",
            )

    def _adjustments(self) -> dict[str, list[ds.AdjustmentEntry]]:
        found: dict[str, list[ds.AdjustmentEntry]] = {}
        codes = self.codes()
        for table in self.plan.tables.adjustments:
            for row in table.rows:
                values = row.values
                missing = [k for k in ("line", "date", "amount") if values[k] is None]
                for key in missing:
                    if key not in row.failed:
                        self._problem(table.where(row, key), f"{table.label(key)}：不能为空")
                if missing or row.failed:
                    continue
                line, when = values["line"], values["date"]
                if line not in codes:
                    self._problem(
                        table.where(row, "line"),
                        f"预算行代码：预算行“{line}”不在预算与执行表中",
                    )
                    continue
                if when.year != self.year:
                    self._problem(
                        table.where(row, "date"),
                        f"调整日期：{when.isoformat()} 不在 {self.year} 年度内",
                    )
                    continue
                number = values["document_number"] or ""
                if len(number) > MAX_VOUCHER:
                    self._problem(
                        table.where(row, "document_number"),
                        f"文号：过长（最多{MAX_VOUCHER}个字符）",
                    )
                    continue
                found.setdefault(line, []).append(
                    ds.AdjustmentEntry(
                        date=when,
                        amount=self._amount(values["amount"]),
                        document_number=number,
                        reason=values["reason"] or "",
                    )
                )
                self.adjustment_origins.setdefault(line, []).append(_Origin(table, row))
        return found

    # Projects and changes

    def _projects(
        self, lines: list[ds.Line], names: dict[str, tuple[str, _Origin]]
    ) -> list[ds.Project]:
        projects = list(self.plan.before.budget.projects)
        index = {project.code: n for n, project in enumerate(projects)}
        for code, (name, origin) in names.items():
            if code in index:
                if projects[index[code]].name != name:
                    projects[index[code]] = projects[index[code]].model_copy(update={"name": name})
                    self.project_origins[code] = origin
            else:
                try:
                    projects.append(ds.Project(code=code, name=name))
                except ValidationError as error:
                    for problem in problems_from_validation_error(error):
                        where = origin.table.where(origin.row, "project")
                        self._problem(where, f"项目代码：{problem.message}")
                    continue
                index[code] = len(projects) - 1
                self.project_origins[code] = origin
        for code, (office, origin) in self.project_offices.items():
            if code in index and projects[index[code]].office != office:
                projects[index[code]] = projects[index[code]].model_copy(update={"office": office})
                self.project_origins.setdefault(code, origin)
        for line, origin in zip(lines, self.line_origins, strict=True):
            if line.project and line.project not in index:
                self._problem(
                    origin.table.where(origin.row, "project"),
                    f"项目代码：项目“{line.project}”尚未登记；新项目请在“项目名称”列填写名称",
                )
        return projects

    def _changes(self, lines: list[ds.Line], projects: list[ds.Project]) -> None:
        changes = self.plan.budget_changes
        before_projects = {p.code: p for p in self.plan.before.budget.projects}
        for project in projects:
            prior_project = before_projects.get(project.code)
            found = self.project_origins.get(project.code)
            where = found.table.row_where(found.row) if found else ""
            if prior_project is None:
                changes.append(Change("added", "项目", project.code, where, (project.name,)))
            else:
                details = _project_differences(prior_project, project)
                if details:
                    changes.append(Change("changed", "项目", project.code, where, details))
        for line, origin in zip(lines, self.line_origins, strict=True):
            prior = self.stored.get(line.code)
            where = origin.table.row_where(origin.row)
            if prior is None:
                changes.append(Change("added", "预算行", line.code, where, (line.name,)))
            elif prior != line:
                details = _differences(prior, line)
                changes.append(Change("changed", "预算行", line.code, where, details))
        kept = {line.code for line in lines}
        for line in self.plan.before.budget.lines:
            if line.code not in kept:
                changes.append(Change("removed", "预算行", line.code, "", (line.name,)))

    # Mapping cross_check's dataset paths back to cells

    def locate(self, path: str) -> str | None:
        match = re.match(r"^budget\.(lines|projects)\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?", path)
        if not match:
            return None
        kind, index = match.group(1), int(match.group(2))
        name, position = match.group(3), match.group(4)
        after = self.plan.after.budget
        if kind == "lines":
            if index >= len(self.line_origins):
                return None
            line = after.lines[index]
            if name == "adjustments" and position is not None:
                origins = self.adjustment_origins.get(line.code, [])
                if int(position) < len(origins):
                    origin = origins[int(position)]
                    return origin.table.where(origin.row, "date")
            origin = self.line_origins[index]
            return origin.table.where(origin.row, _FIELDS.get(name or "code", "code"))
        if index >= len(after.projects):
            return None
        code = after.projects[index].code
        found = self.project_origins.get(code) or next(
            (o for ln, o in zip(after.lines, self.line_origins, strict=True) if ln.project == code),
            None,
        )
        return found.table.where(found.row, "project") if found else None


def _mapped_cross_check(plan: Plan, budget: _BudgetReader | None) -> list[Problem]:
    problems = []
    for problem in cross_check(plan.after):
        where = budget.locate(problem.where) if budget else None
        problems.append(Problem(where or f"导入后的数据 {problem.where}", problem.message))
    return problems


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, FundingSource | Nature | BasicKind):
        return value.label
    if isinstance(value, Decimal):
        return str(tidy(value))
    return str(value)


def _office_lookup(offices: Sequence[ds.NamedCode]) -> dict[str, str]:
    """An office's code by its name or its code (names first: people write names)."""
    lookup = {office.code: office.code for office in offices}
    lookup.update({office.name: office.code for office in offices})
    return lookup


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _project_differences(before: ds.Project, after: ds.Project) -> tuple[str, ...]:
    details = []
    if before.name != after.name:
        details.append(f"项目名称：{before.name} → {after.name}")
    if before.office != after.office:
        details.append(f"责任科室：{before.office or '（无）'} → {after.office or '（无）'}")
    return tuple(details)


def _differences(before: ds.Line, after: ds.Line) -> tuple[str, ...]:
    details = []
    for name, label in _FIELD_LABELS.items():
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name == "adjustments":
            details.append(f"{label}：{len(old)}笔 → {len(new)}笔" if len(old) != len(new)
                           else f"{label}：内容有变化")  # fmt: skip
        else:
            details.append(f"{label}：{_show(old)} → {_show(new)}")
    return tuple(details)
