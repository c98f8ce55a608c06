"""Benchmark: what the 指标库 costs the goal page, as the stored history grows.

The script builds a throwaway SQLite database in a temporary JIXIAO_HOME with
``--departments`` departments (default 50), each with ``--years`` years (default 3) of
``--projects`` projects (default 20) whose goals hold ``--indicators`` quantitative
indicators (default 8) named after the natural-resources library's entries, with actuals;
then it times, each ``--repeat`` times (default 5), the median of:

* ``stored_past_values``: every past value drawn from the stored goals (the library page);
* ``targets_before``: the suggested target and spread of every indicator, cold (its kept
  copy cleared) and warm (kept while no stored data changes);
* ``suggestions_for``: the goal page's picker for one project (targets kept);
* ``library_findings``: what the live check adds per keystroke (目标值偏低 against last
  year's actuals of the department and the benchmarks);

and prints them with the number of stored indicator rows and the ratio cold / warm. It
prints the machine's load average too: other work on the machine shows in the figures.

Usage::

    python benchmarks/indicator_library.py
    python benchmarks/indicator_library.py --departments 200 --projects 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any


def _setup(home: Path) -> None:
    os.environ["JIXIAO_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(departments: int, years: int, projects: int, indicators: int) -> int:
    from django.db import transaction

    from jixiao.interchange.indicator_library_files import shipped_indicator_library
    from jixiao.storage import models as m

    entries = [
        e
        for e in shipped_indicator_library("natural-resources").indicators
        if e.kind.value == "quantitative"
    ]
    rows: list[Any] = []
    with transaction.atomic():
        for d in range(departments):
            department = m.Department.objects.create(code=f"bench-{d:03d}", name=f"测试局{d}")
            for y in range(years):
                fiscal_year = m.FiscalYear.objects.create(department=department, year=2021 + y)
                for p in range(projects):
                    project = m.Project.objects.create(
                        fiscal_year=fiscal_year, code=f"P{p:03d}", name=f"项目{p}"
                    )
                    goal = m.PerformanceGoal.objects.create(
                        fiscal_year=fiscal_year, project=project
                    )
                    for i in range(indicators):
                        entry = entries[(p + i) % len(entries)]
                        actual = Decimal(100 + (d * 7 + y * 13 + p * 3 + i) % 400)
                        rows.append(
                            m.Indicator(
                                goal=goal, position=i, level1=entry.level1, level2=entry.level2,
                                level3=entry.level3, kind="quantitative",
                                target=f"≥{actual - 10}{entry.unit}", weight=Decimal(5),
                                actual=f"{actual}{entry.unit}",
                            )
                        )  # fmt: skip
        m.Indicator.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _median_ms(
    run: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory(prefix="jixiao-library-bench-") as folder:
        _setup(Path(folder))
        from django.core.cache import cache

        from jixiao.core.goals import Indicator, IndicatorKind, PerformanceGoal
        from jixiao.services import indicator_library as service
        from jixiao.storage import models as m

        count = _populate(args.departments, args.years, args.projects, args.indicators)
        fiscal_year = m.FiscalYear.objects.select_related("department").order_by("-year").first()
        assert fiscal_year is not None
        library = service.combined_library()
        entry = library.indicators[0]
        goal = PerformanceGoal(
            "P000", "项目0",
            indicators=(Indicator(entry.level1, entry.level2, entry.level3,
                                  IndicatorKind.quantitative, f"≥1{entry.unit}", Decimal(5)),),
        )  # fmt: skip
        figures = {
            "stored_past_values（全部）": _median_ms(
                lambda: service.stored_past_values(library), args.repeat
            ),
            "targets_before 冷": _median_ms(
                lambda: service.targets_before(fiscal_year.year), args.repeat, cache.clear
            ),
            "targets_before 热": _median_ms(
                lambda: service.targets_before(fiscal_year.year), args.repeat
            ),
            "suggestions_for（一个项目）": _median_ms(
                lambda: service.suggestions_for(fiscal_year, "P000", goal), args.repeat
            ),
            "library_findings（每次实时检查）": _median_ms(
                lambda: service.library_findings(fiscal_year, goal), args.repeat
            ),
        }
    load = os.getloadavg()
    print(
        f"{args.departments} 个部门 × {args.years} 年 × {args.projects} 个项目 × "
        f"{args.indicators} 个指标 = {count} 行已保存指标；历年数值 {len(library.history)} 个"
    )
    for name, ms in figures.items():
        print(f"  {name:<28} {ms:9.1f} ms")
    cold, warm = figures["targets_before 冷"], figures["targets_before 热"]
    print(f"  冷 / 热 = {cold / warm:.0f} 倍")
    print(
        f"机器负载（1/5/15 分钟）：{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}，{os.cpu_count()} 核"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
