"""Backtest: year-end forecasts at the end of July, profile method against naive extrapolation.

Generated years with known outcomes (fixed seed, nothing read from outside):

* ``--departments`` departments, each with its own back-loaded spending pattern (a
  cumulative curve (month/12)^k with k between 1.2 and 2.2, plus a December peak of 10 %
  to 30 % of the year);
* ``--years`` earlier years per department: every month's department total is the
  pattern times multiplicative noise (lognormal, σ 0.25) — the ledger the profile is
  built from (``profile_from_history``, as ``jixiao.services.monitoring`` does);
* in the monitored year, ``--projects`` projects per department, each with a budget, a
  true year-end execution rate (most 70 %–100 %, one in five lagging at 30 %–70 %) and its
  own monthly noise (σ 0.35) around the department's pattern.

At ``--as-of`` (default 31 July) each project's year-end executed amount is forecast

* with the department's own profile (``forecast_project``: executed ÷ the profile's share
  at the date, capped at the budget),
* with the default profile (``DEFAULT_PROFILE``), for reference,
* naively: executed ÷ time progress (7/12), capped the same way,

and the mean absolute percentage error (MAPE) against the true year-end amount is
printed for each, with the winner of profile against naive (target: the profile wins).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

YEAR = 2024
MONTHS = 12


@dataclass(frozen=True)
class Outcome:
    budget: Decimal
    monthly: tuple[Decimal, ...]

    @property
    def year_end(self) -> Decimal:
        return sum(self.monthly, Decimal(0))


def _cents(value: float) -> Decimal:
    """A generated amount as Decimal 元 (the core takes no floats)."""
    return Decimal(round(value * 100)).scaleb(-2)


def pattern(rng: random.Random) -> list[float]:
    """A department's expected monthly shares: back-loaded, with a December peak."""
    k = rng.uniform(1.2, 2.2)
    december = rng.uniform(0.10, 0.30)
    curve = [((m / 11) ** k) * (1 - december) for m in range(MONTHS)]
    shares = [curve[m] - (curve[m - 1] if m else 0.0) for m in range(MONTHS - 1)]
    return [*shares, 1 - sum(shares)]


def _noisy(shares: Sequence[float], sigma: float, rng: random.Random) -> list[float]:
    weights = [max(s, 0.002) * math.exp(rng.gauss(-sigma * sigma / 2, sigma)) for s in shares]
    total = sum(weights)
    return [w / total for w in weights]


def history(shares: Sequence[float], years: int, rng: random.Random) -> dict[int, list[Decimal]]:
    """Earlier years' monthly department totals (元)."""
    result = {}
    for year in range(YEAR - years, YEAR):
        total = rng.uniform(5e7, 5e8)
        result[year] = [_cents(total * s) for s in _noisy(shares, 0.25, rng)]
    return result


def project(shares: Sequence[float], rng: random.Random) -> Outcome:
    budget = _cents(rng.uniform(5e5, 5e7))
    rate = rng.uniform(0.3, 0.7) if rng.random() < 0.2 else rng.uniform(0.7, 1.0)
    monthly = [_cents(float(budget) * rate * s) for s in _noisy(shares, 0.35, rng)]
    return Outcome(budget, tuple(monthly))


def _mape(pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    errors = [abs(forecast - actual) / actual for forecast, actual in pairs if actual > 0]
    return sum(errors, Decimal(0)) / Decimal(len(errors)) * 100


def main(argv: list[str] | None = None) -> int:
    from jixiao.core.forecast import DEFAULT_PROFILE, forecast_project, profile_from_history

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--years", type=int, default=3, help="earlier years per department")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(YEAR, 7, 31))
    parser.add_argument("--seed", type=int, default=20240731)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    own: list[tuple[Decimal, Decimal]] = []
    default: list[tuple[Decimal, Decimal]] = []
    naive: list[tuple[Decimal, Decimal]] = []
    month = args.as_of.month
    for n in range(args.departments):
        shares = pattern(rng)
        profile = profile_from_history(history(shares, args.years, rng))
        for p in range(args.projects):
            outcome = project(shares, rng)
            executed = sum(outcome.monthly[:month], Decimal(0))
            code = f"D{n:02d}-P{p:02d}"
            mine = forecast_project(code, outcome.budget, executed, args.as_of, profile)
            plain = forecast_project(code, outcome.budget, executed, args.as_of, DEFAULT_PROFILE)
            assert mine.linear_projected is not None
            own.append((mine.projected, outcome.year_end))
            default.append((plain.projected, outcome.year_end))
            naive.append((mine.linear_projected, outcome.year_end))
    count = len(own)
    print(
        f"回测：{args.departments} 个部门 × {args.projects} 个项目 = {count} 个项目，"
        f"每个部门 {args.years} 个往年台账，预测日期 {args.as_of.isoformat()}，种子 {args.seed}"
    )
    results = {
        "本部门往年支出曲线（profile）": _mape(own),
        "默认支出曲线（DEFAULT_PROFILE）": _mape(default),
        "简单线性外推（执行数 ÷ 序时进度）": _mape(naive),
    }
    for label, value in results.items():
        print(f"  {label}：全年执行数预测 MAPE {value:.2f}%")
    profile_mape = results["本部门往年支出曲线（profile）"]
    naive_mape = results["简单线性外推（执行数 ÷ 序时进度）"]
    winner = "支出曲线法更准" if profile_mape < naive_mape else "简单线性外推更准"
    print(
        f"结论：{winner}（误差之比 {profile_mape / naive_mape:.2f}；目标：支出曲线法优于线性外推）"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main())
