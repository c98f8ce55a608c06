"""Keeping what is computed from stored data for as long as that data is unchanged.

Two things are costly on the pages that show a year (首页, 运行监控, 预算与支出): summing the
ledger (at 1,000,000 payments one ``GROUP BY`` takes about a second) and building the
page itself (the year's records, monitoring, evaluation and a table of every project).
Both only change when stored data does, so they are kept in Django's cache under a key
that holds **versions** of the data they were computed from:

* the **ledger version**, one row (``jixiao_ledger_version``) that database triggers set
  to a new random number on every insert, update and delete of ``storage_payment`` (and
  truncate, on PostgreSQL);
* the **year's ledger versions**, one row per fiscal year (``jixiao_ledger_year_version``)
  that triggers set anew when that year's payments change: a year's sums and page parts
  are keyed on these, so a payment entered in one department leaves every other
  department's kept sums and pages valid (the one ledger version, present in the key of
  the 财政局 part over all departments, changes with any payment);
* the **data version**, one row (``jixiao_data_version``) that triggers set anew on every
  change to any other table of the stored years (budget lines, projects, goals,
  indicators, progress, published figures, snapshots…; not the audit history);
* the **year's data versions**, one row per fiscal year (``jixiao_data_year_version``)
  that triggers set anew when one of that year's records changes (a record of the
  department itself: every year of it); row 0 changes with a record of no year. A
  year's page parts are keyed on these, so editing one department's goals leaves every
  other department's parts valid.

Whoever changes the data — the ORM, an import, ``jixiao load`` in another process, raw
SQL — changes the version in the same transaction, and the next read uses a new key, so
what is shown is always computed from the stored data. Being random, a version is not
met again in another database, or in one emptied and filled anew, so the cache may be
shared (the default cache is a folder under JIXIAO_HOME, shared by the server's worker
processes). A year's ledger sums watch its ledger only, so editing a goal does not re-sum
a million payments; a year's page parts watch the department's ledgers and data up to
that year (monitoring draws its spending profile from earlier years, a year is carried
forward from the last). The 财政局 pages over every department of a year are composed
of one part per department-year, each keyed on its own versions, inside a whole keyed
on all of them (``city_year_stamps``): after a change to one department, the whole is
put together again from the kept parts and only that department's part is computed.

Nothing is kept where that could be wrong:

* inside a transaction (an import being written, a test): uncommitted rows may be rolled
  back;
* where a watched table lacks its triggers (a database migrated without them, a table
  rebuilt by a later migration, a new table without triggers): then every call computes
  afresh.

When a result is missing, one process computes it and the others asking for it wait
(``single_flight``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection

from jixiao.services.single_flight import computing_alone

T = TypeVar("T")

TIMEOUT = 60 * 60
"""Seconds a result is kept; changed data gets a new key at once, whatever this is."""

LEDGER_TABLE = "storage_payment"
WORK_TABLES = frozenset({"storage_citybatch", "storage_batchjob"})
"""The batch queue's tables: written every few seconds while a batch runs, and no page
part is computed from them, so they are not watched (nor given triggers)."""
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")  # SQLite has row triggers only


@once
def data_tables() -> frozenset[str]:
    """The tables the data version watches: every table of the stored years but the
    ledger, the audit history and the batch queue (the models, read once)."""
    return frozenset(
        model._meta.db_table
        for model in apps.get_app_config("storage").get_models()
        if model._meta.db_table not in (LEDGER_TABLE, *WORK_TABLES)
        and not model.__name__.startswith("Historical")
    )


@dataclass(frozen=True)
class Version:
    """A version row, the triggers that keep it and the tables they watch."""

    table: str
    trigger: str
    """The trigger's name on PostgreSQL; on SQLite, the prefix of the three per table."""
    watched: Callable[[], frozenset[str]]


LEDGER = Version(
    "jixiao_ledger_version", "jixiao_ledger_version", lambda: frozenset({LEDGER_TABLE})
)
DATA = Version("jixiao_data_version", "jixiao_data_version", data_tables)


