"""Input parsed at the edge: every form turns text into core types or a Chinese error."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jixiao.core.bounds import AMOUNT
from jixiao.core.money import AmountError, D, format_wan, wan_to_yuan


class WanAmountField(forms.CharField):
    """An amount typed in 万元 ("1,200.5" or "１２００"), cleaned to a Decimal in 元."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            yuan = wan_to_yuan(D(text))
        except AmountError:
            raise forms.ValidationError(
                _("“%(text)s”不是有效的金额，请填写数字，如 12.5"), params={"text": text}
            ) from None
        reason = AMOUNT.problem(yuan)  # the bounds an amount has on every path
        if reason is not None:
            raise forms.ValidationError(reason)
        return yuan


class LedgerFilter(forms.Form):
    """Filters of the ledger (支出明细): budget line, date range, amount range (万元)."""

    line = forms.ChoiceField(label=_("预算行"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount_min = WanAmountField(
        label=_("最小金额（万元）"), required=False, widget=forms.TextInput(attrs={"size": 8})
    )
    amount_max = WanAmountField(
        label=_("最大金额（万元）"), required=False, widget=forms.TextInput(attrs={"size": 8})
    )

    def __init__(self, data: Any, lines: Sequence[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部预算行")), *lines]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("最大金额不能小于最小金额"))
        return cleaned

    def condition(self) -> Q:
        """The filter on payments; empty when the form is invalid (the page says why)."""
        if not self.is_valid():
            return Q()
        data = self.cleaned_data
        condition = Q()
        if data.get("line"):
            condition &= Q(budget_line__code=data["line"])
        if data.get("date_from"):
            condition &= Q(date__gte=data["date_from"])
        if data.get("date_to"):
            condition &= Q(date__lte=data["date_to"])
        if data.get("amount_min") is not None:
            condition &= Q(amount__gte=data["amount_min"])
        if data.get("amount_max") is not None:
            condition &= Q(amount__lte=data["amount_max"])
        return condition

    def description(self) -> str:
        """The filters applied, in words (for an export); empty when none is."""
        if not self.is_valid():
            return ""
        data, parts = self.cleaned_data, []
        for name, field in self.fields.items():
            value = data.get(name)
            if value is None or value == "":
                continue
            if name.startswith("amount_"):
                value = format_wan(value)
            parts.append(f"{field.label}：{value}")
        return "；".join(parts)

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
