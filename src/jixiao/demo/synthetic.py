"""Synthetic budget lines, ledger and project goals for the Liwan 2023 demo (合成数据).

The published report of 广州市规划和自然资源局荔湾区分局 for 2023 gives totals only. In-year
monitoring needs budget lines and a dated ledger, and the project self-evaluation needs
project goals; the report has neither, so this module generates them. **Everything here is
synthetic** (invented, realistic in shape) except the published figures it is made to
reproduce and the few indicator actuals the report states (used exactly as published).

What the 2023 ledger reproduces, at the report's precision (万元, two decimals, half-up):
全年预算数 103,118.19; 执行数 77,261.67; by source 5,260.44 / 71,968.65 / 0.00 / 32.58;
基本支出 3,734.82 and 项目支出 73,526.84. The report's basic + project is 77,261.66, one
cent short of its total; the exact 元 targets below round to every published figure at
once (see ``EXECUTED_TARGETS``).

Method: each budget line has an exact executed amount in 元 and a monthly profile
(weights). Monthly amounts are the executed amount spread by the profile (with a little
seeded noise), the last month taking the rounding remainder; each month is split into
payments, the month's last payment taking the remainder, so every line total is exact to
the 分. Nothing reads the clock; every draw comes from ``random.Random(seed)`` with a fixed
seed, and money is Decimal throughout (the generator draws integers only).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from jixiao.core.goals import IndicatorKind, QualitativeState
from jixiao.core.monitoring import Likelihood, ReasonCategory
from jixiao.core.targets import Quantity, parse_quantity, parse_target
from jixiao.core.vocabulary import AmountUnit, BasicKind, FundingSource, Nature
from jixiao.interchange.dataset import (
    AdjustmentEntry,
    Budget,
    Dataset,
    Department,
    GoalEntry,
    IndicatorEntry,
    Line,
    NamedCode,
    Payment,
    ProgressEntry,
    Project,
)

SEED_2023 = 20231231
"""The seed of the 2023 ledger. Changing it changes every synthetic payment."""
SEED_2022 = 20221231
"""The seed of the 2022 year."""

DEPARTMENT_CODE = "liwan-ghzy"
DEPARTMENT_NAME = "广州市规划和自然资源局荔湾区分局"

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)

GPB = FundingSource.general_public_budget
GFB = FundingSource.government_fund_budget
OTHER = FundingSource.other_funds

EXECUTED_TARGETS: dict[tuple[FundingSource, Nature], Decimal] = {
    (GPB, Nature.basic): Decimal("37348236.57"),
    (GPB, Nature.project): Decimal("15256150.59"),
    (GFB, Nature.project): Decimal("719686508.97"),
    (OTHER, Nature.project): Decimal("325784.30"),
}
"""Exact 2023 executed amounts in 元 per (source, nature); no 国有资本经营预算 lines.

They round to every published figure: total 772,616,680.43 元 → 77,261.67 万元; basic
37,348,236.57 → 3,734.82; project 735,268,443.86 → 73,526.84; 一般公共预算 52,604,387.16
→ 5,260.44; 政府性基金预算 719,686,508.97 → 71,968.65; 其他资金 325,784.30 → 32.58.
"""

FINAL_BUDGET_TOTAL = Decimal("1031181900.00")
"""全年预算数 in 元 (103,118.19 万元): the lines' final budgets add up to exactly this."""

SYNTHETIC_NOTE = (
    "演示时另并入了预算行、支出明细（台账）和项目绩效目标，均为合成的示意数据（非公布数），"
    "由 jixiao.demo.synthetic 以固定随机种子生成，用于演示运行监控和项目支出绩效自评；"
    "台账汇总后按万元两位小数四舍五入，与报告公布的合计数一致。"
)

SOURCE_2022 = (
    "本数据集全部为合成数据（非公布数）：由 jixiao.demo.synthetic 以固定随机种子生成，"
    "用于为演示提供上一年度（2022年）的逐月支出进度，不代表广州市规划和自然资源局荔湾区分局"
    "2022年度的实际预算和支出。"
)


# ---------------------------------------------------------------------------------------------
# Offices, projects and budget lines (synthetic)


_OFFICES = (
    ("K01", "办公室"),
    ("K02", "财务科"),
    ("K03", "规划科"),
    ("K04", "历史文化保护科"),
    ("K05", "城市更新科"),
    ("K06", "土地储备科"),
    ("K07", "征地管理科"),
    ("K08", "不动产登记中心"),
    ("K09", "执法监察科"),
    ("K10", "耕地保护科"),
    ("K11", "测绘地理信息科"),
    ("K12", "地质矿产科"),
)


def demo_offices() -> list[NamedCode]:
    """The demo department's offices (科室): a synthetic list, not the branch's real one."""
    return [NamedCode(code=code, name=name) for code, name in _OFFICES]


@dataclass(frozen=True)
class _Adjustment:
    day: date
    amount_wan: str
    document: str
    reason: str


@dataclass(frozen=True)
class _LineSpec:
    """One synthetic budget line; a project line also defines its project."""

    key: str
    """P01…P15 for projects, B01/B02 for basic expenditure."""
    name: str
    source: FundingSource
    final_wan: str
    """全年预算数, 万元."""
    executed_yuan: str | None
    """Executed amount in 元; None for the line that balances its (source, nature) group."""
    weights: tuple[int, ...]
    """Monthly spending profile, January first (relative weights)."""
    per_month: int
    """Typical number of payments in an average month."""
    descriptions: tuple[str, ...]
    functional_class: str
    economic_class: str
    office: str | None = None
    recurrent: bool = False
    basic_kind: BasicKind | None = None
    adjustments: tuple[_Adjustment, ...] = ()
    places: tuple[str, ...] = ()
    """Place names the descriptions' ``{p}`` is filled from."""

    @property
    def nature(self) -> Nature:
        return Nature.basic if self.basic_kind is not None else Nature.project


