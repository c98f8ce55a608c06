"""机构与账号: 系统管理员 and 财政局 set up departments, offices, fiscal years and user
accounts in the browser (one by one, or accounts from a user list workbook); everyone
changes their own password; 财务科 carries a year forward and assigns a project's 责任科室.

The logic is in ``services.setup``, ``services.carry_forward`` and ``web.accounts``; these
views read the form, call it, and say what happened (or every problem) in Chinese.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.errors import UserFacingError
from jixiao.interchange.excel.user_list import read_user_list, write_user_list_template
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services import setup
from jixiao.services.carry_forward import carry_forward as carry_year_forward
from jixiao.storage import models as m
from jixiao.web.accounts import AccountRequest, NewAccount, create_accounts
from jixiao.web.downloads import file_download
from jixiao.web.models import Membership, Role
from jixiao.web.navigation import GlobalPage, YearPage, register
from jixiao.web.permissions import (
    Scope,
    can_carry_forward,
    can_edit_budget,
    can_manage_accounts,
    load_project,
    object_view,
    scope_view,
    year_view,
)

register(GlobalPage("web:setup_year", gettext_lazy("机构与账号"), can_manage_accounts, "web:setup"))
register(YearPage("web:carry_forward", gettext_lazy("结转下一年度"), can_carry_forward))


class CityForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("城市代码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("城市名称"), max_length=200)


class BureauForm(forms.Form):
    city = forms.ModelChoiceField(m.City.objects.all(), label=gettext_lazy("城市"))
    bureau_name = forms.CharField(
        label=gettext_lazy("财政局名称（汇总文件的落款；不填为城市名称加“财政局”）"),
        max_length=200, required=False,
    )  # fmt: skip


class DepartmentForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("部门代码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("部门名称"), max_length=200)
    city = forms.ModelChoiceField(
        m.City.objects.all(), label=gettext_lazy("城市"), required=False,
        empty_label=gettext_lazy("（默认城市）"),
    )  # fmt: skip


class OfficeForm(forms.Form):
    department = forms.ModelChoiceField(m.Department.objects.all(), label=gettext_lazy("部门"))
    code = forms.CharField(label=gettext_lazy("科室代码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("科室名称"), max_length=200)


class YearForm(forms.Form):
    department = forms.ModelChoiceField(m.Department.objects.all(), label=gettext_lazy("部门"))
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=1990, max_value=2100)


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)
    department = forms.CharField(label=gettext_lazy("部门代码"), required=False, max_length=64)
    office = forms.CharField(label=gettext_lazy("科室"), required=False, max_length=200)
    city = forms.ModelChoiceField(
        m.City.objects.all(), label=gettext_lazy("城市（财政局、评价专家账号）"), required=False,
        empty_label=gettext_lazy("（默认城市）"),
    )  # fmt: skip
    password = forms.CharField(
        label=gettext_lazy("初始密码（不填则随机生成）"), required=False,
        widget=forms.PasswordInput, max_length=128,
    )  # fmt: skip


class UserListForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("用户名单（.xlsx）"))


FORMS: dict[str, type[forms.Form]] = {
    "city": CityForm,
    "bureau": BureauForm,
    "department": DepartmentForm,
    "office": OfficeForm,
    "year": YearForm,
    "account": AccountForm,
    "users": UserListForm,
}


def _for_scope(form: forms.Form, scope: Scope) -> forms.Form:
    """A 财政局 of a city: no city to choose (its own is used), and only its city's
    departments to choose from."""
    if scope.city_id is not None:
        form.fields.pop("city", None)
        department = form.fields.get("department")
        if isinstance(department, forms.ModelChoiceField):
            department.queryset = m.Department.objects.filter(city_id=scope.city_id)
    return form


def _forms(scope: Scope) -> dict[str, type[forms.Form]]:
    """The forms the scope fills: only 系统管理员 creates cities and names their 财政局."""
    admin_only = ("city", "bureau")
    return {k: f for k, f in FORMS.items() if k not in admin_only or scope.role is Role.admin}


def _city(request: HttpRequest, form: forms.Form, scope: Scope) -> str:
    city = setup.create_city(form.cleaned_data["code"], form.cleaned_data["name"])
    return _("已建立城市：%(name)s（%(code)s）") % {"name": city.name, "code": city.code}


def _bureau(request: HttpRequest, form: forms.Form, scope: Scope) -> str:
    city = setup.name_bureau(form.cleaned_data["city"], form.cleaned_data["bureau_name"])
    return _("%(city)s的财政局名称：%(bureau)s") % {"city": city.name, "bureau": city.bureau}


def _department(request: HttpRequest, form: forms.Form, scope: Scope) -> str:
    data = form.cleaned_data
    city = data.get("city")
    if scope.city_id is not None:
        city = m.City.objects.get(pk=scope.city_id)
    department = setup.create_department(data["code"], data["name"], city)
    return _("已建立部门：%(name)s（%(code)s）") % {
        "name": department.name,
        "code": department.code,
    }


def _office(request: HttpRequest, form: forms.Form, scope: Scope) -> str:
    data = form.cleaned_data
    office = setup.create_office(data["department"], data["code"], data["name"])
    return _("已建立科室：%(department)s %(office)s") % {
        "department": office.department.name, "office": office.name,
    }  # fmt: skip


def _year(request: HttpRequest, form: forms.Form, scope: Scope) -> str:
    data = form.cleaned_data
    fiscal_year = setup.create_fiscal_year(data["department"], data["year"])
    return _("已建立%(department)s%(year)s年度") % {
        "department": fiscal_year.department.name, "year": fiscal_year.year,
    }  # fmt: skip


def _accounts(request: HttpRequest, form: forms.Form, scope: Scope) -> list[NewAccount]:
    if isinstance(form, UserListForm):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "users.xlsx"
            with path.open("wb") as out:
                for chunk in form.cleaned_data["file"].chunks():
                    out.write(chunk)
            rows = read_user_list(path)
        requests = [
            AccountRequest(r.username, r.full_name, r.role, r.department, r.office, r.password,
                           r.where, r.cells)
            for r in rows
        ]  # fmt: skip
    else:
        data = dict(form.cleaned_data)
        city = data.pop("city", None)
        requests = [AccountRequest(**data, city=city.code if city else "")]
    return create_accounts(requests, scope.role, scope.city_id)


@scope_view(can_manage_accounts)
def setup_page(request: HttpRequest, scope: Scope, year: int | None = None) -> HttpResponse:
    """The departments with their offices and years, the accounts, and a form for each."""
    problems: list[Problem] = []
    created: list[NewAccount] = []
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        kind = str(request.POST.get("kind", ""))
        form_class = _forms(scope).get(kind)
        if form_class is not None:
            form = _for_scope(form_class(request.POST, request.FILES), scope)
            bound[kind] = form
            if form.is_valid():
                try:
                    if kind in ("account", "users"):
                        created = _accounts(request, form, scope)
                        messages.success(
                            request, _("已建立账号 %(count)s 个") % {"count": len(created)}
                        )
                    else:
                        done = {"city": _city, "bureau": _bureau, "department": _department,
                                "office": _office, "year": _year}  # fmt: skip
                        messages.success(request, done[kind](request, form, scope))
                        return redirect(request.path)
                except InputRejected as error:
                    problems = list(error.problems)
                except UserFacingError as error:
                    problems = [Problem("", str(error))]
    forms_shown = {
        kind: bound.get(kind)
        or _for_scope(form_class(initial={"year": year} if year else None), scope)
        for kind, form_class in _forms(scope).items()
    }
    departments = m.Department.objects.select_related("city").prefetch_related(
        "offices", "fiscal_years"
    )
    accounts = Membership.objects.select_related("user", "department", "office", "city")
    if scope.city_id is not None:
        departments = departments.filter(city_id=scope.city_id)
        accounts = accounts.filter(
            Q(department__city_id=scope.city_id) | Q(city_id=scope.city_id)
        )
    return render(
        request,
        "web/setup.html",
        {
            "forms": forms_shown,
            "departments": departments.order_by("code"),
            "accounts": accounts.order_by("user__username"),
            "cities": m.City.objects.order_by("code") if scope.role is Role.admin else [],
            "problems": problems,
            "created": created,
        },
    )


@scope_view(can_manage_accounts)
def user_list_template(request: HttpRequest, scope: Scope) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        content = write_user_list_template(Path(folder) / "users.xlsx").read_bytes()
    return file_download(  # type: ignore[return-value]
        io.BytesIO(content), "用户名单模板.xlsx", "user-list-template.xlsx"
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's own password (the old one first; the new one by the site's rules)."""

    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response


