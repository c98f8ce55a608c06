"""One process at a time computes a missing cache entry; the others wait for it.

When the stored data changes, every request for a page that shows it misses the cache at
once. Without this, every server worker would re-sum a million payments at the same time,
each slowed by the others; with it, one computes and the others find its result when the
lock is released, or as soon as the result is stored (``ready``), whichever comes first.

The lock is an ``flock`` on one of ``STRIPES`` files under ``JIXIAO_HOME/locks`` (so the
number of lock files stays fixed; two keys rarely share one). Only the outermost
computation of a thread locks — a page part that sums the ledger inside does not lock
again — so a thread holds at most one lock and no two can wait for each other. Waiting
ends after ``PATIENCE`` seconds: then the waiter computes anyway, as it would without
the lock. Where ``fcntl`` is missing (Windows, which runs no gunicorn), nothing is locked.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

STRIPES = 256
PATIENCE = 120.0
"""Seconds to wait for another process's computation before computing anyway."""
POLL = 0.02

_inside = threading.local()


def _lock_file(key: str) -> Path:
    folder = Path(settings.JIXIAO_HOME) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    stripe = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % STRIPES
    return folder / f"{stripe:03d}.lock"


@contextmanager
def computing_alone(key: str, ready: Callable[[], bool] | None = None) -> Iterator[None]:
    """Held while this thread computes ``key``; others asking for it wait here, until
    the lock is theirs or, with ``ready``, until ``ready()`` says the result is there
    (then the many who waited for one result do not take the lock one after another
    to read it: they go on at once, without it, and read it)."""
    if fcntl is None or getattr(_inside, "holding", False):
        yield
        return
    with _lock_file(key).open("a+b") as handle:
        locked = _acquire(handle.fileno(), ready)
        _inside.holding = True
        try:
            yield
        finally:
            _inside.holding = False
            if locked:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(descriptor: int, ready: Callable[[], bool] | None = None) -> bool:
    """Whether the lock was taken (False: the result is ready, or patience ran out)."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline or (ready is not None and ready()):
                return False
            time.sleep(POLL)
