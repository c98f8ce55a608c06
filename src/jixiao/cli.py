"""The jixiao command line: load, export, report and the demo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from jixiao.core.evaluation import YearEvaluation

EXIT_OK, EXIT_FAILED, EXIT_REJECTED, EXIT_INTERNAL = 0, 1, 2, 3
"""0 clean; 1 findings (``review``, ``evaluate`` with errors); 2 refused input, nothing
written; 3 an internal error (a fault of jixiao, logged with its traceback), never 1."""
EXIT_INTERRUPTED = 130


def _setup_django(command: str = "") -> None:
    # serve keeps every app; the other commands skip the API docs app (command_settings)
    web = command == "serve"
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "jixiao.settings" if web else "jixiao.command_settings"
    )
    import gc

    import django
    from django.apps import apps
    from django.conf import settings

    if apps.ready or not gc.isenabled():
        django.setup()
    else:
        # the first set-up builds the app registry and imports every model: objects for
        # the process's lifetime, which the cycle collector would walk again and again to
        # find no garbage (a tenth of a short command's time); kept out of its walks
        gc.disable()
        try:
            django.setup()
        finally:
            gc.freeze()
            gc.enable()
    home = Path(settings.JIXIAO_HOME)
    home.mkdir(parents=True, exist_ok=True)


def _migrate() -> None:
    """Bring the schema up to date; when it already is, one query tells (``migrate``
    itself loads every migration and costs a tenth of a second per command)."""
    if _schema_current():
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _schema_current() -> bool:
    """Every migration file of every installed app is recorded as applied."""
    from django.apps import apps
    from django.db import DatabaseError, connection

    on_disk = {
        (config.label, path.stem)
        for config in apps.get_app_configs()
        for path in (Path(config.path) / "migrations").glob("[0-9]*.py")
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:  # a new database: no table yet
        return False
    return on_disk <= applied


def demo_dataset_path() -> Path:
    return Path(str(resources.files("jixiao.demo") / "liwan-2023.yaml"))


def cmd_carry_forward(args: argparse.Namespace) -> int:
    from jixiao.services.carry_forward import carry_forward

    _migrate()
    projects = args.projects.split(",") if args.projects else None
    result = carry_forward(args.department, getattr(args, "from"), projects)
    print(f"{result.fiscal_year.department.name}：{result.summary()}")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from jixiao.interchange.dataset_file import read_dataset
    from jixiao.services.storing import store_dataset

    dataset = read_dataset(Path(args.file))
    _migrate()
    if args.replace:
        _warn_archive_gaps(dataset.department.code, dataset.year, "已删除")
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
    _warn_archive_gaps(args.department, args.year, "未导出")
    return EXIT_OK


def _warn_archive_gaps(department: str, year: int, verb: str) -> None:
    """Say what a data file does not carry, where it is lost (export, load --replace)."""
    from jixiao.services.backup import archive_gaps

    gaps = archive_gaps(department, year).sentences()
    if gaps:
        print(
            f"注意：数据文件不含{'、'.join(gaps)}，这些内容{verb}；"
            "要完整保存请用 jixiao backup 备份整个数据库。",
            file=sys.stderr,
        )


def cmd_backup(args: argparse.Namespace) -> int:
    from jixiao.services.backup import backup_database

    done = backup_database(Path(args.file))
    print(f"已备份整个数据库（{done.engine}）：{done.path}（{done.size:,} 字节）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from jixiao.services.backup import restore_database

    if not args.yes:
        print(
            "恢复会用备份替换整个数据库（所有部门年度和账号），当前数据将丢失；"
            "确认无误后加 --yes 再运行。",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    done = restore_database(Path(args.file))
    print(f"已从备份恢复整个数据库（{done.engine}）：{done.path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from jixiao.services.reporting import write_report

    if bool(args.all) == bool(args.department):
        print("请写明 --department 部门代码，或用 --all 生成全部部门的报告（二者选一）",
              file=sys.stderr)  # fmt: skip
        return EXIT_REJECTED
    _migrate()
    if args.all:
        return _report_all(args)
    template = Path(args.template) if args.template else None
    written = write_report(args.department, args.year, Path(args.out), template=template)
    _print_report(written)
    if args.pdf:
        _print_pdf("报告（PDF）", written.docx)
    return EXIT_OK


def _report_all(args: argparse.Namespace) -> int:
    """Every department's report for the year in this process (or ``--jobs`` processes)."""
    from jixiao.services.report_batch import write_all_reports

    template = Path(args.template) if args.template else None
    written = refused = 0
    for done in write_all_reports(args.year, Path(args.out), max(args.jobs, 1), template):
        if done.docx is None:
            refused += 1
            print(f"{done.department_code}：未生成。{done.refused}", file=sys.stderr)
            continue
        written += 1
        print(f"{done.department_code}：{done.docx}（审核意见 {done.findings} 项）")
        if args.pdf:
            _print_pdf("  PDF", done.docx)
    if not written and not refused:
        print(f"{args.year}年度没有任何部门的数据，请先用 jixiao load 导入", file=sys.stderr)
        return EXIT_REJECTED
    print(
        f"{args.year}年度：已生成 {written} 个部门的报告"
        + (f"，{refused} 个未生成" if refused else "")
    )
    return EXIT_FAILED if refused else EXIT_OK


