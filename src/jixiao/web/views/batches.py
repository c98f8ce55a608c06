"""批量生成: the 财政局 requests a year's city batch (every department's documents and the
city summary as one zip), follows its progress bar and downloads the zip when it is done.

The work is done by ``jixiao worker`` processes (``services.city_batch``), not by the web
server; the page polls a JSON endpoint (``batch_progress.js``, no inline script)."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.services import jobs
from jixiao.services.bureau import city_years
from jixiao.services.city_batch import BatchRequestError, request_batch
from jixiao.storage import models as m
from jixiao.web.downloads import file_download
from jixiao.web.permissions import Scope, can_view_all_departments, scope_view
from jixiao.web.workflow import user_name


def _reached(scope: Scope, batch: m.CityBatch) -> bool:
    """A 财政局 of a city sees the batches of its own departments only."""
    if scope.city_id is None:
        return True
    codes = m.Department.objects.filter(city_id=scope.city_id).values_list("code", flat=True)
    return set(batch.departments) <= set(codes)


def _rows(scope: Scope, year: int) -> list[tuple[m.CityBatch, jobs.Progress]]:
    found = [b for b in m.CityBatch.objects.filter(year=year) if _reached(scope, b)]
    return [(batch, jobs.progress(batch.pk)) for batch in found]


@scope_view(can_view_all_departments)
def batches(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """The year's batches, newest first, and the button that requests a new one."""
    rows = _rows(scope, year)
    departments = city_years(year, scope.city_id).count()
    return render(
        request,
        "web/batches.html",
        {"year": year, "rows": rows, "departments": departments, "error": ""},
    )


@require_POST
@scope_view(can_view_all_departments)
def batch_request(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    try:
        batch = request_batch(year, requested_by=user_name(request.user), city_id=scope.city_id)
    except BatchRequestError as error:
        context = {"year": year, "rows": _rows(scope, year), "departments": 0,
                   "error": str(error)}  # fmt: skip
        return render(request, "web/batches.html", context, status=400)
    return redirect("web:batch", pk=batch.pk)


def _batch(scope: Scope, pk: int) -> m.CityBatch:
    batch = m.CityBatch.objects.filter(pk=pk).first()
    if batch is None or not _reached(scope, batch):
        raise Http404(_("没有这个批量生成任务。"))
    return batch


@scope_view(can_view_all_departments)
def batch(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """One batch: its progress bar (kept moving by the JSON endpoint) and its jobs."""
    found = _batch(scope, pk)
    return render(
        request,
        "web/batch.html",
        {"batch": found, "progress": jobs.progress(pk), "jobs": found.jobs.all()},
    )


@scope_view(can_view_all_departments)
def batch_progress(request: HttpRequest, scope: Scope, pk: int) -> JsonResponse:
    """How far the batch has come, for the progress bar."""
    found = _batch(scope, pk)
    now = jobs.progress(pk)
    download = reverse("web:batch_download", kwargs={"pk": pk}) if found.archive else None
    return JsonResponse(
        {
            "total": now.total,
            "finished": now.finished,
            "failed": now.failed,
            "percent": now.percent,
            "complete": now.complete,
            "download": download,
        }
    )


@scope_view(can_view_all_departments)
def batch_download(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    found = _batch(scope, pk)
    archive = Path(found.archive) if found.archive else None
    if archive is None or not archive.is_file():
        raise Http404(_("压缩包尚未生成。"))
    name = f"{found.year}年度全市批量输出（{found.pk}）.zip"
    zipped = archive.open("rb")
    return file_download(zipped, name, archive.name, "application/zip")  # type: ignore[return-value]
