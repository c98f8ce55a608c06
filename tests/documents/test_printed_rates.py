"""One figure, one value: a printed 执行率 is the rate of the printed 万元 figures, or a
说明 under the form says why not."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.goals import Funds, FundsRow
from jixiao.core.scoring import evaluate_execution
from jixiao.documents.evaluation_forms import rate_note, rate_of_printed, wan
from jixiao.interchange.rule_files import load_rule_set

RULES = load_rule_set("mof-2020-project")

yuan = st.integers(min_value=1, max_value=10**11).map(lambda fen: Decimal(fen) / 100)


def funds(final_budget: Decimal, executed: Decimal) -> FundsRow:
    return FundsRow("年度资金总额", final_budget, final_budget, executed)


@given(final_budget=yuan, share=st.integers(min_value=0, max_value=12_000))
def test_a_printed_rate_is_the_rate_of_the_printed_figures_or_a_note_says_why(
    final_budget: Decimal, share: int
) -> None:
    executed = (final_budget * share / 10_000).quantize(Decimal("0.01"))
    total = funds(final_budget, executed)
    percent = evaluate_execution(Funds(total), RULES).rate_percent
    assert percent is not None
    from_printed = rate_of_printed(wan(executed), wan(final_budget))
    note = rate_note(total, percent)
    if from_printed == percent:
        assert note is None
    elif from_printed is None:  # the budget prints as 0.00
        assert note is not None and f"{percent:.2f}%" in note
    else:
        assert note is not None
        assert f"{percent:.2f}%" in note and f"{from_printed:.2f}%" in note and "尾差" in note


def test_the_demo_project_rate_is_explained_under_its_form() -> None:
    total = funds(Decimal("2750000.00"), Decimal("2651438.59"))
    percent = evaluate_execution(Funds(total), RULES).rate_percent
    assert percent == Decimal("96.42")
    assert rate_of_printed(wan(total.executed), wan(total.final_budget)) == Decimal("96.41")
    assert rate_note(total, percent) == (
        "执行率96.42%按元计算（2,651,438.59元÷2,750,000.00元），与按表中万元数计算的"
        "96.41%之间的尾差系四舍五入所致。"
    )
