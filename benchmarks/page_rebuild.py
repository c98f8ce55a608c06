"""Benchmark: how long 首页 and 运行监控 take right after a ledger change, in one process.

After any change to a department's ledger, the first request of its 首页 or 运行监控
builds the page's kept part anew (``jixiao.web.page_parts.year_part``): reads the year,
monitors and evaluates it, draws the charts and writes the 500-row tables. The script

1. builds a throwaway SQLite database in a temporary JIXIAO_HOME as
   ``benchmarks/web_load.py`` does (its own function): the demo plus ``bench-dept`` 2024
   with 500 projects and ``--payments`` payments, and a 财务科 account;
2. signs that account in with Django's test client and, per page, ``--rounds`` times:
   rewrites one payment as it is (the ledger gets a new version, as in web_load.py) and
   requests the page — the rebuild; then requests it again — a request that finds the
   part kept;
3. prints the best of the rounds (wall and CPU time of this process, which holds the
   SQLite database too) and the machine's load beside them. Target: rebuild ≤ 150 ms.

Usage::

    python benchmarks/page_rebuild.py                    # 1,000,000 payments
    python benchmarks/page_rebuild.py --payments 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
TARGET = 0.150


def _web_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jixiao_bench_web_load", HERE / "web_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _timed(request: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = request()  # type: ignore[operator]
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    web_load = _web_load()
    with tempfile.TemporaryDirectory(prefix="jixiao-rebuild-") as folder:
        home = Path(folder)
        print(f"载入演示数据和 {args.payments:,} 笔支付……", flush=True)
        with contextlib.redirect_stdout(io.StringIO()):  # its RESULT line is for web_load.py
            web_load.prepare("sqlite", home, args.payments, "Bench-rebuild-1!")
        warnings.filterwarnings("ignore", message="No directory at")  # no collected files

        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import reverse

        static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(get_user_model().objects.get(username=web_load.USERNAME))
            where = {"department": web_load.MEASURED, "year": 2024}
            pages = {
                "首页": reverse("web:dashboard", kwargs=where),
                "运行监控": reverse("web:monitoring", kwargs=where),
            }
            print(f"\n每页 {args.rounds} 轮，取最好一轮；机器负载 {os.getloadavg()[0]:.2f}")
            print(f"{'页面':<8}{'改动后重建':>12}{'（CPU）':>10}{'已保留':>10}  重建 ≤ 150 ms")
            for name, path in pages.items():
                _timed(lambda path=path: client.get(path))  # the first, after loading
                rebuilt, kept = [], []
                for _ in range(args.rounds):
                    web_load.touch_ledger("sqlite", home)
                    rebuilt.append(_timed(lambda path=path: client.get(path)))
                    kept.append(_timed(lambda path=path: client.get(path)))
                wall, cpu = min(rebuilt)
                verdict = "是" if wall <= TARGET else "否"
                print(
                    f"{name:<8}{wall * 1000:>10.0f}ms{cpu * 1000:>8.0f}ms"
                    f"{min(kept)[0] * 1000:>8.1f}ms  {verdict}"
                )
            print(f"机器负载 {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
