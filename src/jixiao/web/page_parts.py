"""The costly parts of a year's pages, rendered once and kept while the stored data is
unchanged (``jixiao.services.versioned_cache``).

A part holds only what is the same for everyone who may see it: the figures of the year
at one date, in one language, for one set of visible projects. Whatever depends on the
person (their name, a CSRF token, what they may do) stays outside, in the page around it.

A department-year's part (``year_part``: the project tables and charts of 首页 and 运行监控,
several hundred kilobytes at 500 projects) is kept as the UTF-8 bytes it is sent as, and
``render_page`` puts it into the response as it is, beside the page rendered around it:
passed through the template, it would be copied at every level of the template and
encoded anew on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
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


class PagePart:
    """A kept part of a page: its HTML, as the UTF-8 bytes the response sends."""

    def __init__(self, html: bytes | str) -> None:
        self.html = html.encode() if isinstance(html, str) else html

    def __html__(self) -> SafeString:
        """The part as text, where a template shows it (``render_page`` does not)."""
        return mark_safe(self.html.decode())  # rendered by our own template, which escapes

    def __str__(self) -> SafeString:
        return self.__html__()  # a template turns a value into text with str()


def year_part(
    name: str,
    fiscal_year: m.FiscalYear,
    as_of: date,
    codes: Collection[str] | None,
    context: Callable[[], dict[str, Any]],
) -> PagePart:
    """A part of a department-year's page at ``as_of`` for the visible ``codes``: kept
    while that department's data up to the year is unchanged (other departments' payments
    leave it)."""
    html = cached_from_year_data(
        f"page-bytes:{name}",
        fiscal_year.pk,
        lambda: render_to_string(f"web/{name}.html", context()).encode(),
        get_language(),
        as_of.isoformat(),
        projects_key(codes),
    )
    return PagePart(html)  # rendered by our own template, which escapes


_MARKER = re.compile(r"(<!--jixiao-part-[0-9a-f]{32}-->)")


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """``django.shortcuts.render``, except that each ``PagePart`` of ``context`` is sent
    as the bytes it is kept as: the template is rendered with a marker in its place (new
    on every request, so nothing in the page can forge one), and the response is the
    page's text around the parts' bytes."""
    parts: dict[str, bytes] = {}
    shown = dict(context)
    for name, value in context.items():
        if isinstance(value, PagePart):
            marker = f"<!--jixiao-part-{secrets.token_hex(16)}-->"
            parts[marker] = value.html
            shown[name] = mark_safe(marker)  # our own marker: no user text
    text = render_to_string(template, shown, request)
    pieces = [parts[piece] if piece in parts else piece.encode() for piece in _MARKER.split(text)]
    return HttpResponse(b"".join(pieces))


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
