"""User accounts with a role: creating them, and the demo's one account per role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from jixiao.errors import UserFacingError
from jixiao.storage import models as m
from jixiao.web.models import Membership, Role

DEMO_OFFICE = "K03"
"""The demo 业务科室 account's office (规划科), when the demo department has it."""


@dataclass(frozen=True)
class NewAccount:
    username: str
    role: Role
    password: str
    where: str
    """The department (and office) the role is held in, for printing."""


def random_password() -> str:
    """A password people can type: 16 characters from an unambiguous alphabet."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def create_account(
    username: str,
    role: Role,
    password: str,
    department: m.Department | None = None,
    office: m.Office | None = None,
) -> Membership:
    """A user with a role, in one transaction; the membership is validated first."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, password=password)
        membership = Membership(user=user, role=role, department=department, office=office)
        membership.full_clean()
        membership.save()
    return membership


def _demo_office(department: m.Department) -> m.Office:
    offices = department.offices.annotate(projects=Count("project")).filter(projects__gt=0)
    chosen = offices.filter(code=DEMO_OFFICE).first() or offices.order_by("code").first()
    if chosen is None:
        raise UserFacingError(
            f"演示部门“{department.name}”没有承担项目的科室，无法创建业务科室账号"
        )
    return chosen


def create_demo_accounts(department_code: str) -> list[NewAccount]:
    """demo-admin, demo-finance, demo-office, demo-leader and demo-bureau, each with a
    fresh random password; accounts that already exist are left as they are (and not
    listed), so the passwords are printed once only."""
    department = m.Department.objects.filter(code=department_code).first()
    if department is None:
        raise UserFacingError(f"未找到演示部门“{department_code}”，请先载入演示数据")
    office = _demo_office(department)
    plan: list[tuple[str, Role, m.Department | None, m.Office | None, str]] = [
        ("demo-admin", Role.admin, None, None, "全部部门"),
        ("demo-finance", Role.finance, department, None, department.name),
        ("demo-office", Role.office, department, office, f"{department.name} {office.name}"),
        ("demo-leader", Role.leader, department, None, department.name),
        ("demo-bureau", Role.bureau, None, None, "全部部门（只读、可退回）"),
    ]
    user_model = get_user_model()
    created = []
    for username, role, dept, off, where in plan:
        if user_model.objects.filter(username=username).exists():
            continue
        password = random_password()
        create_account(username, role, password, dept, off)
        created.append(NewAccount(username, role, password, where))
    return created
