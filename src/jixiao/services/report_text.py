"""The report's text as written in the web or in Word: drafts, review, approval, and
what the generated report prints of it.

Approved text of a section the year's own tables hold (部门职能, 重点工作任务, 成效, 问题,
措施, 结论 …) is written into those tables — the same place a dataset file (the demo's
included) stores its prose — so the report, ``jixiao export`` and the checks all read
one text. The other sections (绩效自评工作情况, 结果应用, each project's paragraph) keep
their approved text on their ``ReportSection`` row. A draft never reaches the report
until it is approved; the 审核意见 says which sections have unapproved changes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.core.budget import budget_figures
from jixiao.core.consistency import Finding
from jixiao.core.coverage import self_evaluation_coverage
from jixiao.core.evaluation import YearEvaluation
from jixiao.core.live_figures import LiveFigure, hand_typed_findings, render, year_figures
from jixiao.core.narrative import Item, ReportContent, Section
from jixiao.core.outline import (
    DEFAULT_OUTLINE,
    KEY_TASK_KEY_PREFIX,
    PROJECT_KEY_PREFIX,
    SECTION_KINDS,
    YEAR_TABLE_KEYS,
    Outline,
    OutlineSection,
    SectionKind,
    is_office_paragraph,
    key_task_key,
    placed_before,
    project_key,
    report_headings,
)
from jixiao.core.report_drafts import LastYear, OpenRectification, drafts, project_paragraph
from jixiao.core.report_sections import paragraphs, section_text, with_section_text
from jixiao.core.review import coverage_findings, coverage_threshold
from jixiao.core.vocabulary import Severity
from jixiao.core.year import DepartmentYear
from jixiao.interchange.outline_files import load_outline
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.reading import department_year
from jixiao.storage import models as m
from jixiao.storage.models import WorkflowStatus


class ReportTextError(Exception):
    """A change to the report's text that is not allowed now; nothing changed."""


def outline_of(fiscal_year: m.FiscalYear) -> Outline:
    choice = m.ReportOutlineChoice.objects.filter(fiscal_year=fiscal_year).first()
    return load_outline(choice.outline if choice else DEFAULT_OUTLINE)


def choose_outline(fiscal_year: m.FiscalYear, name: str) -> Outline:
    outline = load_outline(name)
    m.ReportOutlineChoice.objects.update_or_create(
        fiscal_year=fiscal_year, defaults={"outline": name}
    )
    return outline


@dataclass(frozen=True)
class SectionState:
    """One editable section as the page shows it."""

    key: str
    heading: str
    title: str
    kind: str
    required: bool
    approved: str
    """The text the report prints now (with its live fields as tokens)."""
    draft: str
    """The text being written; equal to ``approved`` when nobody changed it."""
    status: str
    version: int
    comment: str = ""
    owner_office_id: int | None = None
    project_code: str = ""
    updated_by: str = ""

    @property
    def changed(self) -> bool:
        return self.draft != self.approved

    @property
    def label(self) -> str:
        """What names the section beside its heading, when the heading does not."""
        return "" if self.title in self.heading else self.title


def _approved_text(records: DepartmentYear, row: m.ReportSection | None, key: str) -> str:
    if key in YEAR_TABLE_KEYS:
        return section_text(records, key)
    return row.approved_text if row is not None else ""


def section_states(fiscal_year: m.FiscalYear, records: DepartmentYear) -> list[SectionState]:
    """The outline's sections, then one paragraph per project, with their text."""
    rows = {row.key: row for row in fiscal_year.report_sections.all()}
    outline = outline_of(fiscal_year)
    states = []
    for section in outline.keyed():
        if section.kind is SectionKind.computed:
            continue
        states.append(_state(section.key, section, rows.get(section.key), records))
    offices = {o.id: o.name for o in m.Office.objects.filter(department=fiscal_year.department_id)}
    for number, task in enumerate(fiscal_year.key_tasks.all(), start=1):
        key = key_task_key(number)
        row = rows.get(key)
        office = offices.get(row.owner_office_id or 0, "未指定科室") if row else "未指定科室"
        section = OutlineSection(f"重点工作任务：{task.text}（{office}）", 3, key, False)
        states.append(replace(_state(key, section, row, records), kind=SectionKind.text.value))
    for project in fiscal_year.projects.select_related("office"):
        key = project_key(project.code)
        heading = f"{project.name}（{project.office.name if project.office else '未指定科室'}）"
        section = OutlineSection(heading, 3, key, False)
        state = _state(key, section, rows.get(key), records)
        states.append(
            replace(
                state,
                owner_office_id=project.office_id,
                project_code=project.code,
                kind=SectionKind.text.value,
            )
        )
    return states


