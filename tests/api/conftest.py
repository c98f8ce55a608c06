"""The API tests reuse the web tests' personas and datasets (``tests/web/conftest.py``).

``api(persona)`` is a test client that sends the persona's bearer token; ``"anonymous"``
sends none and ``"norole"`` is a signed-up account that has no role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.web.conftest import (  # noqa: F401 - fixtures shared with the web tests
    PERSONAS,
    World,
    _static_files_without_manifest,
    _static_root_exists,
    demo,
    world,
)

from jixiao.web.api.models import ApiToken

API_PERSONAS = (*PERSONAS, "anonymous", "norole")


def token_for(user: User) -> str:
    return ApiToken.issue(user, label="tests")[1]


class ApiClient(Client):
    """A Django test client that speaks JSON and sends a bearer token when it has one."""

    def __init__(self, token: str | None = None, **defaults: Any) -> None:
        if token is not None:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**defaults)

    def patch_json(self, path: str, body: dict[str, Any], **extra: Any) -> Any:
        return self.patch(path, body, content_type="application/json", **extra)


@pytest.fixture
def tokens(world: World) -> dict[str, str]:  # noqa: F811 - the imported fixture
    found = {name: token_for(user) for name, user in world.users.items()}
    found["norole"] = token_for(User.objects.create_user("norole", password="x" * 12))
    return found


@pytest.fixture
def api(tokens: dict[str, str]) -> Callable[[str], ApiClient]:
    def client(persona: str) -> ApiClient:
        return ApiClient(None if persona == "anonymous" else tokens[persona])

    return client
