"""Middleware of the web application."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


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
