"""Previews of large uploads as background jobs: the upload request returns at once, a
thread of the web worker plans the import (``import_workbook(dry_run=True)``), and the
page asks again every few seconds until the preview is ready.

The job's state is kept in the shared cache (every worker process sees it), as a small
summary — the counts and the first changes — never the plan itself. A job that dies with
its worker is reported as such after ``STALE_AFTER`` seconds, so a page never waits for
ever. Memory is bounded by the import itself: it reads a large ledger sheet row by row
(``xlsx_rows``) and keeps only the planned payments, so a 500,000-row preview peaks under
300 MB (``benchmarks/import_ledger.py --rows 500000 --preview-only``).

Every problem names the file by ``path.name``: the import page stores an upload under
the user's own file name (in a random folder), so that is the name the user knows.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connection

from jixiao.errors import UserFacingError
from jixiao.interchange.excel.importing import SheetTotals
from jixiao.interchange.excel.planning import Change
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services.excel_import import import_workbook

SHOWN_CHANGES = 500
KEEP = 24 * 60 * 60
STALE_AFTER = 30 * 60
"""A job still running after this long has died with its worker (the import page's
largest file previews in well under a minute)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreviewSummary:
    """What the preview page shows of an import plan."""

    sheets: tuple[str, ...]
    rows: int
    counts: dict[str, dict[str, int]]
    changes: tuple[Change, ...]
    more: bool
    totals: tuple[SheetTotals, ...] = ()


@dataclass(frozen=True)
class PreviewJob:
    state: str
    """"running", "done" or "refused"."""
    started: float
    size: int
    summary: PreviewSummary | None = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def seconds(self) -> int:
        return int(time.time() - self.started)


def _key(token: str) -> str:
    return f"jixiao-import-preview:{token}"


def start_preview(token: str, path: Path, **arguments: Any) -> None:
    """Plan the import of ``path`` in a thread; ``arguments`` go to ``import_workbook``."""
    cache.set(_key(token), PreviewJob("running", time.time(), path.stat().st_size), KEEP)
    thread = threading.Thread(
        target=_run, args=(token, path, arguments), name=f"preview-{token[:8]}", daemon=True
    )
    thread.start()


def _run(token: str, path: Path, arguments: dict[str, Any]) -> None:
    job: PreviewJob = cache.get(_key(token)) or PreviewJob("running", time.time(), 0)
    try:
        result = import_workbook(path, dry_run=True, **arguments)
        changes = tuple(islice(result.changes(), SHOWN_CHANGES + 1))
        summary = PreviewSummary(
            result.sheets,
            result.rows,
            result.counts(),
            changes[:SHOWN_CHANGES],
            len(changes) > SHOWN_CHANGES,
            result.totals,
        )
        done = PreviewJob("done", job.started, job.size, summary)
    except InputRejected as error:
        done = PreviewJob("refused", job.started, job.size, problems=tuple(error.problems))
    except UserFacingError as error:
        problems = (Problem(path.name, str(error)),)
        done = PreviewJob("refused", job.started, job.size, problems=problems)
    except Exception:  # the page must hear of it; the traceback goes to the log
        log.exception("import preview %s failed", token)
        message = "预览时发生内部错误，未写入任何数据；请把文件交给系统维护人员"
        problem = Problem(path.name, message)
        done = PreviewJob("refused", job.started, job.size, problems=(problem,))
    finally:
        connection.close()  # the thread's own connection
    cache.set(_key(token), done, KEEP)


def preview_status(token: str) -> PreviewJob | None:
    job: PreviewJob | None = cache.get(_key(token))
    if job is not None and job.state == "running" and job.seconds > STALE_AFTER:
        problem = Problem("", "预览没有完成（服务进程可能已重启），请重新上传")
        return PreviewJob("refused", job.started, job.size, problems=(problem,))
    return job


def forget_preview(token: str) -> None:
    cache.delete(_key(token))
