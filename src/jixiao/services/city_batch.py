"""A city's batch output for a year, on the job queue (``services.jobs``).

A batch is requested for a year and a set of departments (all of the year's by default);
it becomes one job per department and a closing job. A department's job writes its
self-evaluation report (with its 审核意见), its self-evaluation tables and its monitoring
report and tables at the batch's monitoring date into ``FOLDER/CODE/``, and records the
figures the city summary needs. The closing job, taken once every department's job is
finished, writes the city summary (全市部门整体支出绩效自评情况汇总, .docx and .xlsx) and
puts everything into one zip. The folder must be one every worker can write (on several
machines: a shared file system).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from jixiao.errors import UserFacingError
from jixiao.services import jobs
from jixiao.services.bureau import city_years
from jixiao.storage import models as m


class BatchRequestError(UserFacingError, ValueError):
    """A batch that cannot be requested: no department, an unknown department."""


SUMMARY_TITLE = "全市部门整体支出绩效自评情况汇总"


def monitoring_date(year: int) -> date:
    """The default monitoring date of a year's batch: the end of July (1—7月 监控)."""
    return date(year, 7, 31)


def batches_folder() -> Path:
    """Where batches requested in the web are written: JIXIAO_HOME/batches."""
    return Path(settings.JIXIAO_HOME) / "batches"


def request_batch(
    year: int,
    folder: Path | None = None,
    departments: Sequence[str] = (),
    as_of: date | None = None,
    requested_by: str = "",
    city_id: int | None = None,
) -> m.CityBatch:
    """Queue the batch of ``year`` for ``departments`` (all of the year's when empty, of
    one city when ``city_id`` is given)."""
    stored = set(city_years(year, city_id).values_list("department__code", flat=True))
    wanted = sorted(set(departments)) if departments else sorted(stored)
    unknown = [code for code in wanted if code not in stored]
    if unknown:
        raise BatchRequestError(f"{year}年度没有这些部门的数据：{'、'.join(unknown)}")
    if not wanted:
        raise BatchRequestError(f"{year}年度没有任何部门的数据，请先导入")
    with transaction.atomic():
        batch = m.CityBatch.objects.create(
            year=year,
            departments=wanted,
            as_of=as_of or monitoring_date(year),
            folder="",
            requested_by=requested_by,
        )
        batch.folder = str(Path(folder) if folder else batches_folder() / str(batch.pk))
        batch.save(update_fields=["folder"])
        m.BatchJob.objects.bulk_create(
            [m.BatchJob(batch=batch, department_code=code) for code in wanted]
            + [m.BatchJob(batch=batch)]
        )
    return batch


def department_documents(batch: m.CityBatch, code: str) -> dict[str, Any]:
    """Write one department's documents into the batch's folder; what the summary needs."""
    from jixiao.services.evaluating import write_evaluation_tables
    from jixiao.services.monitoring import monitor_stored_year, write_monitoring
    from jixiao.services.reporting import write_report

    out = Path(batch.folder) / code
    result: dict[str, Any] = {
        "name": m.Department.objects.get(code=code).name,
        "files": [],
        "refused": [],
    }
    try:
        written = write_report(code, batch.year, out)
    except UserFacingError as error:
        result["refused"].append(f"自评报告：{error}")
    else:
        result["files"] += [written.docx, written.review]
        result.update(_report_figures(written))
        if written.evaluation is not None:
            result["files"].append(write_evaluation_tables(written.evaluation, out))
    try:
        monitored = write_monitoring(monitor_stored_year(code, batch.year, batch.as_of), out)
    except UserFacingError as error:
        result["refused"].append(f"监控报告：{error}")
    else:
        result["files"] += [monitored.docx, monitored.xlsx, monitored.review]
    result["files"] = [str(Path(p).relative_to(batch.folder)) for p in result["files"] if p]
    return result


def _report_figures(written: Any) -> dict[str, Any]:
    """The figures of one department's report the city summary adds up (text, exact)."""
    figures: dict[str, Any] = {
        "final_budget": str(written.figures.final_budget),
        "executed": str(written.figures.executed),
        "findings": {},
    }
    for finding in written.findings:
        label = finding.severity.label
        figures["findings"][label] = figures["findings"].get(label, 0) + 1
    department = written.evaluation.department if written.evaluation else None
    if department is not None and department.total is not None:
        figures["score"] = str(department.total)
        figures["grade"] = department.grade or ""
    coverage = written.coverage
    if coverage is not None:
        figures["coverage"] = {
            "projects_evaluated": coverage.projects_evaluated,
            "projects_total": coverage.projects_total,
            "funds_evaluated": str(coverage.funds_evaluated),
            "funds_total": str(coverage.funds_total),
        }
    return figures


