from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jixiao.web.api"
    label = "jixiao_api"
    verbose_name = _("接口")
    default_auto_field = "django.db.models.BigAutoField"
