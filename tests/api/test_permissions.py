"""The API's permission matrix: every endpoint, asked by every persona, with a token.

The same rules as the pages (tests/web/test_permissions.py): 200 may see it; 403 a
colleague whose role or office does not cover the object; 404 the outsider, on
everything of the first department whether it exists or not; 401 without credentials;
403 for an account without a role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.api.conftest import API_PERSONAS, ApiClient
from tests.web.conftest import FIRST, OTHER, YEAR, World

from jixiao.storage import models as m

pytestmark = pytest.mark.django_db

BASE = f"/api/years/{FIRST}/{YEAR}"
ALL = {"admin": 200, "finance": 200, "leader": 200, "bureau": 200, "office": 200}
NOT_OFFICE = {**ALL, "office": 403}
NOBODY = dict.fromkeys(ALL, 404)


def _expected(table: dict[str, int], persona: str) -> int:
    if persona == "anonymous":
        return 401
    if persona == "norole":
        return 403
    return table.get(persona, 404)  # the outsider: 404 on everything of the first department


def _indicators(world: World) -> dict[str, m.Indicator]:
    fy = world.fiscal_year
    project_goal = m.PerformanceGoal.objects.get(project=world.project("P001"))
    department_goal = m.PerformanceGoal.objects.get(fiscal_year=fy, project=None)
    other_goal = m.PerformanceGoal.objects.get(fiscal_year=world.other_year, project=None)
    return {
        "project": project_goal.indicators.get(level3="按期完成率"),
        "department": department_goal.indicators.get(),
        "other": other_goal.indicators.get(),
    }


def _read_matrix(world: World) -> list[tuple[str, dict[str, int]]]:
    ind = _indicators(world)
    return [
        (f"{BASE}", ALL),
        (f"{BASE}/lines", ALL),
        (f"{BASE}/lines?page=2&page_size=1", ALL),
        (f"{BASE}/lines/L01", ALL),
        (f"{BASE}/lines/L02", NOT_OFFICE),
        (f"{BASE}/lines/B01", NOT_OFFICE),
        (f"{BASE}/lines/NOPE", NOBODY),
        (f"{BASE}/ledger", ALL),
        (f"{BASE}/ledger?line=L01&date_from=2024-01-01&date_to=2024-12-31", ALL),
        (f"{BASE}/ledger?line=L02", NOT_OFFICE),
        (f"{BASE}/ledger?line=NOPE", NOBODY),
        (f"{BASE}/goals", ALL),
        (f"{BASE}/indicators/{ind['project'].pk}", ALL),
        (f"{BASE}/indicators/{ind['department'].pk}", NOT_OFFICE),
        (f"{BASE}/indicators/{ind['other'].pk}", NOBODY),  # another year's, via this URL
        (f"{BASE}/indicators/999999", NOBODY),
        (f"{BASE}/evaluation", ALL),
        (f"{BASE}/monitoring?as_of=2024-07-31", ALL),
        (f"{BASE}/monitoring", ALL),
        (f"/api/years/{FIRST}/1999", NOBODY),
        (f"/api/years/{FIRST}/1999/lines", NOBODY),
        (f"/api/years/no-such-dept/{YEAR}/goals", NOBODY),
    ]


def test_every_persona_gets_what_the_rules_say_on_every_read_endpoint(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    clients = {persona: api(persona) for persona in API_PERSONAS}
    wrong = []
    for url, table in _read_matrix(world):
        for persona in API_PERSONAS:
            response = clients[persona].get(url)
            want = _expected(table, persona)
            if response.status_code != want:
                wrong.append(f"{persona} GET {url}: {response.status_code}, expected {want}")
            elif want != 200:
                detail = response.json()["detail"]
                assert isinstance(detail, str) and detail, url
                assert FIRST not in detail and "测试区" not in detail, detail  # nothing leaks
    assert not wrong, "\n".join(wrong)


def _patch_matrix(world: World) -> list[tuple[str, m.Indicator, dict[str, int]]]:
    ind = _indicators(world)
    project_editors = {**dict.fromkeys(ALL, 403), "admin": 200, "office": 200}
    department_editors = {**dict.fromkeys(ALL, 403), "admin": 200, "finance": 200}
    return [
        (f"{BASE}/indicators/{ind['project'].pk}", ind["project"], project_editors),
        (f"{BASE}/indicators/{ind['department'].pk}", ind["department"], department_editors),
        (f"{BASE}/indicators/{ind['other'].pk}", ind["other"], NOBODY),
    ]


def test_only_the_owners_may_update_an_indicator(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    wrong = []
    for url, indicator, table in _patch_matrix(world):
        for persona in API_PERSONAS:
            version = m.Indicator.objects.get(pk=indicator.pk).version
            before = m.Indicator.objects.get(pk=indicator.pk).actual
            body: dict[str, Any] = {"actual": f"由{persona}填报", "version": version}
            response = api(persona).patch_json(url, body)
            want = _expected(table, persona)
            after = m.Indicator.objects.get(pk=indicator.pk).actual
            if response.status_code != want:
                wrong.append(f"{persona} PATCH {url}: {response.status_code}, expected {want}")
            if want == 200:
                assert after == f"由{persona}填报" and response.json()["actual"] == after
            else:
                assert after == before, f"{persona} changed {url}"
    assert not wrong, "\n".join(wrong)


def test_the_outsider_lists_its_own_department_only(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    listed = api("outsider").get("/api/years").json()
    assert [(item["department"], item["year"]) for item in listed] == [(OTHER, YEAR)]
    assert api("outsider").get(f"/api/years/{OTHER}/{YEAR}").status_code == 200
    everyone = {
        (item["department"], item["year"]) for item in api("bureau").get("/api/years").json()
    }
    assert everyone == {(FIRST, YEAR), (OTHER, YEAR)}
    assert api("office").get("/api/years").json()[0]["links"]["figures"] == BASE


def test_the_office_sees_only_its_own_projects_in_every_list(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    office = api("office")
    lines = office.get(f"{BASE}/lines").json()
    assert lines["narrowed"] and [line["code"] for line in lines["items"]] == ["L01"]
    ledger = office.get(f"{BASE}/ledger").json()
    assert {row["line"] for row in ledger["items"]} == {"L01"} and ledger["count"] == 3
    goals = office.get(f"{BASE}/goals").json()
    assert [goal["project"] for goal in goals["items"]] == ["P001"]
    evaluation = office.get(f"{BASE}/evaluation").json()
    assert evaluation["narrowed"] and evaluation["result"]["department"] is None
    assert [p["project_code"] for p in evaluation["result"]["projects"]] == ["P001"]
    monitoring = office.get(f"{BASE}/monitoring?as_of=2024-07-31").json()["report"]
    assert [p["code"] for p in monitoring["result"]["projects"]] == ["P001"]
    assert {line["code"] for line in monitoring["lines"]} == {"L01"}
    assert all(i["project_code"] == "P001" for i in monitoring["result"]["indicators"])
    # the finance office sees the whole department
    finance = api("finance")
    assert finance.get(f"{BASE}/lines").json()["count"] == 3
    assert len(finance.get(f"{BASE}/goals").json()["items"]) == 2
    whole = finance.get(f"{BASE}/monitoring?as_of=2024-07-31").json()["report"]
    undated = {
        f["location"] for f in whole["result"]["findings"] if f["id"] == "line-without-ledger"
    }
    assert undated == {"budget.lines[B01]", "budget.lines[L02]"}  # no ledger: not monitored
    assert not [f for f in monitoring["result"]["findings"] if f["id"] == "line-without-ledger"]


def test_the_session_works_too_with_csrf_on_changes(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    indicator = _indicators(world)["project"]
    url = f"{BASE}/indicators/{indicator.pk}"
    browser = ApiClient(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 401
    browser.force_login(world.users["office"])
    shown = browser.get(url)
    assert shown.status_code == 200 and shown.json()["editable"] is True
    body = {"actual": "88%", "version": shown.json()["version"]}
    refused = browser.patch_json(url, body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert m.Indicator.objects.get(pk=indicator.pk).actual == "90%"
    browser.get(f"/d/{FIRST}/{YEAR}/")  # a page sets the CSRF cookie (its logout form)
    token = browser.cookies["csrftoken"].value
    accepted = browser.patch_json(url, body, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200, accepted.content
    assert m.Indicator.objects.get(pk=indicator.pk).actual == "88%"
    # an outsider's session: 404, as with a token
    outsider = ApiClient()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(url).status_code == 404


def test_bad_and_revoked_tokens_are_refused(world: World, tokens: dict[str, str]) -> None:
    assert ApiClient("jx_not-a-token").get("/api/years").status_code == 401
    assert ApiClient().get("/api/years", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    good = ApiClient(tokens["finance"])
    assert good.get("/api/years").status_code == 200
    finance = world.users["finance"]
    finance.is_active = False
    finance.save()
    response = good.get("/api/years")
    assert response.status_code == 401 and "令牌" in response.json()["detail"]
    finance.is_active = True
    finance.save()
    m_tokens = finance.api_tokens.all()
    assert m_tokens.get().last_used is not None  # recorded on use
    m_tokens.delete()
    assert good.get("/api/years").status_code == 401
