"""API tokens: a user's key to the JSON API, kept only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "jx_"


def token_digest(token: str) -> str:
    """SHA-256 of the token: a random 256-bit key needs no slow hash, and equal tokens
    must find their row by an index lookup."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token of one user. The token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    label = models.CharField(_("用途说明"), max_length=100, blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def issue(cls, user: object, label: str = "") -> tuple[ApiToken, str]:
        """A new token for ``user``: the row, and the token text (not stored anywhere)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, digest=token_digest(token), label=label)
        return row, token


class LedgerVersion(models.Model):
    """One row: a number that database triggers set anew (at random) on every change to
    the ledger (``storage_payment``: insert, update, delete; on PostgreSQL also truncate),
    whoever makes it (the ORM, an import, ``jixiao load``, raw SQL in another process).

    ``jixiao.services.versioned_cache`` keys the ledger's sums with it. The triggers are
    created by migration 0002 of this app.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "jixiao_ledger_version"
        verbose_name = _("台账版本")


class DataVersion(models.Model):
    """One row: a number that database triggers set anew (at random) on every change to
    any table of the stored years other than the ledger and the audit history.

    ``jixiao.services.versioned_cache`` keys whole page parts with it and the ledger
    version. The triggers are created by migration 0003 of this app.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "jixiao_data_version"
        verbose_name = _("数据版本")
