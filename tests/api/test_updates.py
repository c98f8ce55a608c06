"""Updating an indicator through the API: optimistic locking, the workflow lock, validation,
the audit trail; and the ``jixiao api-token`` command."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from tests.api.conftest import ApiClient
from tests.web.conftest import FIRST, YEAR, World

from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.api.models import ApiToken, token_digest

pytestmark = pytest.mark.django_db

BASE = f"/api/years/{FIRST}/{YEAR}"


def _indicator(world: World, level3: str) -> m.Indicator:
    goal = m.PerformanceGoal.objects.get(project=world.project("P001"))
    return goal.indicators.get(level3=level3)


def test_the_second_of_two_editors_gets_409_and_nothing_is_lost(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    indicator = _indicator(world, "按期完成率")
    url = f"{BASE}/indicators/{indicator.pk}"
    office, admin = api("office"), api("admin")
    read_by_office = office.get(url).json()
    read_by_admin = admin.get(url).json()
    assert read_by_office["version"] == read_by_admin["version"]
    first = office.patch_json(
        url, {"actual": "96%", "deviation_reason": "", "version": read_by_office["version"]}
    )
    assert first.status_code == 200 and first.json()["version"] == read_by_office["version"] + 1
    second = admin.patch_json(url, {"actual": "80%", "version": read_by_admin["version"]})
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"] and "重新读取" in second.json()["detail"]
    stored = m.Indicator.objects.get(pk=indicator.pk)
    assert stored.actual == "96%" and stored.deviation_reason == ""  # the first edit stands
    assert stored.version == first.json()["version"]
    again = admin.patch_json(url, {"actual": "80%", "version": stored.version})
    assert again.status_code == 200 and m.Indicator.objects.get(pk=indicator.pk).actual == "80%"


def test_a_version_is_required(world: World, api: Callable[[str], ApiClient]) -> None:
    url = f"{BASE}/indicators/{_indicator(world, '按期完成率').pk}"
    response = api("office").patch_json(url, {"actual": "96%"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "version"


def test_the_change_is_in_the_audit_trail_under_the_tokens_user(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    indicator = _indicator(world, "按期完成率")
    url = f"{BASE}/indicators/{indicator.pk}"
    api("office").patch_json(url, {"actual": "97%", "version": indicator.version})
    latest = m.Indicator.history.filter(id=indicator.pk).order_by("-history_id").first()
    assert latest is not None and latest.actual == "97%"
    assert latest.history_user == world.users["office"]
    assert latest.history_change_reason == "通过接口修改"


def test_a_submitted_self_evaluation_is_locked_for_everyone(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    indicator = _indicator(world, "按期完成率")
    goal = indicator.goal
    goal.evaluation_status = WorkflowStatus.submitted
    goal.save(bump_version=False)
    url = f"{BASE}/indicators/{indicator.pk}"
    shown = api("office").get(url).json()
    assert shown["editable"] is False and "锁定" in shown["locked"]
    for persona in ("office", "admin"):
        response = api(persona).patch_json(url, {"actual": "1%", "version": indicator.version})
        assert response.status_code == 409 and "锁定" in response.json()["detail"]
    assert m.Indicator.objects.get(pk=indicator.pk).actual == "90%"
    goal.evaluation_status = WorkflowStatus.returned  # returned: editable again
    goal.save(bump_version=False)
    response = api("office").patch_json(url, {"actual": "1%", "version": indicator.version})
    assert response.status_code == 200


def test_qualitative_fields_are_checked(world: World, api: Callable[[str], ApiClient]) -> None:
    office = api("office")
    qualitative = _indicator(world, "规划管控作用")
    url = f"{BASE}/indicators/{qualitative.pk}"

    def patch(**body: object) -> ApiClient:
        version = m.Indicator.objects.get(pk=qualitative.pk).version
        return office.patch_json(url, {**body, "version": version})

    bad_state = patch(state="差不多")
    assert bad_state.status_code == 400 and "不是有效的完成情况" in bad_state.json()["detail"]
    too_high = patch(assessed_score="31")
    assert too_high.status_code == 400 and "超出范围" in too_high.json()["detail"]
    not_a_number = patch(assessed_score="很高")
    assert not_a_number.status_code == 422
    good = patch(state="部分达成年度指标并具有一定效果", assessed_score="20.5")
    assert good.status_code == 200, good.content
    stored = m.Indicator.objects.get(pk=qualitative.pk)
    assert stored.state == "部分达成年度指标并具有一定效果"
    assert stored.assessed_score == Decimal("20.5")
    assert good.json()["assessed_score"] == "20.5"
    quantitative = _indicator(world, "按期完成率")
    wrong_kind = office.patch_json(
        f"{BASE}/indicators/{quantitative.pk}",
        {"state": "达成年度指标", "version": quantitative.version},
    )
    assert wrong_kind.status_code == 400 and "定性指标" in wrong_kind.json()["detail"]
    nul = patch(actual="a\x00b")
    assert nul.status_code == 422


def test_the_evaluation_follows_an_updated_actual(
    world: World, api: Callable[[str], ApiClient]
) -> None:
    office = api("office")
    indicator = _indicator(world, "按期完成率")

    def score() -> str:
        projects = office.get(f"{BASE}/evaluation").json()["result"]["projects"]
        rows = projects[0]["evaluation"]["indicators"]
        row = next(r for r in rows if r["indicator"]["level3"] == "按期完成率")
        return str(row["score"])

    before = score()
    url = f"{BASE}/indicators/{indicator.pk}"
    assert (
        office.patch_json(url, {"actual": "95%", "version": indicator.version}).status_code == 200
    )
    assert score() != before and Decimal(score()) == Decimal(20)


def test_the_command_line_makes_a_token_shown_once_and_kept_hashed(
    world: World, jixiao: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, _ = jixiao("api-token", "--user", "office", "--label", "报表系统")
    assert code == 0
    token = next(line for line in out.splitlines() if line.startswith("jx_"))
    row = ApiToken.objects.get(user=world.users["office"])
    assert row.digest == token_digest(token) and token not in row.digest
    assert row.label == "报表系统"
    response = ApiClient(token).get("/api/years")
    assert response.status_code == 200 and response.json()[0]["department"] == FIRST
    code, listed, _ = jixiao("api-token", "--user", "office", "--list")
    assert code == 0 and "报表系统" in listed and token not in listed
    code, _, _ = jixiao("api-token", "--user", "office", "--revoke", str(row.pk))
    assert code == 0 and ApiClient(token).get("/api/years").status_code == 401
    code, _, err = jixiao("api-token", "--user", "nobody-here")
    assert code == 2 and "nobody-here" in err