def _state(
    key: str, section: OutlineSection, row: m.ReportSection | None, records: DepartmentYear
) -> SectionState:
    approved = _approved_text(records, row, key)
    return SectionState(
        key=key,
        heading=section.heading,
        title=section.title,
        kind=(section.kind or SectionKind.text).value,
        required=section.required,
        approved=approved,
        draft=row.text if row is not None and row.status != WorkflowStatus.approved else approved,
        status=row.status
        if row is not None
        else WorkflowStatus.approved
        if approved
        else WorkflowStatus.draft,
        version=row.version if row is not None else 0,
        comment=row.comment if row is not None else "",
        owner_office_id=row.owner_office_id if row is not None else None,
        updated_by=row.updated_by_name if row is not None else "",
    )


def _is_known_key(fiscal_year: m.FiscalYear, key: str) -> bool:
    if key.startswith(PROJECT_KEY_PREFIX):
        return fiscal_year.projects.filter(code=key.removeprefix(PROJECT_KEY_PREFIX)).exists()
    if key.startswith(KEY_TASK_KEY_PREFIX):
        number = key.removeprefix(KEY_TASK_KEY_PREFIX)
        return number.isdigit() and 0 < int(number) <= fiscal_year.key_tasks.count()
    return key in SECTION_KINDS and SECTION_KINDS[key] is not SectionKind.computed


def _row(fiscal_year: m.FiscalYear, key: str) -> m.ReportSection:
    if not _is_known_key(fiscal_year, key):
        raise ReportTextError(f"报告中没有“{key}”这一节。")
    project = None
    if key.startswith(PROJECT_KEY_PREFIX):
        project = fiscal_year.projects.get(code=key.removeprefix(PROJECT_KEY_PREFIX))
    row, _ = m.ReportSection.objects.select_for_update().get_or_create(
        fiscal_year=fiscal_year,
        key=key,
        defaults={
            "project": project,
            "owner_office": project.office if project else None,
            "status": WorkflowStatus.draft,
        },
    )
    return row


def save_draft(
    fiscal_year: m.FiscalYear, key: str, text: str, who: str, version: int | None = None
) -> m.ReportSection:
    """Keep ``text`` as the section's draft (草稿). A section under review (已提交) is
    locked; an approved one opens a new draft. ``version`` refuses a stale save."""
    with transaction.atomic():
        row = _row(fiscal_year, key)
        if row.status == WorkflowStatus.submitted:
            raise ReportTextError("该节已提交审核，内容已锁定；如需修改，请审核人退回后再改。")
        if version is not None and version and row.version != version:
            raise m.StaleVersionError(row, version)
        row.text = text.replace("\r\n", "\n").strip()
        if row.status == WorkflowStatus.approved:
            row.status = WorkflowStatus.draft
        row.updated_by_name = who
        row.updated_at = timezone.now()
        row.save()
        return row


def _moved(
    fiscal_year: m.FiscalYear, key: str, allowed_from: tuple[str, ...], refusal: str
) -> m.ReportSection:
    """The section's row, locked for the change, when its status allows the move."""
    row = _row(fiscal_year, key)
    if row.status not in allowed_from:
        raise ReportTextError(refusal)
    return row


def submit(fiscal_year: m.FiscalYear, key: str, who: str) -> m.ReportSection:
    with transaction.atomic():
        row = _moved(
            fiscal_year,
            key,
            (WorkflowStatus.draft, WorkflowStatus.returned),
            "只有草稿或已退回的章节可以提交。",
        )
        row.status, row.updated_by_name = WorkflowStatus.submitted, who
        row.save()
        return row


def send_back(fiscal_year: m.FiscalYear, key: str, who: str, comment: str) -> m.ReportSection:
    if not comment.strip():
        raise ReportTextError("退回时须填写意见，说明需要修改什么。")
    with transaction.atomic():
        row = _moved(fiscal_year, key, (WorkflowStatus.submitted,), "只有已提交的章节可以退回。")
        row.status, row.comment = WorkflowStatus.returned, comment.strip()
        row.save()
        return row


def approve(fiscal_year: m.FiscalYear, key: str, who: str) -> m.ReportSection:
    """审核通过: the submitted text becomes the text the report prints."""
    with transaction.atomic():
        row = _moved(
            fiscal_year, key, (WorkflowStatus.submitted,), "只有已提交的章节可以审核通过。"
        )
        if row.updated_by_name == who:
            raise ReportTextError("不能审核自己提交的内容，请由其他审核人审核。")
        store_approved(fiscal_year, key, row.text)
        row.approved_text, row.status, row.comment = row.text, WorkflowStatus.approved, ""
        row.save()
        return row


