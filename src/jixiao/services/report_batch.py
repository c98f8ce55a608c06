"""Every department's self-evaluation report for a year, in one process or several.

Rendering one department takes a fraction of a second; starting a process for it (Python,
Django, the document libraries) takes longer. ``jixiao report --all`` therefore renders
every department of the year in the process it already has, or spreads the departments
over ``jobs`` worker processes. Workers are forked from the ready process where the
platform allows (nothing is imported twice); each opens its own database connection.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

from jixiao.errors import UserFacingError
from jixiao.storage import models as m


@dataclass(frozen=True)
class DepartmentReport:
    """What became of one department's report: its files, or why there are none."""

    department_code: str
    docx: Path | None = None
    findings: int = 0
    refused: str = ""
    """The reason in Chinese when the report could not be written."""


def department_codes(year: int) -> list[str]:
    """The codes of the departments with data for ``year``, in code order."""
    return list(
        m.FiscalYear.objects.filter(year=year)
        .order_by("department__code")
        .values_list("department__code", flat=True)
    )


def _one(department_code: str, year: int, out_dir: Path, template: Path | None) -> DepartmentReport:
    from jixiao.services.reporting import write_report

    try:
        written = write_report(department_code, year, out_dir, template=template)
    except UserFacingError as error:
        return DepartmentReport(department_code, refused=str(error))
    return DepartmentReport(department_code, written.docx, len(written.findings))


def _worker_ready() -> None:
    """In a worker: Django set up (spawned) and no connection shared with the parent (forked)."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.command_settings")
        django.setup()
    connections.close_all()


def write_all_reports(
    year: int, out_dir: Path, jobs: int = 1, template: Path | None = None
) -> Iterator[DepartmentReport]:
    """Each department's report for ``year``, as it is done (in department order)."""
    codes = department_codes(year)
    if jobs <= 1 or len(codes) <= 1:
        for code in codes:
            yield _one(code, year, out_dir, template)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    connections.close_all()  # a forked worker must not share the parent's connection
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(codes)), mp_context=context, initializer=_worker_ready
    ) as pool:
        count = len(codes)
        yield from pool.map(_one, codes, [year] * count, [out_dir] * count, [template] * count)
