"""A synthetic city (合成数据): N departments of one year, for the city batch and its
benchmarks.

Each department is the demo year's text, goals of the department as a whole and rule
settings (``demo_dataset_2023``) under a code and name of its own, with a budget of its
own: two basic lines and ``projects`` project lines (each project with a goal whose
actuals are drawn), and a ledger of about ``payments`` payments made by the demo's
ledger generator. The published totals are left out (the figures come from the lines).
Everything is drawn from ``random.Random`` seeded by the department's number, so a city
is the same every time; money is Decimal throughout.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from jixiao.core.goals import IndicatorKind
from jixiao.core.vocabulary import BasicKind, FundingSource
from jixiao.demo.synthetic import (
    _BACK_LOADED,
    _EXPROPRIATION,
    _FLOOD_SEASON,
    _MILESTONES,
    _PAID_ON_ACCEPTANCE,
    _RUNNING_COSTS,
    _SALARIES,
    _STEADY,
    _budget,
    _LineSpec,
    demo_offices,
)
from jixiao.interchange.dataset import Budget, Dataset, GoalEntry, IndicatorEntry, Totals

SOURCE = "本数据集为合成的示例市数据（非公布数），由 jixiao.demo.city 以固定随机种子生成。"
SEED = 2023_0731

_BUREAUS = (
    "发展和改革局", "教育局", "科技工业和信息化局", "公安分局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局",
    "商务局", "文化广电旅游体育局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
    "市场监督管理局", "统计局", "医疗保障局", "城市管理和综合执法局", "生态环境分局",
    "规划和自然资源分局",
)  # fmt: skip
_WORKS = (
    "信息化系统运行维护", "公共服务能力提升", "基础设施维修改造", "专项业务工作经费",
    "民生保障补助", "设备购置", "课题研究及规划编制", "宣传培训", "安全生产监管",
    "重点项目前期工作",
)  # fmt: skip
_PROFILES = (_BACK_LOADED, _STEADY, _FLOOD_SEASON, _MILESTONES, _PAID_ON_ACCEPTANCE, _EXPROPRIATION)
_PAYMENT_TEXTS = ("支付{p}合同款", "支付{p}服务费", "拨付{p}补助资金", "支付{p}进度款")


def department_code(number: int) -> str:
    return f"city-{number:03d}"


def department_name(number: int) -> str:
    """示例市第 n 个部门: the bureaus in turn, numbered once they repeat."""
    bureau = _BUREAUS[(number - 1) % len(_BUREAUS)]
    round_ = (number - 1) // len(_BUREAUS)
    return f"示例市{bureau}" + (f"（第{round_ + 1}组）" if round_ else "")


def city_datasets(
    base: Dataset, departments: int, projects: int = 20, payments: int = 50_000
) -> Iterator[Dataset]:
    """The city's department-years, one at a time (each holds its whole ledger)."""
    for number in range(1, departments + 1):
        yield city_department(base, number, projects, payments)


def city_department(base: Dataset, number: int, projects: int, payments: int) -> Dataset:
    """Department ``number`` of the city: ``base`` (the demo year) with its own budget."""
    rng = random.Random(SEED + number)
    code = department_code(number)
    specs = _specs(rng, projects, payments)
    executed = {spec.key: _executed(spec, rng) for spec in specs}
    prefix = f"C{number:03d}"
    budget = _budget(base.year, prefix, specs, executed, (), SEED + number)
    department = base.department.model_copy(update={"code": code, "name": department_name(number)})
    goals = [
        *(goal for goal in base.goals if goal.project is None),
        *(_goal(project.code, project.name, rng) for project in budget.projects),
    ]
    return base.model_copy(
        update={
            "department": department,
            "budget": Budget(totals=Totals(carryover=_carryover(specs, executed, rng)),
                             projects=budget.projects, lines=budget.lines,
                             payments=budget.payments),
            "goals": goals,
            "source": SOURCE,
        }
    )  # fmt: skip