def store_approved(fiscal_year: m.FiscalYear, key: str, text: str) -> None:
    """Write an approved section's text where the year keeps that section's prose."""
    if key not in YEAR_TABLE_KEYS:
        return
    records = with_section_text(
        department_year(fiscal_year.department.code, fiscal_year.year), key, text
    )
    if key in ("functions_preamble", "annual_objective", "conclusion", "key_task_analysis"):
        setattr(fiscal_year, key, getattr(records, key))
        fiscal_year.save(update_fields=[key])
    elif key in ("functions", "key_tasks", "improvement_measures"):
        table = {
            "functions": m.DepartmentFunction,
            "key_tasks": m.KeyTask,
            "improvement_measures": m.ImprovementMeasure,
        }[key]
        table.objects.filter(fiscal_year=fiscal_year).delete()
        table.objects.bulk_create(
            table(fiscal_year=fiscal_year, position=n, text=t)
            for n, t in enumerate(getattr(records, key), start=1)
        )
    elif key == "achievements":
        kept = {a.title: a for a in m.Achievement.objects.filter(fiscal_year=fiscal_year)}
        wanted = {a.title for a in records.achievements}
        m.Achievement.objects.filter(fiscal_year=fiscal_year).exclude(title__in=wanted).delete()
        for n, achievement in enumerate(records.achievements, start=1):
            row = kept.get(achievement.title) or m.Achievement(fiscal_year=fiscal_year)
            row.position, row.title, row.text = n, achievement.title, achievement.text
            row.save()
    elif key == "problems":
        m.Problem.objects.filter(fiscal_year=fiscal_year).delete()
        m.Problem.objects.bulk_create(
            m.Problem(fiscal_year=fiscal_year, position=n, title=p.title, text=p.text)
            for n, p in enumerate(records.problems, start=1)
        )


@dataclass(frozen=True)
class Revision:
    """One saved change of a section: who, when, the status after it, what changed."""

    when: object
    who: str
    status: str
    diff: list[tuple[str, str]]


def section_history(fiscal_year: m.FiscalYear, key: str, most: int = 10) -> list[Revision]:
    """The section's saved changes, newest first (from its audit history)."""
    row = m.ReportSection.objects.filter(fiscal_year=fiscal_year, key=key).first()
    if row is None:
        return []
    records = list(row.history.order_by("-history_date", "-history_id")[: most + 1])
    revisions = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(revisions) == most:
            break
        who = newer.history_user.get_username() if newer.history_user else newer.updated_by_name
        revisions.append(
            Revision(
                newer.history_date,
                who,
                _status_label(newer.status),
                [d for d in diff_lines(older.text if older else "", newer.text) if d[0] != " "],
            )
        )
    return revisions


# --- drafts from the data -----------------------------------------------------------------


def _evaluation(fiscal_year: m.FiscalYear, records: DepartmentYear) -> YearEvaluation | None:
    return evaluate_stored_year(fiscal_year.department.code, fiscal_year.year, records=records)


def live_figures(fiscal_year: m.FiscalYear) -> tuple[LiveFigure, ...]:
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    return year_figures(budget_figures(records), _evaluation(fiscal_year, records))


def proposed_drafts(fiscal_year: m.FiscalYear) -> dict[str, str]:
    """Section key → a draft from the data, for every section the data supports, and each
    project's paragraph; last year's approved text where this year has none."""
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    evaluation = _evaluation(fiscal_year, records)
    open_items = [
        OpenRectification(item.issue, item.measure)
        for item in fiscal_year.rectifications.exclude(status=m.RectificationStatus.done)
    ]
    coverage = (
        ()
        if evaluation is None
        else tuple(
            coverage_findings(
                self_evaluation_coverage(records, (p.project_code for p in evaluation.projects)),
                coverage_threshold(evaluation),
            )
        )
    )
    proposed = drafts(
        fiscal_year.year,
        budget_figures(records),
        evaluation,
        coverage,
        open_items=open_items,
        last_year=_last_year(fiscal_year),
    )
    if evaluation is not None:
        for project in evaluation.projects:
            proposed[project_key(project.project_code)] = project_paragraph(project)
    return proposed


def _previous(fiscal_year: m.FiscalYear) -> m.FiscalYear | None:
    return m.FiscalYear.objects.filter(
        department=fiscal_year.department, year=fiscal_year.year - 1
    ).first()


