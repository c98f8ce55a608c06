"""The 审核意见: what the preparer must look at before a document goes out.

The report, its 附表 and the monitoring report print only what the department publishes.
Everything addressed to the person preparing them — consistency findings, audit and
goal-quality findings, defaults used, missing inputs, rounding differences, the rule sets
applied — is written here instead, in the same page layout (GB/T 9704) as the documents
it accompanies, grouped by severity (错误, 警告, 提示) and, within one, by subject.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

from jixiao.core.consistency import Finding
from jixiao.core.narrative import chinese_ordinal
from jixiao.core.vocabulary import Severity
from jixiao.documents.docx_layout import finish_for_print
from jixiao.documents.template_builder import official_document

SEVERITY_ORDER = (Severity.error, Severity.warning, Severity.info)
GENERAL_SUBJECT = "总体"
NOTHING_FOUND = "未发现需要核实的事项。"


def review_title(title: str) -> str:
    """“…自评报告” → “…自评报告审核意见” (a title already naming 审核意见 is kept)."""
    return title if title.endswith("审核意见") else f"{title}审核意见"


def _subject(finding: Finding) -> str:
    return finding.subject or GENERAL_SUBJECT


def _grouped(
    findings: Sequence[Finding],
) -> Iterator[tuple[Severity, list[tuple[str, list[Finding]]]]]:
    """Severity by severity; within one, subjects in order of first appearance."""
    for severity in SEVERITY_ORDER:
        of_severity = [f for f in findings if f.severity is severity]
        if not of_severity:
            continue
        order = {
            subject: index
            for index, subject in enumerate(dict.fromkeys(map(_subject, of_severity)))
        }
        ordered = sorted(of_severity, key=lambda f: order[_subject(f)])
        yield severity, [(subject, list(group)) for subject, group in groupby(ordered, _subject)]


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _summary(findings: Sequence[Finding]) -> str:
    counts = "，".join(
        f"{severity.label}{count}项"
        for severity in SEVERITY_ORDER
        if (count := sum(1 for f in findings if f.severity is severity))
    )
    return f"共{len(findings)}项：{counts}。" if findings else NOTHING_FOUND


class _Paragraphs:
    """Adds paragraphs in named styles, each name looked up once per document: python-docx
    looks a name up among all the template's styles on every paragraph, which took most of
    the time of a 审核意见 with a hundred findings."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.style_ids: dict[str, str] = {}

    def add(self, text: str, style: str) -> None:
        if style not in self.style_ids:
            self.style_ids[style] = self.document.styles[style].style_id
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = self.style_ids[style]


def render_review_notes_docx(
    title: str,
    findings: Sequence[Finding],
    out_path: Path,
    *,
    department: str,
    prepared_on: date,
    rule_sets: Sequence[str] = (),
) -> Path:
    """Write the 审核意见 of a document titled ``title`` at ``out_path``; return the path.

    ``findings`` are printed by severity, then subject (``Finding.subject``, "总体" when
    empty), each as a numbered paragraph; ``rule_sets`` are the rule sets applied, named
    as the preparer knows them (id and name).
    """
    document = official_document()
    paragraphs = _Paragraphs(document)
    paragraphs.add(review_title(title), "公文标题")
    paragraphs.add(
        f"本意见供{department}编制人员核实，列出报告及附表未载明的核查事项，不随报告报送。",
        "公文正文",
    )
    paragraphs.add(f"编制日期：{_date_text(prepared_on)}。", "公文正文")
    if rule_sets:
        paragraphs.add(f"适用规则：{'；'.join(rule_sets)}。", "公文正文")
    paragraphs.add(f"核查结果：{_summary(findings)}", "公文正文")
    for position, (severity, subjects) in enumerate(_grouped(findings), start=1):
        count = sum(len(group) for _, group in subjects)
        paragraphs.add(
            f"{chinese_ordinal(position)}、{severity.label}（{count}项）", "一级标题"
        )
        for number, (subject, group) in enumerate(subjects, start=1):
            paragraphs.add(f"（{chinese_ordinal(number)}）{subject}", "二级标题")
            for index, finding in enumerate(group, start=1):
                paragraphs.add(f"{index}.{finding.message}", "公文正文")
    finish_for_print(document, review_title(title), department, prepared_on)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out_path))
    return out_path
