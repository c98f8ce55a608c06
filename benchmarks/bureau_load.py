"""Benchmark: the finance bureau's workspace and ranking pages under load, over many
departments — 20 signed-in 财政局 clients.

For each database (SQLite in a temporary folder; PostgreSQL database
``jixiao_bench_bureau`` on 127.0.0.1, created and dropped here, skipped with a message
when none answers) the script

1. builds a throwaway city: ``--departments`` departments (default 100) of one year, each
   with ``--projects`` projects (default 20) on their own budget lines, two basic lines,
   a goal per project whose declaration and self-evaluation stand at a mix of workflow
   states, some 绩效目标审核 conclusions and 整改 items, and ``--payments`` payments per
   department (default 2,000) spread over the year; and a 财政局 account;
2. starts ``jixiao serve`` (gunicorn, ``--workers`` processes) on 127.0.0.1 at a free port;
3. signs ``--clients`` clients in; for each page (财政局视图 ``/bureau/<year>/``, 部门排名
   ``/bureau/<year>/ranking/``, 待审核 ``/bureau/<year>/queue/``) one uncounted warm-up
   request (it builds the parts the later ones find kept: the first request's time, with
   nothing kept), then every client requests the page back to back for ``--seconds``
   seconds;
4. while the clients run, changes one department's ledger every ``--change-every``
   seconds (a cent added to one payment of the next department in turn): requests begun
   within ``--after-change`` seconds of a change are counted apart, and both p95 are
   printed — steady state and right after a change;
5. then, per page, ``--stampedes`` times: changes one department's ledger and lets all
   clients request the page at the same moment, once (the median of their p95);
6. then (unless ``--no-worker``) empties the cache, starts ``jixiao worker`` (which
   computes the bureau pages' per-department parts while idle: ``jixiao.web.warming``),
   waits until it has computed every department, and requests each page once more: the
   first request after the worker's warm-up;
7. prints p50 / p95 / max latency and requests per second per page and database, the
   first (uncounted) request's time with nothing kept and after the worker's warm-up,
   the warm-up's time, and whether p95 ≤ 500 ms (all requests counted).

With ``--first-only`` it measures only the first request of each page with nothing kept
and no worker: the cache emptied before each request, ``--repeats`` times per page (the
cold path, every department's figures computed by the request), and stops there.

The HTTP clients, the load loop and the server handling are ``benchmarks/web_load.py``'s.

Usage::

    python benchmarks/bureau_load.py                        # SQLite and PostgreSQL
    python benchmarks/bureau_load.py --databases sqlite --departments 10 --seconds 10
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = os.environ.get("BENCH_POSTGRES_DATABASE", "jixiao_bench_bureau")
"""Another name (``BENCH_POSTGRES_DATABASE``) lets two runs share one server."""
USERNAME = "bench-bureau"
RESULT = "RESULT "
TARGET_P95 = 0.500
YEAR = 2024


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"jixiao_bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _module("web_load")


def _environment(database: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    url = (
        f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        if database == "postgresql"
        else f"sqlite:///{home / 'bench.sqlite3'}"
    )
    env.update(
        JIXIAO_HOME=str(home),
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="jixiao.settings",
        JIXIAO_ALLOWED_HOSTS=HOST,
    )
    return env


# --- the preparing process: one city ---------------------------------------------------

STATES = ("draft", "submitted", "approved", "returned")
GRADES = ("excellent", "good", "fair", "poor")


def _department(m: Any, n: int, projects: int, rng: random.Random) -> tuple[Any, list[int]]:
    department = m.Department.objects.create(code=f"D{n:03d}", name=f"第{n}局")
    fiscal_year = m.FiscalYear.objects.create(department=department, year=YEAR)
    made = m.Project.objects.bulk_create(
        m.Project(fiscal_year=fiscal_year, code=f"P{k:02d}", name=f"项目{k:02d}")
        for k in range(1, projects + 1)
    )
    lines = [
        m.BudgetLine(
            fiscal_year=fiscal_year, code=f"L{k:02d}", name=project.name, nature="project",
            funding_source="general_public_budget", project=project,
            initial_budget=Decimal(rng.randint(50, 5000) * 10000),
            final_budget=Decimal(rng.randint(50, 5000) * 10000),
        )
        for k, project in enumerate(made, start=1)
    ]  # fmt: skip
    lines += [
        m.BudgetLine(
            fiscal_year=fiscal_year, code=f"B{k}", name="基本支出", nature="basic",
            funding_source="general_public_budget", basic_kind="personnel",
            initial_budget=Decimal(30_000_000), final_budget=Decimal(30_000_000),
        )
        for k in (1, 2)
    ]  # fmt: skip
    m.BudgetLine.objects.bulk_create(lines)
    goals = m.PerformanceGoal.objects.bulk_create(
        m.PerformanceGoal(
            fiscal_year=fiscal_year, project=project, position=k,
            declaration_status=rng.choice(STATES),
            evaluation_status=rng.choice(("draft", "draft", "submitted", "approved")),
        )
        for k, project in enumerate(made)
    )  # fmt: skip
    m.GoalReview.objects.bulk_create(
        m.GoalReview(goal=goal, grade=rng.choice(GRADES), comment="", user_name="bench")
        for goal in goals
        if goal.declaration_status in ("submitted", "approved") and rng.random() < 0.7
    )
    m.Rectification.objects.bulk_create(
        m.Rectification(
            fiscal_year=fiscal_year, issue=f"问题{k}", deadline=date(YEAR, 3 * k, 1),
            status=rng.choice(("not_started", "in_progress", "done")),
        )
        for k in (1, 2, 3, 4)
    )  # fmt: skip
    return fiscal_year, [line.pk for line in lines]


def _payments(line_ids: list[int], count: int, rng: random.Random) -> Any:
    """(line id, date, amount, refund, voucher, description) rows spread over the year."""
    start = date(YEAR, 1, 1)
    for _ in range(count):
        day = start + timedelta(days=int(365 * rng.random() ** 0.8))
        amount = Decimal(rng.randint(100, 2_000_000)).scaleb(-2)
        yield rng.choice(line_ids), day, amount, False, "", ""


def prepare(database: str, home: Path, args: argparse.Namespace) -> None:
    os.environ.update(_environment(database, home))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jixiao.services import ledger_sums
    from jixiao.services.storing import insert_payments
    from jixiao.storage import models as m
    from jixiao.web.accounts import create_account
    from jixiao.web.models import Role

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(13)
    started = time.perf_counter()
    for n in range(1, args.departments + 1):
        with transaction.atomic():
            _, line_ids = _department(m, n, args.projects, rng)
            with ledger_sums.adding_many_on_sqlite():  # as ``jixiao load`` stores a ledger
                insert_payments(_payments(line_ids, args.payments, rng))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    create_account(USERNAME, Role.bureau, args.password)
    pages = {
        "财政局视图": f"/bureau/{YEAR}/",
        "部门排名": f"/bureau/{YEAR}/ranking/",
        "待审核": f"/bureau/{YEAR}/queue/",
    }
    took = time.perf_counter() - started
    print(RESULT + json.dumps({"pages": pages, "load": took}), flush=True)


# --- the driver ---------------------------------------------------------------------


class LedgerChanges:
    """Changes the ledger of one department after another: a cent added to its first
    payment, so its sums, its year's versions and its figures change."""

    def __init__(self, database: str, home: Path, departments: int) -> None:
        self.database, self.home, self.departments = database, home, departments
        self.made = 0

    def __call__(self) -> None:
        self.made += 1
        code = f"D{(self.made - 1) % self.departments + 1:03d}"
        statement = (
            "UPDATE storage_payment SET amount = amount + 0.01 WHERE id = ("
            "SELECT min(p.id) FROM storage_payment p "
            "JOIN storage_budgetline l ON l.id = p.budget_line_id "
            "JOIN storage_fiscalyear y ON y.id = l.fiscal_year_id "
            "JOIN storage_department d ON d.id = y.department_id "
            f"WHERE d.code = '{code}')"
        )
        if self.database == "postgresql":
            import psycopg

            url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
            with psycopg.connect(url, autocommit=True) as db:
                db.execute(statement)
            return
        import contextlib
        import sqlite3

        path = self.home / "bench.sqlite3"
        with contextlib.closing(sqlite3.connect(path, timeout=60)) as db, db:
            db.execute(statement)


