"""A missing cache entry is computed by one at a time; the others wait for its result."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from jixiao.services import single_flight
from jixiao.services.single_flight import computing_alone
from jixiao.services.versioned_cache import kept


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> None:
    settings.JIXIAO_HOME = tmp_path
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    cache.clear()


def _together(*targets: Any) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)


def test_the_others_wait_while_one_computes() -> None:
    events: list[str] = []

    def first() -> None:
        with computing_alone("key"):
            events.append("first in")
            time.sleep(0.3)
            events.append("first out")

    def second() -> None:
        time.sleep(0.1)  # after the first has the lock
        with computing_alone("key"):
            events.append("second in")

    _together(first, second)
    assert events == ["first in", "first out", "second in"]


def test_a_value_is_computed_once_however_many_ask_at_once() -> None:
    calls: list[int] = []
    results: list[int] = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.3)
        return 42

    def ask() -> None:
        results.append(kept("answer", compute, versions=lambda: (7,)))

    _together(*[ask] * 5)
    assert results == [42] * 5
    assert len(calls) == 1


def test_a_computation_inside_another_does_not_wait_for_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(single_flight, "STRIPES", 1)  # every key on the same lock file
    with computing_alone("page"), computing_alone("ledger sums"):
        pass  # returns: the inner one does not lock again


def test_a_waiter_gives_up_after_its_patience_and_computes_anyway(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(single_flight, "PATIENCE", 0.2)
    events: list[str] = []

    def slow() -> None:
        with computing_alone("key"):
            time.sleep(1.0)
            events.append("slow out")

    def impatient() -> None:
        time.sleep(0.1)
        with computing_alone("key"):
            events.append("impatient in")

    _together(slow, impatient)
    assert events == ["impatient in", "slow out"]


def test_the_waiters_go_on_once_the_result_is_ready_without_taking_the_lock() -> None:
    events: list[str] = []
    stored = threading.Event()

    def computing() -> None:
        with computing_alone("key"):
            events.append("computed")
            stored.set()
            time.sleep(0.5)  # still holding the lock, the result already stored
            events.append("released")

    def waiting() -> None:
        time.sleep(0.1)  # after the first has the lock
        with computing_alone("key", ready=stored.is_set):
            events.append("waiter on")

    _together(computing, waiting, waiting)
    assert events == ["computed", "waiter on", "waiter on", "released"]
