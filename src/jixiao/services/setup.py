"""Setting up in the browser: departments, their offices (科室) and fiscal years.

Each function validates what it is given and says, in Chinese, what is wrong; nothing is
half-written. (User accounts carry a role, which lives in the web layer:
``jixiao.web.accounts``.)
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from jixiao.errors import UserFacingError
from jixiao.storage import models as m

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _code(code: str, what: str) -> str:
    code = code.strip()
    if not code:
        raise UserFacingError(f"{what}代码不能为空")
    if len(code) > 64 or not CODE.match(code):
        raise UserFacingError(
            f"{what}代码“{code}”无效：只能用字母、数字、连字符、下划线和点，最多64个字符"
        )
    return code


def _name(name: str, what: str, most: int = 200) -> str:
    name = name.strip()
    if not name:
        raise UserFacingError(f"{what}名称不能为空")
    if len(name) > most:
        raise UserFacingError(f"{what}名称过长（最多{most}个字符）")
    return name


def find_department(code: str) -> m.Department:
    department = m.Department.objects.filter(code=code).first()
    if department is None:
        raise UserFacingError(f"没有部门代码为“{code}”的部门")
    return department


def create_city(code: str, name: str) -> m.City:
    """A new city (城市/财政局); its code and its name are each unique."""
    code, name = _code(code, "城市"), _name(name, "城市")
    if m.City.objects.filter(code=code).exists():
        raise UserFacingError(f"城市代码“{code}”已被使用")
    if m.City.objects.filter(name=name).exists():
        raise UserFacingError(f"城市“{name}”已存在")
    return m.City.objects.create(code=code, name=name)


def name_bureau(city: m.City, name: str) -> m.City:
    """Give ``city``'s 财政局 its name (the 落款 of the city's documents); blank: the
    default name."""
    city.bureau_name = name.strip() or None
    city.save(update_fields=["bureau_name"])
    return city


def create_department(code: str, name: str, city: m.City | None = None) -> m.Department:
    """A new department of ``city`` (the default city when None); its code and its name
    are each unique."""
    code, name = _code(code, "部门"), _name(name, "部门")
    if m.Department.objects.filter(code=code).exists():
        raise UserFacingError(f"部门代码“{code}”已被使用")
    if m.Department.objects.filter(name=name).exists():
        raise UserFacingError(f"部门“{name}”已存在")
    city_id = city.pk if city is not None else m.default_city_id()
    return m.Department.objects.create(code=code, name=name, city_id=city_id)


def create_office(department: m.Department, code: str, name: str) -> m.Office:
    """A new office of ``department``; code and name unique within the department (the
    budget template names offices by name)."""
    code, name = _code(code, "科室"), _name(name, "科室")
    offices = m.Office.objects.filter(department=department)
    if offices.filter(code=code).exists():
        raise UserFacingError(f"{department.name}已有科室代码“{code}”")
    if offices.filter(name=name).exists():
        raise UserFacingError(f"{department.name}已有科室“{name}”")
    return m.Office.objects.create(department=department, code=code, name=name)


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserFacingError(f"年度“{year}”无效：应在{FIRST_YEAR}至{LAST_YEAR}之间")
    return year


def create_fiscal_year(department: m.Department, year: int) -> m.FiscalYear:
    """An empty department-year (its budget comes by import); the rule choices are those
    of the department's latest earlier year, when it has one."""
    check_year(year)
    if m.FiscalYear.objects.filter(department=department, year=year).exists():
        raise UserFacingError(f"{department.name}{year}年度已存在")
    earlier = (
        m.FiscalYear.objects.filter(department=department, year__lt=year).order_by("-year").first()
    )
    try:
        with transaction.atomic():
            fiscal_year = m.FiscalYear.objects.create(department=department, year=year)
            if earlier is not None:
                copy_choices(earlier, fiscal_year)
    except IntegrityError as error:  # created by someone else meanwhile
        raise UserFacingError(f"{department.name}{year}年度已存在") from error
    return fiscal_year


CHOICES = ("entry_unit", "project_rules", "monitoring_rules", "department_rules",
           "not_applicable", "rounding_note", "attachment_label", "cost_standards")  # fmt: skip
"""The settings of a year that the next year keeps: unit, rule sets and their choices."""


def copy_choices(source: m.FiscalYear, target: m.FiscalYear) -> None:
    """The rule-set choices, the imported 支出标准表 and the report outline of ``source``
    onto ``target``."""
    for field in CHOICES:
        setattr(target, field, getattr(source, field))
    target.save()
    for table in m.CostStandardTable.objects.filter(fiscal_year=source):
        m.CostStandardTable.objects.get_or_create(
            fiscal_year=target,
            table_id=table.table_id,
            defaults={"name": table.name, "document": table.document},
        )
    outline = m.ReportOutlineChoice.objects.filter(fiscal_year=source).first()
    if outline is not None:
        m.ReportOutlineChoice.objects.update_or_create(
            fiscal_year=target, defaults={"outline": outline.outline}
        )
