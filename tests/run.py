"""Run the whole test suite on SQLite, then the database tests again on PostgreSQL.

PostgreSQL is taken from JIXIAO_TEST_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/jixiao (pytest-django creates and drops a test_
database beside it). Where none answers, the PostgreSQL pass is skipped with a loud
note, or fails when JIXIAO_REQUIRE_POSTGRES=1 (as in CI).

Extra arguments are passed to pytest, e.g. `python tests/run.py -k dataset`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/jixiao"


def _answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 3):
            return True
    except OSError:
        return False


def _pytest(label: str, extra_env: dict[str, str], args: list[str], work: Path) -> dict[str, int]:
    report = work / f"{label}.xml"
    env = {**os.environ, **extra_env, "JIXIAO_HOME": str(work / label)}
    if "DATABASE_URL" not in extra_env:
        env.pop("DATABASE_URL", None)
    print(f"\n===== 测试：{label} =====", flush=True)
    code = subprocess.call(
        [sys.executable, "-m", "pytest", f"--junitxml={report}", *args], env=env
    )
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()
        suite = suite if suite.tag == "testsuite" else suite[0]
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts = {"passed": total - failed - skipped, "failed": failed, "skipped": skipped}
    if code not in (0, 5) and counts["failed"] == 0:
        counts["failed"] = 1  # pytest itself failed (collection error, bad option)
    return counts


def main(args: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    with tempfile.TemporaryDirectory(prefix="jixiao-tests-") as tmp:
        work = Path(tmp)
        for key, value in _pytest("sqlite", {}, args, work).items():
            totals[key] += value
        url = os.environ.get("JIXIAO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
        if _answers(url):
            pg = _pytest("postgresql", {"DATABASE_URL": url}, ["-m", "django_db", *args], work)
            for key, value in pg.items():
                totals[key] += value
        elif os.environ.get("JIXIAO_REQUIRE_POSTGRES") == "1":
            print(f"PostgreSQL 不可用（{url}），而 JIXIAO_REQUIRE_POSTGRES=1", flush=True)
            totals["failed"] += 1
        else:
            print(f"\n注意：PostgreSQL 不可用（{url}），只在 SQLite 上运行了测试。", flush=True)
    passed, failed, skipped = totals["passed"], totals["failed"], totals["skipped"]
    print(f"\ntotal: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
