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
"""Department-years computed together: few queries each, and a time limit still heeded."""


class BureauWarmer:
    """Keeps the bureau parts of every year computed; remembers the versions it computed
    them at, so a call with nothing changed costs a few queries."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, date], dict[int, str]] = {}

    def __call__(self, today: date | None = None, seconds: float | None = None) -> int:
        """Compute the parts that changed, newest year first, for at most about
        ``seconds`` (None: all), so a batch job waits little; the next call goes on.
        Returns how many department-years it computed."""
        today = today or timezone.localdate()
        until = None if seconds is None else time.monotonic() + seconds
        computed = 0
        years = m.FiscalYear.objects.order_by("-year").values_list("year", flat=True).distinct()
        with translation.override(settings.LANGUAGE_CODE):
            for year in list(years):
                computed += self._warm_year(year, default_as_of(year, today), until)
                if until is not None and time.monotonic() >= until:
                    break
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
        for start in range(0, len(changed), CHUNK):
            chunk = changed[start : start + CHUNK]
            figures = computed_figures([fy.pk for fy in chunk], as_of, stamps)
            for fy in chunk:
                # its figures kept for the ranking too
                department_row(fy, as_of, stamps, figures.get(fy.pk))
                seen[fy.pk] = stamps[fy.pk]
                computed += 1
                if until is not None and time.monotonic() >= until:
                    return computed
        return computed
