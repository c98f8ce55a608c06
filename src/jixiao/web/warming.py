"""Computing the 财政局 pages' per-department parts ahead of the first request.

A bureau page over 100 departments is put together from one kept part per
department-year (``page_parts``); a part missing from the cache (after a start, an
upgrade, or a change to that department) is computed by the request that finds it
missing, together with the other missing ones (a fixed number of queries for them all:
``views.bureau.computed_figures``). The batch worker (``jixiao worker``) calls
``BureauWarmer`` whenever it has no job: it computes, under the same keys the pages use,
the parts of every department-year whose versions changed since it last looked, so the
page finds them kept.
"""

from __future__ import annotations

import logging
import time
from datetime import date

from django.conf import settings
from django.utils import timezone, translation

from jixiao.services import bureau as service
from jixiao.services.versioned_cache import city_year_stamps
from jixiao.storage import models as m
from jixiao.web.summaries import default_as_of
from jixiao.web.views.bureau import computed_figures, department_row

CHUNK = 20
"""At most this many department-years computed together (a fixed number of queries)."""

log = logging.getLogger(__name__)


class BureauWarmer:
    """Keeps the bureau parts of every year computed; remembers the versions it computed
    them at, so a call with nothing changed costs a few queries."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, date], dict[int, str]] = {}
        self.each: float | None = None
        """Seconds one department-year took in the last chunk (None: none computed yet)."""
        self.tried = 0
        """Department-years tried in the current call."""

    def __call__(self, today: date | None = None, seconds: float | None = None) -> int:
        """Compute the parts that changed, newest year first, so a batch job waits little;
        the next call goes on. With ``seconds`` (None: all), a chunk is begun only while
        time is left and is sized to the time left at the pace of the last chunk, so a
        call overruns ``seconds`` by about one department-year while that pace holds
        (more if the chunk proves slower); each call tries one department-year at least,
        so all are computed in the end.
        Returns how many department-years it computed."""
        today = today or timezone.localdate()
        until = None if seconds is None else time.monotonic() + seconds
        self.tried = 0
        computed = 0
        years = m.FiscalYear.objects.order_by("-year").values_list("year", flat=True).distinct()
        with translation.override(settings.LANGUAGE_CODE):
            for year in list(years):
                if self.tried and until is not None and time.monotonic() >= until:
                    break
                computed += self._warm_year(year, default_as_of(year, today), until)
        return computed

    def _warm_year(self, year: int, as_of: date, until: float | None) -> int:
        stamps = city_year_stamps(year)
        if stamps is None:  # the triggers are not in place: nothing is kept anyway
            return 0
        seen = self.seen.setdefault((year, as_of), {})
        changed = [
            fy
            for fy in service.city_years(year).select_related("department")
            if fy.pk in stamps and stamps[fy.pk] != seen.get(fy.pk)
        ]
        computed = 0
        while changed:
            size = self._chunk_size(until)
            if size == 0:
                break
            chunk, changed = changed[:size], changed[size:]
            began = time.monotonic()
            computed += self._warm_chunk(chunk, as_of, stamps)
            # a failing one is not tried again until it changes: the page computes it
            for fy in chunk:
                seen[fy.pk] = stamps[fy.pk]
            self.each = (time.monotonic() - began) / len(chunk)
            self.tried += len(chunk)
        return computed

    def _chunk_size(self, until: float | None) -> int:
        """How many department-years to compute together in the time left (0: none)."""
        if until is None:
            return CHUNK
        left = until - time.monotonic()
        if left <= 0:
            return 0 if self.tried else 1
        if self.each is None or self.each <= 0:
            return 1  # the pace is not known yet: one to measure it
        return max(1, min(CHUNK, int(left / self.each)))

    def _warm_chunk(self, chunk: list[m.FiscalYear], as_of: date, stamps: dict[int, str]) -> int:
        """The chunk's parts computed together; if that fails, each on its own, so that one
        failing department-year (logged) does not keep the others from being kept.
        Returns how many were computed."""
        try:
            figures = computed_figures([fy.pk for fy in chunk], as_of, stamps)
            for fy in chunk:
                # its figures kept for the ranking too
                department_row(fy, as_of, stamps, figures.get(fy.pk))
            return len(chunk)
        except Exception:
            if len(chunk) == 1:
                log.exception("预先计算财政局页面：部门年度 %s 未能计算", chunk[0].pk)
                return 0
        return sum(self._warm_chunk([fy], as_of, stamps) for fy in chunk)
