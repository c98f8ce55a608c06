"""抽查 and 财政评价: the bureau draws submitted self-evaluations (at random with a seed,
or by the rule file's thresholds) and re-scores them beside the self score."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from jixiao.core.spot_checks import EXECUTION_KEY, SamplingRule
from jixiao.services import spot_checks as service
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus
from jixiao.web.accounts import create_account
from jixiao.web.models import Role
from tests.web.conftest import PASSWORD, YEAR, World

pytestmark = pytest.mark.django_db

PAGE = f"/bureau/{YEAR}/spot-checks/"


def _submit_self_evaluation(world: World) -> m.PerformanceGoal:
    goal = m.PerformanceGoal.objects.get(fiscal_year=world.fiscal_year, project__code="P001")
    goal.evaluation_status = WorkflowStatus.submitted
    goal.save(bump_version=False)
    return goal


def _messages(response: object) -> str:
    return " ".join(str(x) for x in response.wsgi_request._messages)  # type: ignore[attr-defined]


def test_a_random_draw_takes_only_submitted_self_evaluations_and_keeps_the_first_draw(
    world: World,
) -> None:
    assert service.draw_at_random(YEAR, 5, 7, "财政局") == []
    goal = _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 5, 7, "财政局")
    assert check.goal == goal and check.seed == 7 and check.method == "random"
    assert service.draw_at_random(YEAR, 5, 7, "财政局") == []
    assert m.SpotCheck.objects.count() == 1


def test_the_rule_draws_with_the_thresholds_of_the_rule_file(world: World) -> None:
    _submit_self_evaluation(world)
    [candidate] = service.candidates(YEAR)
    assert candidate.execution_rate is not None
    framework = service.load_framework()
    never = replace(framework, sampling=SamplingRule(Decimal(0), Decimal(100)))
    assert service.draw_by_rule(YEAR, "财政局", never) == []
    always = replace(framework, sampling=SamplingRule(candidate.execution_rate + 1, None))
    [check] = service.draw_by_rule(YEAR, "财政局", always)
    assert check.method == "rule" and f"执行率{candidate.execution_rate}%低于" in check.reason


def test_bureau_scores_are_checked_all_before_any_is_written(world: World) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    with pytest.raises(service.SpotCheckError, match="绩效目标合理性"):
        service.record_scores(check, {"decision-goal": "9", EXECUTION_KEY: "1"}, {}, "财政局")
    assert not m.BureauScore.objects.exists()
    with pytest.raises(service.SpotCheckError, match="不是数字"):
        service.record_scores(check, {"decision-goal": "三"}, {}, "财政局")


def test_the_bureau_draws_scores_and_sees_the_difference_per_indicator_and_in_total(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    bureau = world.client("bureau")
    assert 'id="spot-checks-link"' in bureau.get(f"/bureau/{YEAR}/").content.decode()
    response = bureau.post(f"{PAGE}draw/", {"method": "random", "count": "3", "seed": "42"})
    assert response.status_code == 302 and "新抽取 1 项自评" in _messages(response)
    check = m.SpotCheck.objects.get()
    page = bureau.get(PAGE).content.decode()
    assert f'href="{PAGE}{check.pk}/"' in page and "随机抽取（种子 42）" in page

    review = service.review(check)
    execution = next(r for r in review.comparison.rows if r.key == EXECUTION_KEY)
    assert execution.self_score is not None and execution.level1 == "过程"
    lower = execution.self_score - 1
    response = bureau.post(
        f"{PAGE}{check.pk}/",
        {"item": [EXECUTION_KEY, "decision-goal"], "score": [str(lower), "2"],
         "comment": ["执行率核减", ""]},
    )  # fmt: skip
    assert "财政评价得分已保存" in _messages(response)
    page = bureau.get(f"{PAGE}{check.pk}/").content.decode()
    assert 'id="bureau-scores"' in page and "执行率核减" in page
    after = service.review(check).comparison
    # the execution row (10 in the self-evaluation) counts for 5 of 过程's 15
    assert after.difference == Decimal("-0.5")
    assert after.bureau_total == lower / 2 + 2
    assert '<td id="difference-total">-0.50</td>' in page
    assert f'<td class="difference">{Decimal(-1):.2f}</td>' in page  # the row, on its own weight
    process = next(t for t in after.level1_totals() if t.name == "过程")
    assert process.weight == 15 and process.self_score == execution.self_score / 2
    assert process.difference == Decimal("-0.5") and after.weight_total == 100
    assert '<tr data-level1="过程"><th>过程</th><td>15.00</td>' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bureau", 200), ("admin", 200), ("finance", 403), ("office", 403), ("leader", 403)],
)
def test_only_the_bureau_and_an_admin_sample_and_re_score(
    world: World, persona: str, status: int
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    client = world.client(persona)
    assert client.get(PAGE).status_code == status
    assert client.get(f"{PAGE}{check.pk}/").status_code == status
    response = client.post(f"{PAGE}{check.pk}/", {"item": ["decision-goal"], "score": ["1"]})
    assert response.status_code == (302 if status == 200 else status)
    assert m.BureauScore.objects.exists() == (status == 200)


# 佐证材料


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_BYTES = 1000
    return Path(settings.MEDIA_ROOT)


def test_evidence_is_stored_under_a_server_made_name_and_downloaded_by_the_bureau(
    world: World, media: Path
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    bureau = world.client("bureau")
    upload = SimpleUploadedFile("../../会议纪要.PDF", b"%PDF-1.4 minutes", "application/pdf")
    response = bureau.post(f"{PAGE}{check.pk}/evidence/", {"item": "decision-goal", "file": upload})
    assert "佐证材料已上传" in _messages(response)
    evidence = m.EvidenceFile.objects.get()
    assert evidence.name == "会议纪要.PDF" and evidence.item == "decision-goal"
    stored = media / evidence.stored
    assert stored.read_bytes() == b"%PDF-1.4 minutes" and stored.suffix == ".pdf"
    assert stored.resolve().is_relative_to(media.resolve()) and "会议" not in evidence.stored
    link = f"{PAGE}{check.pk}/evidence/{evidence.pk}/"
    assert f'href="{link}"' in bureau.get(f"{PAGE}{check.pk}/").content.decode()
    download = bureau.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"  # type: ignore[attr-defined]
    assert world.client("finance").get(link).status_code == 403


@pytest.mark.parametrize(
    ("item", "name", "content", "problem"),
    [
        ("decision-goal", "run.exe", b"MZ", "文件类型不受支持"),
        ("decision-goal", "big.pdf", b"x" * 1001, "上限"),
        ("no-such-indicator", "a.pdf", b"x", "请选择佐证材料所属的指标"),
    ],
)
def test_refused_evidence_says_why_and_stores_nothing(
    world: World, media: Path, item: str, name: str, content: bytes, problem: str
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    response = world.client("bureau").post(
        f"{PAGE}{check.pk}/evidence/", {"item": item, "file": SimpleUploadedFile(name, content)}
    )
    assert problem in _messages(response)
    assert not m.EvidenceFile.objects.exists()
    assert not any(media.rglob("*.*")) if media.exists() else True


# The expert or third-party account


def _expert(name: str) -> Client:
    client = Client()
    client.force_login(create_account(name, Role.expert, PASSWORD).user)
    return client


def test_an_expert_scores_and_attaches_evidence_only_to_what_the_bureau_assigned_it(
    world: World, media: Path
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    expert, other = _expert("expert1"), _expert("expert2")
    url = f"{PAGE}{check.pk}/"
    assert expert.get(url).status_code == 404
    assert "spot-checks" not in expert.get(PAGE).content.decode().split('id="spot-checks"')[1]

    bureau = world.client("bureau")
    assert "expert1" in bureau.get(url).content.decode()
    response = bureau.post(f"{url}assign/", {"expert": "finance"})
    assert "不是本级的评价专家账号" in _messages(response)
    bureau.post(f"{url}assign/", {"expert": "expert1"})
    check.refresh_from_db()
    assert check.assigned_to is not None and check.assigned_to.username == "expert1"

    home = expert.get("/").content.decode()
    assert 'id="assigned-spot-checks"' in home and f'href="{PAGE}"' in home
    listing = expert.get(PAGE).content.decode()
    assert f'href="{url}"' in listing and 'id="draw-random"' not in listing
    page = expert.get(url).content.decode()
    assert 'id="bureau-scores"' in page and 'id="assign"' not in page
    expert.post(url, {"item": ["decision-goal"], "score": ["2.5"], "comment": ["专家意见"]})
    score = m.BureauScore.objects.get()
    assert score.score == Decimal("2.5") and score.user_name == "expert1"
    upload = SimpleUploadedFile("现场核查.jpg", b"jpeg")
    expert.post(f"{url}evidence/", {"item": "decision-goal", "file": upload})
    assert m.EvidenceFile.objects.count() == 1

    assert other.get(url).status_code == 404
    assert other.post(url, {"item": ["decision-goal"], "score": ["0"]}).status_code == 404
    assert expert.post(f"{PAGE}draw/", {"method": "rule"}).status_code == 403
    assert expert.post(f"{url}assign/", {"expert": "expert2"}).status_code == 403
    assert m.BureauScore.objects.get().score == Decimal("2.5")


def test_the_bureau_sets_up_an_expert_account_in_no_department(world: World) -> None:
    from django.contrib.auth.models import User

    from jixiao.web.accounts import AccountRequest, create_accounts

    [made] = create_accounts([AccountRequest("third-party", "某事务所", "评价专家")], Role.bureau)
    membership = User.objects.get(username="third-party").membership  # type: ignore[attr-defined]
    assert made.role == Role.expert and membership.department is None


# The history of the bureau's scores


def test_every_change_of_a_score_or_comment_is_recorded_and_shown_with_who_and_when(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    bureau = world.client("bureau")
    url = f"{PAGE}{check.pk}/"
    bureau.post(url, {"item": ["decision-goal"], "score": ["2"], "comment": ["目标偏宽"]})
    bureau.post(url, {"item": ["decision-goal"], "score": ["2"], "comment": ["目标偏宽"]})
    bureau.post(url, {"item": ["decision-goal"], "score": ["1.5"], "comment": ["目标不具体"]})
    changes = service.score_history(check)
    assert [(c.score_before, c.score_after) for c in changes] == [
        (Decimal(2), Decimal("1.5")),
        (None, Decimal(2)),
    ]  # newest first; the save that changed nothing is no change
    assert changes[0].comment_before == "目标偏宽" and changes[0].comment_after == "目标不具体"
    assert changes[0].item == "绩效目标合理性" and changes[0].who
    page = bureau.get(url).content.decode()
    assert 'id="score-changes"' in page
    assert "2.00 → 1.50" in page and "目标偏宽 → 目标不具体" in page


def test_bureau_score_changes_are_in_the_audit_log_and_its_export_for_the_bureau_only(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    bureau = world.client("bureau")
    url = f"{PAGE}{check.pk}/"
    bureau.post(url, {"item": ["decision-goal"], "score": ["2"], "comment": [""]})
    bureau.post(url, {"item": ["decision-goal"], "score": ["3"], "comment": ["复核后调整"]})
    audit = f"/d/{world.fiscal_year.department.code}/{YEAR}/audit/"
    page = bureau.get(f"{audit}?kind=bureau_score").content.decode()
    assert "财政评价得分" in page and "绩效目标合理性" in page and "复核后调整" in page
    finance_page = world.client("finance").get(f"{audit}?kind=bureau_score").content.decode()
    assert "复核后调整" not in finance_page
    export = bureau.get(f"{audit}export/")
    workbook = load_workbook(BytesIO(export.content))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "财政评价得分" in cells and "复核后调整" in cells


# Scores given under an earlier version of the rule file


def _stored(
    check: m.SpotCheck, item: str, score: str, version: str | None, weight: str | None
) -> None:
    m.BureauScore.objects.create(
        spot_check=check, item=item, score=Decimal(score), framework_version=version,
        weight=Decimal(weight) if weight is not None else None, user_name="财政局",
    )  # fmt: skip


def test_a_score_records_the_rule_files_version_and_the_weight_it_was_given_against(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    bureau = world.client("bureau")
    bureau.post(f"{PAGE}{check.pk}/", {"item": ["decision-goal"], "score": ["2"]})
    score = m.BureauScore.objects.get()
    assert score.framework_version == service.load_framework(check.framework).version
    assert score.weight == Decimal(3)
    page = bureau.get(f"{PAGE}{check.pk}/").content.decode()
    assert 'id="outdated-scores"' not in page and "需复核" not in bureau.get(PAGE).content.decode()


def test_scores_of_an_earlier_rule_version_are_flagged_and_recomputed_by_the_bureau(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    current = service.load_framework(check.framework).version
    _stored(check, "process-arrival", "3", "2020.1", "4")  # 资金到位率 weighed 4 in 2020.1
    _stored(check, "decision-goal", "2", current, "3")
    bureau, url = world.client("bureau"), f"{PAGE}{check.pk}/"
    note = "按旧版评分规则（2020.1）评分，需复核"
    page = bureau.get(url).content.decode()
    assert 'id="outdated-scores"' in page and note in page and 'id="recompute"' in page
    assert note in bureau.get(PAGE).content.decode()  # the bureau's list flags it too

    expert, membership = Client(), create_account("expert1", Role.expert, PASSWORD)
    expert.force_login(membership.user)
    m.SpotCheck.objects.filter(pk=check.pk).update(assigned_to=membership.user)
    assert 'id="recompute"' not in expert.get(url).content.decode()
    assert expert.post(f"{url}recompute/").status_code == 403

    response = bureau.post(f"{url}recompute/")
    assert "资金到位率" in _messages(response)
    arrival = m.BureauScore.objects.get(item="process-arrival")
    assert (arrival.score, arrival.weight, arrival.framework_version) == (
        Decimal("1.5"), Decimal(2), current,
    )  # 3 of 4 is 1.5 of 2
    assert m.BureauScore.objects.get(item="decision-goal").score == Decimal(2)  # current: left
    page = bureau.get(url).content.decode()
    assert 'id="outdated-scores"' not in page and note not in bureau.get(PAGE).content.decode()
    [change, *_] = service.score_history(check)
    assert (change.score_before, change.score_after) == (Decimal(3), Decimal("1.5"))
    assert change.reason == f"按现行评分规则（{current}）重新计算" and change.reason in page
    audit = f"/d/{world.fiscal_year.department.code}/{YEAR}/audit/?kind=bureau_score"
    assert change.reason in bureau.get(audit).content.decode()


def test_scores_without_a_recorded_version_stand_within_the_current_weight_or_are_rescored(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    _stored(check, "process-arrival", "3", None, None)  # above today's weight 2
    _stored(check, "decision-goal", "2", None, None)  # within today's weight 3
    bureau, url = world.client("bureau"), f"{PAGE}{check.pk}/"
    assert "按旧版评分规则（版本未记录）评分，需复核" in bureau.get(url).content.decode()
    response = bureau.post(f"{url}recompute/")
    assert "请重新打分：资金到位率" in _messages(response)
    assert m.BureauScore.objects.get(item="process-arrival").score == Decimal(3)
    goal = m.BureauScore.objects.get(item="decision-goal")
    assert (goal.score, goal.weight) == (Decimal(2), Decimal(3))
    review = service.review(check)
    assert set(review.outdated) == {"process-arrival"}
    bureau.post(url, {"item": ["process-arrival"], "score": ["2"]})  # scored again by hand
    assert service.review(check).outdated == {}


def test_saving_the_whole_form_keeps_untouched_old_version_scores_as_stored(
    world: World,
) -> None:
    _submit_self_evaluation(world)
    [check] = service.draw_at_random(YEAR, 1, 1, "财政局")
    current = service.load_framework(check.framework).version
    _stored(check, "process-arrival", "3", "2020.1", "4")  # above today's weight 2
    _stored(check, "decision-goal", "2", "2020.1", "5")
    bureau, url = world.client("bureau"), f"{PAGE}{check.pk}/"
    rows = service.review(check).comparison.rows
    posted = {"process-arrival": "3", "decision-goal": "2.0000"}
    form = {
        "item": [r.key for r in rows],
        "score": [posted.get(r.key, "") for r in rows],
        "comment": ["已复核" if r.key == "decision-goal" else "" for r in rows],
    }  # the page posts every row back, pre-filled; only 决策目标's comment is edited
    response = bureau.post(url, form)
    assert "财政评价得分已保存" in _messages(response)
    arrival = m.BureauScore.objects.get(item="process-arrival")
    assert (arrival.score, arrival.weight, arrival.framework_version) == (
        Decimal(3), Decimal(4), "2020.1",
    )  # untouched: as stored
    goal = m.BureauScore.objects.get(item="decision-goal")
    assert (goal.score, goal.comment, goal.weight, goal.framework_version) == (
        Decimal(2), "已复核", Decimal(3), current,
    )  # edited: today's version and weight
    assert set(service.review(check).outdated) == {"process-arrival"}
    assert "按旧版评分规则（2020.1）评分，需复核" in bureau.get(url).content.decode()
