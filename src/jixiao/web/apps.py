from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "web"
    verbose_name = _("网页")
    default_auto_field = "django.db.models.BigAutoField"