# Monthly profiles (relative weights, January first).
_BACK_LOADED = (2, 4, 6, 7, 7, 8, 8, 8, 9, 10, 11, 20)
_LAND_RESERVE = (2, 3, 4, 6, 6, 7, 7, 8, 9, 11, 14, 23)
_EXPROPRIATION = (1, 2, 3, 5, 6, 6, 8, 9, 10, 11, 14, 25)
_MILESTONES = (0, 5, 0, 8, 0, 10, 0, 10, 5, 10, 12, 40)  # lags: awaiting approval
_STALLS_IN_AUTUMN = (4, 6, 8, 9, 10, 11, 11, 11, 2, 3, 8, 17)  # ahead to August, then stalls
_AHEAD = (7, 8, 9, 9, 9, 9, 9, 9, 8, 7, 6, 10)
_STEADY = (6, 7, 9, 9, 10, 10, 10, 10, 8, 8, 6, 7)
_FLOOD_SEASON = (4, 8, 10, 12, 12, 12, 10, 8, 7, 6, 4, 4)
_PAID_ON_ACCEPTANCE = (3, 2, 3, 2, 3, 5, 3, 4, 3, 4, 20, 48)  # lags: paid after acceptance
_TAIL_PAYMENTS = (0, 10, 0, 25, 0, 0, 30, 0, 0, 15, 0, 20)
_SALARIES = (8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12)
_RUNNING_COSTS = (6, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 12)

_PARCELS = (
    "新隆沙AF020114地块", "新隆沙AF020116地块", "羊城食品厂地块", "花地湾南紫兰苑地块",
    "花地湾南蕙兰苑地块", "龙溪大道工业地块", "西塱公交枢纽站地块", "葵蓬南片区储备用地",
    "大坦沙片区储备用地", "聚龙湾片区储备用地", "东沙片区储备用地",
)
_VILLAGES = (
    "坑口联社", "沙洛联社", "南漖联社", "西塱村", "东漖村", "海北村", "龙溪村", "山村",
    "西郊村", "河沙村",
)

