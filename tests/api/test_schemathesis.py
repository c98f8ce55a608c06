"""schemathesis against the API's own OpenAPI schema, in-process (WSGI): no server error,
and every answer conforms to the schema (status code, content type, body).

Each operation gets a bounded, derandomized run (``MAX_EXAMPLES``). Every generated case is
sent twice with an admin's token: as generated (mostly unknown departments: 404s and
validation errors), and aimed at the stored department-year (a real line, indicator and
current version), so the query parameters and bodies reach the code behind the lookups.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from tests.web.conftest import FIRST, YEAR, World

from jixiao.storage import models as m
from jixiao.web.api.api import api

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 20
ABOUT_GENERATED_DATA = [
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
]

Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise looks at it once
# The schema is read from the API object: /api/openapi.json answers signed-in users only.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = get_wsgi_application()


def _aimed(case: Any, world: World) -> None:
    """Point the case at the stored year (and at a real line / indicator of it)."""
    params = case.path_parameters
    if params is None:
        return
    if "department" in params:
        params["department"] = FIRST
        params["year"] = YEAR
    if "line" in params:
        params["line"] = "L01"
    if "indicator" in params:
        goal = m.PerformanceGoal.objects.get(project=world.project("P001"))
        indicator = goal.indicators.order_by("position").first()
        assert indicator is not None
        params["indicator"] = indicator.pk
        if isinstance(case.body, dict):
            case.body["version"] = m.Indicator.objects.get(pk=indicator.pk).version


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection at each request's start and end when it is
    not in autocommit, as inside a test's transaction; its test client switches that off,
    and so must a plain WSGI caller."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(
    case: Any, world: World, tokens: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    case.call_and_validate(headers=headers)
    _aimed(case, world)
    # The aimed copy is no longer the case schemathesis generated (a negative case may have
    # become valid): only the checks that hold for any request apply to it.
    case.call_and_validate(headers=headers, excluded_checks=ABOUT_GENERATED_DATA)