def _last_year(fiscal_year: m.FiscalYear) -> LastYear | None:
    previous = _previous(fiscal_year)
    if previous is None:
        return None
    measures = tuple(i.text for i in previous.improvement_measures.all())
    evaluation = _evaluation(previous, department_year(previous.department.code, previous.year))
    department = evaluation.department if evaluation else None
    return LastYear(
        previous.year,
        department.total if department else None,
        (department.grade or "") if department else "",
        measures,
    )


def last_year_text(fiscal_year: m.FiscalYear) -> dict[str, str]:
    """Last year's approved text per section, offered as a starting point."""
    previous = _previous(fiscal_year)
    if previous is None:
        return {}
    records = department_year(previous.department.code, previous.year)
    rows = {r.key: r for r in previous.report_sections.all()}
    found = {}
    for key in SECTION_KINDS:
        text = _approved_text(records, rows.get(key), key)
        if text:
            found[key] = text
    return found


def diff_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(mark, paragraph) per paragraph: " " kept, "-" removed, "+" added."""
    result = []
    for line in difflib.ndiff(list(paragraphs(before)), list(paragraphs(after))):
        if line[:1] in (" ", "-", "+"):
            result.append((line[:1], line[2:]))
    return result


def typing_findings(
    text: str, figures: tuple[LiveFigure, ...], section: str = ""
) -> tuple[Finding, ...]:
    return hand_typed_findings(text, figures, section)


# --- what the report prints ---------------------------------------------------------------


def finish_content(
    fiscal_year: m.FiscalYear,
    content: ReportContent,
    records: DepartmentYear,
    evaluation: YearEvaluation | None,
) -> tuple[ReportContent, tuple[Finding, ...]]:
    """The report's content with the approved text of the outline's other sections and
    of the projects, every live field printed as its figure, and the findings about the
    text for the 审核意见 (unapproved changes, figures typed by hand that disagree)."""
    figures = year_figures(budget_figures(records), evaluation)
    outline = outline_of(fiscal_year)
    rows = {row.key: row for row in fiscal_year.report_sections.select_related("project")}
    office = tuple(
        p
        for row in sorted(rows.values(), key=_office_order)
        if is_office_paragraph(row.key)
        for p in paragraphs(row.approved_text)
    )
    own = [
        s
        for s in outline.keyed()
        if s.key not in YEAR_TABLE_KEYS and s.kind is not SectionKind.computed
    ]

    def sections(early: bool) -> tuple[Section, ...]:
        return tuple(
            Section(s.heading, paragraphs(rows[s.key].approved_text if s.key in rows else ""))
            for s in own
            if placed_before(outline, s.key, "conclusion") == early
        )

    finished = replace(
        content,
        office_paragraphs=office,
        sections_after_basics=sections(early=True),
        extra_sections=sections(early=False),
        headings={**content.headings, **report_headings(outline)},
    )
    findings: list[Finding] = []
    for section in outline.keyed():
        if section.kind is SectionKind.computed:
            continue
        text = _approved_text(records, rows.get(section.key), section.key)
        findings.extend(hand_typed_findings(text, figures, section.title))
        if section.required and not text:
            findings.append(
                _finding(
                    "report-section-empty",
                    f"“{section.title}”一节尚无已审核的文字，报告中此节为空。",
                )
            )
    for row in rows.values():
        if row.status != WorkflowStatus.approved and row.text != row.approved_text:
            findings.append(
                _finding(
                    "report-section-unapproved",
                    f"“{section_title(outline, row)}”有尚未审核的修改"
                    f"（{_status_label(row.status)}），报告印出的是已审核的文字。",
                    Severity.info,
                )
            )
    return _rendered(finished, figures), tuple(findings)


def _office_order(row: m.ReportSection) -> tuple[int, int]:
    """Key tasks' paragraphs in the tasks' order, then the projects' in theirs."""
    if row.key.startswith(KEY_TASK_KEY_PREFIX):
        return (0, int(row.key.removeprefix(KEY_TASK_KEY_PREFIX) or 0))
    return (1, row.project_id or 0)


def assign_office(fiscal_year: m.FiscalYear, key: str, office_id: int | None) -> m.ReportSection:
    """财务科 gives a key task's paragraph to the office that writes it."""
    if not key.startswith(KEY_TASK_KEY_PREFIX):
        raise ReportTextError("只有重点工作任务的段落可以指定撰写科室。")
    office = (
        m.Office.objects.filter(department=fiscal_year.department_id, pk=office_id).first()
        if office_id
        else None
    )
    with transaction.atomic():
        row = _row(fiscal_year, key)
        row.owner_office = office
        row.save()
        return row


