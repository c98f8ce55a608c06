"""The permission matrix of the workflow pages' POST endpoints (saves, live checks,
transitions, snapshots, report generation, import, 整改) and of report downloads.

Allowed personas get past the permission check (a redirect, a JSON answer, or 400 for
the empty form these requests send); a colleague whose role or office does not cover
the object gets 403; the outsider gets 404 everywhere; a signed-out visitor is sent to
the login page. Nothing is written by a refused request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.storage import models as m
from tests.web.conftest import FIRST, PERSONAS, YEAR, World

pytestmark = pytest.mark.django_db

BASE = f"/d/{FIRST}/{YEAR}"
DENIED = 403


def _expect(**allowed: int) -> dict[str, int]:
    every = dict.fromkeys(("admin", "finance", "leader", "bureau", "office"), DENIED)
    return {**every, **allowed, "outsider": 404}


EDITORS = _expect(admin=400, office=400)
VIEWERS_JSON = _expect(admin=200, finance=200, leader=200, bureau=200, office=200)
VIEWERS_REDIRECT = _expect(admin=302, finance=302, leader=302, bureau=302, office=302)
FINANCE_REDIRECT = _expect(admin=302, finance=302)
FINANCE_FORM = _expect(admin=400, finance=400)


@pytest.fixture(autouse=True)
def _home(settings: Any, tmp_path: Path) -> None:
    settings.JIXIAO_HOME = tmp_path / "home"


def _matrix(world: World) -> list[tuple[str, dict[str, int]]]:
    fy = world.fiscal_year
    ghk = m.Office.objects.get(department=fy.department, code="ghk")
    item = m.Rectification.objects.create(fiscal_year=fy, issue="甲", owner_office=ghk)
    return [
        (f"{BASE}/projects/P001/goal/", EDITORS),
        (f"{BASE}/projects/P001/goal/validate/", _expect(admin=200, office=200)),
        (f"{BASE}/projects/P001/goal/transition/", VIEWERS_REDIRECT),
        (f"{BASE}/projects/P002/goal/", _expect(admin=400)),
        (f"{BASE}/projects/P002/goal/transition/", {**VIEWERS_REDIRECT, "office": DENIED}),
        (f"{BASE}/projects/NOPE/goal/", dict.fromkeys(PERSONAS, 404)),
        (f"{BASE}/goals/department/", FINANCE_FORM),
        (f"{BASE}/goals/department/validate/", _expect(admin=200, finance=200)),
        (f"{BASE}/goals/department/transition/", {**VIEWERS_REDIRECT, "office": DENIED}),
        (f"{BASE}/projects/P001/evaluation/", EDITORS),
        (f"{BASE}/projects/P001/evaluation/score/", VIEWERS_JSON),
        (f"{BASE}/projects/P001/evaluation/transition/", VIEWERS_REDIRECT),
        # P002 has no goal yet: nothing to score (404) for those who may see it
        (
            f"{BASE}/projects/P002/evaluation/score/",
            _expect(admin=404, finance=404, leader=404, bureau=404),
        ),
        (f"{BASE}/evaluation/department/", FINANCE_FORM),
        (f"{BASE}/evaluation/department/score/", {**VIEWERS_JSON, "office": DENIED}),
        (f"{BASE}/evaluation/department/transition/", {**VIEWERS_REDIRECT, "office": DENIED}),
        (f"{BASE}/monitoring/snapshots/", FINANCE_REDIRECT),
        (f"{BASE}/reports/", FINANCE_REDIRECT),
        (f"{BASE}/import/", _expect(admin=400, finance=400, office=400)),
        (f"{BASE}/import/confirm/", _expect(admin=302, finance=302, office=302)),
        (f"{BASE}/rectification/", FINANCE_FORM),
        (f"{BASE}/rectification/generate/", FINANCE_REDIRECT),
        (f"{BASE}/rectification/carry/", FINANCE_REDIRECT),
        (f"{BASE}/rectification/{item.pk}/", _expect(admin=400, finance=400, office=400)),
    ]


def _counts() -> dict[str, int]:
    return {
        "transitions": m.WorkflowTransition.objects.count(),
        "snapshots": m.MonitoringSnapshot.objects.count(),
        "reports": m.GeneratedReport.objects.count(),
        "items": m.Rectification.objects.count(),
    }


def test_every_persona_gets_what_the_rules_say_on_every_post_endpoint(world: World) -> None:
    matrix = _matrix(world)
    clients = {persona: world.client(persona) for persona in PERSONAS}
    wrong = []
    for url, expected in matrix:
        for persona in PERSONAS:
            want = expected[persona]
            before = _counts()
            got = clients[persona].post(url, {}).status_code
            if got != want:
                wrong.append(f"{persona} POST {url}: {got}, expected {want}")
            if want in (403, 404) and _counts() != before:
                wrong.append(f"{persona} POST {url}: refused but wrote something")
    assert not wrong, "\n".join(wrong)


def test_a_signed_out_visitor_posting_is_sent_to_the_login_page(world: World) -> None:
    for url, _expected in _matrix(world):
        response = world.client("anonymous").post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_post_only_endpoints_answer_405_to_a_get_from_an_allowed_user(world: World) -> None:
    admin = world.client("admin")
    for suffix in (
        "projects/P001/goal/validate/",
        "projects/P001/goal/transition/",
        "projects/P001/evaluation/score/",
        "monitoring/snapshots/",
        "import/confirm/",
        "rectification/generate/",
        "rectification/carry/",
    ):
        assert admin.get(f"{BASE}/{suffix}").status_code == 405, suffix


def test_report_downloads_follow_the_year_and_the_role(world: World, settings: Any) -> None:
    folder = Path(settings.JIXIAO_HOME) / "reports" / FIRST / str(YEAR)
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("甲", encoding="utf-8")
    report = m.GeneratedReport.objects.create(
        fiscal_year=world.fiscal_year, kind="report-md", file=f"{FIRST}/{YEAR}/a.md", size=3
    )
    url = f"{BASE}/reports/{report.pk}/download/"
    expected = {"admin": 200, "finance": 200, "leader": 200, "bureau": 200, "office": 403}
    for persona in PERSONAS:
        assert world.client(persona).get(url).status_code == expected.get(persona, 404), persona
    assert world.client("anonymous").get(url).status_code == 302