def close_batch(batch: m.CityBatch) -> dict[str, Any]:
    """The city summary and the zip of everything, once every department is finished."""
    from jixiao.documents.city_summary import write_city_summary

    folder = Path(batch.folder)
    departments = list(
        m.BatchJob.objects.filter(batch=batch)
        .exclude(department_code="")
        .order_by("department_code")
    )
    summary = city_summary(batch, departments)
    written = write_city_summary(summary, folder, f"{batch.year}年度{SUMMARY_TITLE}")
    archive = folder / f"{batch.year}-city-batch-{batch.pk}.zip"
    files = [
        *(folder / name for job in departments for name in job.result.get("files", [])),
        *written,
    ]
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            bundle.write(path, str(path.relative_to(folder)))
    partial.replace(archive)  # a zip is there whole or not at all
    m.CityBatch.objects.filter(pk=batch.pk).update(archive=str(archive))
    return {"files": [str(p.relative_to(folder)) for p in (*written, archive)]}


def city_summary(batch: m.CityBatch, departments: Sequence[m.BatchJob]) -> Any:
    """The summary's figures from the department jobs' results."""
    from jixiao.documents.city_summary import CitySummary, DepartmentLine

    lines = [
        DepartmentLine.from_result(job.department_code, job.result, job.state, job.message)
        for job in departments
    ]
    return CitySummary(
        year=batch.year,
        as_of=batch.as_of,
        departments=tuple(lines),
        prepared_on=timezone.localtime(batch.created_at).date(),
        issuer=_issuer([job.department_code for job in departments]),
    )


def _issuer(codes: Sequence[str]) -> str:
    """The 财政局 of the departments' city; none when they are of several cities."""
    cities = list(m.City.objects.filter(departments__code__in=codes).distinct()[:2])
    return cities[0].bureau if len(cities) == 1 else ""


def run_job(job: m.BatchJob) -> dict[str, Any]:
    """Do ``job``'s work: a department's documents, or the batch's closing."""
    if job.department_code:
        return department_documents(job.batch, job.department_code)
    return close_batch(job.batch)


@dataclass(frozen=True)
class WorkDone:
    """What one worker did before it stopped."""

    done: int = 0
    failed: int = 0


def work(
    worker: str | None = None,
    *,
    until_idle: bool = True,
    poll: float = 1.0,
    stale_after: timedelta = jobs.STALE_AFTER,
    heartbeat_every: float = jobs.HEARTBEAT_EVERY,
    on_job: Callable[[m.BatchJob, bool], None] | None = None,
    on_idle: Callable[[], None] | None = None,
) -> WorkDone:
    """Take and do jobs until none is left (``until_idle``) or forever, polling every
    ``poll`` seconds while there is nothing to do (and calling ``on_idle`` first: the
    command's worker computes the bureau pages' parts then). A job whose work raises is
    recorded as not done, with the reason; the worker goes on with the next."""
    worker = worker or jobs.worker_name()
    done = failed = 0
    while True:
        job = jobs.claim(worker, stale_after)
        if job is None:
            if until_idle and not _others_working(stale_after):
                return WorkDone(done, failed)
            if on_idle is not None:
                on_idle()
            time.sleep(poll)
            continue
        with jobs.heartbeat(job, worker, heartbeat_every):
            try:
                result = run_job(job)
            except Exception as error:  # recorded on the job; the worker goes on
                jobs.fail(job, worker, _reason(error))
                failed += 1
                ok = False
            else:
                ok = jobs.finish(job, worker, result)
                done += ok
        if on_job is not None:
            on_job(job, ok)


def _others_working(stale_after: timedelta) -> bool:
    """Whether a job is still running elsewhere (a closing job may follow it)."""
    return m.BatchJob.objects.filter(
        state=m.JobState.running, heartbeat__gte=timezone.now() - stale_after
    ).exists()


def _reason(error: Exception) -> str:
    if isinstance(error, UserFacingError):
        return str(error)
    return f"内部错误（程序缺陷）：{type(error).__name__}"


def _worker_process() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.command_settings")
        django.setup()
    connections.close_all()  # never share the parent's connection
    work(until_idle=True)
    connections.close_all()


def start_workers(count: int) -> list[multiprocessing.process.BaseProcess]:
    """``count`` worker processes on this machine that stop when no job is left."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    connections.close_all()  # a forked worker must not share this connection
    processes = [context.Process(target=_worker_process, daemon=False) for _ in range(count)]
    for process in processes:
        process.start()
    return processes