class Triggers:
    """The triggers that keep the versions, as the checks below count them: per name (on
    PostgreSQL, the one-per-table triggers of the ledger and data versions) or per name
    prefix (``<version table>_``), how many each table has."""

    PREFIXES = (
        "jixiao_ledger_version_",
        "jixiao_ledger_year_version_",
        "jixiao_data_year_version_",
        "jixiao_data_version_",
    )
    NAMES = ("jixiao_ledger_version", "jixiao_data_version")

    def __init__(self, listed: str) -> None:
        """``listed``: every ``name table`` pair, joined by commas (as ``_triggers`` reads
        them; a name or table is an identifier, without spaces or commas)."""
        self.counts: dict[str, Counter[str]] = {k: Counter() for k in self.PREFIXES + self.NAMES}
        for pair in filter(None, listed.split(",")):
            name, _, table = pair.partition(" ")
            if name in self.NAMES:
                self.counts[name][table] += 1
                continue
            prefix = next((p for p in self.PREFIXES if name.startswith(p)), None)
            if prefix is not None:
                self.counts[prefix][table] += 1


_COUNTED: dict[str, Triggers] = {}
"""The triggers counted per list read (the list is read on every call, the counting is
done once per list: a dropped or added trigger makes another list)."""


_READ_ONCE: ContextVar[dict[str, Triggers] | None] = ContextVar("jixiao_triggers", default=None)
"""Within ``triggers_read_once``: the triggers read so far, per database alias."""


@contextmanager
def triggers_read_once() -> Iterator[None]:
    """Within: the version triggers are read from the database once, not on every
    version read (a web request: a page reads several versions, and the schema does not
    change while one request is answered; the next request reads them anew)."""
    token = _READ_ONCE.set({})
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


def _triggers() -> Triggers:
    """The version triggers in place, read in one query as one text (the database joins
    the names, so reading them costs one row); once within ``triggers_read_once``."""
    read = _READ_ONCE.get()
    if read is not None and connection.alias in read:
        return read[connection.alias]
    counted = _read_triggers()
    if read is not None:
        read[connection.alias] = counted
    return counted


def _read_triggers() -> Triggers:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT group_concat(pair, ',') FROM (SELECT name || ' ' || tbl_name AS pair "
                "FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 7) = 'jixiao_' "
                "ORDER BY 1)"
            )
        else:
            cursor.execute(
                "SELECT string_agg(t.tgname || ' ' || c.relname, ',' ORDER BY t.tgname, c.relname) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE substr(t.tgname, 1, 7) = 'jixiao_'"
            )
        listed = str(cursor.fetchone()[0] or "")
    counted = _COUNTED.get(listed)
    if counted is None:
        if len(_COUNTED) >= 8:  # a schema changes seldom: the lists of a few are enough
            _COUNTED.clear()
        counted = _COUNTED[listed] = Triggers(listed)
    return counted


def _version_in_place(version: Version, triggers: Triggers) -> bool:
    """Whether every table the version watches has its triggers (SQLite: one per event,
    named ``<trigger>_…``; PostgreSQL: one statement trigger named ``<trigger>``)."""
    if connection.vendor == "sqlite":
        triggered, per_table = triggers.counts[version.trigger + "_"], len(SQLITE_EVENTS)
    else:
        triggered, per_table = triggers.counts[version.trigger], 1
    return all(triggered.get(table) == per_table for table in version.watched())


