"""Login throttling, CSRF, security headers and the client address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from jixiao.web.security import client_ip
from tests.web.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db


def _login(client: Client, password: str) -> int:
    response = client.post("/login/", {"username": "finance", "password": password})
    return response.status_code


def test_repeated_failed_logins_make_the_next_try_wait_with_a_chinese_message(
    world: World, settings: Any
) -> None:
    settings.LOGIN_FREE_FAILURES = 5
    client = Client()
    for _ in range(5):
        assert _login(client, "wrong-password") == 200  # the form again, with an error
    response = client.post("/login/", {"username": "finance", "password": PASSWORD})
    assert response.status_code == 429  # even the right password, until the wait is over
    assert "登录尝试过于频繁，请在 1 秒后再试" in response.content.decode()
    assert response["Retry-After"] == "1"


def test_a_correct_login_before_the_limit_signs_in_and_resets_the_count(world: World) -> None:
    client = Client()
    assert _login(client, "wrong-password") == 200
    response = client.post("/login/", {"username": "finance", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "finance", "password": PASSWORD})
    assert response.status_code == 403
    client.force_login(world.users["finance"])
    assert client.post("/logout/").status_code == 403
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_a_post_with_the_csrf_token_is_accepted(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": "finance", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_logging_out_takes_a_post_and_ends_the_session(world: World) -> None:
    client = world.client("finance")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_may_not_be_framed_and_declare_their_content_type(world: World) -> None:
    response = world.client("finance").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_client_address_ignores_forwarded_for_without_a_proxy(settings: object) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.PROXY_COUNT = 0  # type: ignore[attr-defined]
    assert client_ip(request) == "10.0.0.9"


def test_the_client_address_is_the_one_the_trusted_proxy_saw(settings: object) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(request) == "203.0.113.7"  # the spoofed left entry is not trusted
