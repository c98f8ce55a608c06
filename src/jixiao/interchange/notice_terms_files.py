"""整改通知 terms files (``jixiao/rules/rectification-notices*.yaml``): read, validate, build.

::

    format: jixiao-notice-terms/1
    id: rectification-notices
    version: "2024"
    name: 整改通知期限（jixiao 默认）
    sources: [...]
    evidence: L
    answer_days: 30        # 下发 → 默认整改期限
    resubmit_days: 15      # 退回重改 → 默认新的整改期限
    review_days: 15        # 部门反馈 → 财政局审核期限
    due_soon_days: 7       # 到期前几天提示“即将到期”

Every count of days is a whole number of at least 1 (``due_soon_days`` may be 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field

from jixiao.core.rectification_notices import NoticeTerms
from jixiao.interchange.problems import Problem
from jixiao.interchange.rule_documents import RuleFileHeader, RuleFileKind

FORMAT = "jixiao-notice-terms/1"
DEFAULT_NOTICE_TERMS = "rectification-notices"
SHIPPED_NOTICE_TERMS = (DEFAULT_NOTICE_TERMS,)

Days = Annotated[int, Field(ge=1, le=3650, strict=True)]


class NoticeTermsFile(RuleFileHeader):
    format: Literal["jixiao-notice-terms/1"]
    answer_days: Days
    resubmit_days: Days
    review_days: Days
    due_soon_days: Annotated[int, Field(ge=0, le=365, strict=True)]


def cross_check(model: NoticeTermsFile) -> Iterator[Problem]:
    if model.due_soon_days >= model.answer_days:
        yield Problem(
            "due_soon_days",
            f"提示天数（{model.due_soon_days}天）应少于整改天数（{model.answer_days}天），"
            "否则整改通知一下发就显示“即将到期”",
        )


def to_terms(model: NoticeTermsFile) -> NoticeTerms:
    return NoticeTerms(
        id=model.id,
        name=model.name,
        answer_days=model.answer_days,
        resubmit_days=model.resubmit_days,
        review_days=model.review_days,
        due_soon_days=model.due_soon_days,
        sources=tuple(model.sources),
    )


NOTICE_TERMS_FILES = RuleFileKind(
    NoticeTermsFile, cross_check, to_terms, "rules", SHIPPED_NOTICE_TERMS
)


def shipped_notice_terms(name: str = DEFAULT_NOTICE_TERMS) -> NoticeTerms:
    return NOTICE_TERMS_FILES.packaged(name)
