"""The year's 支出标准表 (成本效益分析), kept by 财务科 on the 绩效自评 page: choose a table,
import one from Excel (all or nothing, every bad cell named), download the one in use."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.errors import UserFacingError
from jixiao.interchange.excel.limits import Limits, size_text
from jixiao.interchange.problems import InputRejected
from jixiao.services import cost_standards as service
from jixiao.storage import models as m
from jixiao.web.downloads import attach
from jixiao.web.exports import XLSX
from jixiao.web.permissions import Scope, can_edit_budget, year_view


def _back(fiscal_year: m.FiscalYear) -> HttpResponse:
    kwargs = {"department": fiscal_year.department.code, "year": fiscal_year.year}
    return redirect(reverse("web:evaluation", kwargs=kwargs) + "#cost-standards")


@require_POST
@year_view(can_edit_budget)
def choose(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    try:
        service.choose_cost_standards(fiscal_year, request.POST.get("table", "").strip())
    except UserFacingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已保存本年度的支出标准表。"))
    return _back(fiscal_year)


@require_POST
@year_view(can_edit_budget)
def import_table(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    upload = request.FILES.get("workbook")
    if upload is None or Path(str(upload.name)).suffix.lower() != ".xlsx":
        messages.error(request, _("请选择要导入的支出标准表（.xlsx 文件）。"))
        return _back(fiscal_year)
    limit = Limits.from_env().max_bytes
    if (upload.size or 0) > limit:
        messages.error(
            request,
            _("文件大小 %(size)s，超过导入上限 %(limit)s")
            % {"size": size_text(upload.size or 0), "limit": size_text(limit)},
        )
        return _back(fiscal_year)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "standards.xlsx"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            table = service.import_cost_standards(fiscal_year, path, request.user.get_username())
        except InputRejected as error:
            messages.error(request, _("没有导入：") + "；".join(str(p) for p in error.problems))
            return _back(fiscal_year)
    messages.success(
        request, _("已导入并选用支出标准表“%(name)s”。") % {"name": table.name}
    )
    return _back(fiscal_year)


@year_view(can_edit_budget)
def download(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = service.write_year_standards(fiscal_year, Path(folder) / "standards.xlsx")
        content = path.read_bytes()
    code, year = fiscal_year.department.code, fiscal_year.year
    return attach(
        HttpResponse(content, content_type=XLSX),
        f"{year}年度{fiscal_year.department.name}支出标准表.xlsx",
        f"{code}-{year}-cost-standards.xlsx",
    )
