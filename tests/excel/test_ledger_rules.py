"""The ledger's plain-code checks agree with the dataset models and cross_check.

Large ledgers are validated row by row in plain code (``planning._ledger_rows``) rather
than through 100,000 pydantic models; these properties hold that code to the models' rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jixiao.interchange import dataset as ds
from jixiao.interchange.dataset_file import cross_check, parse_dataset
from jixiao.interchange.excel.headers import read_table
from jixiao.interchange.excel.layouts import LEDGER
from jixiao.interchange.excel.planning import Tables, plan_import
from jixiao.interchange.excel.workbook import Sheet
from tests.conftest import SMALL_YEAR

YEAR = parse_dataset(SMALL_YEAR.encode())
BEFORE = YEAR.model_copy(update={"budget": YEAR.budget.model_copy(update={"payments": []})})

payments = st.tuples(
    st.sampled_from(["L01", "L02", "B01", "L99"]),
    st.dates(dt.date(2023, 12, 25), dt.date(2025, 1, 5)),
    st.decimals(-10**7, 10**7, places=3, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs")), max_size=12),
)


def _models_accept(line: str, when: dt.date, yuan: Decimal, refund: bool, voucher: str) -> bool:
    try:
        payment = ds.Payment(line=line, date=when, amount=yuan / 10000, refund=refund,
                             voucher=voucher)  # fmt: skip
    except ValidationError:
        return False
    dataset = YEAR.model_copy(
        update={"budget": YEAR.budget.model_copy(update={"payments": [payment]})}
    )
    return not list(cross_check(dataset))


def _plain_accepts(line: str, when: dt.date, yuan: Decimal, refund: bool, voucher: str) -> bool:
    rows: list[list[object]] = [
        ["单位：元"],
        ["预算行代码", "支付日期", "金额", "退款", "凭证号"],
        [line, when, str(yuan), "是" if refund else "否", voucher],
    ]
    table = read_table(Sheet("支出明细", rows), LEDGER)  # type: ignore[arg-type]
    assert table is not None
    plan = plan_import(Tables(ledger=[table]), BEFORE, [])
    return not plan.problems


@settings(max_examples=300, deadline=None)
@given(payments)
def test_the_plain_ledger_checks_accept_exactly_what_the_models_accept(
    payment: tuple[str, dt.date, Decimal, bool, str],
) -> None:
    assert _plain_accepts(*payment) == _models_accept(*payment), payment


def test_the_examples_cover_both_outcomes() -> None:
    assert _plain_accepts("L01", dt.date(2024, 5, 1), Decimal("12.34"), False, "记-1")
    assert not _plain_accepts("L01", dt.date(2024, 5, 1), Decimal("-12.34"), False, "记-1")
    assert _plain_accepts("L01", dt.date(2024, 5, 1), Decimal("-12.34"), True, "记-1")
