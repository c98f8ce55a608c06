"""抽查 and 财政评价 pages of the finance bureau: the year's sample (drawn at random with a
seed, or by the rule file's thresholds) and, per sampled project, the bureau's score of
each indicator beside the self score, with the differences computed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.interchange.spot_check_files import SpotCheckFileError
from jixiao.services import rectification_notices as notices
from jixiao.services import spot_checks as service
from jixiao.storage import models as m
from jixiao.web.downloads import file_download
from jixiao.web.models import Role
from jixiao.web.permissions import (
    Scope,
    can_manage_notices,
    can_open_spot_checks,
    can_score_spot_check,
    can_spot_check,
    scope_view,
)
from jixiao.web.views.rectification_notices import issue_link
from jixiao.web.workflow import user_name


def _experts(check: m.SpotCheck) -> list[User]:
    """The accounts with the 评价专家 role of the sampled department's city, by user name:
    an expert works for its own city's 财政局 only."""
    users = User.objects.filter(membership__role=Role.expert, is_active=True)
    city_id = check.goal.fiscal_year.department.city_id
    if city_id is None:
        users = users.filter(membership__city__isnull=True)
    else:
        users = users.filter(membership__city_id=city_id)
    return list(users.select_related("membership__city").order_by("username"))


@scope_view(can_open_spot_checks)
def spot_checks(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    """The year's sample; an expert sees only what was assigned to it."""
    bureau = can_spot_check(scope)
    if bureau:
        checks = service.spot_checks(year, scope.city_id)
    else:
        checks = service.assigned_to(scope.user_id, year, scope.city_id)
    return render(
        request,
        "web/spot_checks.html",
        {
            "year": year,
            "checks": checks,
            "bureau": bureau,
            "show_city": scope.city_id is None,
            "outdated": service.outdated_checks(checks),
            "submitted": len(service.submitted_self_evaluations(year, scope.city_id)),
        },
    )


def _whole_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


@require_POST
@scope_view(can_spot_check)
def draw(request: HttpRequest, scope: Scope, year: int) -> HttpResponse:
    name = user_name(request.user)
    try:
        if request.POST.get("method") == "rule":
            drawn = service.draw_by_rule(year, name, city_id=scope.city_id)
        else:
            count = _whole_number(request.POST.get("count", ""))
            seed = _whole_number(request.POST.get("seed", ""))
            if count is None or seed is None:
                raise service.SpotCheckError(_("请填写抽取数量和随机种子（整数）。"))
            drawn = service.draw_at_random(year, count, seed, name, scope.city_id)
    except (service.SpotCheckError, SpotCheckFileError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("新抽取 %(n)d 项自评。") % {"n": len(drawn)})
    return redirect("web:spot_checks", year=year)


def _spot_check(scope: Scope, year: int, pk: int) -> m.SpotCheck:
    """The sampled project, 404 for an expert it was not assigned to (nothing leaks)."""
    check = get_object_or_404(
        m.SpotCheck.objects.select_related(
            "goal__project", "goal__fiscal_year__department__city"
        ),
        pk=pk,
        year=year,
    )
    if not can_score_spot_check(scope, check):
        raise Http404(_("没有这项抽查。"))
    return check


@scope_view(can_open_spot_checks)
def spot_check(request: HttpRequest, scope: Scope, year: int, pk: int) -> HttpResponse:
    check = _spot_check(scope, year, pk)
    if request.method == "POST":
        keys = request.POST.getlist("item")
        scores = dict(zip(keys, request.POST.getlist("score"), strict=False))
        comments = dict(zip(keys, request.POST.getlist("comment"), strict=False))
        try:
            service.record_scores(check, scores, comments, user_name(request.user))
        except service.SpotCheckError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("财政评价得分已保存。"))
        return redirect("web:spot_check", year=year, pk=pk)
    review = service.review(check)
    evidence = service.evidence_by_item(check)
    rows = [
        (row, review.comments.get(row.key, ""), evidence.get(row.key, []))
        for row in review.comparison.rows
    ]
    context = {
        "year": year,
        "review": review,
        "rows": rows,
        "bureau": can_spot_check(scope),
        "history": service.score_history(check),
    }
    if context["bureau"]:
        context["experts"] = _experts(check)
    if can_manage_notices(scope):
        source = notices.spot_check_source(check, review.comparison)
        context["notice_url"] = issue_link(check.goal.fiscal_year, source) if source else ""
    return render(request, "web/spot_check.html", context)


@require_POST
@scope_view(can_spot_check)
def assign(request: HttpRequest, scope: Scope, year: int, pk: int) -> HttpResponse:
    check = _spot_check(scope, year, pk)
    username = request.POST.get("expert", "").strip()
    expert = next((u for u in _experts(check) if u.username == username), None)
    if username and expert is None:
        messages.error(
            request,
            _("“%(name)s”不是%(city)s的评价专家账号。")
            % {"name": username, "city": check.goal.fiscal_year.department.city.name},
        )
    else:
        service.assign(check, expert)
        messages.success(request, _("已分配评价专家。") if expert else _("已取消分配。"))
    return redirect("web:spot_check", year=year, pk=pk)


@require_POST
@scope_view(can_open_spot_checks)
def evidence_upload(request: HttpRequest, scope: Scope, year: int, pk: int) -> HttpResponse:
    check = _spot_check(scope, year, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None or not upload.name:
            raise service.SpotCheckError(_("请选择要上传的佐证材料。"))
        service.attach_evidence(
            check,
            request.POST.get("item", ""),
            upload.name,
            upload.size or 0,
            upload.chunks(),
            user_name(request.user),
        )
    except service.SpotCheckError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("佐证材料已上传。"))
    return redirect(reverse("web:spot_check", kwargs={"year": year, "pk": pk}) + "#evidence")


@scope_view(can_open_spot_checks)
def evidence_download(
    request: HttpRequest, scope: Scope, year: int, pk: int, evidence: int
) -> HttpResponse:
    item = get_object_or_404(m.EvidenceFile, pk=evidence, spot_check=_spot_check(scope, year, pk))
    try:
        path = service.evidence_path(item)
        content = path.open("rb")
    except (service.SpotCheckError, OSError) as error:
        raise Http404(_("佐证材料文件不存在。")) from error
    fallback = f"evidence-{item.pk}{path.suffix}"
    return file_download(content, item.name, fallback)  # type: ignore[return-value]


@require_POST
@scope_view(can_spot_check)
def recompute(request: HttpRequest, scope: Scope, year: int, pk: int) -> HttpResponse:
    """Carry the scores given under an earlier version of the rule file to the current one."""
    check = _spot_check(scope, year, pk)
    done = service.recompute(check, user_name(request.user))
    if done.carried:
        messages.success(
            request,
            _("已按现行评分规则（%(version)s）重新计算 %(count)d 项：%(names)s。")
            % {
                "version": done.version,
                "count": len(done.carried),
                "names": "、".join(done.carried),
            },
        )
    if done.refused:
        messages.error(
            request,
            _("以下指标未记录评分时分值且原分超过现行分值，请重新打分：%(names)s。")
            % {"names": "、".join(done.refused)},
        )
    return redirect("web:spot_check", year=year, pk=pk)
