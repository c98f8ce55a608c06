"""The evaluation the API returns carries the unit costs, narrowed for an office like the
projects: an office gets neither the unit cost nor the findings of another office's project."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.api.conftest import ApiClient
from tests.web.conftest import FIRST, YEAR, World
from tests.web.test_unit_costs_page import costed  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
BASE = f"/api/years/{FIRST}/{YEAR}"


def test_an_office_gets_only_its_own_projects_unit_costs(
    costed: World,  # noqa: F811
    api: Callable[[str], ApiClient],
) -> None:
    whole = api("finance").get(f"{BASE}/evaluation").json()["result"]
    assert [u["measure"]["project_code"] for u in whole["unit_costs"]] == ["P001", "P002"]
    narrowed = api("office").get(f"{BASE}/evaluation").json()["result"]
    assert [u["measure"]["project_code"] for u in narrowed["unit_costs"]] == ["P001"]
    assert all(f["subject"] == "P001" for f in narrowed["cost_findings"])