def _read(version: Version) -> int | None:
    """The version's number; None when a watched table lacks its triggers."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    if not _version_in_place(version, _triggers()):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {version.table} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def ledger_version() -> int | None:
    """The ledger version; None when the triggers that keep it are not in place."""
    return _read(LEDGER)


def data_version() -> int | None:
    """The data version; None when any watched table lacks its triggers."""
    return _read(DATA)


YEAR_TABLE = "jixiao_ledger_year_version"
YEAR_TRIGGERS = {"sqlite": 4, "postgresql": 5}
"""How many triggers keep the year versions, per database (SQLite: three on the ledger
and the one that gives a new fiscal year its row)."""


def _year_triggers_in_place(triggers: Triggers) -> bool:
    expected = YEAR_TRIGGERS.get(connection.vendor)
    return expected is not None and sum(triggers.counts[YEAR_TABLE + "_"].values()) == expected


def _ledger_years_in_place(triggers: Triggers) -> bool:
    """The triggers of the one ledger version and of the year ledger versions."""
    return _version_in_place(LEDGER, triggers) and _year_triggers_in_place(triggers)


DATA_YEAR_TABLE = "jixiao_data_year_version"
DATA_YEAR_TRIGGERS = {"sqlite": len(SQLITE_EVENTS), "postgresql": 4}
"""The year data version's triggers per watched table (PostgreSQL: also truncate)."""
NO_YEAR = 0
"""The row of the year data versions that records of no year change."""


def _data_year_triggers_in_place(triggers: Triggers) -> bool:
    expected = DATA_YEAR_TRIGGERS.get(connection.vendor)
    if expected is None:
        return False
    triggered = triggers.counts[DATA_YEAR_TABLE + "_"]
    return all(triggered.get(table) == expected for table in data_tables())


def year_ledger_stamp(fiscal_year_id: int, earlier_of_department: bool = False) -> str | None:
    """The ledger version of one fiscal year (with ``earlier_of_department``: of it and
    every earlier year of its department), as text for a key; None when the triggers
    that keep them, or those of the one ledger version, are not in place."""
    if connection.vendor not in YEAR_TRIGGERS or not _ledger_years_in_place(_triggers()):
        return None
    if earlier_of_department:
        sql = (
            f"SELECT v.fiscal_year_id, v.version FROM {YEAR_TABLE} v "
            "JOIN storage_fiscalyear y ON y.id = v.fiscal_year_id "
            "JOIN storage_fiscalyear this ON this.department_id = y.department_id "
            "AND y.year <= this.year WHERE this.id = %s ORDER BY v.fiscal_year_id"
        )
    else:
        sql = f"SELECT fiscal_year_id, version FROM {YEAR_TABLE} WHERE fiscal_year_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [fiscal_year_id])
        rows = cursor.fetchall()
    return "y" + ",".join(f"{year}={version}" for year, version in rows)


def _department_years(version_table: str, kind: str, where: str) -> str:
    """(kind, fiscal year, year of it or earlier of its department, version) for the
    fiscal years ``where`` selects, as SQL to be joined with others by UNION ALL."""
    return (
        f"SELECT '{kind}', this.id, v.fiscal_year_id, v.version FROM storage_fiscalyear this "
        "JOIN storage_fiscalyear y ON y.department_id = this.department_id "
        f"AND y.year <= this.year JOIN {version_table} v ON v.fiscal_year_id = y.id "
        f"WHERE {where}"
    )


def _stamps(where: str, value: int, ledger: bool = True) -> dict[int, str] | None:
    """Per fiscal year that ``where`` selects: the ledger (unless not ``ledger``) and data
    versions of it and its department's earlier years, and of records of no year, as a
    digest for a key; None when the triggers that keep any of them are not in place.
    Every fiscal year that ``where`` selects has a stamp (one with no version rows yet
    only the version of records of no year). Two queries: the triggers, the versions."""
    if connection.vendor not in DATA_YEAR_TRIGGERS:
        return None
    triggers = _triggers()
    if ledger and not _ledger_years_in_place(triggers):
        return None
    if not _data_year_triggers_in_place(triggers):
        return None
    selects = [_department_years(DATA_YEAR_TABLE, "d", where)]
    if ledger:
        selects.append(_department_years(YEAR_TABLE, "l", where))
    selects.append(
        f"SELECT 'n', 0, 0, version FROM {DATA_YEAR_TABLE} WHERE fiscal_year_id = {NO_YEAR}"
    )
    selects.append(f"SELECT 's', this.id, 0, 0 FROM storage_fiscalyear this WHERE {where}")
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(selects) + " ORDER BY 1, 2, 3", [value] * (len(selects) - 1)
        )
        found = [
            (str(kind), int(this), int(year), int(version))
            for kind, this, year, version in cursor.fetchall()
        ]
    no_year = next((version for kind, _, _, version in found if kind == "n"), 0)
    parts: dict[int, list[str]] = {this: [] for kind, this, _, _ in found if kind == "s"}
    for kind, this, year, version in found:
        if kind in ("d", "l"):
            parts.setdefault(this, []).append(f"{kind}{year}={version}")
    return {
        this: hashlib.sha256(f"{no_year}:{','.join(versions)}".encode()).hexdigest()[:24]
        for this, versions in parts.items()
    }