def _specs(rng: random.Random, projects: int, payments: int) -> list[_LineSpec]:
    """Two basic lines and ``projects`` project lines, about ``payments`` payments in all."""
    per_month = max(1, payments // (projects + 1) // 12)
    offices = [office.code for office in demo_offices()]
    specs = [
        _LineSpec(key="B01", name="人员经费", source=FundingSource.general_public_budget,
                  basic_kind=BasicKind.personnel, final_wan=str(rng.randint(800, 3000)),
                  executed_yuan=None, weights=_SALARIES, per_month=1, descriptions=(),
                  functional_class="2010101 行政运行", economic_class="301 工资福利支出"),
        _LineSpec(key="B02", name="公用经费", source=FundingSource.general_public_budget,
                  basic_kind=BasicKind.operations, final_wan=str(rng.randint(200, 800)),
                  executed_yuan=None, weights=_RUNNING_COSTS, per_month=per_month,
                  descriptions=("支付办公费", "支付水电费", "支付物业管理费", "支付差旅费"),
                  functional_class="2010101 行政运行", economic_class="302 商品和服务支出"),
    ]  # fmt: skip
    for index in range(1, projects + 1):
        work = _WORKS[(index - 1) % len(_WORKS)]
        specs.append(
            _LineSpec(
                key=f"P{index:02d}", name=f"{work}（{index}）",
                source=rng.choice((FundingSource.general_public_budget,
                                   FundingSource.government_fund_budget)),
                final_wan=str(rng.randint(100, 5000)), executed_yuan=None,
                weights=rng.choice(_PROFILES), per_month=per_month,
                descriptions=_PAYMENT_TEXTS, places=(work,),
                functional_class="2019999 其他一般公共服务支出",
                economic_class="302 商品和服务支出", office=rng.choice(offices),
                recurrent=rng.random() < 0.6,
            )
        )  # fmt: skip
    return specs


def _executed(spec: _LineSpec, rng: random.Random) -> Decimal:
    """Executed 元: 60–100 % of the line's 全年预算数 (salaries nearly all)."""
    low = 95 if spec.basic_kind is BasicKind.personnel else 60
    share = Decimal(rng.randint(low * 100, 10000)) / 10000
    cents = (Decimal(spec.final_wan) * 10000 * share * 100).to_integral_value()
    return cents / 100


def _carryover(specs: list[_LineSpec], executed: dict[str, Decimal], rng: random.Random
               ) -> Decimal:  # fmt: skip
    """本年结转结余 in 万元: a drawn share (50–90 %) of the budget not executed."""
    unspent = sum((Decimal(s.final_wan) * 10000 - executed[s.key] for s in specs), Decimal(0))
    share = Decimal(rng.randint(50, 90)) / 100
    return (unspent * share / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _goal(project: str, name: str, rng: random.Random) -> GoalEntry:
    """A project goal of four indicators (产出 50, 效益 30, 满意度 10) with drawn actuals."""
    count = rng.randint(5, 40)
    done = count - rng.choice((0, 0, 0, 1, 2))
    rate = rng.randint(88, 100)
    satisfied = rng.randint(85, 99)
    return GoalEntry(
        project=project,
        expected_objective=f"按期完成{name}年度任务。",
        actual_objective=f"完成{name}任务{done}项。",
        indicators=[
            _indicator("产出指标", "数量指标", f"{name}完成任务数", f"≥{count}项", 30, f"{done}项"),
            _indicator("产出指标", "质量指标", f"{name}验收合格率", "≥95%", 20, f"{rate}%"),
            _indicator("效益指标", "社会效益指标", f"{name}服务对象覆盖率", "≥90%", 30, f"{rate}%"),
            _indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", 10,
                       f"{satisfied}%"),
        ],
    )  # fmt: skip


def _indicator(level1: str, level2: str, level3: str, target: str, weight: int, actual: str
               ) -> IndicatorEntry:  # fmt: skip
    return IndicatorEntry(
        level1=level1, level2=level2, level3=level3, kind=IndicatorKind.quantitative,
        target=target, weight=Decimal(weight), actual=actual, illustrative=True,
    )  # fmt: skip
