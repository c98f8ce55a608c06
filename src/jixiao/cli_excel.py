"""The Excel commands of the jixiao command line.

::

    jixiao template NAME --out FILE          NAME: budget | 预算与执行 | ledger | 支出明细 |
                                             goals | 项目支出绩效目标申报表 |
                                             project-evaluation | 项目支出绩效自评表 |
                                             department-evaluation | 部门整体支出绩效自评表 |
                                             monitoring | 绩效目标执行监控表
    jixiao import FILE [--dry-run] [--department CODE] [--year YYYY] [--unit 元|万元]
                       [--layouts PATH]
    jixiao export-xlsx --department CODE --year YYYY --kind NAME --out FILE [--as-of DATE]
                                             NAME: budget | ledger | goals | evaluation |
                                             monitoring (with --as-of)
    jixiao review FILE [--rules FILE] [--layouts PATH]

``--layouts`` (repeatable) reads form layout files (a file or a folder of them) besides the
shipped layouts, as does the environment variable ``JIXIAO_LAYOUTS``; the output says by
which layout each sheet was read (按版式“…”读取). See docs/excel.md.

``jixiao import`` exits 2 listing every problem (sheet!cell: message quoting the value);
nothing is written then. ``--dry-run`` lists every change (added / changed / removed, by
sheet row) and writes nothing. Imports go through ``services.excel_import.import_workbook``, which
tells budget and ledger tables from the performance forms by their sheet text.

``jixiao review`` (``review.review_workbook``) reads a filled 项目支出绩效自评表 or
部门整体支出绩效自评表 (and a 绩效目标申报表, for its goal quality) and prints every
difference between the unit's figures and the rules', storing nothing. Exit status: 0 no
finding, 1 findings, 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

_TEMPLATE_NAMES = ("budget", "预算与执行", "ledger", "支出明细", "goals", "项目支出绩效目标申报表",
                   "project-evaluation", "项目支出绩效自评表", "department-evaluation",
                   "部门整体支出绩效自评表", "monitoring", "绩效目标执行监控表")  # fmt: skip
LAYOUTS_HELP = (
    "另读入的表格版式文件（YAML）或目录，可重复；也可用环境变量 JIXIAO_LAYOUTS 列出"
    "（见 docs/excel.md）"
)
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def _kind(name: str) -> Any:
    from jixiao.errors import UserFacingError
    from jixiao.interchange.excel.layouts import KINDS

    kind = KINDS.get(name.strip())
    if kind is None:
        raise UserFacingError(f"没有名为“{name}”的模板；可用：{'、'.join(_TEMPLATE_NAMES)}")
    return kind


def cmd_template(args: argparse.Namespace) -> int:
    from jixiao.interchange.excel.form_templates import TEMPLATE_NAMES, write_form_template
    from jixiao.interchange.excel.templates import write_template

    form = TEMPLATE_NAMES.get(args.name.strip())
    if form is not None:
        written = write_form_template(form, Path(args.out))
        print(f"已生成模板（{form.form_title}）：{written}")
        return 0
    kind = _kind(args.name)
    written = write_template(kind, Path(args.out))
    print(f"已生成模板（{kind.title}）：{written}")
    return 0


def cmd_import(args: argparse.Namespace, migrate: Callable[[], None]) -> int:
    from django.db import transaction

    from jixiao.core.vocabulary import AmountUnit
    from jixiao.services.excel_import import import_workbook
    from jixiao.services.import_records import record_import

    migrate()
    unit = AmountUnit(args.unit) if args.unit else None
    with transaction.atomic():  # the import and its audit entry, or neither
        result = import_workbook(
            Path(args.file),
            dry_run=args.dry_run,
            department=args.department,
            year=args.year,
            unit=unit,
            layouts=args.layouts or (),
        )
        if not result.dry_run:
            record_import(result, Path(args.file), user=None)
    who = f"{result.department_name}（{result.department_code}）{result.year}年度"
    if result.dry_run:
        print(f"试导入（--dry-run，未写入任何数据）：{who}")
    else:
        created = "（新建年度）" if result.created_year else ""
        print(f"已导入：{who}{created}")
    print(f"读取：{'、'.join(result.sheets)}；共 {result.rows} 行数据")
    for read_as in result.read_as:
        print(f"  {read_as}")
    if not result.changed:
        print("没有变化：表中数据与已存数据一致")
        return 0
    print(f"{'将要' if result.dry_run else '已'}变化：{result.summary()}")
    # a confirmed import lists the budget's changes only (the ledger's may be 100,000)
    for change in result.changes() if result.dry_run else result.plan.budget_changes:
        print(f"  {change}")
    return 0


def cmd_export_xlsx(args: argparse.Namespace, migrate: Callable[[], None]) -> int:
    from jixiao.interchange.excel.form_exports import EXPORT_KINDS
    from jixiao.services.excel_export import export_form_workbook, export_workbook

    if args.kind.strip() in EXPORT_KINDS:
        as_of = _as_of(args.as_of) if args.as_of else None
        migrate()
        written = export_form_workbook(
            args.department, args.year, args.kind.strip(), Path(args.out), as_of
        )
        print(f"已导出（{args.kind.strip()}）：{written}")
        return 0
    kind = _kind(args.kind)
    migrate()
    written = export_workbook(args.department, args.year, kind, Path(args.out))
    print(f"已导出（{kind.title}）：{written}")
    return 0


def _as_of(text: str) -> Any:
    from datetime import date

    from jixiao.errors import UserFacingError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserFacingError(f"截至日期“{text}”不是有效日期，应写成 YYYY-MM-DD") from None


def cmd_review(args: argparse.Namespace) -> int:
    from jixiao.interchange.excel.review import review_lines, review_workbook
    from jixiao.interchange.problems import InputRejected

    rules = Path(args.rules) if args.rules else None
    try:
        result = review_workbook(Path(args.file), rules, layouts=args.layouts or ())
    except InputRejected as rejected:
        print(f"无法审核：发现 {len(rejected.problems)} 个问题", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    for line in review_lines(result):
        print(line)
    return 0 if result.clean else EXIT_FINDINGS


def add_excel_commands(commands: Any, migrate: Callable[[], None]) -> None:
    """Register template, import, export-xlsx and review on the CLI's subparsers."""
    template = commands.add_parser(
        "template",
        help="生成空白 Excel 模板（预算与执行、支出明细、绩效目标申报表、自评表、监控表）",
    )
    template.add_argument(
        "name",
        help="模板名称：budget（预算与执行）、ledger（支出明细）、goals（项目支出绩效目标申报表）、"
        "project-evaluation（项目支出绩效自评表）、department-evaluation（部门整体支出绩效自评表）、"
        "monitoring（绩效目标执行监控表）",
    )
    template.add_argument("--out", required=True, help="输出文件（.xlsx）")
    template.set_defaults(handler=cmd_template)

    importing = commands.add_parser(
        "import",
        help="导入填好的 Excel/CSV（预算与执行、支出明细、绩效目标申报表、自评表、监控表）："
        "全部校验通过才写入",
    )
    importing.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
    importing.add_argument("--dry-run", action="store_true", help="只列出将发生的变化，不写入")
    importing.add_argument("--department", help="部门代码（表中没有写明时）")
    importing.add_argument("--year", type=int, help="预算年度（表中没有写明时）")
    importing.add_argument("--unit", choices=("元", "万元"), help="金额单位（表中没有声明时）")
    importing.add_argument("--layouts", action="append", metavar="PATH", help=LAYOUTS_HELP)
    importing.set_defaults(handler=lambda args: cmd_import(args, migrate))

    export = commands.add_parser("export-xlsx", help="把一个部门年度导出为 Excel（模板格式）")
    export.add_argument("--department", required=True, help="部门代码")
    export.add_argument("--year", required=True, type=int, help="预算年度，如 2023")
    export.add_argument(
        "--kind",
        required=True,
        help="budget（预算与执行）、ledger（支出明细）、goals（绩效目标申报表）、"
        "evaluation（自评表）或 monitoring（监控表，须加 --as-of）",
    )
    export.add_argument("--as-of", help="监控表的截至日期，如 2023-07-31")
    export.add_argument("--out", required=True, help="输出文件（.xlsx）")
    export.set_defaults(handler=lambda args: cmd_export_xlsx(args, migrate))

    review = commands.add_parser(
        "review",
        help="审核填好的项目支出绩效自评表、部门整体支出绩效自评表或绩效目标申报表（不保存）："
        "逐项列出填报数与按规则计算数的差异；无问题退出码0，有问题1，文件无法读取2",
    )
    review.add_argument("file", help=".xlsx、.xls 或 .ods 文件")
    review.add_argument("--rules", help="使用自己的规则集文件（YAML），默认 mof-2020-project")
    review.add_argument("--layouts", action="append", metavar="PATH", help=LAYOUTS_HELP)
    review.set_defaults(handler=cmd_review)
