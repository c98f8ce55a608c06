"""Templates of 预算与执行 (budget) and 支出明细 (ledger): ``write_template(kind, path, meta)``.

``layouts.KINDS`` maps the names ``jixiao template`` accepts (budget, 预算与执行, ledger,
支出明细) to a ``Kind``. Each template holds an instructions sheet (说明) and its data
sheets in the layout of ``writer.py``, with blank rows ready to fill. ``meta`` fills in
部门代码, 部门名称 and 年度 above each table (a template downloaded from a department-year
page); without it (``jixiao template``) they stay blank.

``WEB_IMPORT`` is how the 说明 sheet of every template (these and the forms') tells a
clerk to import: in the browser, the command line only as a last line.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.core.vocabulary import AmountUnit
from jixiao.interchange.excel.layouts import BUDGET_KIND, Kind
from jixiao.interchange.excel.writer import (
    Meta,
    SheetContent,
    new_book,
    save,
    write_data_sheet,
    write_instructions,
)

TEMPLATE_ROWS = 500

WEB_IMPORT = (
    "导入（在网页上）：打开系统中本部门本年度的“导入”页，在“上传工作簿”处选择填好的文件，"
    "点“上传并预览”。预览列出读取的各表、每表的数据行数和各金额列的合计（万元，可与本文件逐项核对），"
    "以及将新增、修改、删除的每一行，此时尚未写入；核对无误后点“确认导入”，不对就点“取消”。",
    "发现问题时逐一列出（工作表、单元格、读到的值、原因），什么都不写入，改正后重新上传即可；"
    "确认后在一个事务中全部写入。同一文件导入两次，第二次不会有任何变化。",
    "系统维护人员也可在命令行导入：jixiao import 文件.xlsx（先加 --dry-run 只列出变化，不写入）。",
)

COMMON = (
    "表头上方填写部门代码、部门名称和年度；第5行选择金额单位（单位：万元 或 单位：元），"
    "也可以在列名中写明，如“全年预算数（元）”。",
    "表头文字不要改动（导入时按表头文字识别各列，列的顺序可以调整，多余的列会被忽略）。"
    "合计、小计行和以“注：”“说明：”“填表人”开头的行导入时跳过。",
    "金额可写成 1234.56、1,234.56 或全角数字；“-”和空白表示没有数。",
    *WEB_IMPORT,
)

INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "budget": (
        "本模板用于导入一个部门一个年度的预算行及其执行情况（预算与执行），以及逐笔预算调整。",
        *COMMON,
        "“预算与执行”表是该年度的全部预算行，按预算行代码识别：表中新的代码新增预算行，"
        "已有的代码更新该行；已存而表中没有的预算行将被删除（已有支出明细的预算行不能删除）。",
        "项目支出须填写项目代码；新项目还须填写项目名称。基本支出不填项目代码，"
        "可填基本支出类别（人员经费或公用经费）。",
        "全年预算数可不填：填写了预算调整（调整数合计）时按 年初预算数 + 预算调整 计算；"
        "三者都填写时须相符，不符时逐行指出。",
        "有支出明细的预算行，执行数由明细汇总：此格可空，填写时须等于明细合计。",
        "“预算调整”表列出全年逐笔预算调整；工作簿中有此表时，以它替换各预算行的调整记录；"
        "此表为空（或删除此表）则保留已存的调整记录。",
    ),
    "ledger": (
        "本模板用于导入一个部门一个年度的支出明细（台账）。",
        *COMMON,
        "表中应为该年度的全部支出：已存而表中没有的支出将被删除。同一笔支出以 "
        "预算行代码 + 支付日期 + 凭证号 + 金额 识别。",
        "退款（冲减）金额写负数，并在“退款”列填“是”。",
        "预算行代码须是该年度已导入的预算行（先导入预算与执行表）。",
    ),
}

DEFAULT_UNITS = {"budget": AmountUnit.wan, "ledger": AmountUnit.yuan}


def write_template(kind: Kind, path: Path, meta: Meta | None = None) -> Path:
    """Write a template of ``kind`` to ``path`` (.xlsx), blank or with ``meta`` filled in."""
    meta = meta or Meta()
    book = new_book()
    write_instructions(book, kind.title, INSTRUCTIONS[kind.name], kind.sheets)
    for sheet_name, spec in kind.sheets:
        unit = DEFAULT_UNITS[kind.name]
        rows = TEMPLATE_ROWS if spec is not BUDGET_KIND.sheets[1][1] else 100
        heading = f"{meta.year}年度 {sheet_name}" if meta.year else sheet_name
        content = SheetContent(sheet_name, spec, heading, unit, [], blank_rows=rows)
        write_data_sheet(book, content, meta)
    book.active = 1
    return save(book, path)
