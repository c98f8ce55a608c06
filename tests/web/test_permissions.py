"""The permission matrix: every object URL of the first department, asked by every persona.

200: may see it. 403: a colleague in the department whose role or office does not cover
the object. 404: the outsider, on everything of the first department, whether the
object exists or not.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.storage import models as m
from jixiao.web import permissions as p
from jixiao.web.models import Membership, Role
from tests.web.conftest import FIRST, PERSONAS, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
ALL = {"admin": 200, "finance": 200, "leader": 200, "bureau": 200, "office": 200}
NOT_OFFICE = {**ALL, "office": 403}
NOBODY = dict.fromkeys(ALL, 404)
FINANCE_ONLY = {**ALL, "leader": 403, "bureau": 403, "office": 403}
IMPORTERS = {**ALL, "leader": 403, "bureau": 403}  # a 业务科室 imports its own projects' forms


def _matrix(world: World) -> list[tuple[str, dict[str, int]]]:
    fy = world.fiscal_year
    p001, p002 = world.project("P001"), world.project("P002")
    l01, b01 = world.line("L01"), world.line("B01")
    adjustment = m.BudgetAdjustment.objects.get(budget_line=l01)
    goal = m.PerformanceGoal.objects.get(project=p001)
    department_goal = m.PerformanceGoal.objects.get(fiscal_year=fy, project=None)
    indicator = goal.indicators.get(level3="按期完成率")
    progress = indicator.progress.get()
    department_indicator = department_goal.indicators.get()
    ghk, tdk = (m.Office.objects.get(department=fy.department, code=c) for c in ("ghk", "tdk"))
    own_item = m.Rectification.objects.create(fiscal_year=fy, issue="甲", owner_office=ghk)
    other_item = m.Rectification.objects.create(fiscal_year=fy, issue="乙", owner_office=tdk)
    return [
        (f"{BASE}/", ALL),
        (f"{BASE}/budget/", ALL),
        (f"{BASE}/budget/?line=L01&date_from=2024-01-01&amount_min=1", ALL),
        (f"{BASE}/budget/lines/L01/", ALL),
        (f"{BASE}/budget/lines/L02/", NOT_OFFICE),
        (f"{BASE}/budget/lines/B01/", NOT_OFFICE),
        (f"{BASE}/budget/lines/NOPE/", NOBODY),
        (f"{BASE}/projects/P001/", ALL),
        (f"{BASE}/projects/P002/", NOT_OFFICE),
        (f"{BASE}/projects/NOPE/", NOBODY),
        (f"{BASE}/audit/", ALL),
        (f"{BASE}/audit/?kind=line", ALL),
        (f"{BASE}/audit/year/{fy.pk}/", NOT_OFFICE),
        (f"{BASE}/audit/year/{world.other_year.pk}/", NOBODY),
        (f"{BASE}/audit/project/{p001.pk}/", ALL),
        (f"{BASE}/audit/project/{p002.pk}/", NOT_OFFICE),
        (f"{BASE}/audit/line/{l01.pk}/", ALL),
        (f"{BASE}/audit/line/{b01.pk}/", NOT_OFFICE),
        (f"{BASE}/audit/adjustment/{adjustment.pk}/", ALL),
        (f"{BASE}/audit/goal/{goal.pk}/", ALL),
        (f"{BASE}/audit/goal/{department_goal.pk}/", NOT_OFFICE),
        (f"{BASE}/audit/indicator/{indicator.pk}/", ALL),
        (f"{BASE}/audit/indicator/{department_indicator.pk}/", NOT_OFFICE),
        (f"{BASE}/audit/progress/{progress.pk}/", ALL),
        (f"{BASE}/audit/bogus/{p001.pk}/", NOBODY),
        (f"{BASE}/audit/project/999999/", NOBODY),
        (f"/d/{FIRST}/1999/", NOBODY),
        # the workflow pages (goals, self-evaluation, monitoring, reports, import, 整改)
        (f"{BASE}/goals/", ALL),
        (f"{BASE}/goals/department/", NOT_OFFICE),
        (f"{BASE}/projects/P001/goal/", ALL),
        (f"{BASE}/projects/P002/goal/", NOT_OFFICE),
        (f"{BASE}/projects/NOPE/goal/", NOBODY),
        (f"{BASE}/evaluation/", ALL),
        (f"{BASE}/evaluation/department/", NOT_OFFICE),
        (f"{BASE}/projects/P001/evaluation/", ALL),
        (f"{BASE}/projects/P002/evaluation/", NOT_OFFICE),
        (f"{BASE}/projects/NOPE/evaluation/", NOBODY),
        (f"{BASE}/monitoring/", ALL),
        (f"{BASE}/monitoring/?as_of=2024-06-30", ALL),
        (f"{BASE}/reports/", NOT_OFFICE),
        (f"{BASE}/reports/999999/download/", NOBODY),
        (f"{BASE}/import/", IMPORTERS),
        (f"{BASE}/import/templates/goals/", IMPORTERS),
        (f"{BASE}/import/filled/goals/", IMPORTERS),
        (f"{BASE}/import/filled/evaluation/", IMPORTERS),
        (f"{BASE}/import/filled/nope/", {**IMPORTERS, "admin": 404, "finance": 404, "office": 404}),
        (f"{BASE}/import/templates/budget/", {**FINANCE_ONLY, "office": 404}),
        (f"{BASE}/import/templates/department-evaluation/", {**FINANCE_ONLY, "office": 404}),
        (
            f"{BASE}/import/templates/nope/",
            {**IMPORTERS, "admin": 404, "finance": 404, "office": 404},
        ),
        (f"{BASE}/rectification/", ALL),
        (f"{BASE}/rectification/{own_item.pk}/", ALL),
        (f"{BASE}/rectification/{other_item.pk}/", NOT_OFFICE),
        (f"{BASE}/rectification/999999/", NOBODY),
        (f"{BASE}/audit/rectification/{own_item.pk}/", ALL),
        (f"{BASE}/audit/rectification/{other_item.pk}/", NOT_OFFICE),
    ]


def test_every_persona_gets_what_the_rules_say_on_every_object_url(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    clients = {persona: as_persona(persona) for persona in PERSONAS}
    wrong = []
    for url, expected in _matrix(world):
        for persona in PERSONAS:
            want = expected.get(persona, 404)  # the outsider: 404 on everything
            got = clients[persona].get(url).status_code
            if got != want:
                wrong.append(f"{persona} {url}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)


def test_the_outsider_sees_its_own_department_and_nothing_of_the_first(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    outsider = as_persona("outsider")
    home = outsider.get("/").content.decode()
    assert "另一区另一局" in home
    assert "测试区测试局" not in home and FIRST not in home
    own = outsider.get(f"/d/other-dept/{YEAR}/")
    assert own.status_code == 200


def test_only_the_bureau_and_the_admin_open_the_bureau_view(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    expected = {"admin": 200, "bureau": 200}
    for persona in PERSONAS:
        response = as_persona(persona).get(f"/bureau/{YEAR}/")
        assert response.status_code == expected.get(persona, 403), persona
    latest = as_persona("bureau").get("/bureau/")
    assert latest.status_code == 302 and latest["Location"] == f"/bureau/{YEAR}/"


def test_a_signed_out_visitor_is_sent_to_the_login_page(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    for url in ("/", f"{BASE}/", f"{BASE}/budget/lines/L01/", f"{BASE}/audit/", "/bureau/2024/"):
        response = as_persona("anonymous").get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_an_account_without_a_role_is_refused_everywhere(world: World) -> None:
    client = Client()
    client.force_login(User.objects.create_user("nobody", password="x" * 12))
    for url in ("/", f"{BASE}/", f"{BASE}/budget/", "/bureau/2024/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "尚未分配角色" in response.content.decode()


def test_a_superuser_without_a_membership_is_an_admin(world: World) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x" * 12))
    assert client.get(f"{BASE}/budget/lines/B01/").status_code == 200


def test_the_office_sees_only_its_own_projects_in_the_lists(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    office = as_persona("office")
    budget = office.get(f"{BASE}/budget/").content.decode()
    assert "L01" in budget
    assert "L02" not in budget and "B01" not in budget
    dashboard = office.get(f"{BASE}/").content.decode()
    assert "P001" in dashboard and "P002" not in dashboard
    finance_budget = as_persona("finance").get(f"{BASE}/budget/").content.decode()
    assert "L02" in finance_budget and "B01" in finance_budget


def test_the_office_ledger_filter_cannot_reach_another_offices_line(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    response = as_persona("office").get(f"{BASE}/budget/?line=L02")
    assert response.status_code == 200
    assert response.context["form"].errors  # not one of the office's lines: refused
    shown = {payment.budget_line.code for payment in response.context["page"].object_list}
    assert shown == {"L01"}


def test_the_navigation_lists_the_bureau_view_only_for_roles_that_may_open_it(
    world: World, as_persona: Callable[[str], Client]
) -> None:
    assert "财政局视图" in as_persona("bureau").get(f"{BASE}/").content.decode()
    assert "财政局视图" not in as_persona("finance").get(f"{BASE}/").content.decode()


@pytest.mark.parametrize(
    ("role", "department", "office", "valid"),
    [
        (Role.admin, False, False, True),
        (Role.bureau, False, False, True),
        (Role.finance, True, False, True),
        (Role.leader, True, False, True),
        (Role.office, True, True, True),
        (Role.finance, False, False, False),
        (Role.office, True, False, False),
        (Role.bureau, True, False, False),
    ],
)
def test_a_membership_must_fit_its_role(
    world: World, role: Role, department: bool, office: bool, valid: bool
) -> None:
    from django.core.exceptions import ValidationError

    dept = world.fiscal_year.department
    membership = Membership(
        user=User.objects.create_user(f"u-{role}-{department}-{office}"),
        role=role,
        department=dept if department else None,
        office=m.Office.objects.get(department=dept, code="ghk") if office else None,
    )
    if valid:
        membership.full_clean()
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()


def test_an_office_of_another_department_is_refused(world: World) -> None:
    from django.core.exceptions import ValidationError

    other_office = m.Office.objects.get(department=world.other_year.department, code="ghk")
    membership = Membership(
        user=User.objects.create_user("mixed"),
        role=Role.office,
        department=world.fiscal_year.department,
        office=other_office,
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_the_rules_as_plain_functions(world: World) -> None:
    fy = world.fiscal_year
    finance = p.Scope(1, Role.finance, fy.department_id)
    office = p.Scope(2, Role.office, fy.department_id, world.project("P001").office_id)
    bureau = p.Scope(3, Role.bureau)
    leader = p.Scope(4, Role.leader, fy.department_id)
    outsider = p.Scope(5, Role.finance, world.other_year.department_id)
    p001, p002 = world.project("P001"), world.project("P002")
    assert p.can_review(finance, fy) and not p.can_review(bureau, fy)
    assert p.can_return(bureau, fy) and p.can_comment(bureau, fy)
    assert not p.can_return(leader, fy) and not p.can_review(leader, fy)
    assert p.can_edit_project(office, p001) and not p.can_edit_project(office, p002)
    assert p.can_submit(office, p001) and not p.can_submit(finance, p001)
    assert not p.can_edit_project(leader, p001) and not p.can_edit_project(bureau, p001)
    assert p.can_edit_budget(finance, fy) and not p.can_edit_budget(office, fy)
    assert not p.can_view_year(outsider, fy) and not p.can_review(outsider, fy)
    assert not p.can_edit_budget(outsider, fy)
    assert list(p.visible_projects(office, fy).values_list("code", flat=True)) == ["P001"]
    assert p.visible_projects(outsider, fy).count() == 0
