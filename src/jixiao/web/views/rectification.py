"""整改: rectification items of a year — from its problems and its findings (审核发现,
监控发现, 评价发现: ``services.rectification``), or entered by hand — with measure, owner
office, deadline and status; carried into the next year.

财务科 (and admins) create, edit and carry items; the owner office (业务科室) sees its own
items and updates their status and progress note; the other department roles read.
Saving uses the item's version (optimistic locking), as the goal pages do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.core.deadlines import Deadline, deadline_of
from jixiao.documents.list_workbook import Column, Kind, ListSheet
from jixiao.errors import UserFacingError
from jixiao.services import rectification as service
from jixiao.storage import models as m
from jixiao.storage.models import RectificationSource, RectificationStatus, StaleVersionError
from jixiao.web.exports import title, xlsx_response
from jixiao.web.goal_editing import as_text
from jixiao.web.permissions import (
    Scope,
    can_manage_rectifications,
    can_update_rectification,
    can_view_rectification,
    load_rectification,
    object_view,
    update_rectification_refusal,
    view_rectification_refusal,
    visible_rectifications,
    year_view,
)

STATUS_LABELS = {
    RectificationStatus.not_started.value: gettext_lazy("未开始"),
    RectificationStatus.in_progress.value: gettext_lazy("整改中"),
    RectificationStatus.done.value: gettext_lazy("已完成"),
}
SOURCE_LABELS = {
    RectificationSource.problem.value: gettext_lazy("存在的主要问题"),
    RectificationSource.audit.value: gettext_lazy("审计发现"),
    RectificationSource.review.value: gettext_lazy("审核发现"),
    RectificationSource.monitoring.value: gettext_lazy("监控发现"),
    RectificationSource.evaluation.value: gettext_lazy("评价发现"),
    RectificationSource.cost.value: gettext_lazy("成本发现"),
    RectificationSource.carried.value: gettext_lazy("上年结转"),
    RectificationSource.other.value: gettext_lazy("其他"),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StatusForm(forms.Form):
    """What the owner office may change: the status and the progress note."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=gettext_lazy("整改状态"), choices=list(STATUS_LABELS.items()))
    progress_note = forms.CharField(
        label=gettext_lazy("整改情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ItemForm(StatusForm):
    """Everything of an item (财务科)."""

    source = forms.ChoiceField(label=gettext_lazy("来源"), choices=list(SOURCE_LABELS.items()))
    issue = forms.CharField(label=gettext_lazy("问题"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(
        label=gettext_lazy("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_office = OfficeChoice(
        label=gettext_lazy("责任科室"), queryset=m.Office.objects.none(), required=False
    )
    deadline = forms.DateField(label=gettext_lazy("整改期限"), required=False, widget=DATE)

    field_order = (
        "source",
        "issue",
        "measure",
        "owner_office",
        "deadline",
        "status",
        "progress_note",
    )

    def __init__(self, *args: Any, fiscal_year: m.FiscalYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = self.fields["owner_office"]
        assert isinstance(offices, forms.ModelChoiceField)
        offices.queryset = m.Office.objects.filter(department_id=fiscal_year.department_id)


ITEM_FIELDS = ("source", "issue", "measure", "owner_office", "deadline", "status", "progress_note")
STATUS_FIELDS = ("status", "progress_note")


def _initial(item: m.Rectification, fields: tuple[str, ...]) -> dict[str, Any]:
    return {"version": item.version, **{name: getattr(item, name) for name in fields}}


def _list_url(fiscal_year: m.FiscalYear) -> str:
    return reverse(
        "web:rectification",
        kwargs={"department": fiscal_year.department.code, "year": fiscal_year.year},
    )


@year_view()
def rectification(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    manage = can_manage_rectifications(scope, fiscal_year)
    form = ItemForm(fiscal_year=fiscal_year) if manage else None
    status = 200
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("只有财务科可以新增整改事项。"))
        form = ItemForm(request.POST, fiscal_year=fiscal_year)
        if form.is_valid():
            _create(fiscal_year, form.cleaned_data)
            messages.success(request, _("已新增整改事项。"))
            return redirect(_list_url(fiscal_year))
        status = 400
    items = list(
        visible_rectifications(scope, fiscal_year)
        .select_related("owner_office", "carried_from__fiscal_year")
        .order_by("position", "id")
    )
    following = m.FiscalYear.objects.filter(
        department_id=fiscal_year.department_id, year=fiscal_year.year + 1
    ).first()
    today = timezone.localdate()
    standings = [standing(item, today) for item in items]
    for item, found in zip(items, standings, strict=True):
        item.fiscal_year = fiscal_year  # the checks need it: no query per item
        item.status_label = STATUS_LABELS.get(item.status, item.status)  # type: ignore[attr-defined]
        item.source_label = SOURCE_LABELS.get(item.source, item.source)  # type: ignore[attr-defined]
        item.updatable = can_update_rectification(scope, item)  # type: ignore[attr-defined]
        item.standing = found  # type: ignore[attr-defined]
    counts = {key: sum(1 for i in items if i.status == key) for key in STATUS_LABELS}
    return render(
        request,
        "web/rectification.html",
        {
            "fiscal_year": fiscal_year,
            "items": items,
            "form": form,
            "manage": manage,
            "following": following,
            "counts": [(STATUS_LABELS[key], n) for key, n in counts.items()],
            "open_count": sum(1 for i in items if i.status != RectificationStatus.done),
            "overdue_count": sum(1 for found in standings if found and found.overdue),
            "carried_count": sum(1 for i in items if i.carried_at is not None),
        },
        status=status,
    )


def standing(item: m.Rectification, today: date) -> Deadline | None:
    """The item against its deadline today (逾期 / 即将到期); None when done or undated."""
    return deadline_of(item.deadline, item.status == RectificationStatus.done, today)


def overdue_words(found: Deadline | None) -> str:
    """“逾期 N 天（期限 YYYY-MM-DD）”, or nothing for an item not overdue."""
    if found is None or not found.overdue:
        return ""
    return _("逾期 %(days)s 天（期限 %(date)s）") % {
        "days": found.days_overdue,
        "date": found.deadline.isoformat(),
    }


def _export_columns() -> list[Column]:
    return [
        Column(_("序号"), Kind.number, 6),
        Column(_("来源"), Kind.text, 16),
        Column(_("问题"), Kind.text, 44),
        Column(_("整改措施"), Kind.text, 36),
        Column(_("责任科室"), Kind.text, 14),
        Column(_("整改期限"), Kind.date, 12),
        Column(_("整改状态"), Kind.text, 10),
        Column(_("逾期"), Kind.text, 24),
        Column(_("整改情况说明"), Kind.text, 36),
    ]


@year_view()
def rectification_export(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    """The 整改 list as the scope sees it, with each overdue item's days."""
    today = timezone.localdate()
    items = (
        visible_rectifications(scope, fiscal_year)
        .select_related("owner_office")
        .order_by("position", "id")
    )
    rows = [
        [
            number,
            str(SOURCE_LABELS.get(item.source, item.source)),
            item.issue,
            item.measure,
            item.owner_office.name if item.owner_office else "",
            item.deadline,
            str(STATUS_LABELS.get(item.status, item.status)),
            overdue_words(standing(item, today)),
            item.progress_note,
        ]
        for number, item in enumerate(items, start=1)
    ]
    sheet = ListSheet(_("整改"), title(fiscal_year, _("整改台账")), _export_columns(), rows)
    return xlsx_response(fiscal_year, _("整改台账"), "rectification", [sheet])


def _create(fiscal_year: m.FiscalYear, data: dict[str, Any]) -> m.Rectification:
    with transaction.atomic():
        top = m.Rectification.objects.filter(fiscal_year=fiscal_year).aggregate(top=Max("position"))
        return m.Rectification.objects.create(
            fiscal_year=fiscal_year,
            position=(top["top"] or 0) + 1,
            **{
                name: data.get(name)
                if name in ("owner_office", "deadline")
                else (data.get(name) or "")
                for name in ITEM_FIELDS
            },
        )


@object_view(load_rectification, can_view_rectification, view_rectification_refusal)
def rectification_item(request: HttpRequest, scope: Scope, item: m.Rectification) -> HttpResponse:
    fiscal_year = item.fiscal_year
    manage = can_manage_rectifications(scope, fiscal_year)
    updatable = can_update_rectification(scope, item)
    fields = ITEM_FIELDS if manage else STATUS_FIELDS
    form: StatusForm | None
    if manage:
        form = ItemForm(initial=_initial(item, ITEM_FIELDS), fiscal_year=fiscal_year)
    elif updatable:
        form = StatusForm(initial=_initial(item, STATUS_FIELDS))
    else:
        form = None
    conflict = None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(update_rectification_refusal(scope, item))
        form = (
            ItemForm(request.POST, fiscal_year=fiscal_year) if manage else StatusForm(request.POST)
        )
        if form.is_valid():
            conflict = _save(item, form.cleaned_data, fields)
            if conflict is None:
                messages.success(request, _("整改事项已保存。"))
                return redirect(_list_url(fiscal_year))
            data = request.POST.copy()
            data["version"] = str(conflict["version"])
            form = ItemForm(data, fiscal_year=fiscal_year) if manage else StatusForm(data)
            form.is_valid()
            status = 409
        else:
            status = 400
    history_url = reverse(
        "web:audit_object",
        kwargs={
            "department": fiscal_year.department.code,
            "year": fiscal_year.year,
            "kind": "rectification",
            "pk": item.pk,
        },
    )
    return render(
        request,
        "web/rectification_item.html",
        {
            "fiscal_year": fiscal_year,
            "item": item,
            "form": form,
            "manage": manage,
            "conflict": conflict,
            "status_label": STATUS_LABELS.get(item.status, item.status),
            "source_label": SOURCE_LABELS.get(item.source, item.source),
            "history_url": history_url,
        },
        status=status,
    )


def _save(
    item: m.Rectification, data: dict[str, Any], fields: tuple[str, ...]
) -> dict[str, Any] | None:
    """Save with the form's version; on a stale version, what the other person saved."""
    for name in fields:
        value = data.get(name)
        setattr(item, name, value if name in ("owner_office", "deadline") else (value or ""))
    item.version = data.get("version") or 0
    try:
        item.save()
    except StaleVersionError:
        current = m.Rectification.objects.select_related("owner_office").get(pk=item.pk)
        manager: Any = m.Rectification.history
        latest = manager.filter(id=item.pk).order_by("-history_date", "-history_id").first()
        user = latest.history_user if latest else None
        return {
            "version": current.version,
            "who": (user.get_full_name() or user.username) if user else _("他人"),
            "when": latest.history_date if latest else None,
            "values": [
                (str(ItemForm.base_fields[name].label), _shown(current, name)) for name in fields
            ],
        }
    return None


def _shown(item: m.Rectification, name: str) -> str:
    if name == "status":
        return str(STATUS_LABELS.get(item.status, item.status))
    if name == "source":
        return str(SOURCE_LABELS.get(item.source, item.source))
    if name == "owner_office":
        return item.owner_office.name if item.owner_office else "—"
    return as_text(getattr(item, name)) or "—"


@year_view(can_manage_rectifications)
@require_POST
def rectification_generate(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    """Items from the year's problems (``source=problems``) or its findings (``findings``)."""
    source = request.POST.get("source", "")
    try:
        if source == "problems":
            created = service.items_from_problems(fiscal_year)
        elif source == "findings":
            created = service.items_from_findings(fiscal_year)
        else:
            messages.error(request, _("没有这种来源。"))
            return redirect(_list_url(fiscal_year))
    except UserFacingError as error:
        messages.error(request, str(error))
        return redirect(_list_url(fiscal_year))
    if created:
        messages.success(request, _("新增整改事项 %(count)s 项。") % {"count": len(created)})
    else:
        messages.info(request, _("没有新的问题需要列入整改（已列入的不重复添加）。"))
    return redirect(_list_url(fiscal_year))


@year_view(can_manage_rectifications)
@require_POST
def rectification_carry(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear
) -> HttpResponse:
    result = service.carry_open_items(fiscal_year)
    if result.next_year is not None:
        messages.success(
            request,
            _("已结转 %(count)s 项未完成的整改事项到 %(year)s 年度。")
            % {"count": len(result.copied), "year": result.next_year.year},
        )
    else:
        messages.info(
            request,
            _(
                "%(year)s 年度尚未建立：%(count)s 项未完成的整改事项已标记为结转，"
                "建立该年度后再次结转即复制过去。"
            )
            % {"year": fiscal_year.year + 1, "count": len(result.marked)},
        )
    return redirect(_list_url(fiscal_year))
