"""The batch queue: a job is taken by one worker at a time, the closing job waits for the
departments, a job whose worker died is taken again, a finished job is never redone."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from jixiao.services import jobs
from jixiao.services.city_batch import BatchRequestError, request_batch, work
from jixiao.storage import models as m


def test_two_workers_never_take_the_same_job(two_departments: tuple[str, ...],
                                             tmp_path: Path) -> None:  # fmt: skip
    batch = request_batch(2024, tmp_path)
    first, second = jobs.claim("a"), jobs.claim("b")
    assert first is not None and second is not None
    assert {first.department_code, second.department_code} == set(two_departments)
    assert (first.claimed_by, second.claimed_by) == ("a", "b")
    assert jobs.claim("c") is None  # the closing job waits for both departments
    jobs.finish(first, "a", {})
    assert jobs.claim("c") is None
    jobs.fail(second, "b", "测试")
    closing = jobs.claim("c")
    assert closing is not None and closing.department_code == ""
    assert jobs.progress(batch.pk) == jobs.Progress(total=3, done=1, failed=1, running=1)


def test_a_job_whose_worker_died_is_taken_again(two_departments: tuple[str, ...],
                                                tmp_path: Path) -> None:  # fmt: skip
    request_batch(2024, tmp_path)
    taken = jobs.claim("crashed")
    assert taken is not None
    stale = timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    m.BatchJob.objects.filter(pk=taken.pk).update(heartbeat=stale)
    again = jobs.claim("alive")
    assert again is not None and again.pk == taken.pk
    assert again.claimed_by == "alive" and again.attempts == 2
    assert not jobs.finish(taken, "crashed", {"late": True})  # its result is not kept
    assert jobs.finish(again, "alive", {"files": []})


def test_a_fresh_heartbeat_keeps_the_job(two_departments: tuple[str, ...],
                                         tmp_path: Path) -> None:  # fmt: skip
    request_batch(2024, tmp_path)
    taken = jobs.claim("slow")
    assert taken is not None
    with jobs.heartbeat(taken, "slow", every=0.01):
        other = jobs.claim("other")
    assert other is not None and other.pk != taken.pk


def test_a_resumed_batch_redoes_only_the_unfinished(two_departments: tuple[str, ...],
                                                   tmp_path: Path) -> None:  # fmt: skip
    batch = request_batch(2024, tmp_path)
    finished = jobs.claim("before-the-crash")
    assert finished is not None
    jobs.finish(finished, "before-the-crash", {"name": "已完成", "files": []})
    crashed = jobs.claim("crashed")
    assert crashed is not None
    m.BatchJob.objects.filter(pk=crashed.pk).update(heartbeat=timezone.now() - timedelta(hours=1))
    done = work("after", until_idle=True, poll=0.01)
    assert done.done == 2  # the crashed department and the closing job
    finished.refresh_from_db()
    assert finished.claimed_by == "before-the-crash" and finished.attempts == 1
    assert jobs.progress(batch.pk).complete
    batch.refresh_from_db()
    assert Path(batch.archive).is_file()


def test_unknown_or_no_departments_are_refused(two_departments: tuple[str, ...],
                                               tmp_path: Path) -> None:  # fmt: skip
    with pytest.raises(BatchRequestError, match="没有这些部门的数据：nope"):
        request_batch(2024, tmp_path, ["test-dept", "nope"])
    with pytest.raises(BatchRequestError, match="没有任何部门的数据"):
        request_batch(1999, tmp_path)
    assert not m.CityBatch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_workers_at_the_same_time_take_each_job_once(tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        # the test database is in memory, where a second writer fails instead of waiting;
        # test_batch_command runs two worker processes on a SQLite file instead
        pytest.skip("concurrent writers need a database file or PostgreSQL")
    batch = m.CityBatch.objects.create(year=2024, as_of="2024-07-31", folder=str(tmp_path))
    m.BatchJob.objects.bulk_create(
        [m.BatchJob(batch=batch, department_code=f"d{n:02d}") for n in range(24)]
    )
    taken: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        try:
            while (job := jobs.claim(name)) is not None:
                with lock:
                    taken.append(job.pk)
                assert jobs.finish(job, name, {})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(batch.jobs.values_list("pk", flat=True))  # each once
    assert jobs.progress(batch.pk).complete
