"""The 预算与执行 and 支出明细 layouts: their columns, shared by templates, import and export.

Three tables:

- ``BUDGET`` (sheet 预算与执行): one row per budget line (预算行). Natural key: 预算行代码.
- ``ADJUSTMENTS`` (sheet 预算调整, in the budget workbook): one row per budget adjustment.
- ``LEDGER`` (sheet 支出明细): one row per payment.

``METADATA`` names the labelled cells above a table (部门代码, 部门名称, 年度); the unit is
declared as “单位：万元” (or “单位：元”) in the same block.

``KINDS`` maps each template name (English and Chinese) to its sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.interchange.excel.cells import (
    BASIC_KINDS,
    FUNDING_SOURCES,
    NATURES,
    PercentMeaning,
    read_amount,
    read_code,
    read_date,
    read_percent,
    read_yes_no,
)
from jixiao.interchange.excel.headers import Column, TableSpec

_SEQ = Column("seq", "序号", ("编号", "行号"), read=None, counts_as_data=False)
_LINE_CODE_SYNONYMS = ("预算行编码", "预算指标代码", "预算指标编码", "指标编码", "指标代码")
_LINE_NAME = Column(
    "line_name",
    "预算行名称",
    ("预算指标名称",),
    read=None,
    counts_as_data=False,
    note="仅供查看，导入时不使用（以预算行代码为准）",
)

BUDGET = TableSpec(
    "预算与执行表",
    (
        _SEQ,
        Column("code", "预算行代码", _LINE_CODE_SYNONYMS, read=read_code, required=True,
               note="必填；同一年度内唯一，是导入时识别预算行的依据"),
        Column("name", "预算行名称", ("名称", "预算指标名称", "指标名称"), required=True,
               note="必填"),
        Column("funding_source", "资金来源", ("资金性质", "资金来源类别", "经费来源"),
               read=FUNDING_SOURCES.read, required=True,
               note="必填；从下拉列表选择：" + "、".join(FUNDING_SOURCES.options)),
        Column("nature", "支出性质", ("支出类型", "支出类别", "性质"), read=NATURES.read,
               required=True, note="必填；基本支出 或 项目支出"),
        Column("basic_kind", "基本支出类别", ("经费类别", "基本支出分类", "经费类型"),
               read=BASIC_KINDS.read, note="基本支出填 人员经费 或 公用经费；项目支出不填"),
        Column("project", "项目代码", ("项目编码", "项目编号"), read=read_code,
               note="项目支出必填；基本支出不填"),
        Column("project_name", "项目名称", (), note="新项目必填；已有项目填写后会更新项目名称"),
        Column("functional_class", "支出功能分类", ("功能分类", "支出功能分类科目", "功能分类科目",
                                                  "功能科目")),
        Column("economic_class", "支出经济分类", ("经济分类", "支出经济分类科目", "经济分类科目",
                                                "经济科目")),
        Column("initial_budget", "年初预算数", ("年初预算", "年初数", "年初预算金额", "年初"),
               read=read_amount, required=True, amount=True,
               note="必填；空白或“-”按 0 计（年中新增的预算行）"),
        Column("adjustment", "预算调整", ("调整数", "预算调整数", "调整金额", "调整", "调增调减"),
               read=read_amount, amount=True,
               note="可不填；填写后 全年预算数 可不填（按 年初预算数 + 预算调整 计算），"
                    "三者都填写时须相符（逐笔调整写在“预算调整”表）"),
        Column("final_budget", "全年预算数", ("全年预算", "调整后预算数", "预算数(调整后)",
                                             "调整后预算", "全年"),
               read=read_amount, required=True, amount=True,
               note="此列必须有；单元格可不填：不填时按 年初预算数 + 预算调整 计算"
                    "（两者都没有时必填）"),
        Column("executed", "执行数", ("支出数", "实际支出", "全年执行数", "执行金额", "决算数",
                                      "实际支出数", "已支出"),
               read=read_amount, amount=True,
               note="有支出明细的预算行由明细汇总，此格可空或等于明细合计；"
                    "没有支出明细时填写执行数（决算口径）"),
        Column("execution_rate", "执行率", ("预算执行率", "支出进度"), read=read_percent,
               percent=PercentMeaning.fraction,
               note="可不填；填写时须与 执行数 ÷ 全年预算数 相符（按所填位数四舍五入比较）；"
                    "列名写成“执行率（%）”时，95.5 表示 95.5%"),
        Column("carryover", "结转和结余", ("结转结余", "年末结转和结余", "结余结转"),
               read=read_amount, amount=True),
        Column("over_budget_explanation", "超预算说明", ("超支说明", "超预算原因"),
               note="执行数超过预算时的说明"),
        Column("office", "责任科室", ("负责科室", "项目责任科室", "业务科室"),
               note="项目支出填写承担项目的科室名称（或科室代码），须是本部门已建立的科室；"
                    "不填则保留原责任科室"),
    ),
)  # fmt: skip

ADJUSTMENTS = TableSpec(
    "预算调整表",
    (
        _SEQ,
        Column("line", "预算行代码", _LINE_CODE_SYNONYMS, read=read_code, required=True,
               note="必填；须是“预算与执行”表中的预算行"),
        _LINE_NAME,
        Column("date", "调整日期", ("文件日期", "批复日期"), read=read_date, required=True,
               note="必填；须在本年度内"),
        Column("amount", "调整金额", ("调整数",), read=read_amount, required=True, amount=True,
               note="必填；调减写负数"),
        Column("document_number", "文号", ("调整文号", "文件号", "批复文号")),
        Column("reason", "调整原因", ("原因", "事由")),
    ),
)  # fmt: skip

LEDGER = TableSpec(
    "支出明细表",
    (
        _SEQ,
        Column("line", "预算行代码", _LINE_CODE_SYNONYMS, read=read_code, required=True,
               note="必填；须是本年度已有的预算行"),
        _LINE_NAME,
        Column("date", "支付日期", ("日期", "支出日期", "记账日期", "凭证日期", "付款日期"),
               read=read_date, required=True, note="必填；须在本年度内"),
        Column("voucher", "凭证号", ("凭证编号", "凭证字号", "记账凭证号")),
        Column("amount", "金额", ("支付金额", "支出金额", "发生额", "付款金额"), read=read_amount,
               required=True, amount=True, note="必填；退款（冲减）写负数，并在“退款”列填“是”"),
        Column("refund", "退款", ("是否退款", "冲减", "是否冲减"), read=read_yes_no,
               note="是 或 否（空白为否）"),
        Column("description", "摘要", ("用途", "事由", "支出内容")),
    ),
)  # fmt: skip

METADATA = {
    "department_code": ("部门代码", "部门编码"),
    "department_name": ("部门名称", "部门", "编制单位", "填报单位", "单位名称", "预算单位"),
    "year": ("年度", "预算年度", "年份", "所属年度"),
}


@dataclass(frozen=True)
class Kind:
    """A template: its name, Chinese title, and the sheets (title, table) it holds."""

    name: str
    title: str
    sheets: tuple[tuple[str, TableSpec], ...]


BUDGET_KIND = Kind("budget", "预算与执行", (("预算与执行", BUDGET), ("预算调整", ADJUSTMENTS)))
LEDGER_KIND = Kind("ledger", "支出明细", (("支出明细", LEDGER),))

KINDS: dict[str, Kind] = {
    "budget": BUDGET_KIND,
    "预算与执行": BUDGET_KIND,
    "ledger": LEDGER_KIND,
    "支出明细": LEDGER_KIND,
}
"""Template names accepted by ``jixiao template`` and ``jixiao export-xlsx``."""

SHEET_HINTS: dict[str, TableSpec] = {
    "预算与执行": BUDGET,
    "预算": BUDGET,
    "预算调整": ADJUSTMENTS,
    "调整": ADJUSTMENTS,
    "支出明细": LEDGER,
    "明细": LEDGER,
    "台账": LEDGER,
}
"""Words in a sheet's name that break a tie between tables matching equally well."""