def year_stamp(fiscal_year_id: int) -> str | None:
    """What a department-year's page parts are computed from, as text for a key: the
    versions of its and its department's earlier years' ledgers and records."""
    stamps = _stamps("this.id = %s", fiscal_year_id)
    if stamps is None:
        return None
    return stamps.get(fiscal_year_id)  # None for a fiscal year that does not exist


def city_year_stamps(year: int, ledger: bool = True) -> dict[int, str] | None:
    """``year_stamp`` of every fiscal year of ``year`` (every department), in one go;
    without ``ledger``, of their records only."""
    return _stamps("this.year = %s", year, ledger)


def _database() -> str:
    name = str(connection.settings_dict.get("NAME"))
    return hashlib.sha256(f"{connection.vendor}:{name}".encode()).hexdigest()[:16]


def kept(
    kind: str,
    compute: Callable[[], T],
    *details: object,
    versions: Callable[[], tuple[int | str | None, ...]],
) -> T:
    """``compute()``, kept per (kind, details, ``versions()``) outside transactions."""
    if connection.in_atomic_block:
        return compute()
    current = versions()
    if None in current:
        return compute()
    key = _key(kind, details, current)
    found: T | None = MEMORY.get(key)
    if found is None:
        found = cache.get(key)
    if found is not None:
        MEMORY.keep(key, found)
        return found
    with computing_alone(key, ready=lambda: cache.has_key(key)):
        found = cache.get(key)  # computed by another process while this one waited
        if found is None:
            found = compute()
            cache.set(key, found, TIMEOUT)
    MEMORY.keep(key, found)
    return found


def _key(kind: str, details: tuple[object, ...], current: tuple[int | str | None, ...]) -> str:
    stamp = ":".join(str(v) for v in current)
    return f"jixiao:{_database()}:{stamp}:{kind}:" + ":".join(str(part) for part in details)