_SPECS_2023: tuple[_LineSpec, ...] = (
    _LineSpec(
        key="B01", name="人员经费", source=GPB, basic_kind=BasicKind.personnel,
        final_wan="3175.36", executed_yuan=None, weights=_SALARIES, per_month=5,
        descriptions=(),
        functional_class="2200101 行政运行", economic_class="301 工资福利支出",
        adjustments=(
            _Adjustment(date(2023, 11, 20), "95.36", "荔财预〔2023〕86号",
                        "调整工资津贴补贴标准及年终一次性奖金"),
        ),
    ),
    _LineSpec(
        key="B02", name="公用经费", source=GPB, basic_kind=BasicKind.operations,
        final_wan="620.00", executed_yuan="5865321.49", weights=_RUNNING_COSTS, per_month=16,
        descriptions=(
            "支付办公用品购置费", "支付机关水电费", "支付办公楼物业管理费", "支付差旅费",
            "支付邮电费", "支付公务用车运行维护费", "支付办公设备维修费", "支付印刷费",
            "支付会议费", "支付培训费", "拨付工会经费", "支付福利费", "支付劳务派遣人员服务费",
            "支付档案库房租金",
        ),
        functional_class="2200101 行政运行", economic_class="302 商品和服务支出",
        adjustments=(
            _Adjustment(date(2023, 8, 18), "-20.00", "荔财预〔2023〕49号",
                        "落实过紧日子要求，压减一般性支出"),
        ),
    ),
    _LineSpec(
        key="P01", name="土地储备及前期开发经费", source=GFB, office="K06",
        final_wan="68761.83", executed_yuan=None, weights=_LAND_RESERVE, per_month=24,
        descriptions=(
            "支付{p}征拆补偿款", "支付{p}前期开发费", "支付{p}场地平整及围蔽工程款",
            "支付{p}地上建（构）筑物拆除工程款", "支付{p}看管维护费",
            "支付{p}土壤污染状况调查费", "支付{p}土地评估及测绘服务费", "支付{p}地质勘察费",
        ),
        places=_PARCELS,
        functional_class="2120802 土地开发支出", economic_class="310 资本性支出",
        adjustments=(
            _Adjustment(date(2023, 10, 30), "-5000.00", "荔财预〔2023〕74号",
                        "部分储备地块征拆进度滞后，调减当年预算"),
        ),
    ),
    _LineSpec(
        key="P02", name="征地拆迁补偿及安置经费", source=GFB, office="K07",
        final_wan="28500.00", executed_yuan="231465872.64", weights=_EXPROPRIATION,
        per_month=18,
        descriptions=(
            "支付{p}征地补偿及安置补助费", "支付{p}地上附着物和青苗补偿费",
            "支付{p}被征地农民社会保障费用", "支付{p}留用地折算货币补偿款",
            "支付新建广州至湛江高速铁路（荔湾区段）{p}征地补偿款",
        ),
        places=_VILLAGES,
        functional_class="2120801 征地和拆迁补偿支出", economic_class="310 资本性支出",
        adjustments=(
            _Adjustment(date(2023, 9, 12), "4500.00", "荔财预〔2023〕58号",
                        "追加新建广州至湛江高速铁路（荔湾区段）征地拆迁补偿资金"),
        ),
    ),
    _LineSpec(
        key="P03", name="土地征收成片开发方案编制", source=GFB, office="K07",
        final_wan="186.00", executed_yuan="1583920.00", weights=(0, 0, 3, 5, 6, 8, 8, 10,
                                                                   10, 12, 13, 25),
        per_month=2,
        descriptions=(
            "支付荔湾区2023年度土地征收成片开发方案编制服务费", "支付{p}成片开发方案测绘服务费",
            "支付{p}成片开发方案社会稳定风险评估费", "支付成片开发方案专家评审费",
        ),
        places=("葵蓬南片区", "大坦沙片区"),
        functional_class="2120806 土地出让业务支出", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P04", name="国土空间总体规划编制", source=GPB, office="K03",
        final_wan="360.00", executed_yuan="1618472.60", weights=_MILESTONES, per_month=1,
        descriptions=(
            "支付荔湾区国土空间总体规划（2021—2035年）编制服务费", "支付国土空间总体规划专题研究费",
            "支付“双评价”及“三区三线”划定技术服务费", "支付规划公示及公众参与组织费",
        ),
        functional_class="2200104 自然资源规划及管理", economic_class="302 商品和服务支出",
        adjustments=(
            _Adjustment(date(2023, 10, 26), "-40.00", "荔财预〔2023〕71号",
                        "规划成果待市政府批复，合同尾款本年不具备支付条件，调减预算"),
        ),
    ),
    _LineSpec(
        key="P05", name="控制性详细规划调整", source=GPB, office="K03", recurrent=True,
        final_wan="280.00", executed_yuan="2601834.50", weights=_STALLS_IN_AUTUMN, per_month=3,
        descriptions=(
            "支付{p}控规调整编制费", "支付{p}控规调整专家论证费", "支付{p}控规调整公示费",
        ),
        places=(
            "花地河沿岸羊城食品厂地块", "聚龙湾片区启动区子单元", "陆居路片区",
            "东沙国际商贸港", "葵蓬南片区", "花地湾片区", "大坦沙呼吸中心周边地块",
            "广医三院本部地块", "芳村体育中心地块",
        ),
        functional_class="2200104 自然资源规划及管理", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P06", name="历史文化街区保护规划", source=GPB, office="K04",
        final_wan="150.00", executed_yuan="1437960.00", weights=_BACK_LOADED, per_month=2,
        descriptions=(
            "支付{p}历史文化街区保护规划编制费", "支付{p}历史建筑测绘建档费",
            "支付{p}历史文化保护网格化巡查服务费", "支付{p}传统风貌建筑修缮技术咨询费",
        ),
        places=("沙面", "恩宁路", "上下九—第十甫", "多宝路", "逢源大街—荔枝湾", "宝华路",
                "昌华大街", "华林寺"),
        functional_class="2200104 自然资源规划及管理", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P07", name="不动产登记业务运行", source=GPB, office="K08", recurrent=True,
        final_wan="275.00", executed_yuan=None, weights=_AHEAD, per_month=6,
        descriptions=(
            "支付不动产登记窗口服务外包费", "支付不动产登记档案整理及数字化加工费",
            "支付不动产登记证书及登记簿印制费", "支付登记大厅排队叫号及自助设备维护费",
            "支付“云窗口”远程服务坐席费", "支付不动产登记邮寄送达费",
            "支付不动产权籍调查成果审查服务费",
        ),
        functional_class="2200109 自然资源调查与确权登记", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P08", name="“房地一体”确权登记", source=GPB, office="K08",
        final_wan="85.00", executed_yuan="836415.20", weights=_TAIL_PAYMENTS, per_month=1,
        descriptions=(
            "支付“房地一体”确权登记成果数据汇交服务费", "支付“房地一体”农村宅基地权籍调查尾款",
            "支付“房地一体”登记发证资料整理费",
        ),
        functional_class="2200109 自然资源调查与确权登记", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P09", name="违法用地图斑整治", source=GPB, office="K09", recurrent=True,
        final_wan="210.00", executed_yuan="1996207.35", weights=_STEADY, per_month=4,
        descriptions=(
            "支付违法用地图斑核查测绘服务费", "支付卫片执法图斑外业核查费",
            "支付{p}违法建设拆除及复耕工程款", "支付执法巡查无人机航拍服务费",
            "支付土地执法法律咨询服务费",
        ),
        places=_VILLAGES,
        functional_class="2200108 自然资源行业业务管理", economic_class="302 商品和服务支出",
        adjustments=(
            _Adjustment(date(2023, 3, 15), "30.00", "荔财预〔2023〕12号",
                        "追加违法用地图斑整改及卫片执法核查经费"),
        ),
    ),
    _LineSpec(
        key="P10", name="田长制与耕地保护", source=GPB, office="K10", recurrent=True,
        final_wan="60.00", executed_yuan="571380.00", weights=_STEADY, per_month=2,
        descriptions=(
            "支付田长制网格化巡查服务费", "支付耕地数据库建设服务费", "支付耕地保护宣传资料印制费",
            "支付耕地图斑“送图上门”测绘费", "支付耕地整改恢复监测费",
        ),
        functional_class="2200106 自然资源利用与保护", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P11", name="基础测绘与地理信息", source=GPB, office="K11", recurrent=True,
        final_wan="130.00", executed_yuan="1276533.80", weights=_AHEAD, per_month=2,
        descriptions=(
            "支付1:500地形图修测服务费", "支付基础控制点复测及测量标志维护费",
            "支付地理信息数据更新服务费", "支付实景三维数据采集费", "支付测绘成果质量检验费",
        ),
        functional_class="2200199 其他自然资源事务支出", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P12", name="地质灾害防治", source=GPB, office="K12", recurrent=True,
        final_wan="75.00", executed_yuan="688742.15", weights=_FLOOD_SEASON, per_month=2,
        descriptions=(
            "支付地质灾害隐患点专业监测服务费", "支付汛期地质灾害巡查排查服务费",
            "支付地质灾害群测群防员补助", "支付{p}崩塌隐患点治理工程款",
            "支付地质灾害应急调查技术支撑费",
        ),
        places=("石围塘街", "茶滘街", "白鹤洞街", "冲口街"),
        functional_class="2200113 地质矿产资源与环境治理", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P13", name="城市更新单元策划", source=GPB, office="K05",
        final_wan="90.00", executed_yuan="724860.00", weights=_BACK_LOADED, per_month=2,
        descriptions=(
            "支付{p}城市更新单元策划方案编制费", "支付{p}旧村改造基础数据调查费",
            "支付{p}更新单元策划方案专家评审费",
        ),
        places=("龙溪村片区", "山村", "葵蓬片区", "东漖片区"),
        functional_class="2200104 自然资源规划及管理", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P14", name="信息化系统运维", source=GPB, office="K01", recurrent=True,
        final_wan="120.00", executed_yuan="852306.40", weights=_PAID_ON_ACCEPTANCE, per_month=1,
        descriptions=(
            "支付规划资源业务信息系统运维服务费", "支付政务外网及机房运维服务费",
            "支付网络安全等级保护测评费", "支付国土空间规划“一张图”平台数据维护费",
            "支付正版软件授权续费",
        ),
        functional_class="2200102 一般行政管理事务", economic_class="302 商品和服务支出",
    ),
    _LineSpec(
        key="P15", name="规划展览及科普宣传", source=OTHER, office="K01",
        final_wan="40.00", executed_yuan=None, weights=_BACK_LOADED, per_month=2,
        descriptions=(
            "支付规划展览布展维护费", "支付“世界地球日”科普宣传活动费",
            "支付规划科普宣传资料印制费", "支付“全国土地日”主题宣传活动费",
        ),
        functional_class="2200107 自然资源社会公益服务", economic_class="302 商品和服务支出",
    ),
)

