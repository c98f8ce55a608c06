"""The project tables' rows written without the template engine are the rows the row
templates render: the same HTML for plain rows, escaped names, quoted codes and every
kind of missing figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import translation

from jixiao.core.findings import Finding
from jixiao.core.forecast import ProfileBasis
from jixiao.core.monitoring import Light
from jixiao.core.vocabulary import Severity
from jixiao.web.project_rows import dashboard_rows, finding_items, list_items, monitoring_rows

pytestmark = pytest.mark.django_db


def _progress(code: str, light: Light | None, figures: bool = True) -> SimpleNamespace:
    amount = Decimal("1234567.895") if figures else None
    rate = Decimal("0.74935") if figures else None
    return SimpleNamespace(
        code=code,
        final_budget=amount,
        executed=amount,
        execution_rate=rate,
        progress_ratio=rate,
        light=light,
    )


CODES = ["P-001", "项目 2 <b>", "a&b"]
NAMES = ["道路养护", '<script>alert("x")</script> & 其他', ""]


def _dashboard() -> list[Any]:
    rows = []
    for i, (code, name) in enumerate(zip(CODES, NAMES, strict=True)):
        for light in (Light.red, Light.yellow, Light.green, None):
            rows.append(
                SimpleNamespace(
                    code=code,
                    name=name,
                    progress=_progress(code, light, figures=i != 2),
                    projected_rate=Decimal("0.5") if light else None,
                    total=Decimal("87.5") if light else None,
                    grade="良<" if light is Light.red else ("" if light else None),
                )
            )
    return rows


def _monitoring() -> list[Any]:
    rows = []
    for code, name in zip(CODES, NAMES, strict=True):
        for basis, stated_as_of, outside in (
            (ProfileBasis.own, None, False),
            (None, None, True),
            (ProfileBasis.category, date(2024, 6, 30), True),
            (ProfileBasis.department, date(2024, 6, 30), False),
        ):
            forecast = SimpleNamespace(
                projected=Decimal("1000"),
                stated=Decimal("900") if stated_as_of else None,
                stated_as_of=stated_as_of,
                projected_rate=None if basis is None else Decimal("0.8"),
                profile_source='上年 "台账" <1>',
                profile_basis=basis,
            )
            rows.append(
                SimpleNamespace(
                    progress=_progress(code, Light.yellow),
                    name=name,
                    forecast=forecast,
                    range_text="1,000.00–1,200.00 <x>",
                    lagging=outside,
                    stated_outside=outside,
                )
            )
    return rows


def _by_template(name: str, rows: list[Any]) -> str:
    template = get_template(name)
    return "".join(
        template.render({"row": row, "department": "dept&1", "year": 2024}) for row in rows
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dashboard_rows_are_the_rows_the_template_renders(language: str) -> None:
    rows = _dashboard()
    with translation.override(language):
        assert dashboard_rows("dept&1", 2024, rows) == _by_template("web/dashboard_row.html", rows)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_monitoring_rows_are_the_rows_the_template_renders(language: str) -> None:
    rows = _monitoring()
    with translation.override(language):
        written = monitoring_rows("dept&1", 2024, rows)
        assert written == _by_template("web/monitoring_row.html", rows)
    assert "<script>" not in written and "&lt;script&gt;" in written


def test_lists_are_the_lists_the_template_loops_wrote() -> None:
    findings = [
        Finding("x-1", Severity.error, '项目 <P1> 的 "执行数" & 预算'),
        Finding("x-2", Severity.info, "无问题"),
    ]
    sentences = ["建议调减 <b>100</b> 万元 & 调剂", "第二条"]
    loop = engines["django"].from_string(
        '{% for finding in findings %}<li><span class="severity severity-'
        '{{ finding.severity.value }}">{{ finding.severity.label }}</span> '
        "{{ finding.message }}</li>{% endfor %}|"
        "{% for sentence in sentences %}<li>{{ sentence }}</li>{% endfor %}"
    )
    expected = loop.render({"findings": findings, "sentences": sentences})
    assert f"{finding_items(findings)}|{list_items(sentences)}" == expected
    assert "&lt;P1&gt;" in expected
