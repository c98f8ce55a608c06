"""The rows of the project tables of 首页 and 运行监控, and their long lists (findings,
proposals), written without the template engine.

At 500 projects the template loop (a ``{% url %}`` and a dozen lookups and filters per
row) took most of the time a page's part is rebuilt in after a change. Here each row is
one format string: the link is the project page's URL reversed once with a stand-in code,
text is escaped as the template escapes it, and figures go through the template's own
filters. The output is the same HTML, byte for byte; a row this module does not write
itself (a code the URL must quote, a row without forecast or with a stated forecast) is
rendered by the row template it replaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.money import format_percent, format_thousands, format_wan
from jixiao.web.templatetags.jixiao_format import light

if TYPE_CHECKING:
    from jixiao.core.consistency import Finding
    from jixiao.core.monitoring import Progress
    from jixiao.web.summaries import ProjectRow
    from jixiao.web.views.monitoring import MonitoredProject

_PLAIN_CODE = re.compile(r"[A-Za-z0-9_.\-]+")
"""Codes a URL holds as they are (``reverse`` quotes nothing in them)."""
_STAND_IN = "JIXIAOPROJECTCODE"


def _project_url(department: str, year: int) -> Callable[[str], str]:
    """The project page's URL of a code, escaped for an attribute; reversed once."""
    kwargs: dict[str, Any] = {"department": department, "year": year}
    prefix, _, suffix = reverse("web:project", kwargs={**kwargs, "project": _STAND_IN}).partition(
        _STAND_IN
    )
    prefix, suffix = conditional_escape(prefix), conditional_escape(suffix)

    def url(code: str) -> str:
        return prefix + code + suffix

    return url


def _wan(yuan: Any) -> str:
    return "—" if yuan is None else format_wan(yuan)


def _lights() -> Callable[[Any], str]:
    """The ``light`` filter, its few badges made once (in the language of the request)."""
    made: dict[Any, str] = {}

    def badge(value: Any) -> str:
        if value not in made:
            made[value] = light(value)
        return made[value]

    return badge


_DASHBOARD_ROW = (
    "\n      <tr>"
    '\n        <td><a href="{url}">{code}</a> {name}</td>'
    '\n        <td class="num">{budget}</td>'
    '\n        <td class="num">{executed}</td>'
    '\n        <td class="num">{rate}</td>'
    '\n        <td class="num">{ratio}</td>'
    "\n        <td>{light}</td>"
    '\n        <td class="num">{projected}</td>'
    '\n        <td class="num">{score}</td>'
    "\n        <td>{grade}</td>"
    "\n      </tr>\n    "
)


def _progress_cells(
    code: str, name: str, progress: Progress, url: Callable[[str], str], badge: Callable[[Any], str]
) -> dict[str, str]:
    """The cells both tables begin with: the project's link and name, then its budget,
    execution, 执行率, 执行进度比 and light."""
    return {
        "url": url(code),
        "code": code,
        "name": conditional_escape(name),
        "budget": _wan(progress.final_budget),
        "executed": _wan(progress.executed),
        "rate": format_percent(progress.execution_rate),
        "ratio": format_percent(progress.progress_ratio),
        "light": badge(progress.light),
    }


def dashboard_rows(department: str, year: int, rows: Iterable[ProjectRow]) -> SafeString:
    """The rows of 首页's 项目执行与预警 table (``web/dashboard_year.html``)."""
    url = _project_url(department, year)
    badge = _lights()
    fallback = get_template("web/dashboard_row.html")
    out = []
    for row in rows:
        if not _PLAIN_CODE.fullmatch(row.code):
            out.append(fallback.render({"row": row, "department": department, "year": year}))
            continue
        progress = row.progress
        # figures are digits, commas, dots, % and —: nothing to escape
        out.append(
            _DASHBOARD_ROW.format(
                **_progress_cells(row.code, row.name, progress, url, badge),
                projected=format_percent(row.projected_rate),
                score=_score(row.total),
                grade=conditional_escape(row.grade or "—"),
            )
        )
    return mark_safe("".join(out))  # each piece escaped above or rendered by our template


def _score(value: Any) -> str:
    return format_thousands(value) if isinstance(value, Decimal) else "—"


_MONITORING_ROW = (
    "\n      <tr{lagging}>"
    '\n        <td><a href="{url}">{code}</a> {name}</td>'
    '\n        <td class="num">{budget}</td>'
    '\n        <td class="num">{executed}</td>'
    '\n        <td class="num">{rate}</td>'
    '\n        <td class="num">{ratio}</td>'
    "\n        <td>{light}</td>"
    '\n        <td class="num">{projected}</td>'
    '\n        <td class="num">{range}</td>'
    '\n        <td class="num{outside}">{stated}</td>'
    '\n        <td class="num">{projected_rate}</td>'
    '\n        <td title="{source}">{basis}</td>'
    "\n      </tr>\n    "
)


def monitoring_rows(department: str, year: int, rows: Iterable[MonitoredProject]) -> SafeString:
    """The rows of 运行监控's 项目预警与预测 table (``web/monitoring_result.html``)."""
    url = _project_url(department, year)
    badge = _lights()
    fallback = get_template("web/monitoring_row.html")
    out = []
    for row in rows:
        progress, forecast = row.progress, row.forecast
        if (
            forecast is None
            or forecast.stated_as_of
            or progress.code is None
            or not _PLAIN_CODE.fullmatch(progress.code)
        ):
            out.append(fallback.render({"row": row, "department": department, "year": year}))
            continue
        basis = forecast.profile_basis
        out.append(
            _MONITORING_ROW.format(
                lagging=' class="lagging"' if row.lagging else "",
                **_progress_cells(progress.code, row.name, progress, url, badge),
                projected=_wan(forecast.projected),
                range=conditional_escape(row.range_text),
                outside=" stated-outside" if row.stated_outside else "",
                stated=_wan(forecast.stated),
                projected_rate=format_percent(forecast.projected_rate),
                source=conditional_escape(forecast.profile_source),
                basis=conditional_escape((basis.label if basis is not None else "") or "—"),
            )
        )
    return mark_safe("".join(out))  # each piece escaped above or rendered by our template


def list_items(texts: Iterable[str], item: str = "<li>{}</li>") -> SafeString:
    """Each text escaped into ``item`` (a ``{% for %}`` of ``<li>{{ text }}</li>``)."""
    return mark_safe("".join(item.format(conditional_escape(text)) for text in texts))


FINDING = '<li><span class="severity severity-{}">{}</span> {}</li>'


def finding_items(findings: Iterable[Finding], item: str = "{}") -> SafeString:
    """Each finding as the findings lists show it: its severity's badge, its message;
    ``item``: the whitespace the template put around each."""
    return mark_safe(  # each piece escaped here
        "".join(
            item.format(
                FINDING.format(
                    conditional_escape(f.severity.value),
                    conditional_escape(f.severity.label),
                    conditional_escape(f.message),
                )
            )
            for f in findings
        )
    )
