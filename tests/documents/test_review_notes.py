"""The 审核意见 document: the findings addressed to the preparer, apart from the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document

from jixiao.core.consistency import Finding
from jixiao.core.vocabulary import Severity
from jixiao.documents.review_notes import render_review_notes_docx

TITLE = "2023年度示例区分局部门整体支出绩效自评报告"


def notes(path: Path, findings: list[Finding], **options: object) -> list[tuple[str, str]]:
    written = render_review_notes_docx(
        TITLE,
        findings,
        path / "review.docx",
        department="示例区分局",
        prepared_on=date(2024, 3, 1),
        **options,  # type: ignore[arg-type]
    )
    # the title is set in balanced lines, one line break apart
    return [(p.style.name, p.text.replace("\n", "")) for p in Document(str(written)).paragraphs]


def test_it_groups_the_findings_by_severity_then_subject(tmp_path: Path) -> None:
    findings = [
        Finding("gap", Severity.warning, "尾差0.01万元。", subject="收支情况"),
        Finding("audit", Severity.error, "填报得分与计算得分不一致。", subject="LW-P04 规划编制"),
        Finding("quality", Severity.warning, "指标缺少计量单位。", subject="LW-P04 规划编制"),
        Finding("gap2", Severity.warning, "另一处尾差。", subject="收支情况"),
    ]
    paragraphs = notes(tmp_path, findings)
    texts = [text for _, text in paragraphs]
    assert texts[0] == f"{TITLE}审核意见"
    start = texts.index("一、错误（1项）")
    assert texts[start:] == [
        "一、错误（1项）",
        "（一）LW-P04 规划编制",
        "1.填报得分与计算得分不一致。",
        "二、警告（3项）",
        "（一）收支情况",
        "1.尾差0.01万元。",
        "2.另一处尾差。",
        "（二）LW-P04 规划编制",
        "1.指标缺少计量单位。",
    ]
    assert ("一级标题", "一、错误（1项）") in paragraphs
    assert ("二级标题", "（一）收支情况") in paragraphs


def test_it_names_the_rule_sets_and_the_date(tmp_path: Path) -> None:
    texts = [text for _, text in notes(tmp_path, [], rule_sets=["mof-2013-dept 部门整体"])]
    assert "编制日期：2024年3月1日。" in texts
    assert "适用规则：mof-2013-dept 部门整体。" in texts
    assert "核查结果：未发现需要核实的事项。" in texts


def test_a_finding_without_a_subject_is_listed_under_the_whole(tmp_path: Path) -> None:
    texts = [text for _, text in notes(tmp_path, [Finding("x", Severity.info, "提示一项。")])]
    assert texts[-3:] == ["一、提示（1项）", "（一）总体", "1.提示一项。"]
