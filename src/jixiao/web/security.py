"""Sign-in throttling, and the client address it counts by.

Failed sign-ins are counted per account (across every address) and per address (across
every account). After a few free failures each further try must wait, and the wait
doubles with each failure up to a ceiling: guessing stays slow, yet no one is ever locked
out for long. A browser that has signed in to an account before carries a signed device
cookie; its tries on that account are counted on their own, so a stranger's failures —
against the account, or from a shared address — never delay its owner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from jixiao.web.models import LoginFailure

WINDOW = timedelta(hours=24)
"""Failures older than this no longer count."""
DEVICE_COOKIE = "jixiao_device"
DEVICE_SALT = "jixiao.web.security.device"
DEVICE_MAX_AGE = 365 * 24 * 60 * 60


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind ``JIXIAO_PROXY_COUNT`` proxies, the address the outermost
    trusted proxy saw (the N-th entry from the right of X-Forwarded-For).

    Entries further left are written by the client and are not trusted; without a proxy
    setting X-Forwarded-For is ignored, so a client cannot dodge the throttle by sending one.
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


@dataclass(frozen=True)
class Throttle:
    """``free`` failures without a wait; then a wait of ``first_wait`` seconds that doubles
    with each further failure, never longer than ``longest_wait``."""

    kind: str
    free: int
    first_wait: int = 1
    longest_wait: int = 900

    def wait_after(self, failures: int) -> int:
        if failures < self.free:
            return 0
        doublings = min(failures - self.free, 30)
        wait: int = self.first_wait * (1 << doublings)
        return min(self.longest_wait, wait)


def _throttles() -> dict[str, Throttle]:
    longest = int(getattr(settings, "LOGIN_LONGEST_WAIT", 900))
    account = Throttle("account", int(getattr(settings, "LOGIN_FREE_FAILURES", 5)), 1, longest)
    address = Throttle(
        "address", int(getattr(settings, "LOGIN_FREE_FAILURES_PER_ADDRESS", 30)), 1, longest
    )
    return {"account": account, "address": address, "device": account}


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()


def _account(username: str) -> str:
    return username.strip().casefold()


def _device(request: HttpRequest, account: str) -> str | None:
    """The device id of a browser that has signed in to ``account`` before, if any."""
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(value, list) or len(value) != 2 or value[0] != account:
        return None
    return str(value[1])


def _counted(request: HttpRequest, username: str) -> list[tuple[Throttle, str]]:
    """The counters a try on ``username`` from this request is held to."""
    throttles = _throttles()
    account = _account(username)
    device = _device(request, account)
    if device is not None:
        return [(throttles["device"], _digest("device", f"{account}\0{device}"))]
    address = client_ip(request) or "unknown"
    return [
        (throttles["account"], _digest("account", account)),
        (throttles["address"], _digest("address", address)),
    ]


def login_wait(request: HttpRequest, username: str) -> int:
    """Seconds before a try on ``username`` from this request is looked at (0: now)."""
    now = timezone.now()
    longest = 0
    for throttle, key in _counted(request, username):
        failures = LoginFailure.objects.filter(key=key, at__gte=now - WINDOW)
        count = failures.count()
        wait = throttle.wait_after(count)
        if not wait:
            continue
        latest = failures.order_by("-at").values_list("at", flat=True).first()
        if latest is None:
            continue
        remaining = (latest + timedelta(seconds=wait) - now).total_seconds()
        longest = max(longest, int(remaining + 0.999))
    return longest


def record_failure(request: HttpRequest, username: str) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - WINDOW).delete()
    LoginFailure.objects.bulk_create(
        LoginFailure(key=key, at=now) for _, key in _counted(request, username)
    )


def record_success(request: HttpRequest, username: str, response: HttpResponse) -> None:
    """Forget the account's failures and trust this browser for the account from now on."""
    account = _account(username)
    device = _device(request, account)
    keys = [_digest("account", account)]  # an address's failures against others still count
    if device is not None:
        keys.append(_digest("device", f"{account}\0{device}"))
    LoginFailure.objects.filter(key__in=keys).delete()
    device = device or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps([account, device], salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
    )
