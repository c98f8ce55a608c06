"""The jixiao command line: load, export, report and the demo."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_REJECTED = 0, 1, 2


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django
    from django.conf import settings

    django.setup()
    home = Path(settings.JIXIAO_HOME)
    home.mkdir(parents=True, exist_ok=True)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def demo_dataset_path() -> Path:
    return Path(str(resources.files("jixiao.demo") / "liwan-2023.yaml"))


def cmd_load(args: argparse.Namespace) -> int:
    from jixiao.interchange.dataset_file import read_dataset
    from jixiao.services.storing import store_dataset

    dataset = read_dataset(Path(args.file))
    _migrate()
    fiscal_year = store_dataset(dataset, replace=args.replace)
    print(
        f"已导入：{fiscal_year.department.name}（{fiscal_year.department.code}）{fiscal_year.year}年度"
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from jixiao.interchange.dataset_file import dump_dataset
    from jixiao.services.reading import export_dataset

    _migrate()
    text = dump_dataset(export_dataset(args.department, args.year))
    Path(args.file).write_text(text, encoding="utf-8")
    print(f"已导出：{args.file}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from jixiao.services.reporting import write_report

    _migrate()
    template = Path(args.template) if args.template else None
    written = write_report(args.department, args.year, Path(args.out), template=template)
    _print_report(written)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from jixiao.documents.evaluation_text import evaluation_lines
    from jixiao.documents.json_output import dumps
    from jixiao.services.evaluating import evaluate_stored_year

    _migrate()
    rules_file = Path(args.rules) if args.rules else None
    result = evaluate_stored_year(args.department, args.year, rules_file)
    if args.json:
        print(dumps(result))
    else:
        for line in evaluation_lines(result):
            print(line)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from jixiao.interchange.dataset_file import read_dataset
    from jixiao.services.reporting import write_report
    from jixiao.services.storing import store_dataset

    _migrate()
    dataset = read_dataset(demo_dataset_path())
    store_dataset(dataset, replace=True)
    print(f"演示数据已载入：{dataset.department.name} {dataset.year}年度")
    written = write_report(dataset.department.code, dataset.year, Path(args.out))
    _print_report(written)
    return EXIT_OK


def _print_report(written: object) -> None:
    from jixiao.core.money import format_percent, format_wan
    from jixiao.services.reporting import WrittenReport

    assert isinstance(written, WrittenReport)
    figures = written.figures
    print(f"报告（Word）：{written.docx}")
    print(f"报告（Markdown）：{written.markdown}")
    print(
        f"全年预算数 {format_wan(figures.final_budget)} 万元；"
        f"执行数 {format_wan(figures.executed)} 万元；"
        f"执行率 {format_percent(figures.execution_rate)}"
    )
    if not written.findings:
        print("一致性检查：未发现问题")
        return
    print(f"一致性检查：发现 {len(written.findings)} 项")
    for finding in written.findings:
        print(f"  【{finding.severity.label}】{finding.message}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao", description="jixiao 预算绩效管理：部门整体支出绩效自评"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="载入荔湾区2023年演示数据并生成自评报告")
    demo.add_argument("--out", default="jixiao-report", help="报告输出目录")
    demo.set_defaults(handler=cmd_demo)

    load = commands.add_parser("load", help="校验并导入一个部门年度的数据文件（YAML）")
    load.add_argument("file")
    load.add_argument("--replace", action="store_true", help="覆盖已存在的同一部门年度")
    load.set_defaults(handler=cmd_load)

    export = commands.add_parser("export", help="把一个部门年度导出为数据文件（YAML）")
    _year_arguments(export)
    export.add_argument("file")
    export.set_defaults(handler=cmd_export)

    report = commands.add_parser("report", help="生成部门整体支出绩效自评报告（.docx 和 .md）")
    _year_arguments(report)
    report.add_argument("--out", required=True, help="输出目录")
    report.add_argument("--template", help="自定义 Word 模板（docxtpl 标签）")
    report.set_defaults(handler=cmd_report)

    evaluate = commands.add_parser("evaluate", help="按规则集计算绩效自评得分、等级，并审核填报数")
    _year_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="以 JSON 输出完整结果")
    evaluate.add_argument("--rules", help="使用自己的规则集文件（YAML）")
    evaluate.set_defaults(handler=cmd_evaluate)
    return parser


def _year_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--department", required=True, help="部门代码")
    parser.add_argument("--year", required=True, type=int, help="预算年度，如 2023")


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from jixiao.env import SettingError

    try:
        _setup_django()
    except SettingError as error:
        print(f"配置错误：{error}", file=sys.stderr)
        return EXIT_REJECTED
    from jixiao.errors import UserFacingError
    from jixiao.interchange.problems import InputRejected

    try:
        return handler(args)
    except InputRejected as rejected:
        print(f"未写入任何数据：发现 {len(rejected.problems)} 个问题", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REJECTED
    except UserFacingError as error:
        print(str(error), file=sys.stderr)
        return EXIT_REJECTED


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args.handler, args)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except Exception as error:  # the last guard: no stack trace reaches a user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(f"内部错误：{type(error).__name__}: {error}", file=sys.stderr)
        print("请把上面这行发给系统维护人员；设置 JIXIAO_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
