"""导入: upload a 预算与执行 / 支出明细 workbook, preview what it would change, confirm.

1. The upload is refused above the import limits' file size before anything reads it,
   then kept under ``JIXIAO_HOME/uploads/<random folder>/<the user's own file name>`` (the
   Excel reader needs a path; its other limits — zip bombs, rows — apply as it reads).
   The random part is the folder, so every message the reader, the import, the
   background preview and the import record write names the file as the user knows it.
   An upload never confirmed or cancelled is deleted after a day.
2. ``import_workbook(path, dry_run=True)`` plans the import against the year of the URL:
   every change (added / changed / removed, by sheet row) or every problem
   (sheet!cell and message). Nothing is written.
3. 确认导入 runs it again without ``dry_run``: the import plans afresh (the year may have
   changed meanwhile) and writes everything in one transaction, or nothing.

Who: by the same rules as the form and the API (``permissions.import_rights``). 财务科
imports budget lines, adjustments, the ledger and the department's forms; a project's
goal and self-evaluation in a workbook may only be changed by the project's own
业务科室 (an unchanged form passes). A 业务科室 imports the performance forms of its own
projects only: the import refuses a budget or ledger workbook, and any change to another
project's goal, the department goal or a project itself. Admins import anything.
"""

from __future__ import annotations

import io
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.env import env_int
from jixiao.errors import UserFacingError
from jixiao.interchange.excel.form_layouts import FormKind
from jixiao.interchange.excel.form_templates import Prefill
from jixiao.interchange.excel.importing import ImportResult
from jixiao.interchange.excel.limits import Limits, size_text
from jixiao.interchange.excel.planning import ACTION_LABELS
from jixiao.interchange.problems import InputRejected, Problem
from jixiao.services.excel_import import import_workbook
from jixiao.services.import_records import record_import
from jixiao.services.preview_jobs import forget_preview, preview_status, start_preview
from jixiao.storage import models as m
from jixiao.web.downloads import file_download
from jixiao.web.permissions import (
    Scope,
    can_edit_budget,
    can_import,
    import_projects,
    import_rights,
    year_view,
)

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt"}
SHOWN_CHANGES = 500
SESSION_KEY = "jixiao_imports"


def uploads_folder() -> Path:
    return Path(settings.JIXIAO_HOME) / "uploads"


def _url(fiscal_year: m.FiscalYear, name: str = "web:import") -> str:
    return reverse(
        name, kwargs={"department": fiscal_year.department.code, "year": fiscal_year.year}
    )


def _save_upload(upload: Any, limits: Limits) -> tuple[Path | None, list[Problem]]:
    name = Path(str(upload.name)).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return None, [Problem(name, _("不认识的文件类型，请上传 .xlsx、.xls 或 CSV 文件"))]
    if upload.size > limits.max_bytes:
        return None, [
            Problem(
                name,
                _("文件大小 %(size)s，超过导入上限 %(limit)s")
                % {"size": size_text(upload.size), "limit": size_text(limits.max_bytes)},
            )
        ]
    folder = uploads_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _forget_stale(folder)
    path = folder / secrets.token_hex(12) / stored_name(name)
    path.parent.mkdir()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path, []


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
MAX_NAME_BYTES = 200
"""File systems allow 255 bytes per name; a Chinese character takes 3 in UTF-8."""


def stored_name(name: str) -> str:
    """The user's own file name, made safe to store (no separators or control characters,
    not too long for the file system), with its suffix kept."""
    suffix = _UNSAFE.sub("_", Path(name).suffix)
    stem = _UNSAFE.sub("_", name[: len(name) - len(suffix)]).strip(" .")
    while len(f"{stem}{suffix}".encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem or _('上传的文件')}{suffix}"


STALE_AFTER = 24 * 60 * 60
"""Seconds after which an upload that was never confirmed or cancelled is deleted."""


def _forget_stale(folder: Path) -> None:
    """Delete uploads left behind (previewed, then never confirmed or cancelled)."""
    now = time.time()
    for path in folder.iterdir():
        try:
            if now - path.stat().st_mtime <= STALE_AFTER:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue  # another request removed it meanwhile


def _discard(path: Path) -> None:
    """Delete an upload and its folder."""
    path.unlink(missing_ok=True)
    if path.parent != uploads_folder():
        shutil.rmtree(path.parent, ignore_errors=True)


def _pending(request: HttpRequest) -> dict[str, Any]:
    pending: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return pending