_PERSONNEL_ITEMS = (
    ("发放在职人员基本工资", 36, 10),
    ("发放在职人员津贴补贴", 28, 10),
    ("缴纳机关事业单位基本养老保险及职业年金", 16, 15),
    ("缴纳住房公积金", 12, 20),
    ("缴纳职工基本医疗保险", 8, 15),
)
"""Salary payments: (description, share, nominal day of month)."""
_YEAR_END_BONUS = ("发放年终一次性奖金", 50, 20)


@dataclass(frozen=True)
class _Refund:
    key: str
    month: int
    amount_yuan: str
    description: str


_REFUNDS_2023 = (
    _Refund("B02", 4, "1286.00", "退回差旅费结余（冲减）"),
    _Refund("B02", 9, "3520.00", "退回多付办公楼物业管理费（冲减）"),
    _Refund("P01", 11, "186432.50", "花地湾南紫兰苑地块围蔽工程结算审减退回（冲减）"),
    _Refund("P07", 6, "12800.00", "退回多付不动产登记窗口服务外包费（冲减）"),
    _Refund("P13", 12, "8650.00", "龙溪村片区策划方案编制费结算审减退回（冲减）"),
)

_REFUNDS_2022 = (
    _Refund("B02", 5, "964.00", "退回差旅费结余（冲减）"),
    _Refund("P01", 10, "97215.80", "羊城食品厂地块看管维护费结算审减退回（冲减）"),
    _Refund("P09", 8, "6400.00", "退回多付卫片执法图斑外业核查费（冲减）"),
)

# 法定节假日与调休上班日（国务院办公厅通知）: holidays are not paid on, make-up days are.
_HOLIDAYS = {
    2022: (
        "2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
        "2022-04-04", "2022-04-05", "2022-05-02", "2022-05-03", "2022-05-04", "2022-06-03",
        "2022-09-12", "2022-10-03", "2022-10-04", "2022-10-05", "2022-10-06", "2022-10-07",
    ),
    2023: (
        "2023-01-02", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27",
        "2023-04-05", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-22", "2023-06-23",
        "2023-09-29", "2023-10-02", "2023-10-03", "2023-10-04", "2023-10-05", "2023-10-06",
    ),
}
_MAKE_UP_DAYS = {
    2022: ("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08",
           "2022-10-09"),
    2023: ("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07",
           "2023-10-08"),
}


# ---------------------------------------------------------------------------------------------
# Public API


def synthetic_budget_2023() -> Budget:
    """The synthetic 2023 projects, budget lines and ledger (万元); no totals.

    The lines' final budgets add up to 103,118.19 万元 and the ledger reproduces every
    executed figure the report publishes (see ``EXECUTED_TARGETS``).
    """
    specs = _SPECS_2023
    executed = _balanced_executed(specs, EXECUTED_TARGETS)
    return _budget(2023, "LW23", specs, executed, _REFUNDS_2023, SEED_2023)


def synthetic_year_2022() -> Dataset:
    """A complete, entirely synthetic 2022 department-year: budget lines and ledger only."""
    rng = random.Random(SEED_2022)
    specs = tuple(_spec_2022(spec, rng) for spec in _SPECS_2023)
    executed = {spec.key: _executed_2022(spec, rng) for spec in specs}
    budget = _budget(2022, "LW22", specs, executed, _REFUNDS_2022, SEED_2022 + 1)
    return Dataset(
        unit=AmountUnit.wan,
        department=Department(
            code=DEPARTMENT_CODE, name=DEPARTMENT_NAME, offices=demo_offices()
        ),
        year=2022,
        source=SOURCE_2022,
        budget=budget,
    )