password_change = PasswordChangeView.as_view()


@year_view(can_carry_forward)
def carry_forward(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """Year N+1 from this year: the projects that continue are chosen by ticking them."""
    projects = list(fiscal_year.projects.select_related("office").order_by("code"))
    following = fiscal_year.year + 1
    code = fiscal_year.department.code
    if request.method == "POST":
        chosen = [str(c) for c in request.POST.getlist("project")]
        try:
            result = carry_year_forward(code, fiscal_year.year, chosen)
        except UserFacingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, result.summary())
            return redirect(
                reverse("web:dashboard", kwargs={"department": code, "year": following})
            )
    exists = m.FiscalYear.objects.filter(department_id=fiscal_year.department_id, year=following)
    return render(
        request,
        "web/carry_forward.html",
        {
            "fiscal_year": fiscal_year,
            "following": following,
            "following_exists": exists.exists(),
            "projects": projects,
            "open_items": fiscal_year.rectifications.exclude(status="done").count(),
        },
    )


def _can_assign_office(scope: Scope, project: m.Project) -> bool:
    return can_edit_budget(scope, project.fiscal_year)


@require_POST
@object_view(load_project, _can_assign_office)
def project_office(request: HttpRequest, scope: Scope, project: m.Project) -> HttpResponse:
    """财务科 assigns (or clears) the project's 责任科室, one of the department's offices."""
    fiscal_year = project.fiscal_year
    given = str(request.POST.get("office", ""))
    offices = m.Office.objects.filter(department_id=fiscal_year.department_id)
    office = offices.filter(pk=int(given)).first() if given.isdigit() else None
    if given and office is None:
        messages.error(request, _("所选科室不属于本部门。"))
    else:
        project.office = office
        project.save(update_fields=["office"])
        messages.success(
            request,
            _("项目“%(project)s”的责任科室已设为：%(office)s")
            % {"project": project.name, "office": office.name if office else _("（无）")},
        )
    kwargs = {"department": fiscal_year.department.code, "year": fiscal_year.year,
              "project": project.code}  # fmt: skip
    return redirect(reverse("web:project", kwargs=kwargs))
