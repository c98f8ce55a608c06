"""User accounts with a role: creating them, and the demo's one account per role."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from jixiao.errors import UserFacingError
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.storage import models as m
from jixiao.web.models import CITY_ROLES, UNATTACHED_ROLES, Membership, Role

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
    full_name: str = "",
    city: m.City | None = None,
) -> Membership:
    """A user with a role, in one transaction; the membership is validated first.
    ``full_name`` (姓名) is kept as the user's first name, which Django shows as its full
    name. A 财政局 or 评价专家 account belongs to ``city`` (the default city when None)."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=username, password=password, first_name=full_name
        )
        city_id = None
        if role in CITY_ROLES:
            city_id = city.pk if city is not None else m.default_city_id()
        membership = Membership(
            user=user, role=role, department=department, office=office, city_id=city_id
        )
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


# Accounts set up by 系统管理员 and 财政局: one by one or from a user list


ROLES_BY_NAME = {str(role.label): role for role in Role}
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass(frozen=True)
class AccountRequest:
    """An account to create, as typed in the form or read from a row of a user list."""

    username: str
    full_name: str
    role: str
    """The role's name (财务科) or value (finance)."""
    department: str = ""
    """The department's code."""
    office: str = ""
    """The office's name or code."""
    password: str = ""
    where: str = ""
    """Where it was read (a user-list row), for messages."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """Column key → its cell in that row, so a problem names the cell."""
    city: str = ""
    """A 财政局 or 评价专家 account's city code (the creator's, or the default city, when
    blank)."""


def _problem(request: AccountRequest, message: str, key: str = "") -> Problem:
    return Problem(request.cells.get(key) or request.where or "账号", message)


def _resolve(
    request: AccountRequest, creator: Role, taken: set[str], problems: list[Problem]
) -> tuple[Role, m.Department | None, m.Office | None, m.City | None] | None:
    count = len(problems)
    if not USERNAME.match(request.username):
        message = f"用户名“{request.username}”无效：只能用字母、数字和 @.+-_"
        problems.append(_problem(request, message, "username"))
    elif request.username in taken:
        problems.append(_problem(request, f"用户名“{request.username}”已被使用", "username"))
    if not request.full_name or len(request.full_name) > 150:
        problems.append(_problem(request, "姓名：不能为空，最多150个字符", "full_name"))
    role = ROLES_BY_NAME.get(request.role) or next(
        (r for r in Role if r.value == request.role), None
    )
    if role is None:
        known = "、".join(ROLES_BY_NAME)
        problems.append(_problem(request, f"角色“{request.role}”无效：应为 {known} 之一", "role"))
        return None
    if role is Role.admin and creator is not Role.admin:
        problems.append(_problem(request, "只有系统管理员能建立系统管理员账号", "role"))
    department = office = None
    if role in UNATTACHED_ROLES:
        if request.department or request.office:
            message = f"{role.label}不属于某个部门：部门代码和科室不填"
            problems.append(_problem(request, message, "role"))
    else:
        department = m.Department.objects.filter(code=request.department).first()
        if department is None:
            what = f"没有部门代码为“{request.department}”的部门" if request.department else "须填写"
            problems.append(_problem(request, f"部门代码：{role.label}{what}", "department"))
        elif role is Role.office:
            office = _office(department, request.office)
            if office is None:
                message = (
                    f"科室：{department.name}没有科室“{request.office}”"
                    if request.office
                    else "科室：业务科室须填写本部门的科室"
                )
                problems.append(_problem(request, message, "office"))
        elif request.office:
            problems.append(_problem(request, f"科室：{role.label}不属于某个科室，不填", "office"))
    if request.password:
        try:
            validate_password(request.password)
        except ValidationError as error:
            problems.append(_problem(request, "初始密码：" + "；".join(error.messages), "password"))
    city = None
    if request.city and role in CITY_ROLES:
        city = m.City.objects.filter(code=request.city).first()
        if city is None:
            problems.append(_problem(request, f"城市：没有城市代码为“{request.city}”的城市"))
    if len(problems) > count:
        return None
    return role, department, office, city


def _office(department: m.Department, given: str) -> m.Office | None:
    offices = m.Office.objects.filter(department=department)
    return offices.filter(name=given).first() or offices.filter(code=given).first()


def _outside_city(
    request: AccountRequest, department: m.Department | None, city: m.City | None, city_id: int
) -> str:
    """Why a 财政局 of city ``city_id`` may not create this account ('' when it may)."""
    if department is not None and department.city_id != city_id:
        return f"部门代码：部门“{department.name}”不属于本市"
    if city is not None and city.pk != city_id:
        return f"城市：只能为本市建立财政局、评价专家账号，不能为“{city.name}”"
    return ""


def create_accounts(
    requests: list[AccountRequest], creator: Role, city_id: int | None = None
) -> list[NewAccount]:
    """Every account of ``requests``, or none: InputRejected lists every problem. A
    creator with a city (a 财政局) sets up accounts of its own city's departments only,
    and its new 财政局 and 评价专家 accounts belong to its city."""
    taken = set(get_user_model().objects.values_list("username", flat=True))
    problems: list[Problem] = []
    resolved = []
    for request in requests:
        found = _resolve(request, creator, taken, problems)
        taken.add(request.username)
        if found is not None and city_id is not None:
            refused = _outside_city(request, found[1], found[3], city_id)
            if refused:
                problems.append(_problem(request, refused, "department"))
                found = None
        if found is not None:
            resolved.append((request, *found))
    if problems:
        raise InputRejected(problems)
    own_city = m.City.objects.filter(pk=city_id).first() if city_id is not None else None
    created = []
    with transaction.atomic():
        for request, role, department, office, city in resolved:
            password = request.password or random_password()
            create_account(
                request.username, role, password, department, office, request.full_name,
                city or own_city,
            )  # fmt: skip
            where = " ".join(x.name for x in (department, office) if x is not None)
            created.append(NewAccount(request.username, role, password, where or "全部部门"))
    return created
