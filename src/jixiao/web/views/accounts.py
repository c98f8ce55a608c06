"""Signing in and out, and the department-year picker (the landing page)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.services.spot_checks import assigned_years
from jixiao.web.models import Role
from jixiao.web.permissions import Scope, can_view_all_departments, scope_view, visible_years
from jixiao.web.security import login_wait, record_failure, record_success


class LoginView(auth_views.LoginView):
    """Django's sign-in, throttled (``jixiao.web.security``): while a wait runs, a try is
    answered 429 with the seconds left, and its password is not even looked at."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        wait = login_wait(request, username)
        if not wait:
            return super().post(request, *args, **kwargs)
        form = self.get_form_class()(request, initial={"username": username[:150]})
        context = self.get_context_data(form=form, wait=wait)
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(wait)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record_failure(self.request, str(form.data.get("username", "")))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        record_success(self.request, form.get_user().get_username(), response)
        return response


login = LoginView.as_view()
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
        {
            "departments": departments,
            "bureau_years": bureau_years,
            "spot_check_years": (
                assigned_years(scope.user_id, scope.city_id) if scope.role is Role.expert else []
            ),
        },
    )