def demo_dataset_2023(published: Dataset) -> Dataset:
    """The published 2023 dataset with the synthetic offices, budget and project goals.

    The published totals stay as they are (they become the figures the lines are checked
    against); goals the published dataset already has are kept.
    """
    if published.budget.lines or published.budget.payments:
        raise ValueError("公布的数据集已有预算行或支出明细，不能再并入合成台账")
    synthetic = synthetic_budget_2023()
    known_offices = {office.code for office in published.department.offices}
    department = published.department.model_copy(
        update={
            "offices": [
                *published.department.offices,
                *(office for office in demo_offices() if office.code not in known_offices),
            ]
        }
    )
    budget = published.budget.model_copy(
        update={
            "projects": [*published.budget.projects, *synthetic.projects],
            "lines": synthetic.lines,
            "payments": synthetic.payments,
        }
    )
    has_goal = {goal.project for goal in published.goals}
    goals = [
        *published.goals,
        *(goal for goal in illustrative_project_goals() if goal.project not in has_goal),
    ]
    source = f"{published.source}{SYNTHETIC_NOTE}" if published.source else SYNTHETIC_NOTE
    return published.model_copy(
        update={"department": department, "budget": budget, "goals": goals, "source": source}
    )


# ---------------------------------------------------------------------------------------------
# Executed amounts and 2022 figures


def _balanced_executed(
    specs: Sequence[_LineSpec], targets: dict[tuple[FundingSource, Nature], Decimal]
) -> dict[str, Decimal]:
    """Each line's executed 元; the one open line of each group takes what its target leaves."""
    executed = {s.key: Decimal(s.executed_yuan) for s in specs if s.executed_yuan is not None}
    for (source, nature), target in targets.items():
        group = [s for s in specs if s.source is source and s.nature is nature]
        open_lines = [s for s in group if s.executed_yuan is None]
        if len(open_lines) != 1:
            raise ValueError(f"{source.value}/{nature.value} 应恰有一行由合计数倒推")
        rest = sum((executed[s.key] for s in group if s.executed_yuan is not None), Decimal(0))
        executed[open_lines[0].key] = target - rest
    for spec in specs:
        final = Decimal(spec.final_wan) * TEN_THOUSAND
        if not Decimal(0) < executed[spec.key] <= final:
            raise ValueError(f"{spec.key} 执行数 {executed[spec.key]} 元不在 (0, {final}] 之内")
    return executed


_RATE_2022 = {"P04": 62, "P14": 74, "P01": 76, "P02": 84, "P13": 85, "P15": 86, "P03": 88}
"""2022 execution rates (%) of the projects that did not spend nearly all; the rest 93–99."""
_SIZE_2022 = {"P08": Decimal("3.0")}
"""2022 budget relative to 2023 where it was not ~8 % smaller (“房地一体” closed in 2022)."""


def _spec_2022(spec: _LineSpec, rng: random.Random) -> _LineSpec:
    factor = _SIZE_2022.get(spec.key, Decimal(rng.randint(89, 95)) / 100)
    final = (Decimal(spec.final_wan) * factor).quantize(CENT, ROUND_HALF_UP)
    adjustments: tuple[_Adjustment, ...] = ()
    if spec.key == "B01":
        adjustments = (_Adjustment(date(2022, 11, 18), "88.00", "荔财预〔2022〕79号",
                                   "调整工资津贴补贴标准及年终一次性奖金"),)
    elif spec.key == "P02":
        adjustments = (_Adjustment(date(2022, 9, 6), "3800.00", "荔财预〔2022〕55号",
                                   "追加重点项目征地拆迁补偿资金"),)
    return _LineSpec(
        key=spec.key, name=spec.name, source=spec.source, final_wan=str(final),
        executed_yuan=None, weights=spec.weights, per_month=spec.per_month,
        descriptions=spec.descriptions, functional_class=spec.functional_class,
        economic_class=spec.economic_class, office=spec.office, recurrent=spec.recurrent,
        basic_kind=spec.basic_kind, adjustments=adjustments, places=spec.places,
    )


def _executed_2022(spec: _LineSpec, rng: random.Random) -> Decimal:
    percent = _RATE_2022.get(spec.key, rng.randint(93, 99))
    cents = rng.randint(-9999, 9999)  # so the 2022 amounts do not end in round numbers
    rate = (Decimal(percent) * 100 + Decimal(cents) / 100) / 10000
    final = Decimal(spec.final_wan) * TEN_THOUSAND
    return min((final * rate).quantize(CENT, ROUND_HALF_UP), final)


# ---------------------------------------------------------------------------------------------
# The ledger


def _budget(
    year: int,
    prefix: str,
    specs: Sequence[_LineSpec],
    executed: dict[str, Decimal],
    refunds: Sequence[_Refund],
    seed: int,
) -> Budget:
    rng = random.Random(seed)
    projects: list[Project] = []
    lines: list[Line] = []
    drafts: list[_Draft] = []
    for order, spec in enumerate(specs):
        project = f"{prefix}-{spec.key}" if spec.nature is Nature.project else None
        code = f"{project}-01" if project else f"{prefix}-{spec.key}"
        if project:
            projects.append(
                Project(code=project, name=spec.name, office=spec.office,
                        recurrent=spec.recurrent)
            )
        lines.append(_line(code, project, spec))
        line_refunds = [r for r in refunds if r.key == spec.key]
        drafts.extend(_line_payments(year, order, code, spec, executed[spec.key],
                                     line_refunds, rng))
    return Budget(projects=projects, lines=lines, payments=_with_vouchers(year, drafts, rng))


