"""Who may see and do what: one membership (role and scope) per user account."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.storage.models import City, Department, Office


class Role(models.TextChoices):
    """The roles. Scope: admin and bureau see every department (a bureau: of its city);
    finance and leader their own department; office its own office's projects; expert (a
    third party or expert account of a city) only the 抽查 the bureau assigned to it, of
    its city's departments (see permissions.py)."""

    admin = "admin", _("系统管理员")
    finance = "finance", _("财务科")
    office = "office", _("业务科室")
    leader = "leader", _("单位领导")
    bureau = "bureau", _("财政局")
    expert = "expert", _("评价专家")


DEPARTMENT_ROLES = (Role.finance, Role.leader)
ALL_DEPARTMENT_ROLES = (Role.admin, Role.bureau)
UNATTACHED_ROLES = (*ALL_DEPARTMENT_ROLES, Role.expert)
"""Roles held in no department."""
CITY_ROLES = (Role.bureau, Role.expert)
"""Roles held in a city: the city's 财政局 and the experts it works with."""


class Membership(models.Model):
    """A user's role, and the department (and office) the role is held in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("部门"),
    )
    office = models.ForeignKey(
        Office,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("科室"),
    )
    city = models.ForeignKey(
        City,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("城市"),
    )
    """The city of a 财政局 or 评价专家 account: it reaches that city's departments only
    (None: all)."""
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in UNATTACHED_ROLES])
                    & Q(department__isnull=True)
                    & Q(office__isnull=True)
                )
                | (
                    Q(role__in=[r.value for r in DEPARTMENT_ROLES])
                    & Q(department__isnull=False)
                    & Q(office__isnull=True)
                )
                | (
                    Q(role=Role.office.value)
                    & Q(department__isnull=False)
                    & Q(office__isnull=False)
                ),
                name="membership_scope_fits_role",
                violation_error_message=_(
                    "系统管理员、财政局和评价专家不属于某个部门；财务科和单位领导须指定部门；"
                    "业务科室须指定部门和科室"
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.office is not None and self.office.department_id != self.department_id:
            raise ValidationError({"office": _("科室不属于所选部门")})


class LoginFailure(models.Model):
    """One failed sign-in, counted against the account and against the address
    (``jixiao.web.security``). Only digests are kept, never the name typed."""

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