class ProcessMemory:
    """A copy, in this process, of the text results the shared cache holds (the rendered
    page parts, which are read on every request of a page and are large): reading one
    then costs no file read, decompression nor unpickling.

    A key names the versions its result was computed from, so the result under a key
    never changes; the copy is used only while the shared cache still holds the same
    entry (its file unchanged: same inode, size and time), so emptying the shared cache
    (``jixiao restore`` turns the versions back) empties this one too, in every worker
    process. Only immutable results (text, numbers) are copied: the caller of ``kept``
    could change a list or a dict it is given. Where the cache is not the file cache
    (the dummy cache, a test's), nothing is copied. At most ``LIMIT`` characters are
    held, the least recently used dropped first.
    """

    LIMIT = 32_000_000

    def __init__(self) -> None:
        self.entries: OrderedDict[str, tuple[object, tuple[int, int, int]]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def _file(self, key: str) -> tuple[int, int, int] | None:
        backend = caches["default"]
        if not isinstance(backend, FileBasedCache):
            return None
        try:
            stat = os.stat(backend._key_to_file(key))  # type: ignore[attr-defined]
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def get(self, key: str) -> Any:
        with self.lock:
            entry = self.entries.get(key)
        if entry is None:
            return None
        value, file = entry
        if self._file(key) != file:
            self.forget(key)
            return None
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
        return value

    def keep(self, key: str, value: object) -> None:
        if not isinstance(value, (str, bytes, int)) or key in self.entries:
            return
        file = self._file(key)
        if file is None:
            return
        size = len(value) if isinstance(value, (str, bytes)) else 1
        if size > self.LIMIT // 4:
            return
        with self.lock:
            self.entries[key] = (value, file)
            self.size += size
            while self.size > self.LIMIT and self.entries:
                _, (dropped, _) = self.entries.popitem(last=False)
                self.size -= len(dropped) if isinstance(dropped, (str, bytes)) else 1

    def forget(self, key: str) -> None:
        with self.lock:
            entry = self.entries.pop(key, None)
            if entry is not None:
                value = entry[0]
                self.size -= len(value) if isinstance(value, (str, bytes)) else 1


MEMORY = ProcessMemory()


def cached_sums(kind: str, fiscal_year_id: int, compute: Callable[[], T], *extra: object) -> T:
    """Ledger sums of one fiscal year: kept while its payments are unchanged."""
    return kept(
        f"ledger:{kind}",
        compute,
        fiscal_year_id,
        *extra,
        versions=lambda: (year_ledger_stamp(fiscal_year_id),),
    )


def cached_from_stored_data(kind: str, compute: Callable[[], T], *details: object) -> T:
    """What is computed from any stored data (a page part): kept while neither the
    ledger nor any other stored table changes, nor jixiao's own code."""
    return kept(
        kind,
        compute,
        code_fingerprint(),
        *details,
        versions=lambda: (ledger_version(), data_version()),
    )


def cached_from_year_data(
    kind: str,
    fiscal_year_id: int,
    compute: Callable[[], T],
    *details: object,
    stamps: dict[int, str] | None = None,
) -> T:
    """What is computed from one department-year (a part of its pages): kept while
    neither the department's ledgers and records up to that year nor jixiao's own code
    change. Changes to other departments or later years leave it. ``stamps``: the year
    stamps already read for many years at once (``city_year_stamps``)."""

    def versions() -> tuple[str | None]:
        if stamps is not None:
            return (stamps.get(fiscal_year_id),)
        return (year_stamp(fiscal_year_id),)

    return kept(kind, compute, code_fingerprint(), fiscal_year_id, *details, versions=versions)


def missing_from_year_data(
    kind: str, fiscal_year_ids: Iterable[int], *details: object, stamps: dict[int, str] | None
) -> set[int]:
    """The fiscal years whose ``cached_from_year_data(kind, id, compute, *details,
    stamps=stamps)`` is not kept now (every one where nothing is kept), in one look at
    the cache: what a page computes together before it asks for each."""
    ids = set(fiscal_year_ids)
    if connection.in_atomic_block or stamps is None:
        return ids
    keys = {
        _key(kind, (code_fingerprint(), pk, *details), (stamps[pk],)): pk
        for pk in ids
        if stamps.get(pk) is not None
    }
    found = cache.get_many(list(keys))
    return {pk for pk in ids if stamps.get(pk) is None} | {
        pk for key, pk in keys.items() if found.get(key) is None
    }


def cached_from_city_year(
    kind: str, year: int, compute: Callable[[], T], *details: object, ledger: bool = True
) -> T:
    """What is computed from every department's ``year`` (the 财政局 pages): kept while
    no department's records (nor, unless not ``ledger``, ledger) of that year or earlier
    change."""

    def versions() -> tuple[str | None]:
        stamps = city_year_stamps(year, ledger)
        if stamps is None:
            return (None,)
        digest = hashlib.sha256(repr(sorted(stamps.items())).encode()).hexdigest()[:24]
        return (digest,)

    return kept(kind, compute, code_fingerprint(), year, *details, versions=versions)


@once
def code_fingerprint() -> str:
    """Changes when jixiao's code, templates, rule files or translations do (an upgrade
    keeps the cache folder): their sizes and times, read once per process."""
    import jixiao

    root = Path(jixiao.__file__).parent
    digest = hashlib.sha256(jixiao.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".yaml", ".mo", ".docx"} and path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