def _line(code: str, project: str | None, spec: _LineSpec) -> Line:
    final = Decimal(spec.final_wan)
    adjustments = [
        AdjustmentEntry(date=a.day, amount=Decimal(a.amount_wan), document_number=a.document,
                        reason=a.reason)
        for a in spec.adjustments
    ]
    initial = final - sum((a.amount for a in adjustments), Decimal(0))
    return Line(
        code=code, name=spec.name, funding_source=spec.source, nature=spec.nature,
        basic_kind=spec.basic_kind, project=project, functional_class=spec.functional_class,
        economic_class=spec.economic_class, initial_budget=initial, adjustments=adjustments,
        final_budget=final,
    )


@dataclass
class _Draft:
    """A payment before its voucher number: amounts in 元."""

    day: date
    order: int
    line: str
    amount: Decimal
    description: str
    refund: bool = False
    sequence: int = 0


def _monthly_amounts(
    total: Decimal, weights: Sequence[int], spread: int, rng: random.Random
) -> list[Decimal]:
    """``total`` spread over the months by ``weights`` (± ``spread`` % noise); exact to the 分."""
    noisy = [Decimal(w * rng.randint(100 - spread, 100 + spread)) for w in weights]
    whole = sum(noisy, Decimal(0))
    amounts = [(total * w / whole).quantize(CENT, ROUND_HALF_UP) for w in noisy]
    last = max(m for m, w in enumerate(noisy) if w > 0)
    amounts[last] += total - sum(amounts, Decimal(0))
    return amounts


