"""The year's findings as a workbook: the consistency checks (一致性检查, as on the 首页),
the audit of each project's claimed figures (自评审核发现), the unit costs above their
standard or not measurable (成本发现, 成本效益分析) and the monitoring findings at
a date (监控发现, as on the 运行监控 page). A 业务科室 gets its own projects' findings and
none that names another office's project, as on the pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.core.consistency import Finding, run_checks
from jixiao.documents.list_workbook import Column, Kind, ListSheet
from jixiao.errors import UserFacingError
from jixiao.interchange import check_names
from jixiao.interchange.check_names import check_name
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.monitoring import monitor_stored_year
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web.exports import title, xlsx_response
from jixiao.web.narrowing import findings_without, hidden_projects
from jixiao.web.permissions import Scope, can_view_department_detail, visible_projects, year_view
from jixiao.web.views.monitoring import own_findings
from jixiao.web.views.overview import as_of_from


def _columns() -> list[Column]:
    return [
        Column(_("序号"), Kind.number, 6),
        Column(_("严重程度"), Kind.text, 10),
        Column(_("对象"), Kind.text, 30),
        Column(_("说明"), Kind.text, 80),
        Column(_("检查"), Kind.text, 26),
        Column(_("位置"), Kind.text, 24),
    ]


PATH_WORDS = {
    "budget": "",
    "lines": gettext_lazy("预算行"),
    "projects": gettext_lazy("项目"),
    "indicators": gettext_lazy("绩效指标"),
    "achievements": gettext_lazy("主要工作成效"),
    "metrics": gettext_lazy("指标"),
}
"""The words the list shows for the parts of a finding's location written as a path,
translated (:func:`jixiao.interchange.check_names.location_text`)."""


def location_text(location: str) -> str:
    """A location the checks wrote as a path, in the reader's language."""
    return check_names.location_text(location, PATH_WORDS, lambda n: _("第%(n)s项") % {"n": n})


def _rows(findings: Iterable[Finding]) -> list[list[object]]:
    return [
        [
            number,
            f.severity.label,
            f.subject,
            f.message,
            check_name(f.id),
            location_text(f.location),
        ]
        for number, f in enumerate(findings, start=1)
    ]


def _sheet(
    fiscal_year: m.FiscalYear, name: str, findings: Iterable[Finding], note: str
) -> ListSheet:
    return ListSheet(name, title(fiscal_year, name), _columns(), _rows(findings), note=note)


@year_view()
def findings_export(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    as_of, _error = as_of_from(request, fiscal_year.year)
    code, year = fiscal_year.department.code, fiscal_year.year
    hidden = hidden_projects(scope, fiscal_year)
    whole = can_view_department_detail(scope, fiscal_year)
    codes = (
        None if whole else set(visible_projects(scope, fiscal_year).values_list("code", flat=True))
    )
    records = department_year(code, year)
    sheets = [
        _sheet(fiscal_year, _("一致性检查"), findings_without(run_checks(records), hidden), "")
    ]
    try:
        evaluation = evaluate_stored_year(code, year, None, records)
        audit = [
            replace(f, subject=f.subject or f"{project.project_code} {project.project_name}")
            for project in evaluation.projects
            if codes is None or project.project_code in codes
            for f in project.audit
        ]
        sheets.append(_sheet(fiscal_year, _("自评审核发现"), audit, ""))
        cost = [f for f in evaluation.cost_findings if codes is None or f.subject in codes]
        sheets.append(_sheet(fiscal_year, _("成本发现"), cost, ""))
    except UserFacingError as error:
        sheets.append(_sheet(fiscal_year, _("自评审核发现"), [], str(error)))
        sheets.append(_sheet(fiscal_year, _("成本发现"), [], str(error)))
    note = _("监控日期：%(date)s") % {"date": as_of.isoformat()}
    try:
        report = monitor_stored_year(code, year, as_of)
        found = (
            report.result.findings if codes is None else own_findings(fiscal_year, report, codes)
        )
        sheets.append(_sheet(fiscal_year, _("监控发现"), found, note))
    except UserFacingError as error:
        sheets.append(_sheet(fiscal_year, _("监控发现"), [], f"{note}；{error}"))
    return xlsx_response(fiscal_year, _("检查发现"), "findings", sheets)