def section_title(outline: Outline, row: m.ReportSection) -> str:
    """What names a section's row to people: its outline title, its project, or its key task."""
    section = outline.section(row.key)
    if section is not None:
        return section.title
    if row.project:
        return row.project.name
    if row.key.startswith(KEY_TASK_KEY_PREFIX):
        return f"重点工作任务（第{row.key.removeprefix(KEY_TASK_KEY_PREFIX)}项）的段落"
    return row.key


def _status_label(status: str) -> str:
    return str(WorkflowStatus(status).label)


def _finding(check: str, message: str, severity: Severity = Severity.warning) -> Finding:
    return Finding(id=check, severity=severity, message=message, subject="自评报告")


def _rendered(content: ReportContent, figures: tuple[LiveFigure, ...]) -> ReportContent:
    def live(value: Any) -> Any:
        if isinstance(value, str):
            return render(value, figures)
        if isinstance(value, Item | Section):
            return replace(value, **{f.name: live(getattr(value, f.name)) for f in fields(value)})
        if isinstance(value, tuple):
            return tuple(live(item) for item in value)
        return value

    skip = {"evaluation", "title", "attachment_label", "headings"}
    return replace(
        content,
        **{f.name: live(getattr(content, f.name)) for f in fields(content) if f.name not in skip},
    )


# --- Word in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedSection:
    """A section of an uploaded report that differs from the approved text."""

    key: str
    title: str
    before: str
    after: str
    """The uploaded text, with the live fields whose figures it still prints as tokens."""
    diff: list[tuple[str, str]]
    flags: tuple[str, ...]
    """Figures changed by hand: a live field whose figure is gone, a typed number that
    disagrees with the data."""


def _computed_paragraphs(content: ReportContent) -> frozenset[str]:
    cost = content.cost_analysis
    return frozenset(
        p
        for p in (
            *content.budget_paragraphs,
            content.evaluation_conclusion,
            *content.office_paragraphs,
            *((content.cost_heading, *cost.paragraphs) if cost is not None else ()),
        )
        if p
    )


def _retokenized(
    source: str, uploaded: str, figures: tuple[LiveFigure, ...]
) -> tuple[str, list[str]]:
    from jixiao.core.live_figures import TOKEN

    by_name = {f.name: f.text for f in figures}
    text, flags = uploaded, []
    for match in TOKEN.finditer(source):
        printed = by_name.get(match.group(1))
        if printed is None:
            continue
        if printed in text:
            text = text.replace(printed, match.group(0), 1)
        else:
            flags.append(
                f"实时字段{match.group(0)}（{printed}）在上传的文件中被改动或删除，"
                "数字须由数据生成，不能手工修改。"
            )
    return text, flags


def read_uploaded_report(
    fiscal_year: m.FiscalYear, printed: list[str], content: ReportContent
) -> list[UploadedSection]:
    """The sections of an uploaded report that differ from the approved text, found by the
    outline's headings; nothing else of the document is taken. ``content`` is what the
    report prints now (``reporting.composed_report``): its computed paragraphs (收支情况,
    the score sentence, the offices' paragraphs) are jixiao's and not read back."""
    from jixiao.core.report_sections import sections_from_paragraphs

    outline = outline_of(fiscal_year)
    headings: dict[str, list[str]] = {}
    for section in outline.sections:
        keys = headings.setdefault(section.heading, [])
        if section.key and section.kind is not SectionKind.computed:
            keys.append(section.key)
    found = sections_from_paragraphs(list(headings.items()), printed, _computed_paragraphs(content))
    figures = live_figures(fiscal_year)
    records = department_year(fiscal_year.department.code, fiscal_year.year)
    rows = {row.key: row for row in fiscal_year.report_sections.all()}
    changed = []
    for section in outline.keyed():
        if section.key not in found:
            continue
        source = _approved_text(records, rows.get(section.key), section.key)
        uploaded = found[section.key]
        if uploaded == render(source, figures):
            continue
        after, flags = _retokenized(source, uploaded, figures)
        flags.extend(f.message for f in hand_typed_findings(after, figures))
        changed.append(
            UploadedSection(
                section.key, section.title, source, after, diff_lines(source, after), tuple(flags)
            )
        )
    return changed


def store_uploaded(
    fiscal_year: m.FiscalYear, texts: dict[str, str], who: str
) -> list[m.ReportSection]:
    """Keep the confirmed sections of an upload as drafts, for review as any other edit."""
    with transaction.atomic():
        return [save_draft(fiscal_year, key, text, who) for key, text in texts.items()]
