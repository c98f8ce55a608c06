"""URLs of the workflow pages of a department-year (included by ``urls.py`` under
``/d/<department>/<year>/``): goals, self-evaluation, monitoring, reports, import and
rectification. Importing the view modules registers their pages in the navigation bar.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from jixiao.web.navigation import YearPage, register
from jixiao.web.permissions import can_import, can_view_reports, can_view_year
from jixiao.web.views import cost_standards, goals, imports, monitoring, rectification, reports

# The navigation bar: 首页 · 预算与支出 · these pages · 审计日志
register(YearPage("web:goals", _("项目与绩效目标"), can_view_year), after="web:budget")
register(YearPage("web:monitoring", _("运行监控"), can_view_year), after="web:goals")
register(YearPage("web:evaluation", _("绩效自评"), can_view_year), after="web:monitoring")
register(YearPage("web:reports", _("报告"), can_view_reports), after="web:evaluation")
register(YearPage("web:import", _("导入"), can_import), after="web:reports")
register(YearPage("web:rectification", _("整改"), can_view_year), after="web:import")

page_patterns: list[URLPattern] = [
    # 项目与绩效目标 (declaration)
    path("goals/", goals.goals, name="goals"),
    path("goals/department/", goals.department_goal, name="department_goal"),
    path(
        "goals/department/validate/",
        goals.department_goal_validate,
        name="department_goal_validate",
    ),
    path(
        "goals/department/transition/",
        goals.department_goal_transition,
        name="department_goal_transition",
    ),
    path("projects/<str:project>/goal/", goals.project_goal, name="project_goal"),
    path(
        "projects/<str:project>/goal/validate/",
        goals.project_goal_validate,
        name="project_goal_validate",
    ),
    path(
        "projects/<str:project>/goal/transition/",
        goals.project_goal_transition,
        name="project_goal_transition",
    ),
    # 绩效自评 (self-evaluation)
    path("evaluation/", goals.evaluation, name="evaluation"),
    path("evaluation/department/", goals.department_evaluation, name="department_evaluation"),
    path(
        "evaluation/department/score/",
        goals.department_evaluation_score,
        name="department_evaluation_score",
    ),
    path(
        "evaluation/department/transition/",
        goals.department_evaluation_transition,
        name="department_evaluation_transition",
    ),
    path(
        "projects/<str:project>/evaluation/",
        goals.project_evaluation,
        name="project_evaluation",
    ),
    path(
        "projects/<str:project>/evaluation/score/",
        goals.project_evaluation_score,
        name="project_evaluation_score",
    ),
    path(
        "projects/<str:project>/evaluation/transition/",
        goals.project_evaluation_transition,
        name="project_evaluation_transition",
    ),
    path("evaluation/cost-standards/", cost_standards.choose, name="cost_standards_choose"),
    path(
        "evaluation/cost-standards/import/",
        cost_standards.import_table,
        name="cost_standards_import",
    ),
    path(
        "evaluation/cost-standards.xlsx",
        cost_standards.download,
        name="cost_standards_download",
    ),
    # 运行监控
    path("monitoring/", monitoring.monitoring, name="monitoring"),
    path("monitoring/snapshots/", monitoring.take_snapshot, name="snapshot_take"),
    # 报告
    path("reports/", reports.reports, name="reports"),
    path("reports/<int:report>/download/", reports.report_download, name="report_download"),
    # 导入
    path("import/", imports.import_page, name="import"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/preview/", imports.import_preview, name="import_preview"),
    path("import/templates/<str:name>/", imports.import_template, name="import_template"),
    path("import/filled/<str:kind>/", imports.import_filled, name="import_filled"),
    # 整改
    path("rectification/", rectification.rectification, name="rectification"),
    path(
        "rectification/export/",
        rectification.rectification_export,
        name="rectification_export",
    ),
    path(
        "rectification/<int:item>/",
        rectification.rectification_item,
        name="rectification_item",
    ),
    path(
        "rectification/generate/",
        rectification.rectification_generate,
        name="rectification_generate",
    ),
    path("rectification/carry/", rectification.rectification_carry, name="rectification_carry"),
]
