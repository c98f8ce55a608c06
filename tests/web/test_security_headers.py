"""Security headers, the API docs behind sign-in, sign-in throttling that never locks an
owner out, and the Markdown report escaping HTML."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jixiao.documents.report import escape_html, markdown_cell
from jixiao.web.models import LoginFailure
from jixiao.web.security import Throttle
from tests.web.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web" / "templates"


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def _age_failures(seconds: int) -> None:
    """As if the failures so far had happened ``seconds`` ago."""
    for failure in LoginFailure.objects.all():
        failure.at -= timedelta(seconds=seconds)
        failure.save()


def test_every_answer_carries_a_policy_that_allows_no_inline_script(world: World) -> None:
    for client, url in ((Client(), "/login/"), (world.client("finance"), "/")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", policy)
        assert script and script.group(1) == "'self'"
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template.name}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template.name}: event handler"


def test_signed_in_pages_and_downloads_are_not_stored(world: World) -> None:
    client = world.client("finance")
    for url in ("/", "/d/test-dept/2024/", "/d/test-dept/2024/budget/", "/api/years"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_the_api_schema_and_docs_ask_anonymous_visitors_to_sign_in(world: World) -> None:
    for url in ("/api/openapi.json", "/api/docs"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert world.client("office").get(url).status_code == 200, url


def test_the_wait_doubles_with_each_failure_up_to_a_ceiling() -> None:
    throttle = Throttle("account", free=5, first_wait=1, longest_wait=900)
    waits = [throttle.wait_after(n) for n in range(4, 10)]
    assert waits == [0, 1, 2, 4, 8, 16]
    assert throttle.wait_after(10_000) == 900


def test_failures_against_one_account_from_many_addresses_are_counted_together(
    world: World, settings: Any
) -> None:
    settings.LOGIN_FREE_FAILURES = 3
    for number in range(3):
        assert _login(Client(), "finance", "wrong", f"10.0.1.{number}") == 200
    assert _login(Client(), "finance", "wrong", "10.0.1.99") == 429
    _age_failures(2)
    assert _login(Client(), "finance", "wrong", "10.0.1.99") == 200  # the 1 s wait is over
    assert _login(Client(), "finance", PASSWORD, "10.0.1.98") == 429  # now 2 s


def test_failures_from_one_address_against_many_accounts_are_counted_together(
    world: World, settings: Any
) -> None:
    settings.LOGIN_FREE_FAILURES_PER_ADDRESS = 4
    for username in ("finance", "office", "leader", "bureau"):
        assert _login(Client(), username, "wrong", "10.0.2.1") == 200
    assert _login(Client(), "admin", "wrong", "10.0.2.1") == 429
    assert _login(Client(), "admin", PASSWORD, "10.0.2.2") == 302  # another address


def test_a_stranger_cannot_keep_the_owner_out_of_an_account(world: World, settings: Any) -> None:
    settings.LOGIN_FREE_FAILURES = 2
    owner = Client()
    assert _login(owner, "finance", PASSWORD, "10.0.3.1") == 302  # the browser is remembered
    owner.post("/logout/")
    for _ in range(2):
        assert _login(Client(), "finance", "wrong", "10.0.3.66") == 200
    assert _login(Client(), "finance", PASSWORD, "10.0.3.66") == 429  # strangers wait
    assert _login(owner, "finance", PASSWORD, "10.0.3.1") == 302  # the owner does not


def test_a_successful_sign_in_forgets_the_account_failures(world: World, settings: Any) -> None:
    settings.LOGIN_FREE_FAILURES = 3
    client = Client()
    for _ in range(2):
        assert _login(client, "finance", "wrong") == 200
    assert _login(client, "finance", PASSWORD) == 302
    client.post("/logout/")
    assert LoginFailure.objects.count() == 2  # the address's failures still count
    assert not LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=2)).exists()


def test_the_markdown_report_writes_html_in_a_name_as_text() -> None:
    name = "<img src=x onerror=alert(1)>"
    assert escape_html(name) == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<img" not in markdown_cell(name)
    assert markdown_cell("甲|乙\n丙") == "甲\\|乙<br>丙"
