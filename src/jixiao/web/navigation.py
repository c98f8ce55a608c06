"""The navigation bar: a registry of pages, each shown only to roles that may open it.

A page of a department-year registers a ``YearPage``; a page outside any year (the
finance bureau's view) a ``GlobalPage``. The bar lists the pages whose ``allowed``
check passes for the signed-in user. Showing a link is a convenience only: the view's
own decorator (``jixiao.web.permissions``) is what enforces access.

To add a page: write the view with ``@year_view(check)``, add its URL to ``urls.py``,
and ``register(YearPage("web:my_page", _("标题"), check, after="web:budget"))``
in this module's list (or from the module that defines the view).

The bar groups the pages into a few menus (``MENUS``: which menu holds which page, by URL
name, in the order the menus are shown); a page in no menu stands on the bar itself, as
首页 and 待办 do. A menu is shown when it holds a page the user may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.storage import models as m
from jixiao.web.permissions import (
    Scope,
    can_view_all_departments,
    can_view_audit,
    can_view_department_detail,
    can_view_year,
    request_scope,
    request_year,
)


@dataclass(frozen=True)
class YearPage:
    """A page of one department-year; its URL takes ``department`` and ``year``."""

    url_name: str
    label: str | Promise
    allowed: Callable[[Scope, m.FiscalYear], bool]
    count: Callable[[Scope, m.FiscalYear], int] | None = None
    """A number shown beside the label (待办: what waits for the user), when not zero."""


@dataclass(frozen=True)
class GlobalPage:
    """A page across departments; its URL takes ``year`` when one is being viewed."""

    url_name: str
    label: str | Promise
    allowed: Callable[[Scope], bool]
    url_name_without_year: str = ""


YEAR_PAGES: list[YearPage] = [
    YearPage("web:dashboard", _("首页"), can_view_year),
    YearPage("web:budget", _("预算与支出"), can_view_year),
    YearPage("web:ex_ante", _("事前绩效评估"), can_view_year),
    YearPage("web:result_application", _("结果应用"), can_view_department_detail),
    YearPage("web:audit", _("审计日志"), can_view_audit),
]
GLOBAL_PAGES: list[GlobalPage] = [
    GlobalPage("web:bureau", _("财政局视图"), can_view_all_departments, "web:bureau_latest"),
]


MENUS: tuple[tuple[str | Promise, tuple[str, ...]], ...] = (
    (_("预算与执行"), ("web:budget", "web:import")),
    (
        _("绩效目标"),
        ("web:goals", "web:ex_ante", "web:department_queue", "web:library_year"),
    ),
    (_("监控与评价"), ("web:monitoring", "web:evaluation")),
    (_("报告"), ("web:reports", "web:report_text", "web:disclosure")),
    (_("整改与应用"), ("web:rectification", "web:notices", "web:result_application")),
    (_("管理"), ("web:audit", "web:carry_forward", "web:setup_year")),
)
"""The menus of the bar and the pages each holds, by URL name."""


def register(page: YearPage | GlobalPage, *, after: str | None = None) -> None:
    """Add a page to the bar, after the page named ``after`` (default: at the end)."""
    pages: list[Any] = YEAR_PAGES if isinstance(page, YearPage) else GLOBAL_PAGES
    if any(existing.url_name == page.url_name for existing in pages):
        return
    names = [existing.url_name for existing in pages]
    position = names.index(after) + 1 if after in names else len(pages)
    pages.insert(position, page)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active: bool
    count: int = 0


@dataclass(frozen=True)
class NavItem:
    """One place on the bar: a link standing alone, or a menu of links."""

    label: str
    link: NavLink | None = None
    links: tuple[NavLink, ...] = ()

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def count(self) -> int:
        return sum(link.count for link in self.links)


def grouped(
    year_links: list[tuple[str, NavLink]], global_links: list[tuple[str, NavLink]]
) -> list[NavItem]:
    """The bar's places: the year's links in no menu, the menus in ``MENUS`` order (each
    listing its links in that order), then the global links in no menu. Each link comes
    paired with its page's URL name."""
    menu_of = {name: index for index, (_label, names) in enumerate(MENUS) for name in names}
    members: dict[int, list[tuple[int, NavLink]]] = {}
    for name, link in (*year_links, *global_links):
        if name in menu_of:
            index = menu_of[name]
            members.setdefault(index, []).append((MENUS[index][1].index(name), link))
    menus = [
        NavItem(str(MENUS[index][0]), links=tuple(link for _order, link in sorted(found)))
        for index, found in sorted(members.items())
    ]
    alone = [NavItem(link.label, link=link) for name, link in year_links if name not in menu_of]
    after = [NavItem(link.label, link=link) for name, link in global_links if name not in menu_of]
    return [*alone, *menus, *after]


def _current(request: HttpRequest) -> str:
    match = request.resolver_match
    return f"{match.namespace}:{match.url_name}" if match and match.namespace else ""


def links(
    request: HttpRequest,
) -> tuple[list[tuple[str, NavLink]], list[tuple[str, NavLink]]]:
    """The year pages and the global pages the request's user may open, each link paired
    with its page's URL name."""
    scope = request_scope(request) if request.user.is_authenticated else None
    if scope is None:
        return [], []
    current = _current(request)
    fiscal_year = request_year(request)
    year_links = []
    if fiscal_year is not None:
        kwargs = {"department": fiscal_year.department.code, "year": fiscal_year.year}
        year_links = [
            (
                page.url_name,
                NavLink(
                    str(page.label),
                    reverse(page.url_name, kwargs=kwargs),
                    current == page.url_name,
                    page.count(scope, fiscal_year) if page.count else 0,
                ),
            )
            for page in YEAR_PAGES
            if page.allowed(scope, fiscal_year)
        ]
    global_links = []
    for global_page in GLOBAL_PAGES:
        if not global_page.allowed(scope):
            continue
        if fiscal_year is not None:
            url = reverse(global_page.url_name, kwargs={"year": fiscal_year.year})
        else:
            url = reverse(global_page.url_name_without_year or global_page.url_name)
        active = current in (global_page.url_name, global_page.url_name_without_year)
        link = NavLink(str(global_page.label), url, active)
        global_links.append((global_page.url_name, link))
    return year_links, global_links


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav_items`` (the bar's links and menus), ``scope``,
    ``current_year``."""
    if not hasattr(request, "user"):
        return {}
    year_links, global_links = links(request)
    return {
        "nav_items": grouped(year_links, global_links),
        "scope": request_scope(request) if request.user.is_authenticated else None,
        "current_year": request_year(request),
    }
