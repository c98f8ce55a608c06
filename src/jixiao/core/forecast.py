"""Year-end forecasts (全年预计执行数) and the adjustments they suggest (调减 / 调剂).

财预〔2019〕136号 asks monitoring to forecast full-year completion and the projected
carry-over (预计结转结余), and to cut budgets that cannot be spent through the proper
procedure (按程序调减). It gives no forecasting method; the one here is ours:

Spending through the year follows a cumulative profile: the share of the year's spending
done by each month end. Executed to date ÷ the profile's share at ``as_of`` is the
projected year-end amount. Each project's profile is the closest history there is
(``ProfileBasis``): the project's own spending last year, else that of the projects of
its category (经常性, 一次性, 工程类 …), else the department's (``profile_from_history``),
else ``DEFAULT_PROFILE``; the forecast says which.

A forecast is an estimate, stated at the precision it is printed at: every forecast
amount is rounded half-up to 0.01 万元 (100 元) per project, and that rounded figure is
the figure of record (``of_record``). Totals are sums of these, so a total printed in a
sentence, a table, a workbook or JSON is the sum of the rows printed beside it.
Other amounts are Decimal 元, unrounded. Nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from jixiao.core.budget import execution_rate
from jixiao.core.money import (
    ONE,
    ZERO,
    format_percent,
    format_wan,
    wan_to_yuan,
    yuan_to_wan,
)
from jixiao.core.monitoring import (
    MONTHS,
    IndicatorStatus,
    MonitoringResult,
    TimeBasis,
    progress_ratio,
    time_progress,
)

STATED = Decimal("0.01")
"""Forecasts are stated to 0.01 万元 (100 元): see ``of_record``."""

DEFAULT_BAND = Decimal("0.05")
"""± 5 percentage points on the cumulative share: the assumed uncertainty of a profile
that is not the department's own (the default, or a single earlier year)."""


class ForecastError(ValueError):
    """A profile or history that cannot be used; the message is Chinese."""


class ProfileBasis(StrEnum):
    """Whose spending history a forecast's profile comes from, closest first."""

    own = "own"
    category = "category"
    department = "department"
    default = "default"

    @property
    def label(self) -> str:
        return {
            ProfileBasis.own: "本项目上年支出曲线",
            ProfileBasis.category: "同类项目支出曲线",
            ProfileBasis.department: "本部门支出曲线",
            ProfileBasis.default: "默认支出曲线",
        }[self]


def _stated(yuan: Decimal, rounding: str) -> Decimal:
    return wan_to_yuan(yuan_to_wan(yuan).quantize(STATED, rounding=rounding))


