"""Who calls the API: a bearer token (``Authorization: Bearer jx_…``) or the web session.

The session counts only with Django's CSRF check on unsafe methods (the same token the
pages use, sent as ``X-CSRFToken``), so a page of another site cannot make a signed-in
browser change anything. A token request carries no cookie and needs no CSRF token.
Both give the user, whose scope (``permissions.scope_of``) the endpoints then apply.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jixiao.web.api.models import ApiToken, token_digest

LAST_USED_GRANULARITY = timedelta(minutes=5)
"""``last_used`` is written at most this often per token (no write on every request)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the token's user, when active."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token or len(token) > 200:
            return None
        row = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        # The audit trail (simple_history's middleware) reads request.user at save time.
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in web session; unsafe methods also need Django's CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in SAFE_METHODS and not exempt and check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败：请在请求头 X-CSRFToken 中附上 CSRF 令牌。"))
        return user

    def _get_key(self, request: HttpRequest) -> str | None:  # pragma: no cover - unused
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None
