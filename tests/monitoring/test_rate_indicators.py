"""A rate-type indicator (满意度 ≥95%, 合格率, 整改率) is a level compared with its target.

"1-7月完成48%" of a 95% satisfaction target is not 48% of the way there with five months
to go: the rate is what it is on the date, and is compared with the target as it stands.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jixiao.core.monitoring import Likelihood, is_rate
from jixiao.core.targets import parse_quantity

from .builders import indicator, run

END_OF_JULY = date(2024, 7, 31)


def status_of(item):
    (status,) = run(END_OF_JULY, [], [item]).indicators
    return status


def test_a_target_in_percent_is_a_rate_and_a_count_is_not():
    assert is_rate(parse_quantity("95%"))
    assert is_rate(parse_quantity("９５％"))
    assert not is_rate(parse_quantity("100个"))
    assert not is_rate(parse_quantity("30万元"))


def test_a_satisfaction_rate_is_not_accumulated_over_the_months():
    status = status_of(indicator("≥95%", "48%"))
    assert status.rate is True
    assert status.progress_ratio == Decimal("48") / Decimal("95")
    # a count at 48/95 by the end of July would be projected to 48/95 ÷ 7/12 ≈ 87 %;
    # the rate stays what it is
    assert status.projected_ratio == status.progress_ratio
    assert status.projected_to_miss is True
    assert status.likelihood is Likelihood.possible


def test_a_rate_already_at_its_target_is_met():
    status = status_of(indicator("≥90%", "96%"))
    assert status.rate is True
    assert status.projected_ratio == Decimal("96") / Decimal("90")
    assert status.likelihood is Likelihood.certain


def test_a_count_is_still_projected_at_its_pace():
    status = status_of(indicator("≥100个", "50个"))
    assert status.rate is False
    assert status.projected_ratio == Decimal("0.5") / (Decimal(7) / Decimal(12))
