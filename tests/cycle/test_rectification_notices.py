"""整改通知 stored: issued by the bureau with the rule file's default deadline, answered by
the department with evidence files (kinds and sizes limited, names made by the server),
returned with a reason and a new deadline, approved; every step kept; the sources a
notice may come from; the bureau's overview; a terms file written only as data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.notice_terms_files import NOTICE_TERMS_FILES, shipped_notice_terms
from jixiao.interchange.problems import InputRejected
from jixiao.services import rectification_notices as service
from jixiao.services.result_application import proposals_of_year
from jixiao.storage import models as m
from tests.web.conftest import first_department_text, store_text

pytestmark = pytest.mark.django_db

BUREAU = service.Actor(None, "财政局 张三", "财政局")
FINANCE = service.Actor(None, "财务科 李四", "财务科")
DAY = date(2024, 6, 3)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_BYTES = 1000
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def year(small_year_text: str) -> m.FiscalYear:
    return store_text(first_department_text(small_year_text))


def _upload(name: str, content: bytes) -> service.Upload:
    return service.Upload(name, len(content), [content])


def test_issue_with_the_default_deadline_and_number(year: m.FiscalYear) -> None:
    project = m.Project.objects.get(fiscal_year=year, code="P001")
    first = service.issue(year, "  执行缓慢 ", BUREAU, project=project, today=DAY)
    second = service.issue(year, "目标不清", BUREAU, origin="finding", today=DAY)
    assert (first.number, second.number) == (1, 2)
    assert first.issue == "执行缓慢" and first.status == "issued"
    assert first.deadline == date(2024, 7, 3)  # 30 days, the shipped rule file's
    step = first.steps.get()
    assert (step.action, step.user_name, step.deadline) == ("issue", "财政局 张三", first.deadline)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issue_text": " "}, "请填写整改问题"),
        ({"issue_text": "x", "deadline": date(2024, 6, 2)}, "不能早于今天"),
        ({"issue_text": "x", "origin": "nonsense"}, "没有这种整改通知来源"),
    ],
)
def test_a_notice_missing_what_it_needs_is_refused(
    year: m.FiscalYear, kwargs: dict[str, Any], message: str
) -> None:
    text = kwargs.pop("issue_text")
    with pytest.raises(service.NoticeRefused, match=message):
        service.issue(year, text, BUREAU, today=DAY, **kwargs)
    assert not m.RectificationNotice.objects.exists()


def test_the_whole_loop_keeps_every_step_and_file(year: m.FiscalYear, media: Path) -> None:
    notice = service.issue(year, "执行缓慢", BUREAU, today=DAY)
    service.answer(notice, "已加快支付", [_upload("进度表.pdf", b"%PDF-1")], FINANCE, today=DAY)
    notice.refresh_from_db()
    assert notice.status == "answered" and notice.review_deadline == date(2024, 6, 18)
    with pytest.raises(service.NoticeRefused, match="退回重改须填写理由"):
        service.review(notice, False, " ", BUREAU, today=DAY)
    service.review(notice, False, "缺少支付凭证", BUREAU, today=DAY)
    notice.refresh_from_db()
    assert notice.status == "returned" and notice.deadline == date(2024, 6, 18)
    assert notice.review_deadline is None
    with pytest.raises(service.NoticeRefused, match="不能通过"):
        service.review(notice, True, "", BUREAU, today=DAY)
    service.answer(notice, "补充凭证", [_upload("凭证.JPG", b"jpg")], FINANCE, today=DAY)
    service.review(notice, True, "", BUREAU, today=DAY)
    notice.refresh_from_db()
    assert notice.status == "approved"
    steps = list(notice.steps.values_list("action", "text"))
    assert steps == [
        ("issue", ""),
        ("answer", "已加快支付"),
        ("send_back", "缺少支付凭证"),
        ("answer", "补充凭证"),
        ("approve", ""),
    ]
    files = list(notice.evidence.order_by("id"))
    assert [f.name for f in files] == ["进度表.pdf", "凭证.JPG"]
    assert files[1].stored.endswith(".jpg") and "凭证" not in files[1].stored
    assert Path(service.evidence_path(files[0])).read_bytes() == b"%PDF-1"
    assert notice.history.count() >= 5  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("upload", "message"),
    [(("x.exe", b"MZ"), "文件类型不受支持"), (("big.pdf", b"x" * 1001), "上限")],
)
def test_a_refused_file_stores_nothing(
    year: m.FiscalYear, media: Path, upload: tuple[str, bytes], message: str
) -> None:
    notice = service.issue(year, "执行缓慢", BUREAU, today=DAY)
    with pytest.raises(service.NoticeRefused, match=message):
        service.answer(notice, "已整改", [_upload(*upload)], FINANCE, today=DAY)
    notice.refresh_from_db()
    assert notice.status == "issued" and not m.NoticeStep.objects.filter(action="answer").exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_answer_needs_feedback(year: m.FiscalYear) -> None:
    notice = service.issue(year, "执行缓慢", BUREAU, today=DAY)
    with pytest.raises(service.NoticeRefused, match="请填写整改情况"):
        service.answer(notice, "", [], FINANCE, today=DAY)


def test_the_overview_counts_by_status_and_overdue_side(year: m.FiscalYear) -> None:
    late = service.issue(year, "甲", BUREAU, deadline=DAY, today=DAY)
    waiting = service.issue(year, "乙", BUREAU, today=DAY)
    service.answer(waiting, "已整改", [], FINANCE, today=DAY)
    found = service.overview(2024, date(2024, 7, 1))
    assert found.by_status == {"issued": 1, "answered": 1}
    assert found.overdue == {"部门": 1, "财政局": 1}  # review deadline 2024-06-18
    assert found.standings[late.pk].deadline.days_overdue == 28  # type: ignore[union-attr]


def test_findings_become_sources(year: m.FiscalYear) -> None:
    sources = service.sources_of_year(year)
    assert all(s.issue and s.basis for s in sources)
    assert {s.origin for s in sources} <= {"finding", "spot_check", "result"}


def test_the_shipped_terms_and_a_variant_written_only_as_data() -> None:
    shipped = shipped_notice_terms()
    assert (shipped.answer_days, shipped.review_days, shipped.resubmit_days) == (30, 15, 15)
    variant = NOTICE_TERMS_FILES.parse(
        "format: jixiao-notice-terms/1\nid: county-short\nversion: '2025'\nname: 某县整改期限\n"
        "answer_days: 10\nresubmit_days: 5\nreview_days: 3\ndue_soon_days: 2\n"
    )
    assert (variant.id, variant.answer_days, variant.review_days) == ("county-short", 10, 3)
    with pytest.raises(InputRejected) as refused:
        NOTICE_TERMS_FILES.parse(
            "format: jixiao-notice-terms/1\nid: bad\nversion: '1'\nname: 错\n"
            "answer_days: 5\nresubmit_days: 0\nreview_days: 3\ndue_soon_days: 9\n"
        )
    text = str(refused.value)
    assert "resubmit_days" in text


def test_an_unapproved_notice_on_a_project_is_rectification_unfinished(year: m.FiscalYear) -> None:
    assert proposals_of_year(year) == ()  # 91.7 % executed, no grade yet
    project = m.Project.objects.get(fiscal_year=year, code="P001")
    notice = service.issue(year, "执行缓慢", BUREAU, project=project, today=DAY)
    (proposal,) = proposals_of_year(year)
    assert proposal.result.project_code == "P001" and proposal.rule.name == "整改未完成"
    assert proposal.action.value == "核减"
    service.answer(notice, "已整改", [], FINANCE, today=DAY)
    assert len(proposals_of_year(year)) == 1  # answered is not yet approved
    service.review(notice, True, "", BUREAU, today=DAY)
    assert proposals_of_year(year) == ()
