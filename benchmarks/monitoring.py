"""Benchmark: monitoring a department with 500 projects and N payments, against hand-written SQL.

For each database (SQLite in a temporary folder; PostgreSQL database ``jixiao_bench`` on
127.0.0.1, created and dropped here, skipped with a message when none answers) and each
N (default 100,000 and 1,000,000 payments), the script

1. loads one department-year with 500 project lines (and two basic lines) and N payments
   spread over the year (5 % refunds), as ``jixiao load`` stores a ledger (batched
   inserts on SQLite, COPY on PostgreSQL; the kept monthly sums included), and prints
   the load rate;
2. times ``monitor_stored_year`` at ``--as-of`` (the whole service: rules, ledger sums,
   indicator progress, profile, core monitoring, forecasts, proposals);
3. times one hand-written ``SELECT … GROUP BY line, month`` computing the same sums on
   the same database, and checks that both give the same per-project amounts;
4. prints the medians of ``--repeat`` timed runs: **cold**, every cache cleared before each
   call (what the first request after a ledger change waits for), and **warm**, the
   sums read from the cache (labelled as such); the bare query's median, measured in the
   same process; the cold ratio to it (target ≤ 1.5 at 1M and 10M) and the growth from the
   smallest to the largest N (target on SQLite: ≤ ×12 per ×10 payments).

The 10M size is an option (``--sizes 1000000,10000000``): loading it takes minutes.

Usage::

    python benchmarks/monitoring.py                      # 100k and 1M, SQLite and PostgreSQL
    python benchmarks/monitoring.py --sizes 100000 --databases sqlite

Each database runs in its own process (Django is configured once per process, from
DATABASE_URL / JIXIAO_HOME set before ``django.setup()``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECTS = 500
YEAR = 2024
DEPARTMENT = "bench-dept"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = os.environ.get("BENCH_POSTGRES_DATABASE", "jixiao_bench")
"""Another name (``BENCH_POSTGRES_DATABASE``) lets two runs share one server."""
RESULT = "RESULT "


# --- the worker: one database, every size ---------------------------------------------


def _setup_django(database: str, home: Path) -> None:
    os.environ["JIXIAO_HOME"] = str(home)
    if database == "postgresql":
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _year() -> Any:
    """A fresh department-year with 500 project lines and two basic lines."""
    from jixiao.storage import models as m

    m.FiscalYear.objects.filter(department__code=DEPARTMENT).delete()
    department, _ = m.Department.objects.get_or_create(code=DEPARTMENT, name="基准测试局")
    fiscal_year = m.FiscalYear.objects.create(department=department, year=YEAR)
    projects = m.Project.objects.bulk_create(
        m.Project(
            fiscal_year=fiscal_year, code=f"P{n:03d}", name=f"项目{n:03d}", recurrent=n % 3 == 0
        )
        for n in range(1, PROJECTS + 1)
    )
    rng = random.Random(1)
    lines = [
        m.BudgetLine(
            fiscal_year=fiscal_year,
            code=f"L{n:03d}",
            name=project.name,
            funding_source="general_public_budget" if n % 4 else "government_fund_budget",
            nature="project",
            project=project,
            initial_budget=Decimal(rng.randint(50, 5000) * 10000),
            final_budget=Decimal(rng.randint(50, 5000) * 10000),
        )
        for n, project in enumerate(projects, start=1)
    ]
    lines += [
        m.BudgetLine(
            fiscal_year=fiscal_year,
            code=f"B{n}",
            name="基本支出",
            nature="basic",
            funding_source="general_public_budget",
            basic_kind="personnel",
            initial_budget=Decimal(30_000_000),
            final_budget=Decimal(30_000_000),
        )
        for n in (1, 2)
    ]
    m.BudgetLine.objects.bulk_create(lines)
    return fiscal_year


def _payment_rows(line_ids: list[int], count: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """(line id, date, amount, refund, voucher, description), back-loaded over the year."""
    rng = random.Random(seed)
    start = date(YEAR, 1, 1)
    days = (date(YEAR, 12, 31) - start).days
    for _ in range(count):
        refund = rng.random() < 0.05
        cents = rng.randint(100, 2_000_000)
        day = start + timedelta(days=int(days * rng.random() ** 0.8))
        amount = Decimal(-cents if refund else cents).scaleb(-2)
        yield rng.choice(line_ids), day, amount, refund, "", ""


def _load_payments(database: str, fiscal_year: Any, count: int) -> float:
    """Stored as ``jixiao load`` stores a ledger (``storing.insert_payments``: one COPY on
    PostgreSQL; on SQLite batched inserts with the kept sums added once at the end)."""
    from django.db import connection, transaction

    from jixiao.services import ledger_sums
    from jixiao.services.storing import insert_payments
    from jixiao.storage import models as m

    line_ids = list(fiscal_year.budget_lines.values_list("id", flat=True))
    rows = _payment_rows(line_ids, count, seed=count)
    started = time.perf_counter()
    with transaction.atomic():
        m.Payment.objects.all().delete()
    with transaction.atomic(), ledger_sums.adding_many_on_sqlite():
        insert_payments(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _hand_written_sql(database: str, fiscal_year_id: int, as_of: date) -> dict[str, Decimal]:
    """One GROUP BY (line, month) over the ledger, summed up per project."""
    from django.db import connection

    month = (
        "EXTRACT(MONTH FROM p.date)"
        if database == "postgresql"
        else "CAST(strftime('%%m', p.date) AS INTEGER)"
    )
    sql = (
        f"SELECT l.code, {month} AS month, SUM(p.amount) "
        "FROM storage_payment p JOIN storage_budgetline l ON l.id = p.budget_line_id "
        "WHERE l.fiscal_year_id = %s AND p.date >= %s AND p.date <= %s "
        f"GROUP BY l.code, {month}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fiscal_year_id, date(YEAR, 1, 1), as_of])
        rows = cursor.fetchall()
    sums: dict[str, Decimal] = {}
    for code, _, total in rows:
        sums[code] = sums.get(code, Decimal(0)) + Decimal(str(total)).quantize(Decimal("0.01"))
    return sums


def _median(
    run: Callable[[], Any], repeat: int, before: Callable[[], None] = lambda: None
) -> tuple[float, Any]:
    """The median time of ``repeat`` calls of ``run``, each after ``before()`` (untimed)."""
    value = run()  # warm-up: connection, imports, rule file
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _clear_caches() -> None:
    from django.core.cache import cache

    cache.clear()


def worker(database: str, sizes: list[int], as_of: date, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as home:
        _setup_django(database, Path(home))
        from django.db import connection

        from jixiao.services.monitoring import monitor_stored_year

        fiscal_year = _year()
        for size in sizes:
            print(f"[{database}] 生成 {size:,} 笔支付……", file=sys.stderr, flush=True)
            load = _load_payments(database, fiscal_year, size)

            def monitored() -> Any:
                return monitor_stored_year(DEPARTMENT, YEAR, as_of)

            cold, report = _median(monitored, repeat, before=_clear_caches)
            warm, _ = _median(monitored, repeat)
            sql_time, sums = _median(
                lambda: _hand_written_sql(database, fiscal_year.id, as_of), repeat
            )
            lines = {line.code: line.executed_through(12) for line in report.lines}
            same = all(lines.get(code) == total for code, total in sums.items()) and all(
                total == 0 or code in sums for code, total in lines.items()
            )
            print(RESULT + json.dumps({
                "database": database, "payments": size, "load": load,
                "monitor": cold, "warm": warm, "sql": sql_time, "same": same,
                "projects": len(report.result.projects),
            }), flush=True)  # fmt: skip
        connection.close()


# --- the driver -----------------------------------------------------------------------


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), 3):
            return True
    except OSError:
        return False


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(statement)


def _run_worker(database: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    command = [
        sys.executable, __file__, "--worker", database, "--sizes",
        ",".join(str(s) for s in args.sizes), "--as-of", args.as_of.isoformat(),
        "--repeat", str(args.repeat),
    ]  # fmt: skip
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"{database}: 基准进程失败（退出码 {done.returncode}）")
        return []
    return [json.loads(line[len(RESULT) :]) for line in done.stdout.splitlines()
            if line.startswith(RESULT)]  # fmt: skip


def _print(results: list[dict[str, Any]]) -> None:
    print(f"{'数据库':<10}{'支付笔数':>12}{'载入':>10}{'冷（清缓存）':>14}{'热（缓存命中）':>14}"
          f"{'手写 GROUP BY':>16}{'冷/手写':>9}  结果一致  载入速度")  # fmt: skip
    for r in results:
        print(
            f"{r['database']:<12}{r['payments']:>12,}{r['load']:>9.2f}s{r['monitor']:>15.3f}s"
            f"{r['warm']:>15.3f}s{r['sql']:>15.3f}s{r['monitor'] / r['sql']:>10.2f}"
            f"  {'是' if r['same'] else '否'}  {r['payments'] / r['load']:>9,.0f} 笔/秒"
        )
    for database in sorted({r["database"] for r in results}):
        mine = [r for r in results if r["database"] == database]
        rows = sorted(mine, key=lambda r: r["payments"])
        if len(rows) < 2:
            continue
        small, large = rows[0], rows[-1]
        growth_n = large["payments"] / small["payments"]
        print(
            f"{database}：{small['payments']:,} → {large['payments']:,} 笔（×{growth_n:.1f}），"
            f"monitor_stored_year（冷）×{large['monitor'] / small['monitor']:.2f}，"
            f"手写 SQL ×{large['sql'] / small['sql']:.2f}；"
            f"最大规模冷/手写 {large['monitor'] / large['sql']:.2f}（目标 ≤ 1.5）"
        )


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", type=_sizes, default=[100_000, 1_000_000])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(YEAR, 8, 31))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.sizes, args.as_of, args.repeat)
        return 0
    print(f"部门 1 个，项目 {PROJECTS} 个，监控日期 {args.as_of.isoformat()}；"
          f"时间取 {args.repeat} 次的中位数（先预热一次）；冷：每次计时前清空全部缓存")  # fmt: skip
    results: list[dict[str, Any]] = []
    for database in args.databases.split(","):
        if database == "postgresql":
            if not _postgres_answers():
                print("PostgreSQL（127.0.0.1:5432）没有响应，跳过 PostgreSQL。")
                continue
            _admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
            _admin(f"CREATE DATABASE {POSTGRES_DATABASE}")
            try:
                results += _run_worker(database, args)
            finally:
                _admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
        else:
            results += _run_worker(database, args)
    _print(results)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.exit(main())