def _line_payments(
    year: int,
    order: int,
    code: str,
    spec: _LineSpec,
    executed: Decimal,
    refunds: Sequence[_Refund],
    rng: random.Random,
) -> list[_Draft]:
    spread = 2 if spec.basic_kind is BasicKind.personnel else 10  # salaries are nearly flat
    monthly = _monthly_amounts(executed, spec.weights, spread, rng)
    mean_weight = Decimal(sum(spec.weights)) / 12
    drafts: list[_Draft] = []
    for month, amount in enumerate(monthly, start=1):
        if amount == 0:
            continue
        month_refunds = [r for r in refunds if r.month == month]
        paid = amount + sum((Decimal(r.amount_yuan) for r in month_refunds), Decimal(0))
        days = _workdays(year, month)
        if spec.basic_kind is BasicKind.personnel:
            drafts.extend(_salary_payments(month, order, code, paid, days, rng))
        else:
            weight = Decimal(spec.weights[month - 1])
            expected = spec.per_month * weight / mean_weight * rng.randint(75, 125) / 100
            count = max(1, int(expected.quantize(Decimal(1), ROUND_HALF_UP)))
            drafts.extend(_project_payments(month, order, code, spec, paid, count, days, rng))
        for refund in month_refunds:
            day = days[rng.randint(len(days) // 2, len(days) - 1)]
            drafts.append(
                _Draft(day, order, code, -Decimal(refund.amount_yuan), refund.description, True)
            )
    return drafts


def _salary_payments(
    month: int, order: int, code: str, amount: Decimal, days: list[date], rng: random.Random
) -> list[_Draft]:
    items = [*_PERSONNEL_ITEMS, _YEAR_END_BONUS] if month == 12 else list(_PERSONNEL_ITEMS)
    shares = [Decimal(share * rng.randint(98, 102)) for _, share, _ in items]
    amounts = _split(amount, shares)
    return [
        _Draft(_on_or_after(days, day), order, code, part, f"{text}（{month}月）")
        for (text, _, day), part in zip(items, amounts, strict=True)
    ]


def _project_payments(
    month: int,
    order: int,
    code: str,
    spec: _LineSpec,
    amount: Decimal,
    count: int,
    days: list[date],
    rng: random.Random,
) -> list[_Draft]:
    # Heterogeneous sizes: a few large payments and many small ones.
    shares = [Decimal(rng.randint(20, 100) * rng.randint(1, 5)) for _ in range(count)]
    amounts = _split(amount, shares)
    drafts = []
    for part in amounts:
        text = rng.choice(spec.descriptions)
        if "{p}" in text:
            text = text.replace("{p}", rng.choice(spec.places))
        drafts.append(_Draft(_pick_day(days, month, rng), order, code, part, text))
    return drafts


def _split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` in parts by ``shares``, rounded as payments are; the last takes the rest."""
    whole = sum(shares, Decimal(0))
    parts = [_payment_rounding(amount * share / whole) for share in shares[:-1]]
    parts.append(amount - sum(parts, Decimal(0)))
    if any(part <= 0 for part in parts):
        raise ValueError(f"无法把 {amount} 元拆成正数笔支付")
    return parts


def _payment_rounding(value: Decimal) -> Decimal:
    """Large contract payments are whole hundreds of 元, mid-sized whole 元, small to the 分."""
    step = Decimal(100) if value >= 1_000_000 else Decimal(1) if value >= 10_000 else CENT
    return (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def _workdays(year: int, month: int) -> list[date]:
    holidays = {date.fromisoformat(d) for d in _HOLIDAYS[year]}
    make_up = {date.fromisoformat(d) for d in _MAKE_UP_DAYS[year]}
    day = date(year, month, 1)
    days = []
    while day.month == month:
        if (day.weekday() < 5 and day not in holidays) or day in make_up:
            days.append(day)
        day += timedelta(days=1)
    return days


def _on_or_after(days: list[date], day_of_month: int) -> date:
    return next((d for d in days if d.day >= day_of_month), days[-1])


def _pick_day(days: list[date], month: int, rng: random.Random) -> date:
    if month == 12:  # the year-end rush: December payments crowd into the last fortnight
        return days[max(rng.randint(0, len(days) - 1), rng.randint(0, len(days) - 1))]
    return days[rng.randint(0, len(days) - 1)]


def _with_vouchers(year: int, drafts: list[_Draft], rng: random.Random) -> list[Payment]:
    """Payments in date order, numbered 记-YYYY-MM-NNNN with gaps for other journal entries."""
    for sequence, draft in enumerate(drafts):
        draft.sequence = sequence
    ordered = sorted(drafts, key=lambda d: (d.day, d.order, d.sequence))
    payments: list[Payment] = []
    number, month = 0, 0
    for draft in ordered:
        if draft.day.month != month:
            number, month = 0, draft.day.month
        number += rng.randint(1, 4)
        payments.append(
            Payment(
                line=draft.line,
                # a fresh object per payment: YAML would write shared dates as anchors
                date=date(draft.day.year, draft.day.month, draft.day.day),
                amount=_wan(draft.amount),
                refund=draft.refund,
                voucher=f"记-{year}-{month:02d}-{number:04d}",
                description=draft.description,
            )
        )
    return payments


def _wan(yuan: Decimal) -> Decimal:
    """元 → 万元, exact, without trailing zeros (at most 6 decimals for a 分-exact amount)."""
    return (yuan / TEN_THOUSAND).normalize()


# ---------------------------------------------------------------------------------------------
# Illustrative project goals


def _q(level1: str, level2: str, level3: str, target: str, weight: int, actual: str,
       **extra: str) -> IndicatorEntry:
    return IndicatorEntry(
        level1=level1, level2=level2, level3=level3, kind=IndicatorKind.quantitative,
        target=target, weight=Decimal(weight), actual=actual, illustrative=True, **extra,
    )


def _text(level1: str, level2: str, level3: str, target: str, weight: int, actual: str,
          state: QualitativeState, score: str, **extra: str) -> IndicatorEntry:
    return IndicatorEntry(
        level1=level1, level2=level2, level3=level3, kind=IndicatorKind.qualitative,
        target=target, weight=Decimal(weight), actual=actual, state=state,
        assessed_score=Decimal(score), illustrative=True, **extra,
    )


_OUT, _BENEFIT, _SATISFACTION = "产出指标", "效益指标", "满意度指标"
_SERVED = "服务对象满意度指标"


def illustrative_project_goals() -> list[GoalEntry]:
    """Goals of three demo projects; targets and most actuals are illustrative.

    Where the report states the same figure (审结不动产登记案件 52186宗, 违法用地整改率
    86.19% / 97.5%, 上级交办图斑 1338.6亩, 推动整改恢复耕地 90亩, “马上办”业务 31项,
    创税 7.37亿元) it is used exactly as published. Indicator weights are 产出 50, 效益 30,
    满意度 10 per goal; the execution weight 10 comes from the rule set. The 违法用地 goal
    misses its 历史存量 target, to show a deduction.
    """
    registration_cost = _balanced_executed(_SPECS_2023, EXECUTED_TARGETS)["P07"] / 52186
    cost_text = f"{registration_cost.quantize(Decimal('0.1'), ROUND_HALF_UP)}元"
    goals = [
        GoalEntry(
            project="LW23-P07",
            expected_objective=(
                "保障不动产登记窗口和“云窗口”日常运行，依法高效办理各类不动产登记业务，"
                "全年审结不动产登记案件不少于50000宗，持续压缩办理时限，扩大“马上办”业务范围，"
                "提升群众和企业办事满意度。"
            ),
            actual_objective=(
                "截至11月底，共受理不动产登记案件54349宗，审结不动产登记案件52186宗，发证51454宗，"
                "创税7.37亿元；实现预告登记、企业间存量非住宅转移登记等31项业务“马上办”，"
                "落实二手房“带押过户”，实现跨境抵押登记“零出关”。"
                "（办结时限、差错率、单宗成本和满意度为示意值。）"
            ),
            indicators=[
                _q(_OUT, "数量指标", "审结不动产登记案件", "≥50000宗", 20, "52186宗",
                   cost_standard="BDC-1"),
                _q(_OUT, "数量指标", "实现“马上办”的登记业务", "≥25项", 10, "31项"),
                _q(_OUT, "质量指标", "登记差错率", "≤0.5%", 10, "0.12%"),
                _q(_OUT, "时效指标", "一般登记业务办结时限", "≤5个工作日", 5, "3个工作日"),
                _q(_OUT, "成本指标", "单宗登记业务平均运行成本", "≤60元", 5, cost_text),
                _q(_BENEFIT, "经济效益指标", "不动产登记环节创税", "≥6亿元", 15, "7.37亿元"),
                _text(_BENEFIT, "社会效益指标", "群众和企业办事便利度", "明显提升", 15,
                      "实现跨境抵押登记“零出关”、二手房“带押过户”，办事便利度明显提升",
                      QualitativeState.achieved, "14"),
                _q(_SATISFACTION, _SERVED, "办事群众和企业满意度", "≥90%", 10, "96.8%"),
            ],
        ),
        GoalEntry(
            project="LW23-P09",
            expected_objective=(
                "以“铁腕打击新增违法用地，坚决化解存量违法用地”为主线，完成上级交办违法用地图斑"
                "核查整改，历史存量违法用地整改率达到90%以上，新增违法用地整改率达到95%以上，"
                "对农村乱占耕地建房问题实行“零容忍”。"
            ),
            actual_objective=(
                "2023年上级交办荔湾区2013-2023年违法用地图斑共计1338.6亩，其中历史存量违法用地"
                "图斑933.93亩，已完成整改804.91亩，整改率86.19%；新增违法用地图斑404.67亩，"
                "已完成整改394.59亩，整改率97.5%；率先实现占耕图斑“清零”。"
                "历史存量违法用地整改率未达到年度指标值。（核查时限、成本和满意度为示意值。）"
            ),
            indicators=[
                _q(_OUT, "数量指标", "核查上级交办违法用地图斑面积", "≥1300亩", 15, "1338.6亩"),
                _q(_OUT, "质量指标", "历史存量违法用地整改率", "≥90%", 15, "86.19%",
                   deviation_reason=(
                       "历史存量图斑多涉及村集体物业和民生设施，拆除复耕须协调补偿和安置，"
                       "整改周期长，年内未能全部完成。"
                   ),
                   improvement=(
                       "建立“一图斑一方案”整改台账，联合属地街道、联社分类处置，"
                       "明确剩余图斑整改时限并按月通报进度。"
                   )),
                _q(_OUT, "质量指标", "新增违法用地整改率", "≥95%", 10, "97.5%"),
                _q(_OUT, "时效指标", "卫片图斑核查反馈时限", "≤30天", 5, "25天"),
                _q(_OUT, "成本指标", "图斑核查及测绘服务费用", "≤120万元", 5, "112.6万元"),
                _text(_BENEFIT, "社会效益指标", "农村乱占耕地建房问题整治", "占耕图斑清零", 15,
                      "率先实现占耕图斑“清零”", QualitativeState.achieved, "15"),
                _q(_BENEFIT, "生态效益指标", "推动整改恢复耕地面积", "≥80亩", 15, "90亩"),
                _q(_SATISFACTION, _SERVED, "属地街道及联社满意度", "≥85%", 10, "91%"),
            ],
        ),
        GoalEntry(
            project="LW23-P04",
            expected_objective=(
                "完成荔湾区国土空间总体规划（2021—2035年）成果编制并上报审批，统筹划定“三区三线”，"
                "构建“一核一带三平台”空间结构，为三大平台建设和重点项目落地提供规划依据。"
            ),
            actual_objective=(
                "已统筹划定“三区三线”，划定城镇开发边界面积57.62平方公里，构建“一核一带三平台”"
                "空间结构；荔湾区国土空间总体规划已形成阶段性成果，待市政府批复。"
                "（专题数量、时限、费用和满意度为示意值。）"
            ),
            execution_reason=(
                "规划成果待市政府批复，编制合同约定的成果验收款和尾款未达到支付条件；"
                "已于10月按程序调减预算40万元。"
            ),
            indicators=[
                _q(_OUT, "数量指标", "完成专题研究报告", "≥8份", 15, "8份"),
                _text(_OUT, "质量指标", "规划成果通过市级审查", "通过市级审查并获批复", 15,
                      "已形成阶段性成果并通过市级技术审查，待市政府批复",
                      QualitativeState.partly_achieved, "11",
                      deviation_reason="规划成果须经市政府批复，报批程序跨年度，年内未获批复。",
                      improvement="加强与市规划和自然资源局的沟通衔接，按审查意见完善成果，跟进报批。"),
                _q(_OUT, "时效指标", "公众意见反馈处理时限", "≤30天", 10, "20天"),
                _q(_OUT, "成本指标", "专题研究委托费用", "≤120万元", 10, "118.6万元"),
                _q(_BENEFIT, "社会效益指标", "规划统筹保障的重点平台", "≥3个", 15, "3个"),
                _text(_BENEFIT, "可持续影响指标", "国土空间规划实施监测评估机制", "建立并运行",
                      15, "已建立国土空间规划“一张图”实施监督机制",
                      QualitativeState.achieved, "13.5"),
                _q(_SATISFACTION, _SERVED, "相关部门及公众满意度", "≥85%", 10, "88%"),
            ],
        ),
    ]
    return [_with_progress(goal) for goal in goals]


# Shares of the year-end actual reached at the two demo monitoring dates (illustrative).
PROGRESS_SHARES = ((date(2023, 7, 31), Decimal("0.55")), (date(2023, 10, 31), Decimal("0.82")))


def _with_progress(goal: GoalEntry) -> GoalEntry:
    """The goal with illustrative progress values for its higher-is-better quantities.

    Lower-is-better indicators (时限, 差错率, 成本) are levels that must hold, so they report
    the year's actual at each date; qualitative ones report no interim value.
    """
    return goal.model_copy(
        update={"indicators": [_indicator_progress(i) for i in goal.indicators]}
    )


def _indicator_progress(indicator: IndicatorEntry) -> IndicatorEntry:
    target = parse_target(indicator.target)
    actual = parse_quantity(indicator.actual or "")
    if target is None or target.quantity is None or actual is None or target.operator is None:
        return indicator
    progress = [
        ProgressEntry(date=day, value=_share_of(actual, share, target.operator.lower_is_better))
        for day, share in PROGRESS_SHARES
    ]
    if indicator.deviation_reason:
        progress = [
            entry.model_copy(
                update={
                    "likelihood": Likelihood.possible,
                    "reason_category": ReasonCategory.other,
                    "reason": indicator.deviation_reason,
                }
            )
            for entry in progress
        ]
    return indicator.model_copy(update={"progress": progress})


def _share_of(actual: Quantity, share: Decimal, level: bool) -> str:
    value = actual.value if level else actual.value * share
    places = max(0, -int(actual.value.as_tuple().exponent))
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded}{actual.unit.symbol if actual.unit else ''}"
