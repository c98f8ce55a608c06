"""The costly parts of 首页, 运行监控 and the 财政局 view are rendered once and kept until the
stored data changes; what is personal stays out of them.

These tests commit (``transaction=True``): inside a transaction nothing is kept.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.services import versioned_cache
from jixiao.services.versioned_cache import data_tables, data_version
from jixiao.storage import models as m
from tests.web.conftest import FIRST, YEAR, World

pytestmark = pytest.mark.django_db(transaction=True)

BASE = f"/d/{FIRST}/{YEAR}"
PAGES = {"首页": f"{BASE}/", "运行监控": f"{BASE}/monitoring/", "财政局": f"/bureau/{YEAR}/"}


@pytest.fixture
def kept_world(world: World) -> Iterator[World]:
    cache.clear()
    yield world
    cache.clear()


def _without_tokens(page: bytes) -> str:
    """The page without its CSRF tokens (new on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def _goal_reads(client: Client, path: str) -> int:
    """How many queries a request runs against the goals (read only to build the part)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum("storage_performancegoal" in q["sql"] for q in queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_part_is_built_once_while_nothing_changes(kept_world: World, page: str) -> None:
    persona = "bureau" if page == "财政局" else "finance"
    client = kept_world.client(persona)
    first = _without_tokens(client.get(PAGES[page]).content)
    assert _goal_reads(client, PAGES[page]) == 0
    assert _without_tokens(client.get(PAGES[page]).content) == first


def test_a_changed_project_shows_at_once_on_every_page(kept_world: World) -> None:
    finance, bureau = kept_world.client("finance"), kept_world.client("bureau")
    for path in (PAGES["首页"], PAGES["运行监控"]):
        assert "国土空间规划编制" in finance.get(path).content.decode()
    m.Project.objects.filter(code="P001").update(name="国土空间总体规划")  # no signals
    for path in (PAGES["首页"], PAGES["运行监控"]):
        page = finance.get(path).content.decode()
        assert "国土空间总体规划" in page
        assert "国土空间规划编制" not in page
    before = bureau.get(PAGES["财政局"]).content.decode()
    with connection.cursor() as cursor:  # not through the ORM at all
        cursor.execute(
            "UPDATE storage_department SET name = %s WHERE code = %s", ["更名后的测试局", FIRST]
        )
    after = bureau.get(PAGES["财政局"]).content.decode()
    assert "更名后的测试局" in after
    assert "更名后的测试局" not in before


def test_a_payment_shows_at_once(kept_world: World) -> None:
    client = kept_world.client("finance")
    assert "110.00" in client.get(PAGES["首页"]).content.decode()  # L01: 40 + 70.5 - 0.5
    line = kept_world.line("L01")
    m.Payment.objects.create(budget_line=line, date=f"{YEAR}-11-02", amount=123_456)
    assert "122.35" in client.get(PAGES["首页"]).content.decode()


def test_every_stored_table_changes_the_data_version(kept_world: World) -> None:
    assert data_version() is not None  # every watched table has its triggers
    touched = 0
    for table in sorted(data_tables()):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            if cursor.fetchone()[0] == 0:
                continue
            before = data_version()
            cursor.execute(f"UPDATE {table} SET id = id")
        assert data_version() != before, table
        touched += 1
    assert touched >= 15


def test_an_office_sees_only_its_projects_whoever_came_first(kept_world: World) -> None:
    finance, office = kept_world.client("finance"), kept_world.client("office")
    # P002 (土地储备科) is monitored once it has a payment
    m.Payment.objects.create(budget_line=kept_world.line("L02"), date=f"{YEAR}-05-06", amount=1)
    for path in (PAGES["首页"], PAGES["运行监控"]):
        assert "土地储备前期" in finance.get(path).content.decode()
        narrowed = office.get(path).content.decode()
        assert "国土空间规划编制" in narrowed
        assert "土地储备前期" not in narrowed
        assert "土地储备前期" in finance.get(path).content.decode()


def test_the_part_holds_nothing_personal(kept_world: World) -> None:
    finance, leader = kept_world.client("finance"), kept_world.client("leader")
    mine = finance.get(PAGES["运行监控"]).content.decode()
    theirs = leader.get(PAGES["运行监控"]).content.decode()
    assert 'id="take-snapshot"' in mine
    assert 'id="take-snapshot"' not in theirs  # 单位领导 may not take snapshots
    for page in (mine, theirs):
        assert 'id="monitored-projects"' in page
    assert mine.count("csrfmiddlewaretoken") == theirs.count("csrfmiddlewaretoken") + 1


def test_each_language_has_its_own_part(kept_world: World) -> None:
    client = kept_world.client("finance")
    assert "按资金来源分" in client.get(PAGES["首页"]).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": PAGES["首页"]})
    english = client.get(PAGES["首页"]).content.decode()
    assert "按资金来源分" not in english


def test_each_date_has_its_own_part(kept_world: World) -> None:
    client = kept_world.client("finance")
    march = client.get(PAGES["首页"], {"as_of": f"{YEAR}-03-31"}).content.decode()
    october = client.get(PAGES["首页"], {"as_of": f"{YEAR}-10-31"}).content.decode()
    assert "40.00" in march  # L01 paid by the end of March
    assert "40.00" not in october.split('id="projects"')[1].split("</table>")[0]


def test_without_the_triggers_nothing_is_kept(
    kept_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versioned_cache, "data_version", lambda: None)
    monkeypatch.setattr(versioned_cache, "_data_year_triggers_in_place", lambda triggers: False)
    client = kept_world.client("finance")
    client.get(PAGES["首页"])
    assert _goal_reads(client, PAGES["首页"]) > 0


def _indicator_trigger_sql() -> tuple[str, str]:
    """SQL that drops one of the data version's triggers (on the indicators) and SQL that
    creates it again, as its migration does."""
    migration = importlib.import_module("jixiao.web.api.migrations.0003_data_version")
    if connection.vendor == "sqlite":
        drop = "DROP TRIGGER jixiao_data_version_storage_indicator_update"
        (restore,) = [s for s in migration._sqlite_create() if "storage_indicator_update" in s]
    else:
        drop = "DROP TRIGGER jixiao_data_version ON storage_indicator"
        (restore,) = [s for s in migration.POSTGRES_CREATE if "ON storage_indicator " in s]
    return drop, restore


def test_a_table_without_its_triggers_turns_keeping_off(kept_world: World) -> None:
    drop, restore = _indicator_trigger_sql()
    with connection.cursor() as cursor:
        cursor.execute(drop)
    try:
        assert data_version() is None
        client = kept_world.client("finance")
        client.get(PAGES["首页"])
        assert _goal_reads(client, PAGES["首页"]) > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(restore)
    assert data_version() is not None


def test_a_trigger_dropped_between_requests_turns_keeping_off_at_the_next(
    kept_world: World,
) -> None:
    """A request reads the triggers once (``triggers_read_once``); the next reads them anew."""
    drop, restore = _indicator_trigger_sql()
    client = kept_world.client("finance")
    client.get(PAGES["首页"])
    assert _goal_reads(client, PAGES["首页"]) == 0
    with connection.cursor() as cursor:
        cursor.execute(drop)
    try:
        assert _goal_reads(client, PAGES["首页"]) > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(restore)
    assert data_version() is not None


def _versions(table: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fiscal_year_id, version FROM {table} ORDER BY fiscal_year_id")
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def test_each_process_keeps_a_copy_only_while_the_shared_cache_holds_it(
    kept_world: World,
) -> None:
    """The copy in the process is dropped with the shared cache: a restore empties the
    shared cache and may bring back versions the copy was kept under."""
    client = kept_world.client("finance")
    assert "国土空间规划编制" in client.get(PAGES["首页"]).content.decode()
    assert versioned_cache.MEMORY.entries  # kept in this process too
    assert _goal_reads(client, PAGES["首页"]) == 0
    before = _versions(versioned_cache.DATA_YEAR_TABLE)
    m.Project.objects.filter(code="P001").update(name="国土空间总体规划")
    with connection.cursor() as cursor:  # as a restore of an earlier backup would
        for fiscal_year_id, version in before:
            cursor.execute(
                f"UPDATE {versioned_cache.DATA_YEAR_TABLE} SET version = %s "
                "WHERE fiscal_year_id = %s",
                [version, fiscal_year_id],
            )
    assert _versions(versioned_cache.DATA_YEAR_TABLE) == before
    cache.clear()
    page = client.get(PAGES["首页"]).content.decode()
    assert "国土空间总体规划" in page
    assert "国土空间规划编制" not in page


def test_a_changed_goal_is_read_on_the_next_request(kept_world: World) -> None:
    client = kept_world.client("finance")
    for path in (PAGES["首页"], PAGES["运行监控"]):
        client.get(path)
        assert _goal_reads(client, path) == 0  # this process's copy
    with connection.cursor() as cursor:  # any change to a goal, however it is made
        cursor.execute("UPDATE storage_performancegoal SET id = id")
    for path in (PAGES["首页"], PAGES["运行监控"]):
        assert _goal_reads(client, path) > 0  # computed anew from the stored goals


def test_the_page_around_a_part_is_each_users_own(kept_world: World) -> None:
    """The part is shared; the name, the CSRF token and what one may do are not."""
    User = type(kept_world.users["finance"])
    User.objects.filter(pk=kept_world.users["finance"].pk).update(first_name="财务张三")
    User.objects.filter(pk=kept_world.users["leader"].pk).update(first_name="领导李四")
    finance, leader = kept_world.client("finance"), kept_world.client("leader")
    for path in (PAGES["首页"], PAGES["运行监控"]):
        mine = finance.get(path)
        theirs = leader.get(path)
        assert "财务张三" in mine.content.decode() and "领导李四" not in mine.content.decode()
        assert "领导李四" in theirs.content.decode() and "财务张三" not in theirs.content.decode()
        tokens = [
            set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.content.decode()))
            for r in (mine, theirs)
        ]
        assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]
        # the token each page carries is the one its own session accepts
        assert finance.cookies["csrftoken"].value and leader.cookies["csrftoken"].value
        assert theirs["Content-Type"] == mine["Content-Type"] == "text/html; charset=utf-8"


def test_a_page_sent_with_its_parts_is_the_page_rendered_as_text(kept_world: World) -> None:
    """``render_page`` sends the part's bytes beside the page; the same page rendered
    with the part as text, through the template, is the same page."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from jixiao.web.page_parts import PagePart, render_page

    request = RequestFactory().get("/")
    part = PagePart("<p>项目 &amp; 资金</p>".encode())
    context = {"fiscal_year": kept_world.fiscal_year, "as_of": "2024-12-31", "year_part": part}
    sent = render_page(request, "web/dashboard.html", context).content.decode()
    assert "<p>项目 &amp; 资金</p>" in sent
    assert "jixiao-part" not in sent
    assert sent == render_to_string("web/dashboard.html", context, request)


KEPT_PAGE_QUERIES = {"首页": 8, "运行监控": 8}
"""Queries of a request that finds its part kept: the session, the user, the membership,
the year; the triggers (once per request) and the year's versions (one query each); the
待办 count's data version; then 首页: its overdue 整改; 运行监控: its snapshots. Measured
8 and 8 (9 and 10 while each version read read the triggers, and 运行监控 the year twice)."""


@pytest.mark.parametrize("page", ["首页", "运行监控"])
def test_a_kept_page_runs_few_queries(kept_world: World, page: str) -> None:
    client = kept_world.client("finance")
    client.get(PAGES[page])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGES[page]).status_code == 200
    assert len(queries) <= KEPT_PAGE_QUERIES[page], [q["sql"][:80] for q in queries]
