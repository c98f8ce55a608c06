"""The synthetic 2023 ledger reproduces every published figure and looks like a real year."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.vocabulary import BasicKind, FundingSource, Nature
from jixiao.demo import synthetic
from jixiao.demo.synthetic import (
    EXECUTED_TARGETS,
    FINAL_BUDGET_TOTAL,
    demo_dataset_2023,
    synthetic_budget_2023,
    synthetic_year_2022,
)
from jixiao.interchange.dataset import Budget, Dataset
from jixiao.interchange.dataset_file import read_dataset

from .ledger import (
    ZERO,
    executed_by_line,
    final_budget_by_project,
    line_total,
    monthly_totals,
    published_precision,
    rate_by_project,
    yuan,
)

DEMO = Path(synthetic.__file__).resolve().parent / "liwan-2023.yaml"
PAYMENT_LIMIT = 3000
TWO_MILLION_YUAN = Decimal(2_000_000)  # 200 万元: the size the absolute monitoring rule watches


@pytest.fixture(scope="module")
def published() -> Dataset:
    return read_dataset(DEMO)


@pytest.fixture(scope="module")
def budget() -> Budget:
    return synthetic_budget_2023()


@pytest.fixture(scope="module")
def executed(budget: Budget) -> dict[str, Decimal]:
    return executed_by_line(budget)


def test_it_generates_the_same_ledger_every_time(published: Dataset) -> None:
    assert synthetic_budget_2023() == synthetic_budget_2023()
    assert synthetic_year_2022() == synthetic_year_2022()
    assert demo_dataset_2023(published) == demo_dataset_2023(published)


def test_the_final_budgets_add_up_to_the_published_total_to_the_fen(
    budget: Budget, published: Dataset
) -> None:
    total = sum((yuan(line.final_budget) for line in budget.lines), ZERO)
    assert total == FINAL_BUDGET_TOTAL == Decimal("1031181900")
    assert published_precision(total) == published.budget.totals.final_budget


def test_the_ledger_reproduces_the_published_executed_total(
    budget: Budget, executed: dict[str, Decimal], published: Dataset
) -> None:
    total = sum(executed.values(), ZERO)
    assert total == Decimal("772616680.43")
    assert published_precision(total) == published.budget.totals.executed == Decimal("77261.67")


@pytest.mark.parametrize("source", list(FundingSource))
def test_the_ledger_reproduces_the_published_executed_amount_of_each_source(
    source: FundingSource, budget: Budget, executed: dict[str, Decimal], published: Dataset
) -> None:
    amount = line_total(budget.lines, executed, funding_source=source)
    assert published_precision(amount) == published.budget.totals.executed_by_source[source]


@pytest.mark.parametrize("nature", list(Nature))
def test_the_ledger_reproduces_the_published_executed_amount_of_each_nature(
    nature: Nature, budget: Budget, executed: dict[str, Decimal], published: Dataset
) -> None:
    amount = line_total(budget.lines, executed, nature=nature)
    assert published_precision(amount) == published.budget.totals.executed_by_nature[nature]


def test_each_source_and_nature_hits_its_exact_target_in_yuan(
    budget: Budget, executed: dict[str, Decimal]
) -> None:
    for (source, nature), target in EXECUTED_TARGETS.items():
        assert line_total(budget.lines, executed, funding_source=source, nature=nature) == target
    assert sum(EXECUTED_TARGETS.values(), ZERO) == Decimal("772616680.43")


def test_the_published_basic_and_project_figures_do_not_add_up_but_the_yuan_targets_do(
    published: Dataset,
) -> None:
    by_nature = published.budget.totals.executed_by_nature
    assert by_nature[Nature.basic] + by_nature[Nature.project] == Decimal("77261.66")
    basic = sum((a for (_, n), a in EXECUTED_TARGETS.items() if n is Nature.basic), ZERO)
    project = sum((a for (_, n), a in EXECUTED_TARGETS.items() if n is Nature.project), ZERO)
    assert published_precision(basic + project) == Decimal("77261.67")


def test_no_line_is_funded_by_the_state_capital_budget(budget: Budget) -> None:
    sources = {line.funding_source for line in budget.lines}
    assert FundingSource.state_capital_budget not in sources


def test_basic_expenditure_is_personnel_and_running_costs_on_the_general_budget(
    budget: Budget,
) -> None:
    basic = [line for line in budget.lines if line.nature is Nature.basic]
    assert {line.basic_kind for line in basic} == {BasicKind.personnel, BasicKind.operations}
    assert {line.funding_source for line in basic} == {FundingSource.general_public_budget}


def test_land_reserve_and_expropriation_take_the_bulk_of_the_money(budget: Budget) -> None:
    fund_source = FundingSource.government_fund_budget
    fund = [line for line in budget.lines if line.funding_source is fund_source]
    fund_total = sum((line.final_budget for line in fund), ZERO)
    assert fund_total / sum((line.final_budget for line in budget.lines), ZERO) > Decimal("0.9")
    assert {line.name for line in fund} >= {"土地储备及前期开发经费", "征地拆迁补偿及安置经费"}
    other = [line for line in budget.lines if line.funding_source is FundingSource.other_funds]
    assert len(other) == 1


def test_initial_budget_plus_adjustments_is_the_final_budget_on_every_line(
    budget: Budget,
) -> None:
    for line in budget.lines:
        adjusted = line.initial_budget + sum((a.amount for a in line.adjustments), ZERO)
        assert adjusted == line.final_budget, line.code
    adjusted_lines = [line for line in budget.lines if line.adjustments]
    assert len(adjusted_lines) >= 3
    for line in adjusted_lines:
        for adjustment in line.adjustments:
            assert re.fullmatch(r"荔财预〔2023〕\d+号", adjustment.document_number)
            assert adjustment.reason
            assert adjustment.date.year == 2023
    assert any(a.amount < 0 for line in adjusted_lines for a in line.adjustments)


def test_no_line_spends_more_than_its_final_budget(
    budget: Budget, executed: dict[str, Decimal]
) -> None:
    for line in budget.lines:
        assert ZERO < executed[line.code] <= yuan(line.final_budget), line.code


def test_every_payment_is_dated_inside_2023_on_a_working_day(budget: Budget) -> None:
    make_up_days = {date(2023, 1, 28), date(2023, 1, 29), date(2023, 4, 23), date(2023, 5, 6),
                    date(2023, 6, 25), date(2023, 10, 7), date(2023, 10, 8)}
    for payment in budget.payments:
        assert date(2023, 1, 1) <= payment.date <= date(2023, 12, 31)
        assert payment.date.weekday() < 5 or payment.date in make_up_days
        assert payment.date not in {date(2023, 1, 24), date(2023, 10, 2)}  # public holidays


def test_refunds_are_negative_and_flagged_and_every_other_payment_is_positive(
    budget: Budget,
) -> None:
    refunds = [payment for payment in budget.payments if payment.refund]
    assert 3 <= len(refunds) <= 10
    for payment in budget.payments:
        assert (payment.amount < 0) == payment.refund
        assert payment.amount != 0
    assert all("退" in payment.description for payment in refunds)


def test_every_amount_is_exact_to_the_fen(budget: Budget) -> None:
    for payment in budget.payments:
        assert yuan(payment.amount) == yuan(payment.amount).quantize(Decimal("0.01"))


def test_vouchers_are_numbered_by_month_and_unique(budget: Budget) -> None:
    vouchers = [payment.voucher for payment in budget.payments]
    assert len(set(vouchers)) == len(vouchers)
    for payment in budget.payments:
        match = re.fullmatch(r"记-2023-(\d{2})-(\d{4})", payment.voucher)
        assert match and int(match.group(1)) == payment.date.month
        assert payment.description


def test_the_ledger_stays_a_few_thousand_payments_at_most(budget: Budget) -> None:
    assert 500 < len(budget.payments) < PAYMENT_LIMIT
    assert 500 < len(synthetic_year_2022().budget.payments) < PAYMENT_LIMIT


def test_big_lines_get_dozens_of_payments_a_month_and_small_ones_a_few(budget: Budget) -> None:
    per_line: dict[str, int] = {}
    for payment in budget.payments:
        per_line[payment.line] = per_line.get(payment.line, 0) + 1
    assert per_line["LW23-P01-01"] > 12 * 15
    assert all(per_line[line.code] >= 10 for line in budget.lines)
    assert per_line["LW23-P04-01"] < 24


def test_spending_is_back_loaded_toward_december(budget: Budget) -> None:
    months = monthly_totals(budget)
    total = sum(months, ZERO)
    assert max(months) == months[11]
    assert sum(months[:3], ZERO) / total < Decimal("0.15")
    assert sum(months[9:], ZERO) / total > Decimal("0.40")


def test_salaries_are_nearly_flat_from_month_to_month(budget: Budget) -> None:
    salaries = next(line for line in budget.lines if line.basic_kind is BasicKind.personnel)
    months = [ZERO] * 12
    for payment in budget.payments:
        if payment.line == salaries.code:
            months[payment.date.month - 1] += yuan(payment.amount)
    mean = sum(months[:11], ZERO) / 11
    assert all(abs(month - mean) / mean < Decimal("0.05") for month in months[:11])
    assert months[11] > mean  # the year-end bonus


def test_three_large_projects_are_below_60_percent_at_the_end_of_august(budget: Budget) -> None:
    finals = final_budget_by_project(budget)
    august = rate_by_project(budget, 8)
    large = {code for code, final in finals.items() if final >= TWO_MILLION_YUAN}
    lagging = {code for code in large if august[code] < Decimal("0.6")}
    assert lagging == {"LW23-P01", "LW23-P02", "LW23-P04"}
    assert len(large - lagging) >= 3  # the other large projects are on time


def test_recurrent_projects_lag_and_lead_at_the_end_of_october(budget: Budget) -> None:
    october = rate_by_project(budget, 10)
    recurrent = {project.code for project in budget.projects if project.recurrent}
    below_80 = {code for code in recurrent if october[code] < Decimal("0.8")}
    below_50 = {code for code in recurrent if october[code] < Decimal("0.5")}
    assert below_80 == {"LW23-P05", "LW23-P14"}
    assert below_50 == {"LW23-P14"}
    assert len(recurrent - below_80) >= 4


def test_some_projects_run_ahead_of_time(budget: Budget) -> None:
    august = rate_by_project(budget, 8)
    ahead = {code for code, rate in august.items() if rate >= Decimal(8) / 12}
    assert len(ahead) >= 3
    assert "LW23-P07" in ahead


def test_every_project_has_an_office_and_a_budget_line(budget: Budget) -> None:
    offices = {office.code for office in synthetic.demo_offices()}
    with_lines = {line.project for line in budget.lines}
    assert 12 <= len(budget.projects) <= 16
    for project in budget.projects:
        assert project.office in offices
        assert project.code in with_lines
        assert re.fullmatch(r"LW23-P\d{2}", project.code)