def of_record(yuan: Decimal, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    """A forecast amount as stated: half-up to 0.01 万元 (100 元), in 元.

    ``low`` and ``high`` bound an amount that lies within them (what is already spent,
    the budget a forecast is capped at): a figure that would round past a bound is
    rounded the other way instead, and when no 0.01 万元 figure lies within the bounds
    (they are less than 100 元 apart) the amount stands unrounded.
    """
    stated = _stated(yuan, ROUND_HALF_UP)
    if high is not None and stated > high:
        stated = _stated(yuan, ROUND_FLOOR)
    if low is not None and stated < low:
        stated = _stated(yuan, ROUND_CEILING)
    if (low is not None and stated < low) or (high is not None and stated > high):
        return yuan
    return stated


@dataclass(frozen=True)
class CumulativeProfile:
    """Cumulative share of a year's spending done by the end of each month (1..12)."""

    shares: tuple[Decimal, ...]
    """Twelve shares, non-decreasing, the last exactly 1."""
    low: tuple[Decimal, ...]
    """The lowest plausible share per month (the earliest years' minimum, or share − band)."""
    high: tuple[Decimal, ...]
    """The highest plausible share per month."""
    source: str
    """Where the profile comes from, in Chinese, for the report."""
    years: tuple[int, ...] = ()
    """The earlier years it was averaged from; empty for the default."""
    basis: ProfileBasis = ProfileBasis.default
    """Whose history it is: the project's own, its category's, the department's."""

    def __post_init__(self) -> None:
        for name, values in (("shares", self.shares), ("low", self.low), ("high", self.high)):
            if len(values) != MONTHS:
                raise ForecastError(f"支出进度曲线的{name}应有12个月，实际为{len(values)}个")
            if values[-1] != ONE:
                raise ForecastError(f"支出进度曲线的{name}在12月末应为100%")
        pairs = zip(self.shares, self.shares[1:], strict=False)
        if any(later < earlier for earlier, later in pairs):
            raise ForecastError("支出进度曲线的累计占比应逐月不减")
        if any(
            not ZERO <= lo <= s <= hi <= ONE
            for lo, s, hi in zip(self.low, self.shares, self.high, strict=True)
        ):
            raise ForecastError("支出进度曲线的累计占比应在0到100%之间，且下限≤占比≤上限")

    def share_at(self, as_of: date) -> Decimal:
        """The share at the end of ``as_of``, interpolated by day within the month."""
        return _interpolate(self.shares, as_of)

    def low_at(self, as_of: date) -> Decimal:
        return _interpolate(self.low, as_of)

    def high_at(self, as_of: date) -> Decimal:
        return _interpolate(self.high, as_of)


def _interpolate(values: Sequence[Decimal], as_of: date) -> Decimal:
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    start = values[as_of.month - 2] if as_of.month > 1 else ZERO
    end = values[as_of.month - 1]
    return start + (end - start) * Decimal(as_of.day) / Decimal(days)


def _banded(
    shares: Sequence[Decimal], band: Decimal
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    low = (*(max(ZERO, share - band) for share in shares[:-1]), ONE)
    high = (*(min(ONE, share + band) for share in shares[:-1]), ONE)
    return low, high


def _default_profile() -> CumulativeProfile:
    shares = tuple(
        Decimal(percent) / Decimal(100)
        for percent in ("4", "9", "16", "23", "30", "38", "45", "52", "60", "68", "78", "100")
    )
    low, high = _banded(shares, DEFAULT_BAND)
    return CumulativeProfile(shares, low, high, "默认支出进度曲线（假设）")


DEFAULT_PROFILE = _default_profile()
"""A stylised back-loaded profile for Chinese government spending: an assumption, not
an official figure. Cumulative ≈ 4 %, 9 %, 16 %, 23 %, 30 %, 38 %, 45 %, 52 %, 60 %,
68 %, 78 %, 100 %: slow in the first quarter (budgets are approved and funds released
in the spring), roughly even through the year, and a December peak (about a fifth of
the year: final payments, acceptance of completed work, the year-end rush that
monitoring exists to reduce). Its band is ± ``DEFAULT_BAND``. Use the department's own
history whenever there is any."""


def cumulative_shares(monthly: Sequence[Decimal]) -> tuple[Decimal, ...] | None:
    """One year's cumulative shares from its twelve monthly totals; None if nothing was spent.

    Refunds can make a month negative; the running share is kept within [0, 1] and never
    allowed to fall, so the curve stays a curve. The December share is exactly 1.
    """
    if len(monthly) != MONTHS:
        raise ForecastError(f"历年月度支出应为12个月，实际为{len(monthly)}个")
    total = sum(monthly, ZERO)
    if total <= ZERO:
        return None
    shares: list[Decimal] = []
    running = ZERO
    for amount in monthly[:-1]:
        running += amount
        share = min(ONE, max(ZERO, running / total))
        shares.append(max(share, shares[-1]) if shares else share)
    return (*shares, ONE)


def profile_from_history(
    history: Mapping[int, Sequence[Decimal]],
    band: Decimal = DEFAULT_BAND,
    *,
    basis: ProfileBasis = ProfileBasis.department,
    subject: str = "",
) -> CumulativeProfile:
    """A profile from earlier years' monthly spending totals (year → 12 amounts, 元).

    The shares are the average of the years' cumulative shares. With two years or more,
    the range is the years' lowest and highest share per month; with one, ± ``band``.
    Years with no spending are left out. ``subject`` names whose ledger it is in the
    profile's source ("本项目", "经常性项目"); ``basis`` says which kind of history.
    """
    years = sorted(history)
    curves = {year: cumulative_shares(history[year]) for year in years}
    usable = {year: curve for year, curve in curves.items() if curve is not None}
    if not usable:
        raise ForecastError("历年支出数据中没有可用的年度（全年支出合计须大于零）")
    count = Decimal(len(usable))
    shares = (
        *(
            sum((curve[month] for curve in usable.values()), ZERO) / count
            for month in range(MONTHS - 1)
        ),
        ONE,
    )
    if len(usable) >= 2:
        low = tuple(min(curve[month] for curve in usable.values()) for month in range(MONTHS))
        high = tuple(max(curve[month] for curve in usable.values()) for month in range(MONTHS))
        # The average of equal 28-digit shares can round a last digit outside them.
        shares = tuple(min(hi, max(lo, s)) for lo, s, hi in zip(low, shares, high, strict=True))
    else:
        low, high = _banded(shares, band)
    used = tuple(sorted(usable))
    span = f"{used[0]}年" if len(used) == 1 else f"{used[0]}—{used[-1]}年"
    average = "" if len(used) == 1 else "平均"
    label = f"{subject}{span}支出台账{average}"
    return CumulativeProfile(shares, low, high, label, used, basis)


@dataclass(frozen=True)
class ProjectForecast:
    """全年预计执行数 of one project, with its range and the naive linear figure."""

    project_code: str
    as_of: date
    final_budget: Decimal
    executed: Decimal
    """Executed to date, 元."""
    profile_share: Decimal
    """The profile's cumulative share at ``as_of``."""
    projected: Decimal
    """Projected year-end executed: executed ÷ share, capped at the final budget, stated
    to 100 元 (``of_record``); so are the other forecast amounts."""
    projected_low: Decimal
    projected_high: Decimal
    linear_projected: Decimal | None
    """executed ÷ time progress, capped the same way; None before any time elapsed."""
    demand: Decimal | None
    """executed ÷ share uncapped (what the project would spend if funded); None when the
    profile expects nothing yet but something was spent."""
    progress_ratio: Decimal | None
    """Execution rate ÷ time progress, as the monitoring lights use it."""
    profile_source: str = ""
    profile_basis: ProfileBasis | None = None
    """Whose history the profile is; None in snapshots taken before it was recorded."""
    stated: Decimal | None = None
    """The 全年预计执行数 the unit stated in its monitoring form (元), shown beside this
    forecast and never in its place (``core.stated_forecast``); None when none is stored."""
    stated_as_of: date | None = None

    @property
    def projected_unspent(self) -> Decimal:
        """预计结转结余: final budget − projected (negative when already overspent)."""
        return self.final_budget - self.projected

    @property
    def projected_rate(self) -> Decimal | None:
        return execution_rate(self.projected, self.final_budget)

    def lagging(self, threshold: Decimal) -> bool:
        """Projected below ``threshold`` × final budget."""
        return self.final_budget > ZERO and self.projected < threshold * self.final_budget


def _scale(executed: Decimal, share: Decimal, final_budget: Decimal) -> Decimal:
    """executed ÷ share, capped at the final budget, never below executed.

    Nothing (or less than nothing) spent: nothing more is projected. Already at or over
    budget: the executed amount stands. A zero share with money spent: the budget.
    """
    if executed <= ZERO or executed >= final_budget:
        return executed
    if share == ZERO:
        return final_budget
    return min(executed / share, final_budget)


def forecast_project(
    project_code: str,
    final_budget: Decimal,
    executed: Decimal,
    as_of: date,
    profile: CumulativeProfile = DEFAULT_PROFILE,
    time_basis: TimeBasis = "months",
) -> ProjectForecast:
    """Forecast a project's year-end executed amount from its spending to date."""
    share = profile.share_at(as_of)
    elapsed = time_progress(as_of.year, as_of, time_basis)
    if executed <= ZERO:
        demand: Decimal | None = executed
    else:
        demand = executed / share if share > ZERO else None

    def scaled(by: Decimal) -> Decimal:
        return of_record(_scale(executed, by, final_budget), executed, max(final_budget, executed))

    return ProjectForecast(
        project_code=project_code,
        as_of=as_of,
        final_budget=final_budget,
        executed=executed,
        profile_share=share,
        projected=scaled(share),
        projected_low=scaled(profile.high_at(as_of)),
        projected_high=scaled(profile.low_at(as_of)),
        linear_projected=scaled(elapsed) if elapsed > ZERO else None,
        demand=None if demand is None else of_record(demand),
        progress_ratio=progress_ratio(execution_rate(executed, final_budget), elapsed),
        profile_source=profile.source,
        profile_basis=profile.basis,
    )


def forecast_projects(
    result: MonitoringResult,
    profile: CumulativeProfile = DEFAULT_PROFILE,
    profiles: Mapping[str, CumulativeProfile] | None = None,
) -> tuple[ProjectForecast, ...]:
    """A forecast for every project of a monitoring result.

    ``profiles`` gives a project (by code) a profile of its own or of its category;
    the others use ``profile``.
    """
    chosen = profiles or {}
    return tuple(
        forecast_project(
            p.code,
            p.final_budget,
            p.executed,
            result.as_of,
            chosen.get(p.code, profile),
            result.rules.time_basis,
        )
        for p in result.projects
    )


class AdjustmentAction(StrEnum):
    """What 136号 allows for money that will not be spent."""

    reduce = "按程序调减"
    reallocate = "调剂"


@dataclass(frozen=True)
class AdjustmentProposal:
    """Move or cut part of a lagging project's projected unspent amount."""

    project_code: str
    action: AdjustmentAction
    amount: Decimal
    to_project: str | None
    """The receiving project of a 调剂; None for 调减."""
    message: str


@dataclass(frozen=True)
class AdjustmentPlan:
    """The proposals of one forecast, for people to decide on."""

    threshold: Decimal
    proposals: tuple[AdjustmentProposal, ...]
    lagging: tuple[str, ...]
    """Projects projected below threshold × budget, largest projected unspent first."""
    ahead: tuple[str, ...]
    """Projects ahead (projected to need ≥ 100 % of budget), fastest first; when none is,
    the non-lagging project with the highest execution ÷ time progress."""
    indicators_at_risk: tuple[IndicatorStatus, ...] = ()
    """Indicators whose linear projection falls short of the target."""


def _ratio_key(forecast: ProjectForecast) -> Decimal:
    return forecast.progress_ratio if forecast.progress_ratio is not None else Decimal("-Infinity")


def _ahead(forecasts: Sequence[ProjectForecast], lagging: set[str]) -> list[ProjectForecast]:
    others = [f for f in forecasts if f.project_code not in lagging and f.final_budget > ZERO]
    ahead = [f for f in others if f.demand is None or f.demand >= f.final_budget]
    if not ahead and others:
        fastest = max(others, key=_ratio_key)
        ahead = [fastest] if fastest.progress_ratio is not None else []
    return sorted(ahead, key=_ratio_key, reverse=True)


def propose_adjustments(
    forecasts: Sequence[ProjectForecast],
    threshold: Decimal = Decimal("0.9"),
    indicators: Sequence[IndicatorStatus] = (),
) -> AdjustmentPlan:
    """Proposals for projects projected below ``threshold`` of their budget.

    Each lagging project's projected unspent amount goes first to 调剂: to the projects
    ahead whose projected demand exceeds their budget, up to that excess, the fastest
    first. What no such project needs is proposed for 按程序调减. Projects ahead whose
    excess cannot be quantified are named in the 调减 message as possible recipients.
    """
    lagging = sorted(
        (f for f in forecasts if f.lagging(threshold)),
        key=lambda f: f.projected_unspent,
        reverse=True,
    )
    ahead = _ahead(forecasts, {f.project_code for f in lagging})
    needs = {
        f.project_code: of_record(f.demand - f.final_budget)
        for f in ahead
        if f.demand is not None and f.demand > f.final_budget
    }
    proposals: list[AdjustmentProposal] = []
    for forecast in lagging:
        remaining = forecast.projected_unspent
        head = (
            f"项目“{forecast.project_code}”预计全年执行{format_wan(forecast.projected)}万元，"
            f"为全年预算数的{format_percent(forecast.projected_rate)}，低于"
            f"{format_percent(threshold)}，"
        )
        for code, need in needs.items():
            if remaining <= ZERO:
                break
            if need <= ZERO:
                continue
            moved = min(remaining, need)
            needs[code] = need - moved
            remaining -= moved
            proposals.append(
                AdjustmentProposal(
                    forecast.project_code,
                    AdjustmentAction.reallocate,
                    moved,
                    code,
                    f"{head}建议将{format_wan(moved)}万元调剂至执行较快的项目“{code}”。",
                )
            )
        if remaining > ZERO:
            names = "、".join(f"“{f.project_code}”" for f in ahead if f.project_code not in needs)
            hint = f"，或视需要调剂至执行较快的项目{names}" if names else ""
            proposals.append(
                AdjustmentProposal(
                    forecast.project_code,
                    AdjustmentAction.reduce,
                    remaining,
                    None,
                    f"{head}预计结转结余{format_wan(remaining)}万元，建议按程序调减{hint}。",
                )
            )
    return AdjustmentPlan(
        threshold=threshold,
        proposals=tuple(proposals),
        lagging=tuple(f.project_code for f in lagging),
        ahead=tuple(f.project_code for f in ahead),
        indicators_at_risk=tuple(s for s in indicators if s.projected_to_miss),
    )


__all__ = [
    "DEFAULT_BAND",
    "DEFAULT_PROFILE",
    "AdjustmentAction",
    "AdjustmentPlan",
    "AdjustmentProposal",
    "CumulativeProfile",
    "ForecastError",
    "ProfileBasis",
    "ProjectForecast",
    "cumulative_shares",
    "forecast_project",
    "forecast_projects",
    "of_record",
    "profile_from_history",
    "propose_adjustments",
]
