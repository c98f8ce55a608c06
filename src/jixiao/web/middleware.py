"""Middleware of the web application."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from jixiao.services.versioned_cache import triggers_read_once


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that the browser's Accept-Language is not asked.

    The pages are in Chinese (zh-hans) unless the user picks English with the language
    switch (Django's ``set_language``, remembered in the language cookie), so a browser
    set up in English does not turn an office's screens English by surprise.
    """

    def process_request(self, request: HttpRequest) -> None:
        accepted = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            super().process_request(request)
        finally:
            if accepted is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accepted


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer; ``no-store`` on every
    answer to a signed-in user, so no page or download of theirs stays in a shared cache
    or in the browser's history after they sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class OneRequestMiddleware:
    """What a request reads once however often its page asks: the version triggers
    (``versioned_cache.triggers_read_once``); the next request reads them anew."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with triggers_read_once():
            return self.get_response(request)