def run_database(database: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-bureau-") as tmp:
        home = Path(tmp)
        password = secrets.token_urlsafe(16)
        env = _environment(database, home)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(HERE.parent), str(HERE.parent / "src"), env.get("PYTHONPATH", "")]
        )
        print(f"[{database}] 生成 {args.departments} 个部门，每部门 {args.projects} 个项目、"
              f"{args.payments:,} 笔支付……", flush=True)  # fmt: skip
        command = [sys.executable, __file__, "--prepare", database, "--home", str(home),
                   "--departments", str(args.departments), "--projects", str(args.projects),
                   "--payments", str(args.payments), f"--password={password}"]  # fmt: skip
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
        if done.returncode != 0 or not lines:
            print(f"[{database}] 准备数据库失败（退出码 {done.returncode}）")
            return []
        prepared = json.loads(lines[-1][len(RESULT) :])
        print(f"[{database}] 数据生成 {prepared['load']:.1f} 秒", flush=True)
        port = load._free_port()
        log = (home / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        results = []
        try:
            load._wait_for(port, server)
            browsers = [load.Browser(port, args.timeout) for _ in range(args.clients)]
            for browser in browsers:
                browser.log_in(USERNAME, password)
            if args.first_only:
                return _first_requests(database, home, prepared["pages"], browsers[0], args)
            for page, path in prepared["pages"].items():
                began = time.perf_counter()
                status, _, _ = browsers[0].request("GET", path)  # warm-up, not counted
                first = time.perf_counter() - began
                if status != 200:
                    print(f"[{database}] {page} {path}：HTTP {status}，跳过")
                    continue
                print(f"[{database}] {page}：{args.clients} 个客户端，{args.seconds:.0f} 秒……",
                      flush=True)  # fmt: skip
                change = LedgerChanges(database, home, args.departments)
                measured = load.hammer(browsers, path, args.seconds, change, args.change_every)
                right_after, steady = load.after_change(measured, args.after_change)
                rushes = []
                for _ in range(args.stampedes):
                    change()
                    rushes.append(load.stampede(browsers, path))
                results.append(
                    load._summary(database, page, path, measured)
                    | {
                        "first": first,
                        "steady_p95": load._percentile(steady, 0.95) if steady else 0.0,
                        "after_change": len(right_after),
                        "after_change_p95": (
                            load._percentile(right_after, 0.95) if right_after else 0.0
                        ),
                        "stampede_p95": statistics.median(
                            load._percentile(r.latencies, 0.95) for r in rushes
                        ),
                    }
                )
            if not args.no_worker:
                _after_warm_up(database, home, env, prepared["pages"], browsers[0], results,
                               args.departments)  # fmt: skip
        finally:
            load._stop(server)
            log.close()
        return results


def _first_requests(
    database: str, home: Path, pages: dict[str, str], browser: Any, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Each page requested with the cache emptied just before: nothing kept, no worker."""
    results = []
    for page, path in pages.items():
        times = []
        for _ in range(args.repeats):
            shutil.rmtree(home / "cache", ignore_errors=True)
            began = time.perf_counter()
            status, _, _ = browser.request("GET", path)
            times.append(time.perf_counter() - began)
            if status != 200:
                print(f"[{database}] {page} {path}：HTTP {status}")
                break
        print(f"[{database}] {page}：无缓存、无工作进程的首次请求 "
              + "、".join(f"{t:.2f} 秒" for t in times), flush=True)  # fmt: skip
        results.append({"database": database, "page": page, "path": path, "cold": times})
    return results


WARMED = re.compile(r"已预先计算财政局页面：(\d+) 个部门年度，([\d.]+) 秒")


def _after_warm_up(
    database: str, home: Path, env: dict[str, str], pages: dict[str, str], browser: Any,
    results: list[dict[str, Any]], departments: int, limit: float = 900,
) -> None:
    """The cache emptied, ``jixiao worker`` started: once it has computed every
    department, each page's first request (``first_warm``) and the warm-up's time."""
    shutil.rmtree(home / "cache", ignore_errors=True)
    worker_log = home / "worker.log"
    with worker_log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", "worker", "--poll", "0.5"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            began, warmed, seconds = time.monotonic(), 0, 0.0
            while warmed < departments and time.monotonic() - began < limit:
                time.sleep(0.5)
                found = WARMED.findall(worker_log.read_text("utf-8", errors="replace"))
                warmed = sum(int(n) for n, _ in found)
                seconds = sum(float(t) for _, t in found)
            print(f"[{database}] 工作进程预先计算 {warmed} 个部门年度，{seconds:.1f} 秒",
                  flush=True)  # fmt: skip
            by_path = {r["path"]: r for r in results}
            for path in pages.values():
                started = time.perf_counter()
                status, _, _ = browser.request("GET", path)
                if path in by_path and status == 200:
                    by_path[path]["first_warm"] = time.perf_counter() - started
                    by_path[path]["warm_up"] = seconds
        finally:
            load._stop(worker)


def _print(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    if args.first_only:
        print(f"无缓存、无工作进程的首次请求（每次请求前清空缓存，{args.repeats} 次）："
              f"{args.departments} 个部门 × {args.projects} 个项目，"
              f"每部门 {args.payments:,} 笔支付")  # fmt: skip
        for r in results:
            times = sorted(r["cold"])
            print(f"{r['database']:<12}{r['page']:<6}  中位数 {statistics.median(times):.2f} 秒"
                  f"  最短 {times[0]:.2f} 秒  最长 {times[-1]:.2f} 秒")  # fmt: skip
        return
    print(f"{args.clients} 个并发客户端（财政局），每页 {args.seconds:.0f} 秒，"
          f"gunicorn {args.workers} 个工作进程；"
          f"{args.departments} 个部门 × {args.projects} 个项目，"
          f"每部门 {args.payments:,} 笔支付")  # fmt: skip
    print(f"运行中每 {args.change_every:.0f} 秒改动一个部门的台账；"
          f"改动后 {args.after_change:.1f} 秒内开始的请求单独统计（改动后）；"
          f"同时请求：改动后 {args.clients} 个客户端同时请求一次，"
          f"{args.stampedes} 次的中位数")  # fmt: skip
    print(f"{'数据库':<11}{'页面':<8}{'请求数':>7}{'错误':>5}{'p50':>9}{'p95':>9}{'max':>9}"
          f"{'请求/秒':>8}{'首次':>10}{'预热后首次':>10}{'稳态p95':>10}{'改动后p95':>11}"
          f"{'同时请求p95':>12}  p95 ≤ 500 ms")  # fmt: skip
    said: set[str] = set()
    for r in results:
        verdict = "是" if r["p95"] <= TARGET_P95 and not r["errors"] else "否"
        print(
            f"{r['database']:<12}{r['page']:<6}{r['requests']:>9}{r['errors']:>6}"
            f"{r['p50'] * 1000:>7.0f}ms{r['p95'] * 1000:>7.0f}ms{r['max'] * 1000:>7.0f}ms"
            f"{r['rps']:>10.1f}{r['first'] * 1000:>8.0f}ms"
            f"{_ms(r.get('first_warm')):>13}{r['steady_p95'] * 1000:>9.0f}ms"
            f"{r['after_change_p95'] * 1000:>9.0f}ms（{r['after_change']} 个）"
            f"{r['stampede_p95'] * 1000:>9.0f}ms  {verdict}"
        )
        if r.get("warm_up") is not None and r["database"] not in said:
            said.add(r["database"])
            print(f"{'':12}{r['database']}：工作进程预先计算全部部门用时 {r['warm_up']:.1f} 秒")
        if r["first_error"]:
            print(f"{'':12}第一个错误：{r['first_error']}")


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f}ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--payments", type=int, default=2_000, help="每个部门的支付笔数")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=120.0, help="一个请求最长等待秒数")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn 工作进程数")
    parser.add_argument("--change-every", type=float, default=5.0, help="运行中改动台账的间隔秒数")
    parser.add_argument("--after-change", type=float, default=2.0, help="算作“改动后”的秒数")
    parser.add_argument("--stampedes", type=int, default=3, help="改动后同时请求的次数")
    parser.add_argument("--no-worker", action="store_true",
                        help="不测量工作进程预先计算后的首次请求")  # fmt: skip
    parser.add_argument("--first-only", action="store_true",
                        help="只测量无缓存、无工作进程时各页面的首次请求")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3, help="--first-only 时每页请求次数")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--password", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare, Path(args.home), args)
        return 0
    results: list[dict[str, Any]] = []
    bench = _module("monitoring")  # its PostgreSQL helpers
    for database in args.databases.split(","):
        if database == "postgresql":
            if not bench._postgres_answers():
                print("PostgreSQL（127.0.0.1:5432）没有响应，跳过 PostgreSQL。")
                continue
            bench._admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
            bench._admin(f"CREATE DATABASE {POSTGRES_DATABASE}")
            try:
                results += run_database(database, args)
            finally:
                bench._admin(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        else:
            results += run_database(database, args)
    _print(results, args)
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(HERE.parent), str(HERE.parent / "src")]
    sys.exit(main())
