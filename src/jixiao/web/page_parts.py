"""The costly parts of a year's pages, rendered once and kept while the stored data is
unchanged (``jixiao.services.versioned_cache``).

A part holds only what is the same for everyone who may see it: the figures of the year
at one date, in one language, for one set of visible projects. Whatever depends on the
person (their name, a CSRF token, what they may do) stays outside, in the page around it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from jixiao.services.versioned_cache import (
    cached_from_city_year,
    cached_from_stored_data,
    cached_from_year_data,
    missing_from_year_data,
)
from jixiao.storage import models as m


def projects_key(codes: Collection[str] | None) -> str:
    """``all``, or a digest of the visible project codes."""
    if codes is None:
        return "all"
    return hashlib.sha256("\n".join(sorted(codes)).encode()).hexdigest()[:16]


def rendered_part(name: str, context: Callable[[], dict[str, Any]], *details: object) -> SafeString:
    """``web/<name>.html`` rendered with ``context()``, kept per ``details`` (and the
    language) while the stored data is unchanged. ``details`` must name everything the
    part depends on besides the stored data: the year, the date, the visible projects."""

    html = cached_from_stored_data(f"page:{name}", _render(name, context), get_language(), *details)
    return mark_safe(html)  # rendered by our own template, which escapes


def _render(name: str, context: Callable[[], dict[str, Any]]) -> Callable[[], str]:
    return lambda: render_to_string(f"web/{name}.html", context())


def year_part(
    name: str,
    fiscal_year: m.FiscalYear,
    as_of: date,
    codes: Collection[str] | None,
    context: Callable[[], dict[str, Any]],
) -> SafeString:
    """A part of a department-year's page at ``as_of`` for the visible ``codes``: kept
    while that department's data up to the year is unchanged (other departments' payments
    leave it)."""
    html = cached_from_year_data(
        f"page:{name}",
        fiscal_year.pk,
        _render(name, context),
        get_language(),
        as_of.isoformat(),
        projects_key(codes),
    )
    return mark_safe(html)  # rendered by our own template, which escapes


def city_year_part(
    name: str,
    year: int,
    context: Callable[[], dict[str, Any]],
    *details: object,
    ledger: bool = True,
) -> SafeString:
    """A part over every department of ``year`` (the 财政局 pages): kept while no
    department's data of that year or earlier changes (``ledger=False``: a part that
    shows nothing from the ledger, kept while payments change). Put together from
    ``department_year_part``s where it shows figures per department, so that after a
    change only the changed department's are computed."""
    html = cached_from_city_year(
        f"page:{name}", year, _render(name, context), get_language(), *details, ledger=ledger
    )
    return mark_safe(html)  # rendered by our own template, which escapes


def department_year_part(
    name: str,
    fiscal_year_id: int,
    context: Callable[[], dict[str, Any]],
    stamps: dict[int, str] | None,
    *details: object,
) -> SafeString:
    """One department-year's piece of a ``city_year_part``, kept on its own versions
    (``stamps``: ``versioned_cache.city_year_stamps`` of the year, read once for all)."""
    html = cached_from_year_data(
        f"page:{name}",
        fiscal_year_id,
        _render(name, context),
        get_language(),
        *details,
        stamps=stamps,
    )
    return mark_safe(html)  # rendered by our own template, which escapes


def missing_department_year_parts(
    name: str, fiscal_year_ids: Iterable[int], stamps: dict[int, str] | None, *details: object
) -> set[int]:
    """The department-years whose ``department_year_part(name, id, …, stamps, *details)``
    is not kept now."""
    return missing_from_year_data(
        f"page:{name}", fiscal_year_ids, get_language(), *details, stamps=stamps
    )
