"""The API's figures are the core's figures, money as text, on the demo (荔湾区 2023)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.api.conftest import ApiClient, token_for
from tests.web.conftest import DEMO, DEMO_YEAR, PASSWORD

from jixiao.core.budget import budget_figures
from jixiao.core.money import CENT, format_wan
from jixiao.documents.json_output import to_jsonable
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.monitoring import monitor_stored_year
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role

pytestmark = pytest.mark.django_db

BASE = f"/api/years/{DEMO}/{DEMO_YEAR}"


def _finance(fiscal_year: m.FiscalYear) -> ApiClient:
    user: User = create_account("demo-finance", Role.finance, PASSWORD, fiscal_year.department).user
    return ApiClient(token_for(user))


def _floats(value: Any, path: str = "$") -> list[str]:
    """Every JSON number that is not an integer, by its path."""
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _floats(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _floats(item, f"{path}[{i}]")]
    return []


def _json(response: Any) -> Any:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content, parse_float=lambda text: float(text))
    assert not _floats(data), _floats(data)[:5]  # money, rates, scores: all text
    return data


def test_the_demo_year_figures_are_the_cores_as_text(demo: m.FiscalYear) -> None:
    data = _json(_finance(demo).get(BASE))
    assert data["final_budget"] == {"yuan": "1031181900.00", "wan": "103118.19"}
    assert data["executed"] == {"yuan": "772616700.00", "wan": "77261.67"}
    assert data["execution_rate"]["percent"] == "74.93"
    figures = budget_figures(department_year(DEMO, DEMO_YEAR))
    assert Decimal(data["final_budget"]["yuan"]) == figures.final_budget
    assert Decimal(data["executed"]["yuan"]) == figures.executed
    assert figures.execution_rate is not None
    assert Decimal(data["execution_rate"]["ratio"]) == figures.execution_rate
    by_nature = {row["nature"]: row["executed"]["wan"] for row in data["by_nature"]}
    assert by_nature == {"basic": "3734.82", "project": "73526.84"}
    for row in data["by_source"]:
        published = figures.executed_by_source.get(row["source"])
        if published is not None:
            assert row["executed"]["wan"] == format_wan(published).replace(",", "")
    one_cent = [f for f in data["findings"] if "0.01万元" in f["message"]]
    assert one_cent and one_cent[0]["severity"] == "warning"  # the published cent, kept


def test_lines_and_the_ledger_add_up_to_the_stored_amounts(demo: m.FiscalYear) -> None:
    client = _finance(demo)
    first = _json(client.get(f"{BASE}/lines?page_size=10"))
    second = _json(client.get(f"{BASE}/lines?page_size=10&page=2"))
    items = first["items"] + second["items"]
    assert first["count"] == len(items) == m.BudgetLine.objects.filter(fiscal_year=demo).count()
    records = {line.code: line for line in department_year(DEMO, DEMO_YEAR).lines}
    for item in items:
        line = records[item["code"]]
        assert Decimal(item["final_budget"]["yuan"]) == line.final_budget
        assert Decimal(item["executed"]["yuan"]) == (line.executed or 0)
    ledger = _json(client.get(f"{BASE}/ledger?date_from=2023-07-01&date_to=2023-07-31"))
    payments = m.Payment.objects.filter(
        budget_line__fiscal_year=demo, date__gte=date(2023, 7, 1), date__lte=date(2023, 7, 31)
    )
    stored = sum((p.amount for p in payments), Decimal(0)).quantize(CENT)
    assert ledger["count"] == payments.count() and Decimal(ledger["total"]["yuan"]) == stored
    assert len(ledger["items"]) == min(50, payments.count())
    assert all("2023-07-01" <= row["date"] <= "2023-07-31" for row in ledger["items"])
    code = items[-1]["code"]
    one_line = _json(client.get(f"{BASE}/ledger?line={code}&page_size=500"))
    assert {row["line"] for row in one_line["items"]} <= {code}
    detail = _json(client.get(f"{BASE}/lines/{code}"))
    assert detail["ledger_count"] == one_line["count"]
    backwards = client.get(f"{BASE}/ledger?date_from=2023-08-01&date_to=2023-07-01")
    assert backwards.status_code == 400 and "截止日期" in backwards.json()["detail"]


def test_evaluation_and_monitoring_are_the_services_results(demo: m.FiscalYear) -> None:
    client = _finance(demo)
    evaluation = _json(client.get(f"{BASE}/evaluation"))
    expected = evaluate_stored_year(DEMO, DEMO_YEAR)
    assert evaluation["result"] == to_jsonable(expected)
    assert expected.department is not None
    assert evaluation["grade"] == expected.department.grade == "优"
    monitoring = _json(client.get(f"{BASE}/monitoring?as_of=2023-07-31"))
    report = monitor_stored_year(DEMO, DEMO_YEAR, date(2023, 7, 31))
    assert monitoring["report"] == json.loads(json.dumps(to_jsonable(report)))
    assert monitoring["report"]["result"]["department"]["light"] == "red"
    year_end = _json(client.get(f"{BASE}/monitoring"))
    assert year_end["as_of"] == "2023-12-31"  # a past year: its year end, as the pages


def test_a_monitoring_date_outside_the_year_is_refused_in_chinese(demo: m.FiscalYear) -> None:
    client = _finance(demo)
    response = client.get(f"{BASE}/monitoring?as_of=2024-07-31")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("监控日期2024-07-31不在2023年度内")
    garbled = client.get(f"{BASE}/monitoring?as_of=2023-13-45")
    assert garbled.status_code == 422 and garbled.json()["errors"][0]["loc"][-1] == "as_of"


def test_the_schema_and_the_docs_are_served_without_a_cdn(demo: m.FiscalYear) -> None:
    client = Client()  # signed in: anonymous visitors are sent to the login page
    client.force_login(create_account("reader", Role.leader, PASSWORD, demo.department).user)
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/years/{department}/{year}/indicators/{indicator}" in paths
    assert set(paths["/api/years/{department}/{year}/indicators/{indicator}"]) == {"get", "patch"}
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert "http://" not in page and "https://" not in page
