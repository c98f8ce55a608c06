"""The API object: authentication, error answers in Chinese, the OpenAPI schema and docs.

Served under ``/api/``: the schema at ``/api/openapi.json``, the Swagger UI at
``/api/docs`` (its JavaScript and CSS come from the django-ninja wheel as static
files: no CDN).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from jixiao.errors import UserFacingError
from jixiao.interchange.problems import chinese_message
from jixiao.web.api.auth import SessionAuth, TokenAuth
from jixiao.web.api.endpoints import router

DESCRIPTION = """\
jixiao 的 JSON 接口：部门年度、预算行、支出明细、绩效目标和指标（可填报实际完成值）、
绩效自评结果和运行监控结果。权限与网页相同：系统管理员全部；财政局只读全部部门；
财务科、单位领导本部门；业务科室本科室的项目。其他部门的对象一律 404。

认证：请求头 `Authorization: Bearer <令牌>`（`jixiao api-token --user 用户名` 生成，
只显示一次），或已登录网页的会话（修改请求须带 `X-CSRFToken`）。

金额一律为文本，不用浮点数：`{"yuan": "1031181900.00", "wan": "103118.19"}`。
"""


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese as it is (no \\uXXXX escapes)."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 - as the base class declares it


api = NinjaAPI(
    title="jixiao 预算绩效管理接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    renderer=ReadableJSON(),
    docs_decorator=login_required,  # the schema and the docs page: signed-in users only
)
api.add_router("", router)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        _("请先登录，或在请求头 Authorization: Bearer … 中提供有效的接口令牌。"),
    )


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("您的角色不能访问该对象。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or _("没有找到该对象。"))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": chinese_message(error),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    return _error(request, 422, _("请求参数不符合要求，见 errors。"), errors=errors)


@api.exception_handler(UserFacingError)
def refused(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return _error(request, 400, str(exc))
