"""The client address for login throttling, behind a known number of reverse proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind ``JIXIAO_PROXY_COUNT`` proxies, the address the outermost
    trusted proxy saw (the N-th entry from the right of X-Forwarded-For).

    Entries further left are written by the client and are not trusted; without a proxy
    setting X-Forwarded-For is ignored, so a client cannot dodge the lockout by sending one.
    """
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
