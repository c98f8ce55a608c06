"""The bulk payment insert (``storing.insert_payments``: COPY on PostgreSQL, a prepared
INSERT per row elsewhere) stores exactly what the ORM stores, odd text included, and the
ledger import stores exactly the rows its plan adds.

The same tests run on PostgreSQL when the suite is pointed at it (``tests/run.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jixiao.core.money import CENT
from jixiao.interchange.dataset_file import parse_dataset
from jixiao.services import ledger_sums
from jixiao.services.excel_import import import_workbook
from jixiao.services.storing import insert_payments, store_dataset
from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

ODD_TEXTS = [
    "",
    "tab\there",
    "back\\slash \\t \\n \\\\",
    "line\nbreak\r\nand return\r",
    "quotes ' \" `",
    "\\N",
    "NULL",
    "null",
    "comma, semicolon; pipe | bar",
    "全角，中文“引号”与　空格",
    "emoji 😀 and combining é",
    "x" * 20_000,
    "摘" * 5_000 + "\t" + "\\" * 100,
    " leading and trailing spaces ",
]
FIELDS = ("date", "amount", "is_refund", "voucher", "description")


def _two_lines() -> tuple[int, int]:
    department, _ = m.Department.objects.get_or_create(code="copy", name="批量写入测试局")
    fiscal_year, _ = m.FiscalYear.objects.get_or_create(department=department, year=2024)
    ids = []
    for code in ("A", "B"):
        line, _ = m.BudgetLine.objects.get_or_create(
            fiscal_year=fiscal_year, code=code, name=f"预算行{code}",
            defaults={"funding_source": "general_public_budget", "nature": "basic",
                      "initial_budget": Decimal(0), "final_budget": Decimal(0)},
        )  # fmt: skip
        ids.append(line.pk)
    return ids[0], ids[1]


def _stored(line: int) -> list[tuple[Any, ...]]:
    return list(m.Payment.objects.filter(budget_line_id=line).order_by("id").values_list(*FIELDS))


def _both_ways(rows: list[tuple[date, Decimal, bool, str, str]]) -> None:
    """The rows inserted by ``insert_payments`` into one line and by the ORM into another
    read back the same."""
    bulk, orm = _two_lines()
    m.Payment.objects.filter(budget_line_id__in=(bulk, orm)).delete()
    insert_payments([(bulk, *row) for row in rows])
    m.Payment.objects.bulk_create(
        m.Payment(budget_line_id=orm, date=day, amount=amount, is_refund=refund,
                  voucher=voucher, description=text)
        for day, amount, refund, voucher, text in rows
    )  # fmt: skip
    assert _stored(bulk) == _stored(orm)
    assert [row[4] for row in _stored(bulk)] == [row[4] for row in rows]


def test_odd_text_is_stored_as_the_orm_stores_it() -> None:
    rows = [
        (date(2024, 1, 1) + timedelta(days=n), Decimal(n * 137 - 900).scaleb(-2), n % 3 == 0,
         ODD_TEXTS[-n % len(ODD_TEXTS)][:100], text)
        for n, text in enumerate(ODD_TEXTS)
    ]  # fmt: skip
    _both_ways(rows)


amounts = st.integers(-(10**15) + 1, 10**15 - 1).map(lambda cents: Decimal(cents).scaleb(-2))
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
payment_rows = st.lists(
    st.tuples(
        st.dates(date(1900, 1, 1), date(2999, 12, 31)),
        amounts,
        st.booleans(),
        texts.map(lambda text: text[:100]),
        texts,
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payment_rows)
def test_any_rows_are_stored_as_the_orm_stores_them(
    rows: list[tuple[date, Decimal, bool, str, str]],
) -> None:
    _both_ways(rows)


def test_the_kept_sums_follow_a_bulk_insert() -> None:
    bulk, orm = _two_lines()
    rows = [
        (bulk if n % 2 else orm, date(2024, 1 + n % 12, 1 + n % 28),
         Decimal(n * 7919 % 100_000 - 20_000).scaleb(-2), False, f"V{n}", ODD_TEXTS[n % 5])
        for n in range(3000)
    ]  # fmt: skip
    insert_payments(rows)
    grouped: dict[tuple[int, int, int], tuple[Decimal, int]] = {}
    for line, day, amount, *_ in rows:
        total, count = grouped.get((line, day.year, day.month), (Decimal(0), 0))
        grouped[(line, day.year, day.month)] = (total + amount, count + 1)
    fiscal_years = m.BudgetLine.objects.values_list("fiscal_year_id", flat=True).distinct()
    kept = {
        (row.budget_line_id, row.year, row.month): (row.amount, row.payments)
        for row in ledger_sums.line_months(fiscal_years)
    }
    assert ledger_sums.kept_by_triggers()
    assert kept == {key: (total.quantize(CENT), n) for key, (total, n) in grouped.items()}


def _ledger(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "支出明细"
    sheet.append(["部门代码", "test-dept"])
    sheet.append(["年度", 2024])
    sheet.append(["单位：元"])
    sheet.append(["序号", "预算行代码", "支付日期", "凭证号", "金额", "退款", "摘要"])
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    book.save(path)
    return path


def test_the_import_stores_exactly_the_rows_its_plan_adds(
    small_year_text: str, tmp_path: Path
) -> None:
    store_dataset(parse_dataset(small_year_text.encode()))
    lines = list(
        m.BudgetLine.objects.filter(fiscal_year__year=2024, executed__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    texts = [text for text in ODD_TEXTS if text.strip()]
    rows = [
        [lines[n % len(lines)], date(2024, 1 + n % 12, 1 + n % 28), f"记-{n}\\{n}",
         (n * 3137 % 900_000) / 100 or 1.5, "否", texts[n % len(texts)][:32_000]]
        for n in range(200)
    ]  # fmt: skip
    path = _ledger(tmp_path / "ledger.xlsx", rows)
    planned = import_workbook(path, dry_run=True).plan.add
    assert len(planned) == len(rows)
    ids = set(m.Payment.objects.values_list("id", flat=True))
    import_workbook(path)
    added = m.Payment.objects.exclude(id__in=ids).order_by("id")
    stored = [
        (p.budget_line.code, p.date, p.amount, p.is_refund, p.voucher, p.description)
        for p in added.select_related("budget_line")
    ]
    assert stored == [
        (row.line, row.date, row.amount, row.refund, row.voucher, row.description)
        for row in planned
    ]
