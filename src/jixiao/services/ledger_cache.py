"""Keeping the ledger's sums between requests, for as long as the ledger is unchanged.

Summing a year's ledger is the costly part of every page that shows execution (首页,
运行监控, 预算与支出): at 1,000,000 payments one ``GROUP BY`` takes about a second, and a
首页 needs three. The sums only change when the ledger does, so they are kept in Django's
cache under a key made of what is summed (``kind`` and its arguments, e.g. per line and
month up to a date), the fiscal year, and the **ledger version**.

The ledger version is one row (``jixiao_ledger_version``) that database triggers set to
a new random number on every insert, update and delete of ``storage_payment`` (and
truncate, on PostgreSQL): whoever changes the ledger — the ORM, an import, ``jixiao load``
in another process, raw SQL — changes the version in the same transaction, and the next
read uses a new key, so the figures are always those of the stored ledger. Being random,
a version is not met again in another database, or in one emptied and filled anew, so
the cache may be shared (the default cache is a folder under JIXIAO_HOME, shared by the
server's worker processes). Reading the version costs one primary-key look-up.

Nothing is kept where that could be wrong:

* inside a transaction (an import being written, a test): uncommitted rows may be rolled
  back;
* where the triggers are missing (a database migrated without them, or a table rebuilt
  by a later migration): then every call sums afresh, as before this cache existed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")

TIMEOUT = 60 * 60
"""Seconds a sum is kept; a changed ledger gets a new key at once, whatever this is."""

TABLE = "jixiao_ledger_version"
SQLITE_TRIGGERS = 3  # after insert, update, delete (row triggers)

_TRIGGERS_SQL = {
    "sqlite": (
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'storage_payment' AND name LIKE 'jixiao_ledger_version_%'"
    ),
    "postgresql": (
        "SELECT count(*) * 3 FROM pg_trigger "
        "WHERE tgname = 'jixiao_ledger_version' AND tgrelid = 'storage_payment'::regclass"
    ),
}


def ledger_version() -> int | None:
    """The ledger version; None when the triggers that keep it are not in place."""
    check = _TRIGGERS_SQL.get(connection.vendor)
    if check is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(check)
        (triggers,) = cursor.fetchone()
        if triggers != SQLITE_TRIGGERS:
            return None
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _database() -> str:
    name = str(connection.settings_dict.get("NAME"))
    return hashlib.sha256(f"{connection.vendor}:{name}".encode()).hexdigest()[:16]


def cached_sums(kind: str, fiscal_year_id: int, compute: Callable[[], T], *extra: object) -> T:
    """``compute()``, kept per (kind, year, extra, ledger version) outside transactions."""
    if connection.in_atomic_block:
        return compute()
    version = ledger_version()
    if version is None:
        return compute()
    details = ":".join(str(part) for part in extra)
    key = f"jixiao:ledger:{_database()}:{version}:{kind}:{fiscal_year_id}:{details}"
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found
