"""URL map of the web application (namespace ``web``).

Pages of a department-year live under ``/d/<department code>/<year>/``.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from jixiao.web.api.api import api
from jixiao.web.page_urls import page_patterns
from jixiao.web.views import (
    accounts,
    admin_setup,
    audit,
    batches,
    budget,
    bureau,
    disclosure,
    ex_ante,
    findings,
    indicator_library,
    overview,
    projects,
    rectification_notices,
    report_text,
    result_application,
    spot_checks,
    todo,
)

year_patterns: list[URLPattern | URLResolver] = [
    path("", overview.dashboard, name="dashboard"),
    path("todo/", todo.todo, name="todo"),
    path("todo/export/", todo.todo_export, name="todo_export"),
    path("budget/", budget.budget, name="budget"),
    path("budget/export/", budget.budget_export, name="budget_export"),
    path("findings/export/", findings.findings_export, name="findings_export"),
    path("budget/lines/<str:line>/", budget.line_detail, name="line"),
    path("projects/<str:project>/", projects.project_detail, name="project"),
    path("review-queue/", bureau.department_queue, name="department_queue"),
    path("projects/<str:project>/goal/review/", bureau.goal_review, name="goal_review"),
    path("projects/<str:project>/office/", admin_setup.project_office, name="project_office"),
    path("carry-forward/", admin_setup.carry_forward, name="carry_forward"),
    path("ex-ante/", ex_ante.ex_ante_list, name="ex_ante"),
    path("ex-ante/<str:project>/", ex_ante.ex_ante_project, name="ex_ante_project"),
    path(
        "ex-ante/<str:project>/transition/", ex_ante.ex_ante_transition, name="ex_ante_transition"
    ),
    path("ex-ante/<str:project>/report.docx", ex_ante.ex_ante_docx_download, name="ex_ante_docx"),
    path("ex-ante/<str:project>/sheet.xlsx", ex_ante.ex_ante_xlsx_download, name="ex_ante_xlsx"),
    path("disclosure/", disclosure.disclosure, name="disclosure"),
    path("disclosure/export/", disclosure.disclosure_export, name="disclosure_export"),
    path("results/", result_application.results_list, name="result_application"),
    path(
        "results/export/",
        result_application.results_export,
        name="result_application_export",
    ),
    path(
        "results/<str:project>/decide/",
        result_application.results_decide,
        name="result_application_decide",
    ),
    path("notices/", rectification_notices.year_notices, name="notices"),
    path("notices/export/", rectification_notices.year_notices_export, name="notices_export"),
    path("notices/<int:notice>/", rectification_notices.notice_page, name="notice"),
    path("notices/<int:notice>/answer/", rectification_notices.notice_answer, name="notice_answer"),
    path("notices/<int:notice>/review/", rectification_notices.notice_review, name="notice_review"),
    path(
        "notices/<int:notice>/evidence/<int:evidence>/",
        rectification_notices.notice_evidence,
        name="notice_evidence",
    ),
    path("library/propose/", indicator_library.propose, name="library_propose"),
    path("audit/", audit.audit, name="audit"),
    path("audit/export/", audit.audit_export, name="audit_export"),
    path("audit/<str:kind>/<int:pk>/", audit.audit_object, name="audit_object"),
    *page_patterns,  # goals, self-evaluation, monitoring, reports, import, rectification
    *report_text.patterns,  # 报告文字: the report's sections written in the web and in Word
]

web_patterns: list[URLPattern | URLResolver] = [
    path("", accounts.home, name="home"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("d/<str:department>/<int:year>/", include(year_patterns)),
    # 绩效信息公开: read without signing in, the published items only
    path(
        "public/<str:department>/<int:year>/",
        disclosure.public_disclosure,
        name="public_disclosure",
    ),
    path(
        "public/<str:department>/<int:year>/package.xlsx",
        disclosure.public_package,
        name="public_package",
    ),
    path(
        "public/<str:department>/<int:year>/report.pdf",
        disclosure.public_report_pdf,
        name="public_report_pdf",
    ),
    path(
        "public/<str:department>/<int:year>/<str:item>/",
        disclosure.public_document,
        name="public_document",
    ),
    path("library/", indicator_library.library, name="library"),
    path("library/<int:year>/", indicator_library.library, name="library_year"),
    path(
        "library/export/<str:library_id>.xlsx",
        indicator_library.library_export,
        name="library_export",
    ),
    path("library/import/", indicator_library.library_import, name="library_import"),
    path(
        "library/import/commit/",
        indicator_library.library_import_commit,
        name="library_import_commit",
    ),
    path("library/proposals/", indicator_library.proposals, name="library_proposals"),
    path(
        "library/proposals/<int:pk>/decide/",
        indicator_library.decide,
        name="library_proposal_decide",
    ),
    path("bureau/", bureau.bureau_latest, name="bureau_latest"),
    path("bureau/<int:year>/", bureau.bureau, name="bureau"),
    path("bureau/<int:year>/queue/", bureau.bureau_queue, name="bureau_queue"),
    path("bureau/<int:year>/ranking/", bureau.ranking, name="bureau_ranking"),
    path("bureau/<int:year>/spot-checks/", spot_checks.spot_checks, name="spot_checks"),
    path("bureau/<int:year>/spot-checks/draw/", spot_checks.draw, name="spot_check_draw"),
    path("bureau/<int:year>/spot-checks/<int:pk>/", spot_checks.spot_check, name="spot_check"),
    path(
        "bureau/<int:year>/spot-checks/<int:pk>/recompute/",
        spot_checks.recompute,
        name="spot_check_recompute",
    ),
    path(
        "bureau/<int:year>/results/",
        result_application.bureau_results,
        name="bureau_result_application",
    ),
    path(
        "bureau/<int:year>/spot-checks/<int:pk>/assign/",
        spot_checks.assign,
        name="spot_check_assign",
    ),
    path(
        "bureau/<int:year>/spot-checks/<int:pk>/evidence/",
        spot_checks.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "bureau/<int:year>/spot-checks/<int:pk>/evidence/<int:evidence>/",
        spot_checks.evidence_download,
        name="evidence_download",
    ),
    path(
        "bureau/<int:year>/notices/",
        rectification_notices.bureau_notices,
        name="bureau_notices",
    ),
    path(
        "bureau/<int:year>/notices/export/",
        rectification_notices.bureau_notices_export,
        name="bureau_notices_export",
    ),
    path("bureau/<int:year>/batches/", batches.batches, name="batches"),
    path("bureau/<int:year>/batches/new/", batches.batch_request, name="batch_request"),
    path("batches/<int:pk>/", batches.batch, name="batch"),
    path("batches/<int:pk>/progress/", batches.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/download/", batches.batch_download, name="batch_download"),
    path("setup/", admin_setup.setup_page, name="setup"),
    path("setup/<int:year>/", admin_setup.setup_page, name="setup_year"),
    path("setup/user-list-template/", admin_setup.user_list_template, name="user_list_template"),
    path("password/", admin_setup.password_change, name="password_change"),
]

urlpatterns = [
    path("", include((web_patterns, "web"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),  # the JSON API (jixiao.web.api)
]