def _forget(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    forget_preview(token)
    if entry:
        _discard(Path(entry["path"]))


def _context(scope: Scope, fiscal_year: m.FiscalYear, **extra: Any) -> dict[str, Any]:
    return {
        "fiscal_year": fiscal_year,
        "forms_only": not can_edit_budget(scope, fiscal_year),
        "templates": templates_for(scope, fiscal_year),
        "filled_forms": [(kind, form.form_title) for kind, form in FILLED_FORMS.items()],
        "limits": Limits.from_env(),
        "max_size": size_text(Limits.from_env().max_bytes),
        "max_rows": f"{Limits.from_env().max_rows:,}",
        **extra,
    }


def _count_rows(counts: dict[str, dict[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (what, [(ACTION_LABELS[action], bucket[action]) for action in ACTION_LABELS])
        for what, bucket in counts.items()
    ]


def _preview(result: ImportResult) -> dict[str, Any]:
    counts = _count_rows(result.counts())
    changes = list(islice(result.changes(), SHOWN_CHANGES + 1))
    return {
        "result": result,
        "counts": counts,
        "changes": changes[:SHOWN_CHANGES],
        "more": len(changes) > SHOWN_CHANGES,
        "action_labels": ACTION_LABELS,
        "totals": result.totals,
    }


@year_view(can_import)
def import_page(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/import.html", _context(scope, fiscal_year))
    upload = request.FILES.get("workbook")
    if upload is None:
        return render(
            request,
            "web/import.html",
            _context(scope, fiscal_year, problems=[Problem("", _("请选择要上传的文件。"))]),
            status=400,
        )
    path, problems = _save_upload(upload, Limits.from_env())
    if path is None:
        return render(
            request, "web/import.html", _context(scope, fiscal_year, problems=problems), status=400
        )
    if (upload.size or 0) >= background_bytes():
        token = _remember(request, fiscal_year, path, str(upload.name))
        start_preview(
            token,
            path,
            department=fiscal_year.department.code,
            year=fiscal_year.year,
            rights=import_rights(scope, fiscal_year),
        )
        return redirect(_url(fiscal_year, "web:import_preview") + f"?token={token}")
    try:
        result = import_workbook(
            path,
            dry_run=True,
            department=fiscal_year.department.code,
            year=fiscal_year.year,
            rights=import_rights(scope, fiscal_year),
        )
    except InputRejected as error:
        _discard(path)
        return render(
            request,
            "web/import.html",
            _context(scope, fiscal_year, problems=list(error.problems), file_name=upload.name),
            status=400,
        )
    except UserFacingError as error:
        _discard(path)
        return render(
            request,
            "web/import.html",
            _context(scope, fiscal_year, problems=[Problem(str(upload.name), str(error))]),
            status=400,
        )
    token = _remember(request, fiscal_year, path, str(upload.name))
    return render(
        request,
        "web/import.html",
        _context(scope, fiscal_year, token=token, file_name=upload.name, **_preview(result)),
    )


def background_bytes() -> int:
    """Uploads this large are previewed in the background (JIXIAO_IMPORT_BACKGROUND_BYTES)."""
    return env_int("JIXIAO_IMPORT_BACKGROUND_BYTES", 2_000_000)


def _remember(request: HttpRequest, fiscal_year: m.FiscalYear, path: Path, name: str) -> str:
    """Keep an upload for this session until it is confirmed or cancelled; its token."""
    token = secrets.token_urlsafe(16)
    pending = _pending(request)
    pending[token] = {"path": str(path), "name": name, "year": fiscal_year.pk}
    request.session[SESSION_KEY] = pending
    return token


@year_view(can_import)
def import_preview(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    """A background preview: still running (the page asks again), refused, or ready."""
    token = request.GET.get("token", "")
    entry = _pending(request).get(token)
    job = preview_status(token) if entry and entry.get("year") == fiscal_year.pk else None
    if entry is None or job is None:
        messages.error(request, _("找不到待导入的文件（可能已导入或已取消），请重新上传。"))
        return redirect(_url(fiscal_year))
    name = entry["name"]
    if job.state == "running":
        waiting = {"seconds": job.seconds, "size": size_text(job.size)}
        return render(
            request,
            "web/import.html",
            _context(scope, fiscal_year, waiting=waiting, file_name=name),
        )
    if job.state == "refused" or job.summary is None:
        _forget(request, token)
        problems = list(job.problems)
        context = _context(scope, fiscal_year, problems=problems, file_name=name)
        return render(request, "web/import.html", context, status=400)
    summary = job.summary
    preview = {
        "result": summary,
        "counts": _count_rows(summary.counts),
        "changes": list(summary.changes),
        "more": summary.more,
        "action_labels": ACTION_LABELS,
        "totals": summary.totals,
    }
    return render(
        request,
        "web/import.html",
        _context(scope, fiscal_year, token=token, file_name=name, **preview),
    )


@year_view(can_import)
@require_POST
def import_confirm(request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear) -> HttpResponse:
    token = request.POST.get("token", "")
    entry = _pending(request).get(token)
    if entry is None or entry.get("year") != fiscal_year.pk or not Path(entry["path"]).is_file():
        messages.error(request, _("找不到待导入的文件（可能已导入或已取消），请重新上传。"))
        return redirect(_url(fiscal_year))
    if request.POST.get("cancel"):
        _forget(request, token)
        messages.info(request, _("已取消导入，没有写入任何数据。"))
        return redirect(_url(fiscal_year))
    try:
        with transaction.atomic():  # the import and its audit entry, or neither
            result = import_workbook(
                Path(entry["path"]),
                dry_run=False,
                department=fiscal_year.department.code,
                year=fiscal_year.year,
                rights=import_rights(scope, fiscal_year),
            )
            record_import(result, Path(entry["path"]), request.user, entry["name"])
    except InputRejected as error:
        _forget(request, token)
        return render(
            request,
            "web/import.html",
            _context(scope, fiscal_year, problems=list(error.problems), file_name=entry["name"]),
            status=400,
        )
    _forget(request, token)
    messages.success(
        request,
        _("已导入“%(name)s”：%(summary)s。") % {"name": entry["name"], "summary": result.summary()},
    )
    return redirect(_url(fiscal_year, "web:budget" if result.plan.tables.all() else "web:goals"))


# 空白模板


@dataclass(frozen=True)
class BlankTemplate:
    name: str
    """As in the URL and ``jixiao template NAME``."""
    title: str
    write: Callable[[Path, Prefill], Path]
    department_wide: bool
    """Budget, ledger and the department's self-evaluation: for 财务科 only."""


def _write_table(kind: Any, path: Path, prefill: Prefill) -> Path:
    from jixiao.interchange.excel.templates import write_template
    from jixiao.interchange.excel.writer import Meta

    meta = Meta(prefill.department_code, prefill.department_name, prefill.year)
    return write_template(kind, path, meta)


def _write_form(form: FormKind, path: Path, prefill: Prefill) -> Path:
    from jixiao.interchange.excel.form_templates import write_form_template

    return write_form_template(form, path, prefill=prefill)


def _blank_templates() -> tuple[BlankTemplate, ...]:
    from jixiao.interchange.excel.layouts import KINDS

    tables = tuple(
        BlankTemplate(name, kind.title, partial(_write_table, kind), True)
        for name, kind in KINDS.items()
        if name.isascii()
    )
    forms = tuple(
        BlankTemplate(
            form.value,
            form.form_title,
            partial(_write_form, form),
            form is FormKind.department_evaluation,
        )
        for form in FormKind
    )
    return tables + forms


def templates_for(scope: Scope, fiscal_year: m.FiscalYear) -> list[BlankTemplate]:
    """The blank templates a user may import, in the order they are listed."""
    everything = can_edit_budget(scope, fiscal_year)
    return [t for t in _blank_templates() if everything or not t.department_wide]


def prefill_for(scope: Scope, fiscal_year: m.FiscalYear) -> Prefill:
    """What the page knows: the department, the year and the projects the user imports."""
    projects = m.Project.objects.filter(fiscal_year=fiscal_year).order_by("code")
    codes = import_projects(scope, fiscal_year)
    if codes is not None:
        projects = projects.filter(code__in=codes)
    department = fiscal_year.department
    return Prefill(
        department.code,
        department.name,
        fiscal_year.year,
        tuple(projects.values_list("code", "name")),
    )


@year_view(can_import)
def import_template(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear, name: str
) -> HttpResponse:
    """A template to fill in and import (what ``jixiao template NAME`` writes), with the
    department, the year and what else the page knows filled in."""
    chosen = next((t for t in templates_for(scope, fiscal_year) if t.name == name), None)
    if chosen is None:
        raise Http404(_("没有这个模板。"))
    prefill = prefill_for(scope, fiscal_year)
    with tempfile.TemporaryDirectory() as folder:
        content = chosen.write(Path(folder) / "template.xlsx", prefill).read_bytes()
    return file_download(  # type: ignore[return-value]
        io.BytesIO(content), f"{chosen.title}.xlsx", f"{chosen.name}.xlsx"
    )


# 已填的表格：导出，修改后再导入

FILLED_FORMS = {"goals": FormKind.goals, "evaluation": FormKind.project_evaluation}
"""The stored forms one may download to edit and import back (the 监控表 needs a date and
is department-wide: ``jixiao export-xlsx``)."""


@year_view(can_import)
def import_filled(
    request: HttpRequest, scope: Scope, fiscal_year: m.FiscalYear, kind: str
) -> HttpResponse:
    """The year's 申报表 or 自评表 as stored; a 业务科室's holds only its own projects."""
    from jixiao.services.excel_export import export_form_workbook

    form = FILLED_FORMS.get(kind)
    if form is None:
        raise Http404(_("没有这个表格。"))
    code, year = fiscal_year.department.code, fiscal_year.year
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "forms.xlsx"
            export_form_workbook(
                code, year, kind, path, projects=import_projects(scope, fiscal_year)
            )
            content = path.read_bytes()
    except UserFacingError as error:
        messages.error(request, str(error))
        return redirect(_url(fiscal_year))
    name = f"{year}年度{fiscal_year.department.name}{form.form_title}.xlsx"
    return file_download(  # type: ignore[return-value]
        io.BytesIO(content), name, f"{year}-{code}-{kind}.xlsx"
    )
