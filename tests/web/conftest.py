"""Personas and datasets of the web tests.

The first department is the shared ``small_year_text`` (测试区测试局, 2024) with one more
office: 规划科 (ghk) runs P001 and 土地储备科 (tdk) runs P002. The outsider works in a
second department (另一区另一局) built from the same text. Personas, one per role:
``finance``, ``office`` (规划科), ``leader``, ``bureau``, ``admin`` and ``outsider``
(财务科 of the other department).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.interchange.dataset_file import parse_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m
from jixiao.web.accounts import create_account
from jixiao.web.models import Role

PASSWORD = "correct-horse-battery-staple"
FIRST = "test-dept"
OTHER = "other-dept"
YEAR = 2024


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the shared dataset changed: {old!r} not found once"
    return text.replace(old, new)


def first_department_text(small_year_text: str) -> str:
    """The shared small year, with P002 moved to a third office (土地储备科)."""
    text = _replace_once(
        small_year_text,
        "    - {code: ghk, name: 规划科}\n",
        "    - {code: ghk, name: 规划科}\n    - {code: tdk, name: 土地储备科}\n",
    )
    return _replace_once(
        text,
        "{code: P002, name: 土地储备前期, office: ghk}",
        "{code: P002, name: 土地储备前期, office: tdk}",
    )


def department_text(small_year_text: str, code: str, name: str) -> str:
    text = _replace_once(small_year_text, "  code: test-dept\n", f"  code: {code}\n")
    return _replace_once(text, "  name: 测试区测试局\n", f"  name: {name}\n")


def sized_text(text: str, lines: int, payments_per_line: int) -> str:
    """The year with ``lines`` more budget lines (each with one adjustment) under P001,
    each with ``payments_per_line`` payments: to show query counts do not grow."""
    extra_lines = "".join(
        f"""    - code: X{i:03d}
      name: 追加预算行{i}
      funding_source: general_public_budget
      nature: project
      project: P001
      initial_budget: 10
      adjustments:
        - {{date: 2024-05-{1 + i % 28:02d}, amount: 1, document_number: 测财〔2024〕{i}号}}
      final_budget: 11
"""
        for i in range(lines)
    )
    extra_payments = "".join(
        f"    - {{line: X{i:03d}, date: 2024-{1 + j % 12:02d}-15, amount: 0.25, "
        f"voucher: X-{i}-{j}}}\n"
        for i in range(lines)
        for j in range(payments_per_line)
    )
    text = _replace_once(text, "  payments:\n", "  payments:\n" + extra_payments)
    return _replace_once(text, "  payments:\n", extra_lines + "  payments:\n")


def store_text(text: str) -> m.FiscalYear:
    return store_dataset(parse_dataset(text.encode("utf-8")))


@dataclass(frozen=True)
class World:
    """The stored first year and the objects the permission matrix asks for."""

    fiscal_year: m.FiscalYear
    other_year: m.FiscalYear
    users: dict[str, User]

    def project(self, code: str) -> m.Project:
        return m.Project.objects.get(fiscal_year=self.fiscal_year, code=code)

    def line(self, code: str) -> m.BudgetLine:
        return m.BudgetLine.objects.get(fiscal_year=self.fiscal_year, code=code)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


PERSONAS = ("admin", "finance", "leader", "bureau", "office", "outsider")


@pytest.fixture(scope="session", autouse=True)
def _static_root_exists() -> None:
    """The live server's whitenoise looks at STATIC_ROOT once, when the server starts."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings: Any, tmp_path: Path) -> None:
    """Pages render ``{% static %}`` without ``collectstatic`` having run (production
    uses whitenoise's manifest storage, which needs it; see test_serve.py for that)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_personas(first: m.Department, other: m.Department) -> dict[str, User]:
    ghk = m.Office.objects.get(department=first, code="ghk")
    other_finance = create_account("outsider", Role.finance, PASSWORD, other)
    plan = {
        "admin": (Role.admin, None, None),
        "finance": (Role.finance, first, None),
        "leader": (Role.leader, first, None),
        "bureau": (Role.bureau, None, None),
        "office": (Role.office, first, ghk),
    }
    users = {
        name: create_account(name, role, PASSWORD, dept, office).user
        for name, (role, dept, office) in plan.items()
    }
    users["outsider"] = other_finance.user
    return users


@pytest.fixture
def world(small_year_text: str) -> World:
    fiscal_year = store_text(first_department_text(small_year_text))
    other_year = store_text(department_text(small_year_text, OTHER, "另一区另一局"))
    users = make_personas(fiscal_year.department, other_year.department)
    return World(fiscal_year, other_year, users)


@pytest.fixture
def as_persona(world: World) -> Callable[[str], Client]:
    return world.client


DEMO = "liwan-ghzy"
DEMO_YEAR = 2023


def load_demo(out: Path) -> None:
    """The demo, loaded exactly as ``jixiao demo`` loads it (its own function)."""
    import argparse
    import contextlib
    import io

    from jixiao.cli import cmd_demo

    with contextlib.redirect_stdout(io.StringIO()):
        assert cmd_demo(argparse.Namespace(out=str(out), city=None)) == 0


@pytest.fixture
def demo(tmp_path: Path) -> m.FiscalYear:
    load_demo(tmp_path / "demo-report")
    return m.FiscalYear.objects.get(department__code=DEMO, year=DEMO_YEAR)
