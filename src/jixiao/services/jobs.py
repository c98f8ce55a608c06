"""A small job queue in the database that is already there (``storage.BatchJob``).

Workers (``jixiao worker``, on one machine or several sharing one PostgreSQL) take jobs
one at a time. Taking a job is one short transaction that picks the oldest takeable job
and marks it running under the worker's name:

* on PostgreSQL, ``SELECT … FOR UPDATE SKIP LOCKED``: a job another worker is taking is
  skipped, not waited for;
* on SQLite, the transaction begins ``IMMEDIATE`` (the settings' ``transaction_mode``), so
  one writer at a time picks and marks.

A job is takeable when it is queued, or running with a heartbeat older than
``stale_after`` (its worker died: the job is taken again). A worker keeps the heartbeat of
its job fresh from a thread while it works. A batch's closing job (no department code) is
takeable only once every department job of its batch is finished. Finished jobs are never
taken again, so a batch resumed after a crash redoes only what was not finished.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from jixiao.storage import models as m

STALE_AFTER = timedelta(seconds=60)
"""A running job whose heartbeat is older than this is taken to be abandoned."""
HEARTBEAT_EVERY = 10.0
"""Seconds between two heartbeats of a working job (well under ``STALE_AFTER``)."""

UNFINISHED = (m.JobState.queued, m.JobState.running)


def worker_name() -> str:
    """This process's name in ``claimed_by``: the machine and the process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str, stale_after: timedelta = STALE_AFTER) -> m.BatchJob | None:
    """Take the oldest takeable job for ``worker``; None when there is none."""
    now = timezone.now()
    takeable = Q(state=m.JobState.queued) | Q(
        state=m.JobState.running, heartbeat__lt=now - stale_after
    )
    departments_unfinished = m.BatchJob.objects.filter(
        batch=OuterRef("batch"), state__in=UNFINISHED
    ).exclude(department_code="")
    candidates = (
        m.BatchJob.objects.filter(takeable)
        .exclude(Q(department_code="") & Exists(departments_unfinished))
        .order_by("id")
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        job = candidates.first()
        if job is None:
            return None
        m.BatchJob.objects.filter(pk=job.pk).update(
            state=m.JobState.running,
            claimed_by=worker,
            heartbeat=now,
            attempts=F("attempts") + 1,
        )
    job.refresh_from_db()
    return job


def finish(job: m.BatchJob, worker: str, result: dict[str, Any]) -> bool:
    """Record ``job`` as done with ``result``; False when another worker has taken it since
    (this worker was thought dead), and its result is then left to that worker."""
    return _close(job, worker, m.JobState.done, result=result)


def fail(job: m.BatchJob, worker: str, message: str) -> bool:
    """Record ``job`` as not done, with the reason in Chinese (it is not taken again)."""
    return _close(job, worker, m.JobState.failed, message=message)


def _close(job: m.BatchJob, worker: str, state: str, **fields: Any) -> bool:
    changed = m.BatchJob.objects.filter(
        pk=job.pk, claimed_by=worker, state=m.JobState.running
    ).update(state=state, heartbeat=timezone.now(), **fields)
    return changed == 1


@contextmanager
def heartbeat(job: m.BatchJob, worker: str, every: float = HEARTBEAT_EVERY) -> Iterator[None]:
    """Keep ``job``'s heartbeat fresh from a thread while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                m.BatchJob.objects.filter(pk=job.pk, claimed_by=worker).update(
                    heartbeat=timezone.now()
                )
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@dataclass(frozen=True)
class Progress:
    """How far a batch has come."""

    total: int
    done: int
    failed: int
    running: int

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def complete(self) -> bool:
        return self.finished == self.total

    @property
    def percent(self) -> int:
        return 100 * self.finished // self.total if self.total else 100


def progress(batch_id: int) -> Progress:
    """The counts of ``batch_id``'s jobs by state."""
    counts = dict.fromkeys(m.JobState.values, 0)
    for state in m.BatchJob.objects.filter(batch_id=batch_id).values_list("state", flat=True):
        counts[state] += 1
    return Progress(
        total=sum(counts.values()),
        done=counts[m.JobState.done],
        failed=counts[m.JobState.failed],
        running=counts[m.JobState.running],
    )
