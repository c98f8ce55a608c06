"""Signing in and out, and the department-year picker (the landing page)."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.web.permissions import Scope, can_view_all_departments, scope_view, visible_years

login = auth_views.LoginView.as_view(
    template_name="web/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()


@scope_view()
def home(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The department-years this user may open, newest first, grouped by department."""
    years = visible_years(scope).order_by("department__code", "-year")
    departments = [
        (department, list(items))
        for department, items in groupby(years, key=lambda fy: fy.department)
    ]
    bureau_years = (
        sorted({fy.year for _, items in departments for fy in items}, reverse=True)
        if can_view_all_departments(scope)
        else []
    )
    return render(
        request,
        "web/home.html",
        {"departments": departments, "bureau_years": bureau_years},
    )
