"""Benchmark: the city's batch (every department's documents, the city summary, one zip)
with 1, 2 and 4 workers.

A synthetic city (``jixiao.demo.city``: N departments, ``--projects`` projects and about
``--payments`` payments each) is stored once, in a process of its own. Then, for each
worker count W, a new batch of the whole city is queued and W ``jixiao worker
--until-idle`` processes are started; the wall time runs from their start until the last
has exited (the zip written), as the bureau waits for it. The kept sums (JIXIAO_HOME/cache)
are removed before each run, so every run is cold. Printed: the wall time per W (the
median of ``--repeat`` runs), the speed-up over one worker, the CPU seconds the workers
used together (and that ÷ the wall time: how many cores they kept busy; the wall time
cannot fall below the workers' CPU ÷ the machine's cores, and the database server's CPU
comes on top), the peak resident memory of a worker, and the machine's load average
(1 min) before each run: on a shared machine the wall times are only as good as that.

``--keep`` leaves the stored city in place, and ``--loaded`` skips storing it (the
database already holds it, from a run with ``--keep``; on SQLite, name the same
``--home``).

The database is DATABASE_URL when set (PostgreSQL; default N = 100), else a SQLite file
in a temporary JIXIAO_HOME (default N = 10). Goals (issue 13): ≤ 60 s with 4 workers at
N = 100 on PostgreSQL, close to linear from 1 to 4 workers, a worker ≤ 500 MB.

Usage::

    python benchmarks/city.py                          # SQLite, 10 departments
    DATABASE_URL=postgres://… python benchmarks/city.py  # PostgreSQL, 100 departments
    python benchmarks/city.py --departments 4 --payments 5000 --workers 1,2
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEAR = 2023
GOAL = "4 个工作进程 ≤ 60 s，1→4 接近线性，每个工作进程 ≤ 500 MB"

LOAD = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.command_settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from jixiao.cli import demo_dataset_path
from jixiao.demo.city import city_datasets
from jixiao.demo.synthetic import demo_dataset_2023
from jixiao.interchange.dataset_file import read_dataset
from jixiao.services.storing import store_dataset
base = demo_dataset_2023(read_dataset(demo_dataset_path()))
count = 0
for dataset in city_datasets(base, int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])):
    store_dataset(dataset, replace=True)
    count += len(dataset.budget.payments)
print(count)
"""

QUEUE = """
import os, sys, django
from pathlib import Path
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.command_settings"
django.setup()
from jixiao.demo.city import department_code
from jixiao.services.city_batch import request_batch
codes = [department_code(n) for n in range(1, int(sys.argv[1]) + 1)]
print(request_batch(int(sys.argv[2]), Path(sys.argv[3]), codes).pk)
"""

MEASURED = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(used.ru_maxrss, used.ru_utime + used.ru_stime)
"""
"""Runs one worker and prints its peak resident memory (KiB, Linux) and CPU seconds."""

ARCHIVE = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.command_settings"
django.setup()
from jixiao.storage.models import CityBatch
print(CityBatch.objects.get(pk=int(sys.argv[1])).archive)
"""


def _python(script: str, *args: object) -> str:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], check=True,
                          capture_output=True, text=True, env=os.environ)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def _run_batch(departments: int, workers: int, out: Path) -> tuple[float, float, float]:
    """Queue the city's batch and run it on ``workers`` workers: (seconds, peak MB, CPU
    seconds of all the workers together)."""
    shutil.rmtree(Path(os.environ["JIXIAO_HOME"]) / "cache", ignore_errors=True)
    batch = _python(QUEUE, departments, YEAR, out)
    worker = [sys.executable, "-m", "jixiao.cli", "worker", "--until-idle", "--poll", "0.2"]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MEASURED, *worker],
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ,
        )
        for _ in range(workers)
    ]
    measured = [process.communicate()[0].split()[-2:] for process in processes]
    seconds = time.perf_counter() - started
    if any(process.returncode for process in processes):
        raise SystemExit("a worker failed")
    if not _python(ARCHIVE, batch):
        raise SystemExit(f"batch {batch} wrote no zip")
    peak = max(int(kib) for kib, _ in measured) / 1024
    return seconds, peak, sum(float(cpu) for _, cpu in measured)


def _load(args: argparse.Namespace, database: str) -> None:
    print(f"载入合成城市：{args.departments} 个部门（{database}）……", file=sys.stderr,
          flush=True)  # fmt: skip
    started = time.perf_counter()
    payments = int(_python(LOAD, args.departments, args.projects, args.payments))
    loaded = time.perf_counter() - started
    print(f"{database}：{args.departments} 个部门，{args.projects} 个项目/部门，"
          f"共 {payments:,} 笔支付；载入 {loaded:.1f} s（{payments / loaded:,.0f} 笔/秒）",
          flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument("--departments", type=int, default=100 if on_postgres else 10)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--payments", type=int, default=50_000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (median)")
    parser.add_argument("--home", help="JIXIAO_HOME to use (SQLite: where the database is)")
    parser.add_argument("--keep", action="store_true", help="leave the home folder in place")
    parser.add_argument("--loaded", action="store_true", help="the city is stored already")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    database = "PostgreSQL" if on_postgres else "SQLite"
    home = Path(args.home or tempfile.mkdtemp(prefix="jixiao-city-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["JIXIAO_HOME"] = str(home)
    results: dict[int, list[tuple[float, float, float, float]]] = {}
    try:
        if not args.loaded:
            _load(args, database)
        for workers in counts:
            for run in range(args.repeat):
                print(f"批量生成：{workers} 个工作进程（第 {run + 1} 次）……", file=sys.stderr,
                      flush=True)  # fmt: skip
                load = os.getloadavg()[0]
                out = home / f"out-{workers}"
                seconds, peak, cpu = _run_batch(args.departments, workers, out)
                shutil.rmtree(out, ignore_errors=True)
                results.setdefault(workers, []).append((seconds, peak, load, cpu))
                print(f"  {workers} 个工作进程：{seconds:.1f} s，内存峰值 {peak:.0f} MB，"
                      f"CPU {cpu:.1f} s（{cpu / seconds:.2f} 核），开始时负载 {load:.1f}",
                      flush=True)  # fmt: skip
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    first = statistics.median(r[0] for r in results[counts[0]])
    for workers, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        print(f"{workers} 个工作进程：{seconds:.1f} s（{len(runs)} 次中位数），"
              f"加速比 {first / seconds:.2f}（相对 {counts[0]} 个），"
              f"工作进程 CPU 合计 {cpu:.1f} s，CPU÷墙钟 {cpu / seconds:.2f} 核，"
              f"每部门 CPU {cpu / args.departments:.2f} s，"
              f"工作进程内存峰值 {max(r[1] for r in runs):.0f} MB，"
              f"负载 {'/'.join(f'{r[2]:.1f}' for r in runs)}")  # fmt: skip
    cores = os.cpu_count() or 1
    print(f"目标（PostgreSQL，100 个部门）：{GOAL}；机器有 {cores} 个核，"
          "工作进程多于核数时不会再线性加快：墙钟至少是工作进程 CPU 合计 ÷ "
          f"{cores}（数据库服务器的 CPU 另计）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
