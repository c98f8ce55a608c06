"""Benchmark: what a user waits for from three commands, as whole processes.

In a temporary JIXIAO_HOME (SQLite) the demo is loaded (``jixiao demo``), and a dataset
file with N payments (default 50,000: the demo's 2023 year with its payments repeated
under new voucher numbers) is written. Then each command is run ``--repeat`` times (default
5) after one untimed warm-up run (which also lets Python write its bytecode cache, as an
installed package has it), and the medians are printed beside the goals:

* ``jixiao report`` of the demo department (goal ≤ 0.8 s);
* ``jixiao load --replace`` of the N-payment file (goal ≤ 6 s and ≤ 250 MB peak memory);
* ``jixiao monitor`` of the demo at 2023-10-31 (its charts import matplotlib; no goal).

Wall time is what a user waits for; CPU time (user + system) is printed beside it, since on
a busy machine the wall time grows while the CPU time does not. Peak memory is the largest
resident set of the process (``wait4``).

Usage::

    python benchmarks/startup.py
    python benchmarks/startup.py --payments 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
DEPARTMENT, YEAR, AS_OF = "liwan-ghzy", 2023, "2023-10-31"

_DATASET_SCRIPT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.command_settings")
from jixiao.cli import demo_dataset_path
from jixiao.demo.synthetic import demo_dataset_2023
from jixiao.interchange.dataset_file import dump_dataset, read_dataset
year = demo_dataset_2023(read_dataset(demo_dataset_path()))
paid, count = year.budget.payments, int(sys.argv[2])
payments = [
    paid[n % len(paid)].model_copy(
        update={"voucher": f"{paid[n % len(paid)].voucher}-{n // len(paid)}"}
    )
    for n in range(count)
]
budget = year.budget.model_copy(update={"payments": payments})
text = dump_dataset(year.model_copy(update={"budget": budget}))
open(sys.argv[1], "w", encoding="utf-8").write(text)
"""


class Run(NamedTuple):
    wall: float
    cpu: float
    peak_mb: float


def _run(command: list[str]) -> Run:
    """One whole process: wall seconds, CPU seconds and peak resident memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} 失败（{process.returncode}）：{errors}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _medians(command: list[str], repeat: int) -> Run:
    _run(command)  # warm-up: bytecode cache, the file cache of the interpreter and database
    runs = [_run(command) for _ in range(repeat)]
    return Run(*(statistics.median(getattr(r, field) for r in runs) for field in Run._fields))


def _line(name: str, run: Run, goal: str) -> str:
    return f"{name:<28}{run.wall:>7.2f} s{run.cpu:>9.2f} s{run.peak_mb:>9.0f} MB    {goal}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--payments", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc
    with tempfile.TemporaryDirectory(prefix="jixiao-startup-") as folder:
        home = Path(folder)
        os.environ["JIXIAO_HOME"] = str(home)
        out = str(home / "out")
        print("载入演示数据，写出数据文件……", file=sys.stderr, flush=True)
        _run([JIXIAO, "demo", "--out", out])
        dataset = home / "payments.yaml"
        _run([sys.executable, "-c", _DATASET_SCRIPT, str(dataset), str(args.payments)])
        year = ["--department", DEPARTMENT, "--year", str(YEAR), "--out", out]
        report = _medians([JIXIAO, "report", *year], args.repeat)
        load = _medians([JIXIAO, "load", "--replace", str(dataset)], args.repeat)
        monitor = _medians([JIXIAO, "monitor", *year, "--as-of", AS_OF], args.repeat)
    print(f"整个进程，{args.repeat} 次的中位数（另有一次未计时的预热）：")
    print(f"{'命令':<26}{'耗时':>9}{'CPU':>11}{'内存峰值':>9}    目标")
    print(_line("jixiao report（演示部门）", report, "≤ 0.8 s"))
    print(_line(f"jixiao load（{args.payments:,} 笔支付）", load, "≤ 6 s，≤ 250 MB"))
    print(_line("jixiao monitor（演示部门）", monitor, "—（含 matplotlib 作图）"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
