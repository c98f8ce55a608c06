"""Template filters that present money and rates as reports print them (core.money)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jixiao.core.money import format_percent, format_thousands, format_wan
from jixiao.core.monitoring import Light

register = template.Library()


@register.filter
def wan(yuan: Decimal | None) -> str:
    """元 → "103,118.19" (万元, two decimals, half-up); "—" when there is no figure."""
    return "—" if yuan is None else format_wan(yuan)


@register.filter
def yuan(amount: Decimal | None) -> str:
    """元 → "1,234,567.89"."""
    return "—" if amount is None else format_thousands(amount)


@register.filter
def count(number: int) -> str:
    """123456 → "123,456"."""
    return f"{number:,}"


@register.filter
def percent(rate: Decimal | None) -> str:
    """0.7493… → "74.93%"; "—" when undefined."""
    return format_percent(rate)


@register.filter
def score(value: Decimal | str | None) -> str:
    """A score or weight, "—" when there is none (a lookup that failed gives "")."""
    return format_thousands(value) if isinstance(value, Decimal) else "—"


@register.filter
def light(value: Light | None) -> SafeString:
    """A coloured badge for a 预警灯, with its name as text (not colour alone)."""
    if value is None:
        return format_html('<span class="light light-none">{}</span>', _("无灯"))
    text = {Light.red: _("红灯"), Light.yellow: _("黄灯"), Light.green: _("绿灯")}[value]
    return format_html('<span class="light light-{}">{}</span>', value.value, text)


@register.filter
def lookup(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, 0)


@register.filter
def bar_width(rate: Decimal | None) -> str:
    """A rate as a CSS width within 0–100%, for progress bars ("74.93%")."""
    if rate is None:
        return "0%"
    clamped = min(max(rate, Decimal(0)), Decimal(1))
    return f"{format_thousands(clamped * 100)}%".replace(",", "")
