"""Benchmark: import a 100,000-row 支出明细 (ledger) .xlsx on SQLite and on PostgreSQL.

    python benchmarks/import_ledger.py [--rows 100000] [--lines 500] [--preview-only]

Writes the ledger (openpyxl write-only) for a department-year of ~500 budget lines, then for
each database, in a fresh process: creates the schema, stores the year, times a bare
python-calamine read of the file, then ``import_workbook`` (validation and the database
write included) into the empty ledger, then a second import of the same file (nothing to
change); each the median of three runs. Prints rows per second and the ratio import ÷ bare
read, in wall and in CPU time. Then, as a user waits for them, whole processes (start-up
included), medians of three: a bare read in a fresh ``python`` and ``jixiao import FILE``
into the emptied ledger, with their ratios (the goal: ≤ 3 at 100,000 rows), in wall time
and in CPU time (user + system of the child process, which a shared machine blurs less;
on PostgreSQL the server's own CPU is not in it, so there the wall ratio is the one a
user feels). jixiao's modules are compiled to bytecode first, as an installed package's
are: a checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module
in every process. The load average is printed beside the figures.

Peak memory: the preview the import page shows (``import_workbook(dry_run=True)``, cold,
one run) runs in a process of its own, and the script prints that process's peak resident
size (``ru_maxrss``) beside its size just before the preview (Django set up, the year
stored): the web worker's growth for one upload (target: peak under 300 MB for 500,000
rows; the import streams a ledger sheet that large, see ``xlsx_rows``). ``--preview-only``
measures only that (e.g. ``--rows 500000 --preview-only``).

SQLite runs in a temporary JIXIAO_HOME. PostgreSQL uses the database ``jixiao_bench_import``
(or JIXIAO_BENCH_DATABASE) on JIXIAO_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres), created and dropped by this script; it is
skipped with a message when PostgreSQL does not answer.
This is a script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

DEPARTMENT, YEAR = "bench-dept", 2023
BENCH_DATABASE = os.environ.get("JIXIAO_BENCH_DATABASE", "jixiao_bench_import")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
LARGE_FILES = {
    "JIXIAO_IMPORT_MAX_BYTES": os.environ.get("JIXIAO_IMPORT_MAX_BYTES", str(200 * 10**6)),
    "JIXIAO_IMPORT_MAX_UNCOMPRESSED": os.environ.get(
        "JIXIAO_IMPORT_MAX_UNCOMPRESSED", str(2 * 10**9)
    ),
}
"""The import limits raised to the benchmark's file (the defaults refuse 500,000 rows)."""
REPEAT = 3
"""Each figure is the median of this many runs (the bare read and the imports alike)."""
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
BARE_READ_PROCESS = (
    "import sys, python_calamine\n"
    "with python_calamine.CalamineWorkbook.from_path(sys.argv[1]) as book:\n"
    "    for name in book.sheet_names:\n"
    "        book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
)