def _print_pdf(label: str, docx: Path) -> Path:
    """Convert ``docx`` to PDF beside it and print the path (PdfError: exit status 2)."""
    from jixiao.documents.pdf import convert_to_pdf

    pdf = convert_to_pdf(docx)
    print(f"{label}：{pdf}")
    return pdf


def cmd_evaluate(args: argparse.Namespace) -> int:
    from jixiao.documents.evaluation_text import evaluation_lines
    from jixiao.documents.json_output import dumps
    from jixiao.services.evaluating import evaluate_stored_year, write_evaluation_tables

    _migrate()
    rules_file = Path(args.rules) if args.rules else None
    result = evaluate_stored_year(args.department, args.year, rules_file)
    if args.out:
        xlsx = write_evaluation_tables(result, Path(args.out))
        # with --json, stdout stays pure JSON
        print(f"自评表（Excel）：{xlsx}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(dumps(result))
    else:
        for line in evaluation_lines(result):
            print(line)
    return EXIT_OK


PDF_HELP = "另用 LibreOffice 把 Word 报告转换为 PDF（需安装 LibreOffice）"

DEMO_MONITORING_DATES = (date(2023, 7, 31), date(2023, 10, 31))


def cmd_demo(args: argparse.Namespace) -> int:
    from jixiao.demo.next_year import read_next_year, store_next_year
    from jixiao.demo.synthetic import demo_dataset_2023, synthetic_year_2022
    from jixiao.interchange.dataset_file import read_dataset
    from jixiao.services.reporting import write_report
    from jixiao.services.storing import store_dataset

    if args.city is not None:
        return _demo_city(args)
    _migrate()
    earlier = synthetic_year_2022()
    store_dataset(earlier, replace=True)
    dataset = demo_dataset_2023(read_dataset(demo_dataset_path()))
    store_dataset(dataset, replace=True)
    following = store_next_year(read_next_year())
    print(
        f"演示数据已载入：{dataset.department.name} {dataset.year}年度"
        f"（另载入合成的{earlier.year}年度台账，供运行监控的支出进度曲线使用；"
        f"{following.year}年度为示意的预算申报：延续项目由{dataset.year}年度结转，"
        f"另有两个新增项目的事前绩效评估）"
    )
    written = write_report(dataset.department.code, dataset.year, Path(args.out))
    _print_report(written)
    pdf = getattr(args, "pdf", False)
    if pdf:
        _print_pdf("报告（PDF）", written.docx)
    _demo_evaluation(written.evaluation, Path(args.out))
    _demo_monitoring(dataset.department.code, dataset.year, Path(args.out), pdf)
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from jixiao.services.city_batch import request_batch

    _migrate()
    as_of = _as_of(args.as_of) if args.as_of else None
    departments = [code for code in (args.departments or "").split(",") if code.strip()]
    batch = request_batch(args.year, Path(args.out).resolve(), departments, as_of)
    print(f"已排队：{batch.year}年度批量生成（编号 {batch.pk}，{len(batch.departments)} 个部门）")
    return _run_batch(batch.pk, max(args.workers, 0))


def _run_batch(batch_id: int, workers: int) -> int:
    """Run ``workers`` local workers (none: wait for ``jixiao worker`` elsewhere) and show
    the batch's progress until it is finished."""
    import time

    from jixiao.services.city_batch import start_workers
    from jixiao.services.jobs import progress
    from jixiao.storage import models as m

    processes = start_workers(workers) if workers else []
    shown = None
    while True:
        now = progress(batch_id)
        if (now.finished, now.failed) != shown:
            filled = now.percent // 5
            print(f"进度：[{'#' * filled}{'.' * (20 - filled)}] {now.finished}/{now.total}"
                  f"（{now.percent}%）" + (f"，未完成 {now.failed}" if now.failed else ""),
                  flush=True)  # fmt: skip
            shown = (now.finished, now.failed)
        if now.complete:
            break
        if processes and not any(p.is_alive() for p in processes):
            processes = start_workers(workers)  # a worker died: the others resume its job
        time.sleep(0.5)
    for process in processes:
        process.join()
    batch = m.CityBatch.objects.get(pk=batch_id)
    for job in batch.jobs.exclude(message=""):
        print(f"{job.department_code or '汇总'}：未完成。{job.message}", file=sys.stderr)
    if not batch.archive:
        print("批量生成未完成，没有生成压缩包", file=sys.stderr)
        return EXIT_FAILED
    print(f"全部文件（zip）：{batch.archive}")
    return EXIT_FAILED if now.failed else EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from jixiao.services.city_batch import work
    from jixiao.services.jobs import worker_name

    _migrate()
    name = worker_name()
    print(f"批量生成工作进程 {name} 已启动", flush=True)

    def said(job: object, ok: bool) -> None:
        code = getattr(job, "department_code", "") or "汇总与压缩包"
        print(f"{'完成' if ok else '未完成'}：批量 {getattr(job, 'batch_id', '')} {code}",
              flush=True)  # fmt: skip

    idle = None if args.until_idle or args.no_warm else _bureau_warming()
    done = work(name, until_idle=args.until_idle, poll=args.poll, on_job=said, on_idle=idle)
    print(f"工作进程结束：完成 {done.done} 项，未完成 {done.failed} 项")
    return EXIT_OK


WARM_SECONDS = 5.0
"""How long the idle worker computes bureau parts before it looks for a job again."""


def _bureau_warming() -> Callable[[], None]:
    """While idle, the worker computes the 财政局 pages' per-department parts that changed
    (``web.warming``), so the first request after a start or a change finds them kept."""
    import time

    from django.db import close_old_connections

    from jixiao.web.warming import BureauWarmer

    warmer = BureauWarmer()

    def warm() -> None:
        began = time.perf_counter()
        try:
            computed = warmer(seconds=WARM_SECONDS)
        except Exception as error:  # a failed warm-up only leaves the pages to compute
            close_old_connections()
            print(f"预先计算财政局页面未完成：{type(error).__name__}", flush=True)
            return
        if computed:
            took = time.perf_counter() - began
            print(f"已预先计算财政局页面：{computed} 个部门年度，{took:.1f} 秒", flush=True)

    return warm


def _demo_city(args: argparse.Namespace) -> int:
    """``jixiao demo --city N``: a synthetic city stored, then its batch written to --out."""
    from jixiao.demo.city import city_datasets, department_code
    from jixiao.demo.synthetic import demo_dataset_2023
    from jixiao.interchange.dataset_file import read_dataset
    from jixiao.services.city_batch import request_batch
    from jixiao.services.storing import store_dataset

    if args.city < 1 or args.projects < 1 or args.payments < 1:
        print("--city、--projects 和 --payments 应为正整数", file=sys.stderr)
        return EXIT_REJECTED
    _migrate()
    base = demo_dataset_2023(read_dataset(demo_dataset_path()))
    for number, dataset in enumerate(
        city_datasets(base, args.city, args.projects, args.payments), start=1
    ):
        store_dataset(dataset, replace=True)
        print(f"已载入合成部门 {number}/{args.city}：{dataset.department.name}"
              f"（{len(dataset.budget.payments)} 笔支付）", flush=True)  # fmt: skip
    codes = [department_code(number) for number in range(1, args.city + 1)]
    batch = request_batch(base.year, Path(args.out).resolve(), codes)
    print(f"已排队：{batch.year}年度批量生成（编号 {batch.pk}，{len(codes)} 个部门）")
    return _run_batch(batch.pk, max(args.workers, 1))


def _demo_evaluation(result: YearEvaluation | None, out: Path) -> None:
    from jixiao.core.scoring import plain_number
    from jixiao.services.evaluating import write_evaluation_tables

    if result is None:
        return
    print(f"绩效自评表（Excel）：{write_evaluation_tables(result, out)}")
    department = result.department
    if department is not None and department.total is not None:
        print(f"部门整体支出绩效自评：{plain_number(department.total)} 分，等级 {department.grade}")
    for project in result.projects:
        evaluation = project.evaluation
        score = (
            "评价不完整"
            if evaluation.total is None
            else (f"{plain_number(evaluation.total)} 分，等级 {evaluation.grade}")
        )
        print(f"  项目 {project.project_name}：{score}")


def _demo_monitoring(department: str, year: int, out: Path, pdf: bool = False) -> None:
    from jixiao.documents.monitoring_text import summary_lines
    from jixiao.services.monitoring import monitor_stored_year, write_monitoring

    for as_of in DEMO_MONITORING_DATES:
        report = monitor_stored_year(department, year, as_of)
        monitored = write_monitoring(report, out)
        print(f"监控表（Excel）：{monitored.xlsx}")
        print(f"监控报告（Word）：{monitored.docx}")
        print(f"审核意见（Word）：{monitored.review}")
        if pdf:
            _print_pdf("监控报告（PDF）", monitored.docx)
        for line in summary_lines(report):
            print(line)


def _as_of(text: str) -> date:
    from jixiao.services.monitoring import MonitoringInputError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MonitoringInputError(
            f"监控日期“{text}”不是有效日期，应写成 YYYY-MM-DD，如 2023-07-31"
        ) from None


def cmd_monitor(args: argparse.Namespace) -> int:
    from jixiao.documents.json_output import to_jsonable
    from jixiao.documents.monitoring_text import headline_lines
    from jixiao.documents.pdf import convert_to_pdf
    from jixiao.services.monitoring import monitor_stored_year, take_snapshot, write_monitoring

    as_of = _as_of(args.as_of)
    _migrate()
    rules_file = Path(args.rules) if args.rules else None
    report = monitor_stored_year(args.department, args.year, as_of, rules_file)
    written = write_monitoring(report, Path(args.out))
    if args.snapshot:
        report = replace(report, snapshot_id=take_snapshot(report).id)
    if args.json:
        files = {"xlsx": str(written.xlsx), "docx": str(written.docx)}
        files["review"] = str(written.review)
        if args.pdf:
            files["pdf"] = str(convert_to_pdf(written.docx))
        print(json.dumps({"files": files, "report": to_jsonable(report)}, ensure_ascii=False,
                         indent=2))  # fmt: skip
        return EXIT_OK
    print(f"监控表（Excel）：{written.xlsx}")
    print(f"监控报告（Word）：{written.docx}")
    print(f"审核意见（Word）：{written.review}")
    if args.pdf:
        _print_pdf("监控报告（PDF）", written.docx)
    for line in headline_lines(report):
        print(line)
    return EXIT_OK


def cmd_snapshots(args: argparse.Namespace) -> int:
    from jixiao.documents.monitoring_text import change_lines, snapshot_line
    from jixiao.services.errors import NotFound
    from jixiao.services.monitoring import compare_snapshots, list_snapshots, snapshot_report

    _migrate()
    stored = list_snapshots(args.department, args.year)
    if args.compare:
        ids = {s.id for s in stored}
        for wanted in args.compare:
            if wanted not in ids:
                raise NotFound(
                    f"部门“{args.department}”的{args.year}年度没有编号为{wanted}的监控快照"
                )
        first, second = args.compare
        changes = compare_snapshots(first, second)
        for line in change_lines(changes, snapshot_report(second)):
            print(line)
        return EXIT_OK
    if not stored:
        print(f"{args.year}年度还没有监控快照（jixiao monitor --snapshot 生成）")
    for item in stored:
        print(snapshot_line(item.id, item.as_of, item.taken_at, item.rules))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from jixiao.web.server import run_gunicorn

    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        _serve_demo(Path(settings.JIXIAO_HOME))
    if args.host not in settings.ALLOWED_HOSTS and args.host not in ("0.0.0.0", "::"):
        print(f"注意：{args.host} 不在 JIXIAO_ALLOWED_HOSTS 中，用它访问会被拒绝（400）")
    print(f"jixiao 网页服务：http://{args.host}:{args.port}/ （按 Ctrl+C 停止）", flush=True)
    run_gunicorn(args.host, args.port, args.workers)
    return EXIT_OK


def _serve_demo(home: Path) -> None:
    """Load the demo into an empty database (``cmd_demo`` itself), then one account per role."""
    from jixiao.demo.synthetic import DEPARTMENT_CODE
    from jixiao.storage.models import FiscalYear
    from jixiao.web.accounts import create_demo_accounts

    if FiscalYear.objects.exists():
        print("数据库中已有数据：不重新载入演示数据")
    else:
        cmd_demo(argparse.Namespace(out=str(home / "demo-report"), city=None))
    accounts = create_demo_accounts(DEPARTMENT_CODE)
    if not accounts:
        print("演示账号已存在（密码只在创建时显示过一次）")
        return
    print("演示账号（密码只显示这一次，请记下）：")
    for account in accounts:
        role = account.role.label
        print(f"  {account.username:<13} {role:<6} 密码 {account.password}  {account.where}")


def _print_report(written: object) -> None:
    from jixiao.core.money import format_percent, format_wan
    from jixiao.services.reporting import WrittenReport

    assert isinstance(written, WrittenReport)
    figures = written.figures
    print(f"报告（Word）：{written.docx}")
    print(f"报告（Markdown）：{written.markdown}")
    print(f"审核意见（Word）：{written.review}")
    print(
        f"全年预算数 {format_wan(figures.final_budget)} 万元；"
        f"执行数 {format_wan(figures.executed)} 万元；"
        f"执行率 {format_percent(figures.execution_rate)}"
    )
    if not written.findings:
        print("审核意见：未发现需要核实的事项")
        return
    print(f"审核意见：{len(written.findings)} 项（不印入报告）")
    subject = None
    for finding in written.findings:
        if finding.subject != subject:
            subject = finding.subject
            print(f"  {subject or '总体'}：")
        print(f"    【{finding.severity.label}】{finding.message}")


class _ChineseParser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese (exit status 2: refused input)."""

    _ERRORS = (
        (r"the following arguments are required: (.*)", "缺少必填参数：{0}"),
        (r"unrecognized arguments: (.*)", "不认识的参数：{0}"),
        (r"argument (\S+): invalid int value: '(.*)'", "参数 {0} 的值“{1}”应为整数"),
        (r"argument (\S+): invalid choice: '(.*?)'", "参数 {0} 的值“{1}”不是可选值之一"),
        (r"argument (\S+): expected one argument", "参数 {0} 后面应写一个值"),
    )

    def error(self, message: str) -> NoReturn:
        import re

        for pattern, chinese in self._ERRORS:
            found = re.match(pattern, message)
            if found:
                message = chinese.format(*found.groups())
                break
        else:
            message = "命令行参数有误"
        self.print_usage(sys.stderr)
        self.exit(EXIT_REJECTED, f"{self.prog}：{message}（用 --help 查看用法）\n")


def _parser() -> argparse.ArgumentParser:
    parser = _ChineseParser(prog="jixiao", description="jixiao 预算绩效管理：部门整体支出绩效自评")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="载入荔湾区2023年演示数据并生成自评报告")
    demo.add_argument("--out", default="jixiao-report", help="报告输出目录")
    demo.add_argument("--pdf", action="store_true", help=PDF_HELP)
    demo.add_argument(
        "--city", type=int, help="改为生成 N 个部门的合成城市，并把全市批量输出写入 --out"
    )
    demo.add_argument("--projects", type=int, default=20, help="与 --city 同用：每个部门的项目数")
    demo.add_argument("--payments", type=int, default=50_000,
                      help="与 --city 同用：每个部门约多少笔支付")  # fmt: skip
    demo.add_argument("--workers", type=int, default=2, help="与 --city 同用：工作进程数")
    demo.set_defaults(handler=cmd_demo)

    batch = commands.add_parser(
        "batch", help="批量生成全市（或所选部门）一个年度的全部报告、表格和汇总（zip）"
    )
    batch.add_argument("--year", required=True, type=int, help="预算年度，如 2023")
    batch.add_argument("--departments", help="部门代码，用逗号分隔（默认该年度全部部门）")
    batch.add_argument("--as-of", help="运行监控日期（默认该年7月31日）")
    batch.add_argument("--out", required=True, help="输出目录（各工作进程都能写入）")
    batch.add_argument("--workers", type=int, default=2,
                       help="本机启动的工作进程数（0：只排队，由 jixiao worker 执行）")  # fmt: skip
    batch.set_defaults(handler=cmd_batch)

    worker = commands.add_parser("worker", help="批量生成的工作进程：领取并执行排队的任务")
    worker.add_argument("--until-idle", action="store_true", help="没有待执行的任务时退出")
    worker.add_argument("--poll", type=float, default=2.0, help="空闲时查询间隔（秒）")
    worker.add_argument("--no-warm", action="store_true",
                        help="空闲时不预先计算财政局页面（默认计算有改动的部门）")  # fmt: skip
    worker.set_defaults(handler=cmd_worker)

    load = commands.add_parser("load", help="校验并导入一个部门年度的数据文件（YAML）")
    load.add_argument("file")
    load.add_argument("--replace", action="store_true", help="覆盖已存在的同一部门年度")
    load.set_defaults(handler=cmd_load)

    year = commands.add_parser("year", help="部门年度：结转下一年度")
    year_commands = year.add_subparsers(dest="year_command", required=True, metavar="ACTION")
    carry = year_commands.add_parser(
        "carry-forward",
        help="由上一年度建立下一年度：继续实施的项目、绩效目标（草稿）、未完成的整改事项",
    )
    carry.add_argument("--department", required=True, help="部门代码")
    carry.add_argument("--from", required=True, type=int, help="结转自哪一年度，如 2023")
    carry.add_argument("--projects", help="继续实施的项目代码，逗号分隔（默认全部项目）")
    carry.set_defaults(handler=cmd_carry_forward)

    export = commands.add_parser("export", help="把一个部门年度导出为数据文件（YAML）")
    _year_arguments(export)
    export.add_argument("file")
    export.set_defaults(handler=cmd_export)

    backup = commands.add_parser(
        "backup", help="备份整个数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）"
    )
    backup.add_argument("file", help="备份文件")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser("restore", help="用 jixiao backup 的备份替换整个数据库")
    restore.add_argument("file", help="备份文件")
    restore.add_argument("--yes", action="store_true", help="确认替换当前的全部数据")
    restore.set_defaults(handler=cmd_restore)

    report = commands.add_parser("report", help="生成部门整体支出绩效自评报告（.docx 和 .md）")
    report.add_argument("--department", help="部门代码（或用 --all 生成全部部门）")
    report.add_argument("--year", required=True, type=int, help="预算年度，如 2023")
    report.add_argument("--all", action="store_true", help="生成该年度全部部门的报告")
    report.add_argument("--jobs", type=int, default=1, help="与 --all 同用：并行的进程数")
    report.add_argument("--out", required=True, help="输出目录")
    report.add_argument("--template", help="自定义 Word 模板（docxtpl 标签）")
    report.add_argument("--pdf", action="store_true", help=PDF_HELP)
    report.set_defaults(handler=cmd_report)

    evaluate = commands.add_parser("evaluate", help="按规则集计算绩效自评得分、等级，并审核填报数")
    _year_arguments(evaluate)
    evaluate.add_argument("--json", action="store_true", help="以 JSON 输出完整结果")
    evaluate.add_argument("--rules", help="使用自己的规则集文件（YAML）")
    evaluate.add_argument("--out", help="输出目录：另写出自评表 YYYY-CODE-evaluation.xlsx")
    evaluate.set_defaults(handler=cmd_evaluate)

    monitoring = commands.add_parser(
        "monitor", help="运行监控（双监控）：序时进度、预警、全年预测和调整建议（.xlsx 和 .docx）"
    )
    _year_arguments(monitoring)
    monitoring.add_argument("--as-of", required=True, help="监控日期，如 2023-07-31")
    monitoring.add_argument("--rules", help="使用自己的监控规则文件（YAML）")
    monitoring.add_argument("--snapshot", action="store_true", help="把本次监控结果存为快照")
    monitoring.add_argument("--json", action="store_true", help="以 JSON 输出完整结果")
    monitoring.add_argument("--out", required=True, help="输出目录")
    monitoring.add_argument("--pdf", action="store_true", help=PDF_HELP)
    monitoring.set_defaults(handler=cmd_monitor)

    snapshots = commands.add_parser("snapshots", help="列出或比较监控快照")
    _year_arguments(snapshots)
    snapshots.add_argument(
        "--compare", nargs=2, type=int, metavar="ID", help="比较两个快照（先早后晚）"
    )
    snapshots.set_defaults(handler=cmd_snapshots)

    serve = commands.add_parser(
        "serve", help="启动网页服务（gunicorn），先迁移数据库、收集静态文件"
    )
    serve.add_argument(
        "--demo", action="store_true", help="数据库为空时载入演示数据，并创建各角色演示账号"
    )
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
    serve.set_defaults(handler=cmd_serve)

    from jixiao.cli_excel import add_excel_commands

    add_excel_commands(commands, _migrate)  # template, import, export-xlsx

    from jixiao.web.api.commands import add_api_commands

    add_api_commands(commands, _migrate)  # api-token
    return parser


def _year_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--department", required=True, help="部门代码")
    parser.add_argument("--year", required=True, type=int, help="预算年度，如 2023")


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from jixiao.env import SettingError

    try:
        _setup_django(getattr(args, "command", ""))
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
        return EXIT_INTERRUPTED
    except MemoryError:
        print("内存不足：输入的文件过大或结构异常，未写入任何数据。", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as error:  # the last guard: no stack trace reaches a user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        logged = _log_internal_error()
        print(f"内部错误（程序缺陷，不是输入的问题）：{type(error).__name__}", file=sys.stderr)
        where = f"详细信息已记录在 {logged}；" if logged else ""
        print(f"{where}请发给系统维护人员；设置 JIXIAO_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return EXIT_INTERNAL


def _log_internal_error() -> Path | None:
    """Append the traceback to JIXIAO_HOME/logs/internal-errors.log; the file, or None."""
    import traceback

    try:
        from django.conf import settings

        folder = Path(settings.JIXIAO_HOME) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "internal-errors.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {date.today().isoformat()} jixiao {' '.join(sys.argv[1:])}\n")
            log.write(traceback.format_exc())
        return path
    except Exception:  # the log is a courtesy: never let it hide the original error
        return None


if __name__ == "__main__":
    sys.exit(main())
