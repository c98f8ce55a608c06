"""Cities (城市/财政局): a city owns departments; a 财政局 account belongs to one city and
reaches only its departments, in its workspace, queue, ranking, 抽查, batches, setup
page and every department page; 系统管理员 sees all and creates cities. Departments
stored before cities went into the default city (the migration)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from jixiao.services import setup
from jixiao.services import spot_checks as spot
from jixiao.services.city_batch import request_batch
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Membership, Role
from tests.web.conftest import FIRST, OTHER, PASSWORD, YEAR, World
from tests.web.test_library_pages import BASE, PROPOSAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(world: World) -> Client:
    """A second city holding the other department, and its 财政局 account signed in."""
    city = setup.create_city("east", "东城市")
    m.Department.objects.filter(code=OTHER).update(city=city)
    client = Client()
    client.force_login(create_account("east-bureau", Role.bureau, PASSWORD, city=city).user)
    return client


def test_departments_and_bureau_accounts_go_to_the_default_city(world: World) -> None:
    default = m.City.objects.get(code=m.DEFAULT_CITY_CODE)
    assert set(m.Department.objects.values_list("city", flat=True)) == {default.pk}
    assert Membership.objects.get(user__username="bureau").city == default
    assert Membership.objects.get(user__username="admin").city is None


def test_a_city_bureau_sees_only_its_departments(world: World, east: Client) -> None:
    page = east.get(f"/bureau/{YEAR}/").content.decode()
    assert "另一区另一局" in page and "测试区测试局" not in page
    assert east.get(f"/d/{OTHER}/{YEAR}/").status_code == 200
    assert east.get(f"/d/{FIRST}/{YEAR}/").status_code == 404
    ranking = east.get(f"/bureau/{YEAR}/ranking/").content.decode()
    assert "另一区另一局" in ranking and "测试区测试局" not in ranking
    setup.create_fiscal_year(m.Department.objects.get(code=FIRST), YEAR + 5)
    assert east.get("/bureau/").headers["Location"] == f"/bureau/{YEAR}/"
    home = east.get("/").content.decode()
    assert f"/d/{OTHER}/{YEAR}/" in home and f"/d/{FIRST}/{YEAR}/" not in home
    # the default city's bureau and the admin still see the first department
    assert "测试区测试局" in world.client("bureau").get(f"/bureau/{YEAR}/").content.decode()
    assert world.client("bureau").get(f"/d/{OTHER}/{YEAR}/").status_code == 404
    assert world.client("admin").get(f"/d/{OTHER}/{YEAR}/").status_code == 200


def test_a_city_bureau_samples_and_batches_its_own_departments_only(
    world: World, east: Client, settings: Any, tmp_path: Any
) -> None:
    settings.JIXIAO_HOME = tmp_path
    m.PerformanceGoal.objects.filter(project__isnull=False).update(
        evaluation_status=WorkflowStatus.submitted
    )
    draw = {"method": "random", "count": "10", "seed": "1"}
    response = east.post(f"/bureau/{YEAR}/spot-checks/draw/", draw)
    assert response.status_code == 302
    drawn = {c.goal.fiscal_year.department.code for c in m.SpotCheck.objects.all()}
    assert drawn == {OTHER}
    first = m.SpotCheck.objects.create(
        goal=m.PerformanceGoal.objects.filter(fiscal_year=world.fiscal_year, project__isnull=False)
        .first(),
        year=YEAR, method="random", framework=spot.DEFAULT,
    )  # fmt: skip
    assert east.get(f"/bureau/{YEAR}/spot-checks/{first.pk}/").status_code == 404
    assert f"{first.pk}/" not in east.get(f"/bureau/{YEAR}/spot-checks/").content.decode()

    assert "生成全部 1 个部门" in east.get(f"/bureau/{YEAR}/batches/").content.decode()
    east.post(f"/bureau/{YEAR}/batches/new/")
    assert m.CityBatch.objects.get().departments == [OTHER]
    everyone = request_batch(YEAR, tmp_path / "all")
    assert east.get(f"/batches/{everyone.pk}/").status_code == 404
    assert world.client("admin").get(f"/batches/{everyone.pk}/").status_code == 200


def test_the_admin_creates_a_city_and_a_department_in_it(world: World) -> None:
    admin = world.client("admin")
    admin.post("/setup/", {"kind": "city", "code": "west", "name": "西城市"})
    west = m.City.objects.get(code="west")
    admin.post("/setup/", {"kind": "department", "code": "w-dept", "name": "西城局",
                           "city": west.pk})  # fmt: skip
    assert m.Department.objects.get(code="w-dept").city == west
    admin.post("/setup/", {"kind": "account", "username": "w-bureau", "full_name": "西财政",
                           "role": "bureau", "city": west.pk})  # fmt: skip
    assert Membership.objects.get(user__username="w-bureau").city == west
    page = admin.get("/setup/").content.decode()
    assert 'id="cities"' in page and "西城市" in page
    refused = world.client("bureau").post("/setup/", {"kind": "city", "code": "x", "name": "某市"})
    assert refused.status_code == 200 and not m.City.objects.filter(code="x").exists()


def test_a_city_bureau_sets_up_departments_and_accounts_of_its_city_only(
    world: World, east: Client
) -> None:
    east.post("/setup/", {"kind": "department", "code": "e-dept", "name": "东城局"})
    assert m.Department.objects.get(code="e-dept").city.code == "east"
    page = east.get("/setup/").content.decode()
    assert "东城局" in page and "测试区测试局" not in page and 'name="city"' not in page
    first = m.Department.objects.get(code=FIRST)
    east.post("/setup/", {"kind": "office", "department": first.pk, "code": "K9", "name": "某科"})
    assert not m.Office.objects.filter(code="K9").exists()
    response = east.post("/setup/", {"kind": "account", "username": "spy", "full_name": "某人",
                                     "role": "finance", "department": FIRST})  # fmt: skip
    assert "不属于本市" in response.content.decode()
    assert not Membership.objects.filter(user__username="spy").exists()
    east.post("/setup/", {"kind": "account", "username": "e-bureau2", "full_name": "东二",
                          "role": "bureau"})  # fmt: skip
    assert Membership.objects.get(user__username="e-bureau2").city.code == "east"


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_existing_departments_into_the_default_city() -> None:
    executor = MigrationExecutor(connection)
    [cities] = [key for key in executor.loader.graph.nodes if key[0] == "storage"
                and key[1].endswith("_cities")]  # fmt: skip
    before = sorted(parent.key for parent in executor.loader.graph.node_map[cities].parents)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("storage", "Department").objects.create(code="old", name="旧部门")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    department = m.Department.objects.get(code="old")
    assert (department.city.code, department.city.name) == (m.DEFAULT_CITY_CODE, "本级")


def test_a_city_bureau_issues_rectification_notices_to_its_departments_only(
    world: World, east: Client
) -> None:
    page = east.get(f"/bureau/{YEAR}/notices/").content.decode()
    assert f'value="{OTHER}"' in page and f'value="{FIRST}"' not in page
    everyone = world.client("admin").get(f"/bureau/{YEAR}/notices/").content.decode()
    assert f'value="{OTHER}"' in everyone and f'value="{FIRST}"' in everyone
    refused = east.post(f"/bureau/{YEAR}/notices/", {"department": FIRST, "issue": "某问题"})
    assert refused.status_code == 400 and not m.RectificationNotice.objects.exists()


def test_a_city_bureau_decides_the_indicator_proposals_of_its_departments_only(
    world: World, east: Client
) -> None:
    assert world.client("office").post(f"{BASE}/library/propose/", PROPOSAL).status_code == 302
    proposal = m.IndicatorProposal.objects.get()  # of the first department (default city)
    assert "不动产登记档案数字化率" not in east.get("/library/proposals/").content.decode()
    decide = f"/library/proposals/{proposal.pk}/decide/"
    assert east.post(decide, {"decision": "approve"}).status_code == 404
    default_city = world.client("bureau").get("/library/proposals/").content.decode()
    assert "不动产登记档案数字化率" in default_city


def test_the_admin_names_a_citys_finance_bureau_and_the_city_summary_is_signed_by_it(
    world: World, east: Client
) -> None:
    from jixiao.services.city_batch import _issuer

    assert m.City.objects.get(code=m.DEFAULT_CITY_CODE).bureau == m.DEFAULT_BUREAU_NAME
    city = m.City.objects.get(code="east")
    assert city.bureau == "东城市财政局"
    admin = world.client("admin")
    admin.post(
        "/setup/", {"kind": "bureau", "city": city.pk, "bureau_name": "东城市财政局（局本级）"}
    )
    assert m.City.objects.get(code="east").bureau == "东城市财政局（局本级）"
    assert "东城市财政局（局本级）" in admin.get("/setup/").content.decode()
    assert _issuer([OTHER]) == "东城市财政局（局本级）"
    assert _issuer([FIRST, OTHER]) == ""  # two cities: no one bureau signs
    refused = east.post("/setup/", {"kind": "bureau", "city": city.pk, "bureau_name": "某局"})
    assert refused.status_code == 200 and m.City.objects.get(code="east").bureau != "某局"


# 评价专家: an expert belongs to a city and reaches its city's samples only


def _sampled(fiscal_year: m.FiscalYear) -> m.SpotCheck:
    goal = m.PerformanceGoal.objects.filter(fiscal_year=fiscal_year, project__isnull=False).first()
    assert goal is not None
    return m.SpotCheck.objects.create(goal=goal, year=YEAR, method="random", framework=spot.DEFAULT)


def _expert_client(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_a_city_bureau_creates_experts_of_its_own_city_only(world: World, east: Client) -> None:
    east.post("/setup/", {"kind": "account", "username": "e-expert", "full_name": "东专家",
                          "role": "expert"})  # fmt: skip
    assert Membership.objects.get(user__username="e-expert").city.code == "east"
    world.client("bureau").post("/setup/", {"kind": "account", "username": "d-expert",
                                            "full_name": "本级专家", "role": "expert"})  # fmt: skip
    assert Membership.objects.get(user__username="d-expert").city.code == m.DEFAULT_CITY_CODE
    from jixiao.interchange.problems import InputRejected
    from jixiao.web.accounts import AccountRequest, create_accounts

    default = m.City.objects.get(code=m.DEFAULT_CITY_CODE)
    east_city = m.City.objects.get(code="east")
    with pytest.raises(InputRejected, match="只能为本市建立"):
        create_accounts(
            [AccountRequest("spy-expert", "某人", "评价专家", city=default.code)],
            Role.bureau, east_city.pk,
        )  # fmt: skip
    assert not Membership.objects.filter(user__username="spy-expert").exists()
    admin_page = world.client("admin").get("/setup/").content.decode()
    row = admin_page.split("e-expert</td>")[1].split("</tr>")[0]
    assert "东城市" in row
    east_page = east.get("/setup/").content.decode()
    assert "e-expert" in east_page and "d-expert" not in east_page


def test_a_second_citys_bureau_cannot_see_or_assign_the_first_citys_expert(
    world: World, east: Client
) -> None:
    first_check, east_check = _sampled(world.fiscal_year), _sampled(world.other_year)
    default = m.City.objects.get(code=m.DEFAULT_CITY_CODE)
    first_expert = create_account("d-expert", Role.expert, PASSWORD, full_name="本级专家")
    east_expert = create_account(
        "e-expert", Role.expert, PASSWORD, full_name="东专家", city=m.City.objects.get(code="east")
    )
    assert first_expert.city == default
    east_url = f"/bureau/{YEAR}/spot-checks/{east_check.pk}/"
    page = east.get(east_url).content.decode()
    assert "e-expert" in page and "d-expert" not in page
    east.post(f"{east_url}assign/", {"expert": "d-expert"})
    east_check.refresh_from_db()
    assert east_check.assigned_to_id is None
    east.post(f"{east_url}assign/", {"expert": "e-expert"})
    east_check.refresh_from_db()
    assert east_check.assigned_to_id == east_expert.user_id
    # the default city's bureau and the admin offer only the first city's expert there
    first_url = f"/bureau/{YEAR}/spot-checks/{first_check.pk}/"
    admin = world.client("admin")
    page = admin.get(first_url).content.decode()
    assert "d-expert" in page and "e-expert" not in page
    admin.post(f"{first_url}assign/", {"expert": "e-expert"})
    first_check.refresh_from_db()
    assert first_check.assigned_to_id is None
    listing = admin.get(f"/bureau/{YEAR}/spot-checks/").content.decode()
    assert "东城市" in listing and "本级" in listing  # the admin sees each sample's city


def test_an_expert_sees_only_samples_of_its_citys_departments(world: World, east: Client) -> None:
    first_check, east_check = _sampled(world.fiscal_year), _sampled(world.other_year)
    expert = create_account("d-expert", Role.expert, PASSWORD)
    # assigned before its department moved to the other city (or by hand): not reached
    m.SpotCheck.objects.filter(pk__in=[first_check.pk, east_check.pk]).update(
        assigned_to=expert.user
    )
    client = _expert_client(expert)
    listing = client.get(f"/bureau/{YEAR}/spot-checks/").content.decode()
    assert f"{first_check.pk}/" in listing and f"{east_check.pk}/" not in listing
    assert client.get(f"/bureau/{YEAR}/spot-checks/{first_check.pk}/").status_code == 200
    assert client.get(f"/bureau/{YEAR}/spot-checks/{east_check.pk}/").status_code == 404
    score = {"item": ["decision-goal"], "score": ["1"]}
    assert client.post(f"/bureau/{YEAR}/spot-checks/{east_check.pk}/", score).status_code == 404
    assert not m.BureauScore.objects.filter(spot_check=east_check).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_existing_experts_into_the_city_of_their_samples() -> None:
    from django.contrib.auth.models import User

    executor = MigrationExecutor(connection)
    before = [("web", "0004_membership_city")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    city = old.get_model("storage", "City").objects.create(code="north", name="北城市")
    department = old.get_model("storage", "Department").objects.create(
        code="n-dept", name="北城局", city=city
    )
    fiscal_year = old.get_model("storage", "FiscalYear").objects.create(
        department=department, year=YEAR
    )
    goal = old.get_model("storage", "PerformanceGoal").objects.create(fiscal_year=fiscal_year)
    memberships = old.get_model("web", "Membership")
    users = old.get_model("auth", "User")
    assigned = users.objects.create(username="assigned")
    idle = users.objects.create(username="idle")
    memberships.objects.create(user=assigned, role="expert")
    memberships.objects.create(user=idle, role="expert")
    old.get_model("storage", "SpotCheck").objects.create(
        goal=goal, year=YEAR, method="random", framework="spot-check-mof-2020",
        assigned_to_id=assigned.pk,
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get(username="assigned").membership.city.code == "north"  # type: ignore[attr-defined]
    assert User.objects.get(username="idle").membership.city.code == m.DEFAULT_CITY_CODE  # type: ignore[attr-defined]
