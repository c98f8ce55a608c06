"""Building the POST data of the goal and self-evaluation forms from a page, as a browser
would send it unchanged (tests then change the fields they mean to)."""

from __future__ import annotations

from typing import Any

from django import forms


def _put(data: dict[str, str], form: forms.Form) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
            continue
        data[key] = "" if value is None else str(value)


def form_data(response: Any) -> dict[str, str]:
    """Every field of the page's goal form and indicator formset, as shown."""
    context = response.context
    data: dict[str, str] = {}
    _put(data, context["goal_form"])
    formset = context["formset"]
    _put(data, formset.management_form)
    for form in formset.forms:
        _put(data, form)
    return data


def row_of(data: dict[str, str], field: str, value: str) -> int:
    """The index of the indicator row whose ``field`` is ``value``."""
    for key, found in data.items():
        if key.startswith("ind-") and key.endswith(f"-{field}") and found == value:
            return int(key.split("-")[1])
    raise KeyError(f"no row with {field}={value!r}")


def row_with_id(data: dict[str, str], pk: int) -> int:
    """The index of the row showing the stored indicator ``pk``."""
    return row_of(data, "id", str(pk))
