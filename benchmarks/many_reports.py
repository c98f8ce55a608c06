"""Benchmark: N departments' self-evaluation reports, by a command loop and by ``--all``.

In a temporary JIXIAO_HOME (SQLite), the demo's 2023 year is stored under N department
codes (default 100), then three ways of writing every department's report are timed as
whole processes, as a user waits for them:

1. a loop of ``jixiao report --department CODE`` (one process per department; run on
   ``--loop`` departments, default 10, and scaled to N, since it is the slow way);
2. ``jixiao report --all`` (one process);
3. ``jixiao report --all --jobs J`` (J worker processes, default 2).

It also times one ``jixiao report`` of the demo department (median of ``--repeat``), the
start-up overhead a single report pays (target: ≤ 0.8 s in all, 100 departments ≤ 60 s).

Usage::

    python benchmarks/many_reports.py                # 100 departments
    python benchmarks/many_reports.py --departments 20 --jobs 2
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

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
YEAR = 2023


def _store_departments(home: Path, count: int) -> list[str]:
    """The demo year stored under ``count`` department codes, in a process of its own."""
    script = f"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.command_settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from jixiao.cli import demo_dataset_path
from jixiao.demo.synthetic import demo_dataset_2023, synthetic_year_2022
from jixiao.interchange.dataset_file import read_dataset
from jixiao.services.storing import store_dataset
year = demo_dataset_2023(read_dataset(demo_dataset_path()))
earlier = synthetic_year_2022()
for n in range({count}):
    code = f"bench-{{n:03d}}"
    for dataset in (earlier, year):
        department = dataset.department.model_copy(update={{"code": code}})
        store_dataset(dataset.model_copy(update={{"department": department}}), replace=True)
"""
    subprocess.run([sys.executable, "-c", script], check=True, env=os.environ)
    return [f"bench-{n:03d}" for n in range(count)]


def _timed(command: list[str]) -> float:
    """The seconds ``command`` takes, cold: the kept sums (JIXIAO_HOME/cache) removed first."""
    shutil.rmtree(Path(os.environ["JIXIAO_HOME"]) / "cache", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=os.environ)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--loop", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as folder:
        home = Path(folder)
        os.environ["JIXIAO_HOME"] = str(home)
        os.environ.pop("DATABASE_URL", None)
        print(f"载入 {args.departments} 个部门（演示数据）……", file=sys.stderr, flush=True)
        codes = _store_departments(home, args.departments)
        out = str(home / "out")
        one = [JIXIAO, "report", "--department", codes[0], "--year", str(YEAR), "--out", out]
        _timed(one)  # warm-up: the file cache of the interpreter and the database
        single = statistics.median(_timed(one) for _ in range(args.repeat))
        looped = [_timed([*one[:3], code, *one[4:]]) for code in codes[: args.loop]]
        loop = sum(looped) / len(looped) * len(codes)
        all_command = [JIXIAO, "report", "--all", "--year", str(YEAR), "--out", out]
        together = _timed(all_command)
        parallel = _timed([*all_command, "--jobs", str(args.jobs)])
    print(f"一个部门 jixiao report（整个进程，{args.repeat} 次中位数）：{single:.2f} s", end="")
    print("（目标 ≤ 0.8 s）")
    print(
        f"{len(codes)} 个部门，逐个运行 jixiao report（按 {len(looped)} 个推算）：{loop:.1f} s；"
        f"jixiao report --all：{together:.1f} s；"
        f"--all --jobs {args.jobs}：{parallel:.1f} s（目标 ≤ 60 s）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