def _year_dataset(lines: int) -> object:
    from jixiao.interchange import dataset as ds

    projects = [ds.Project(code=f"P{n:04d}", name=f"项目{n}") for n in range(lines // 2)]
    budget_lines = []
    for n in range(lines):
        project = n % 2 == 1
        budget_lines.append(
            ds.Line(
                code=f"L{n:04d}",
                name=f"预算行{n}",
                funding_source="general_public_budget" if n % 3 else "other_funds",
                nature="project" if project else "basic",
                basic_kind=None if project else ("personnel" if n % 4 == 0 else "operations"),
                project=f"P{n // 2:04d}" if project else None,
                initial_budget=Decimal(5_000_000),
                final_budget=Decimal(5_000_000),
            )
        )
    return ds.Dataset(
        unit="元",
        department=ds.Department(code=DEPARTMENT, name="基准测试局"),
        year=YEAR,
        budget=ds.Budget(projects=projects, lines=budget_lines),
    )


def write_ledger(path: Path, rows: int, lines: int, seed: int = 20230731) -> None:
    """A filled 支出明细 in the template layout, written row by row."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("支出明细")
    sheet.append([f"{YEAR}年度 基准测试局 支出明细"])
    sheet.append(["部门代码", DEPARTMENT])
    sheet.append(["部门名称", "基准测试局"])
    sheet.append(["年度", YEAR])
    sheet.append(["单位：元"])
    sheet.append(["序号", "预算行代码", "预算行名称", "支付日期", "凭证号", "金额", "退款", "摘要"])
    start = dt.date(YEAR, 1, 1)
    summaries = ["办公用品采购", "差旅费报销", "印刷费", "委托业务费", "会议费", "物业管理费"]
    for n in range(rows):
        line = rng.randrange(lines)
        refund = rng.random() < 0.01
        cents = rng.randint(100, 5_000_000)
        amount = -cents / 100 if refund else cents / 100
        sheet.append([
            n + 1, f"L{line:04d}", f"预算行{line}", start + dt.timedelta(days=rng.randrange(365)),
            f"记-{n // 3:06d}", amount, "是" if refund else "否", rng.choice(summaries),
        ])  # fmt: skip
    book.save(str(path))


def _bare_read(path: Path) -> None:
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def run_backend(path: Path, lines: int) -> dict[str, float | int]:
    """In this process: set up the database, store the year, time the reads and imports."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jixiao.services.excel_import import import_workbook
    from jixiao.services.storing import store_dataset
    from jixiao.storage import models as m

    call_command("migrate", verbosity=0, interactive=False)
    store_dataset(_year_dataset(lines), replace=True)  # type: ignore[arg-type]
    ledger = m.Payment.objects.filter(budget_line__fiscal_year__year=YEAR)
    reads, imports, agains = [], [], []
    for _ in range(REPEAT):
        reads.append(_timed(_bare_read, path))
        ledger.delete()
        imports.append(_timed(import_workbook, path))
        first = imports[-1][2]
        stored = ledger.count()
        agains.append(_timed(import_workbook, path))
        second = agains[-1][2]
    return {
        "rows": first.rows,
        "added": len(first.plan.add),
        "stored": stored,
        "second_changes": sum(n for bucket in second.counts().values() for n in bucket.values()),
        "bare_read": statistics.median(wall for wall, _, _ in reads),
        "import": statistics.median(wall for wall, _, _ in imports),
        "second_import": statistics.median(wall for wall, _, _ in agains),
        "bare_read_cpu": statistics.median(cpu for _, cpu, _ in reads),
        "import_cpu": statistics.median(cpu for _, cpu, _ in imports),
        "second_import_cpu": statistics.median(cpu for _, cpu, _ in agains),
    }


def _timed(work: Any, path: Path) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``work(path)`` in this process, and what it returned."""
    begin, cpu = time.perf_counter(), time.process_time()
    result = work(path)
    return time.perf_counter() - begin, time.process_time() - cpu, result


def run_emptying(lines: int) -> dict[str, float | int]:
    """In this process: empty the year's ledger (between timed ``jixiao import`` runs)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django

    django.setup()
    from jixiao.storage import models as m

    deleted, _ = m.Payment.objects.filter(budget_line__fiscal_year__year=YEAR).delete()
    return {"deleted": deleted}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of a whole process (CPU: what a shared machine does not blur)."""
    begin, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - begin, _children_cpu() - cpu


def whole_processes(path: Path, lines: int, env: dict[str, str]) -> dict[str, float]:
    """Medians of whole processes: a bare calamine read, and ``jixiao import`` of the file
    into the emptied ledger (after ``_child`` stored the year in the same database)."""
    bare, imports = [], []
    _compile_jixiao(env)
    for _ in range(REPEAT):
        bare.append(_process_seconds([sys.executable, "-c", BARE_READ_PROCESS, str(path)], env))
        _child(path, lines, env, "--empty-child")
        imports.append(_process_seconds([JIXIAO, "import", str(path)], env))
    return {
        "bare_process": statistics.median(wall for wall, _ in bare),
        "import_process": statistics.median(wall for wall, _ in imports),
        "bare_process_cpu": statistics.median(cpu for _, cpu in bare),
        "import_process_cpu": statistics.median(cpu for _, cpu in imports),
    }


def _compile_jixiao(env: dict[str, str]) -> None:
    """jixiao's modules compiled to bytecode, as an installed package's are (untimed)."""
    script = (
        "import compileall, jixiao, os\n"
        "compileall.compile_dir(os.path.dirname(jixiao.__file__), quiet=1)"
    )
    subprocess.run([sys.executable, "-c", script], env={**os.environ, **env}, check=True)


def _print_processes(result: dict[str, float]) -> None:
    bare, imported = result["bare_process"], result["import_process"]
    bare_cpu, imported_cpu = result["bare_process_cpu"], result["import_process_cpu"]
    print(f"  whole process: bare read {bare:.2f} s, jixiao import {imported:.2f} s")
    print(f"  whole process CPU: bare read {bare_cpu:.2f} s, jixiao import {imported_cpu:.2f} s")
    print(
        f"  ratio (whole processes) wall {imported / bare:.2f}, "
        f"CPU {imported_cpu / bare_cpu:.2f}  (target ≤ 3)  [{_load()}]"
    )


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _rss_mb() -> float:
    """This process's peak resident size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_preview(path: Path, lines: int) -> dict[str, float | int]:
    """In this process: one cold preview of the file, with the peak memory around it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jixiao.services.excel_import import import_workbook
    from jixiao.services.storing import store_dataset

    call_command("migrate", verbosity=0, interactive=False)
    store_dataset(_year_dataset(lines), replace=True)  # type: ignore[arg-type]
    before = _rss_mb()
    begin, cpu = time.perf_counter(), time.process_time()
    result = import_workbook(path, dry_run=True)
    seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
    return {
        "rows": result.rows, "seconds": seconds, "cpu": cpu, "before_mb": before,
        "peak_mb": _rss_mb(),
    }  # fmt: skip


def _print_preview(label: str, result: dict[str, float | int]) -> None:
    rows, peak, before = result["rows"], result["peak_mb"], result["before_mb"]
    print(f"{label} preview (dry run, cold, own process):")
    seconds, cpu = result["seconds"], result["cpu"]
    print(f"  rows previewed          {rows:,} in {seconds:.2f} s ({cpu:.2f} s CPU)")
    print(
        f"  peak memory             {peak:,.0f} MB (before the preview {before:,.0f} MB, "
        f"growth {peak - before:,.0f} MB; target: peak < 300 MB)"
    )


def _answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 3):
            return True
    except OSError:
        return False


def _child(
    path: Path, lines: int, env: dict[str, str], mode: str = "--child"
) -> dict[str, float | int]:
    output = subprocess.run(
        [sys.executable, __file__, mode, str(path), "--lines", str(lines)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-3000:])
    result: dict[str, float | int] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def _print(label: str, result: dict[str, float | int]) -> None:
    rows, seconds, bare = result["rows"], result["import"], result["bare_read"]
    seconds_cpu, bare_cpu = result["import_cpu"], result["bare_read_cpu"]
    print(f"{label}:  [{_load()}]")
    added, stored = result["added"], result["stored"]
    print(f"  rows imported           {added:,} (stored afterwards: {stored:,})")
    print(f"  bare calamine read      {bare:.2f} s ({bare_cpu:.2f} s CPU)")
    print(
        f"  import (first)          {seconds:.2f} s ({seconds_cpu:.2f} s CPU)  "
        f"= {rows / seconds:,.0f} rows/s"
    )
    print(
        f"  ratio import / read     wall {seconds / bare:.2f}, CPU {seconds_cpu / bare_cpu:.2f}"
        "  (in one process; target ≤ 3)"
    )
    print(
        f"  import again (no change) {result['second_import']:.2f} s "
        f"({result['second_import_cpu']:.2f} s CPU), {result['second_changes']} changes"
    )


def _postgres(path: Path, lines: int) -> None:
    import psycopg

    admin = os.environ.get("JIXIAO_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    if not _answers(admin):
        print(f"PostgreSQL: skipped — nothing answers at {admin}")
        return
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        url = urlunparse(urlparse(admin)._replace(path=f"/{BENCH_DATABASE}"))
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-pg-") as home:
            env = {"DATABASE_URL": url, "JIXIAO_HOME": home, **LARGE_FILES}
            _print("PostgreSQL", _child(path, lines, env))
            _print_processes(whole_processes(path, lines, env))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--preview-only", action="store_true", help="only the peak memory")
    parser.add_argument("--ledger", help="keep the ledger at this path; reuse it if it is there")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--preview-child", help=argparse.SUPPRESS)
    parser.add_argument("--empty-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(Path(args.child), args.lines)))
        return 0
    if args.empty_child:
        print(json.dumps(run_emptying(args.lines)))
        return 0
    if args.preview_child:
        print(json.dumps(run_preview(Path(args.preview_child), args.lines)))
        return 0
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        path = Path(args.ledger) if args.ledger else Path(tmp) / "ledger.xlsx"
        begin = time.perf_counter()
        if not path.exists():
            write_ledger(path, args.rows, args.lines)
        print(
            f"ledger: {args.rows:,} rows on {args.lines} budget lines, "
            f"{path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - begin:.1f} s"
        )
        env = {"JIXIAO_HOME": str(Path(tmp) / "sqlite-home"), **LARGE_FILES}
        environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        os.environ.clear()
        os.environ.update(environ)
        _print_preview("SQLite", _child(path, args.lines, env, "--preview-child"))
        if args.preview_only:
            return 0
        _print("SQLite", _child(path, args.lines, env))
        _print_processes(whole_processes(path, args.lines, env))
        _postgres(path, args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
