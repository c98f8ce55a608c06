"""抽查 and 财政评价: the finance bureau draws submitted self-evaluations of a year (at random
with a seed, or by the rule file's thresholds), then scores each drawn project under the
决策 / 过程 / 产出 / 效益 framework beside the department's self score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from jixiao.core.scoring import GoalEvaluation
from jixiao.core.spot_checks import (
    EXECUTION_KEY,
    Candidate,
    Comparison,
    Framework,
    ScoreBasis,
    ScoreError,
    SelfRow,
    checked_score,
    compare,
    outdated_note,
    recomputed,
    sample_at_random,
    sample_by_rule,
    score_rows,
)
from jixiao.interchange.spot_check_files import DEFAULT, load_framework
from jixiao.services.evaluating import evaluate_stored_year
from jixiao.services.evidence_files import (
    EvidenceRefused,
    discard,
    save_upload,
    shown_name,
    stored_path,
)
from jixiao.storage import models as m
from jixiao.storage.models import SamplingMethod, WorkflowStatus

SUBMITTED = (WorkflowStatus.submitted, WorkflowStatus.approved)
T = TypeVar("T", bound=Model)


class SpotCheckError(ValueError):
    """A sample or a score that cannot be recorded; nothing was stored."""


def _of_city(goals: QuerySet[T], city_id: int | None, path: str = "") -> QuerySet[T]:
    if city_id is None:
        return goals
    return goals.filter(**{f"{path}fiscal_year__department__city_id": city_id})


def submitted_self_evaluations(year: int, city_id: int | None = None) -> list[m.PerformanceGoal]:
    """Project goals of the year (of one city's departments) whose self-evaluation was
    submitted or approved."""
    goals = m.PerformanceGoal.objects.filter(
        fiscal_year__year=year, project__isnull=False, evaluation_status__in=SUBMITTED
    ).select_related("project", "fiscal_year__department")
    goals = _of_city(goals, city_id)
    return list(goals.order_by("fiscal_year__department__code", "project__code"))


def _evaluations(goals: list[m.PerformanceGoal]) -> dict[int, GoalEvaluation]:
    """Each goal's self-evaluation as the rules score it, one department-year at a time."""
    found: dict[int, GoalEvaluation] = {}
    by_year: dict[tuple[str, int], list[m.PerformanceGoal]] = {}
    for goal in goals:
        key = (goal.fiscal_year.department.code, goal.fiscal_year.year)
        by_year.setdefault(key, []).append(goal)
    for (department, year), own in by_year.items():
        projects = {
            p.project_code: p.evaluation for p in evaluate_stored_year(department, year).projects
        }
        for goal in own:
            assert goal.project is not None
            if goal.project.code in projects:
                found[goal.pk] = projects[goal.project.code]
    return found


def candidates(year: int, city_id: int | None = None) -> list[Candidate]:
    goals = submitted_self_evaluations(year, city_id)
    evaluations = _evaluations(goals)
    return [
        Candidate(
            goal.pk,
            evaluations[goal.pk].execution.rate_percent if goal.pk in evaluations else None,
            evaluations[goal.pk].total if goal.pk in evaluations else None,
        )
        for goal in goals
    ]


def _store(
    year: int, drawn: Mapping[int, str], method: str, seed: int | None, user_name: str
) -> list[m.SpotCheck]:
    """The drawn goals as 抽查 rows; a goal already drawn keeps its first row."""
    framework = load_framework(DEFAULT)
    existing = set(m.SpotCheck.objects.filter(goal_id__in=drawn).values_list("goal_id", flat=True))
    with transaction.atomic():
        return [
            m.SpotCheck.objects.create(
                goal_id=goal_id,
                year=year,
                method=method,
                reason=reason,
                seed=seed,
                framework=framework.id,
                user_name=user_name,
            )
            for goal_id, reason in drawn.items()
            if goal_id not in existing
        ]


def draw_at_random(
    year: int, count: int, seed: int, user_name: str, city_id: int | None = None
) -> list[m.SpotCheck]:
    """``count`` of the year's submitted self-evaluations, reproducible from ``seed``."""
    if count < 1:
        raise SpotCheckError("抽取数量须为正整数。")
    pool = (g.pk for g in submitted_self_evaluations(year, city_id))
    ids = sample_at_random(pool, count, seed)
    return _store(
        year, {i: f"随机抽取（种子 {seed}）" for i in ids}, SamplingMethod.random, seed, user_name
    )


def draw_by_rule(
    year: int, user_name: str, framework: Framework | None = None, city_id: int | None = None
) -> list[m.SpotCheck]:
    """The self-evaluations the framework's sampling thresholds draw, with the reasons."""
    rule = (framework or load_framework(DEFAULT)).sampling
    drawn = sample_by_rule(candidates(year, city_id), rule)
    return _store(year, drawn, SamplingMethod.rule, None, user_name)


def spot_checks(year: int, city_id: int | None = None) -> list[m.SpotCheck]:
    checks = m.SpotCheck.objects.filter(year=year).select_related(
        "goal__project", "goal__fiscal_year__department__city", "assigned_to"
    )
    checks = _of_city(checks, city_id, "goal__")
    return list(checks.order_by("goal__fiscal_year__department__code", "goal__project__code"))


@dataclass(frozen=True)
class Review:
    """A sampled project's 财政评价 table and its self-evaluation's total and grade."""

    spot_check: m.SpotCheck
    framework: Framework
    comparison: Comparison
    self_total: Decimal | None
    self_grade: str | None
    comments: dict[str, str]
    outdated: dict[str, ScoreBasis]
    """The rows whose stored score was given under another version of the rule file (or
    against another weight), with what it was given under."""

    @property
    def outdated_note(self) -> str:
        """“按旧版评分规则（…）评分，需复核”, or '' when every score is current."""
        return outdated_note(self.outdated.values(), self.framework.version)


def _self_rows(evaluation: GoalEvaluation | None) -> list[SelfRow]:
    if evaluation is None:
        return []
    rows = [
        SelfRow(r.path, r.indicator.level1, r.indicator.level3, r.indicator.weight, r.score)
        for r in evaluation.indicators
    ]
    execution = evaluation.execution
    rows.append(SelfRow(EXECUTION_KEY, "", "预算执行率", execution.weight, execution.score))
    return rows


def review(spot_check: m.SpotCheck) -> Review:
    framework = load_framework(spot_check.framework)
    evaluation = _evaluations([spot_check.goal]).get(spot_check.goal_id)
    stored = list(spot_check.scores.all())
    rows = score_rows(framework, _self_rows(evaluation), {s.item: s.score for s in stored})
    weights = {row.key: row.weight for row in rows}
    bases = {s.item: ScoreBasis(s.framework_version, s.weight) for s in stored}
    return Review(
        spot_check,
        framework,
        compare(rows, framework),
        evaluation.total if evaluation else None,
        evaluation.grade if evaluation else None,
        {s.item: s.comment for s in stored},
        {
            key: basis
            for key, basis in bases.items()
            if key in weights and basis.outdated(framework.version, weights[key])
        },
    )


def record_scores(
    spot_check: m.SpotCheck, scores: Mapping[str, str], comments: Mapping[str, str], user_name: str
) -> int:
    """Store the bureau's scores (blank leaves a row unscored); every value is checked
    before anything is written. A row posted back as stored (score and comment) keeps its
    stored rule version and weight: the page posts every row, and rewriting an untouched
    old-version score would drop its 需复核 flag without rescaling it. Returns how many
    rows were stored."""
    current = review(spot_check)
    rows = {r.key: r for r in current.comparison.rows}
    stored = {s.item: (s.score, s.comment) for s in spot_check.scores.all()}
    checked: dict[str, Decimal] = {}
    for key, text in scores.items():
        text = text.strip()
        if key not in rows or not text:
            continue
        if _unchanged(stored.get(key), text, comments.get(key, "").strip()):
            continue
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise SpotCheckError(f"“{rows[key].name}”的评价得分“{text}”不是数字。") from error
        try:
            checked[key] = checked_score(rows[key], value)
        except ScoreError as error:
            raise SpotCheckError(str(error)) from error
    with transaction.atomic():
        for key, value in checked.items():
            m.BureauScore.objects.update_or_create(
                spot_check=spot_check, item=key,
                defaults={"score": value, "comment": comments.get(key, "").strip(),
                          "user_name": user_name, "updated_at": timezone.now(),
                          "framework_version": current.framework.version,
                          "weight": rows[key].weight},
            )  # fmt: skip
    return len(checked)


def _unchanged(stored: tuple[Decimal, str] | None, score: str, comment: str) -> bool:
    """Whether a posted row repeats its stored score and comment."""
    if stored is None:
        return False
    try:
        return Decimal(score) == stored[0] and comment == (stored[1] or "")
    except InvalidOperation:
        return False


@dataclass(frozen=True)
class Recomputed:
    """What ``recompute`` did: the rows carried to the current rule file, and those it
    could not carry (to be scored again by hand)."""

    version: str
    carried: tuple[str, ...]
    refused: tuple[str, ...]


def recompute(spot_check: m.SpotCheck, user_name: str) -> Recomputed:
    """Carry every score given under an earlier version of the rule file (or against an
    earlier weight) to the current one, keeping its ratio to its weight
    (``core.spot_checks.recomputed``), in one transaction; each change is in the score
    history and the audit log with the reason."""
    current = review(spot_check)
    rows = {r.key: r for r in current.comparison.rows}
    version = current.framework.version
    carried, refused = [], []
    with transaction.atomic():
        for score in spot_check.scores.filter(item__in=list(current.outdated)):
            row = rows[score.item]
            value = recomputed(score.score, current.outdated[score.item], row.weight)
            if value is None:
                refused.append(row.name)
                continue
            score.score, score.weight, score.framework_version = value, row.weight, version
            score.user_name, score.updated_at = user_name, timezone.now()
            score._change_reason = f"按现行评分规则（{version}）重新计算"  # type: ignore[attr-defined]
            score.save()
            carried.append(row.name)
    return Recomputed(version, tuple(carried), tuple(refused))


def outdated_checks(checks: Iterable[m.SpotCheck]) -> dict[int, str]:
    """Per 抽查 with a score given under another version of its rule file: the note
    (“按旧版评分规则（…）评分，需复核”); one query for all. A weight changed within the same
    version shows on the 抽查's own page."""
    by_id = {c.pk: c for c in checks}
    stored = m.BureauScore.objects.filter(spot_check_id__in=list(by_id))
    found: dict[int, list[ScoreBasis]] = {}
    for pk, version in stored.values_list("spot_check_id", "framework_version"):
        current = load_framework(by_id[pk].framework).version
        if version != current:
            found.setdefault(pk, []).append(ScoreBasis(version, None))
    return {
        pk: outdated_note(bases, load_framework(by_id[pk].framework).version)
        for pk, bases in found.items()
    }


def outdated_by_fiscal_year(year: int, city_id: int | None = None) -> dict[int, int]:
    """Per fiscal year (by id): how many of its 抽查 of ``year`` (of one city) have a score
    given under another version of the rule file (需复核, as ``outdated_checks`` says);
    three queries in all, however many departments."""
    checks = _of_city(m.SpotCheck.objects.filter(year=year), city_id, "goal__")
    years = dict(checks.values_list("id", "goal__fiscal_year_id"))
    flagged = outdated_checks(checks.only("id", "framework"))
    counts: dict[int, int] = {}
    for pk in flagged:
        counts[years[pk]] = counts.get(years[pk], 0) + 1
    return counts


# The history of the bureau's scores: every change of a score or comment


@dataclass(frozen=True)
class ScoreChange:
    """One change of a bureau score or comment: who, when, old → new (None: no score)."""

    when: datetime
    who: str
    item: str
    score_before: Decimal | None
    score_after: Decimal | None
    comment_before: str
    comment_after: str
    reason: str = ""
    """Why, when the system changed it (recomputed under the current rule file)."""


def item_name(key: str, framework: Framework | None = None) -> str:
    """An indicator's name from its key: a framework item's name, 预算执行率, or the last
    part of a self-evaluation indicator's path."""
    if key == EXECUTION_KEY:
        return "预算执行率"
    names = {i.key: i.name for i in (framework or load_framework(DEFAULT)).items}
    return names.get(key, key.rsplit("/", 1)[-1])


def score_history(spot_check: m.SpotCheck) -> list[ScoreChange]:
    """The changes of the sampled project's scores, newest first; a save that changed
    neither score nor comment is not a change, unless it was a recomputation."""
    manager: Any = m.BureauScore.history  # type: ignore[attr-defined]
    rows = manager.filter(spot_check_id=spot_check.pk).select_related("history_user")
    framework = load_framework(spot_check.framework)
    last: dict[int, tuple[Decimal | None, str]] = {}
    changes = []
    for row in rows.order_by("history_date", "history_id"):
        before = last.get(row.id, (None, ""))
        after = (None, "") if row.history_type == "-" else (row.score, row.comment)
        last[row.id] = after
        reason = row.history_change_reason or ""
        if before == after and not reason:
            continue
        who = row.user_name or (row.history_user.get_username() if row.history_user else "")
        changes.append(
            ScoreChange(
                row.history_date, who, item_name(row.item, framework),
                before[0], after[0], before[1], after[1], reason,
            )
        )  # fmt: skip
    return changes[::-1]


# 佐证材料: files attached to the indicators of a sampled self-evaluation


def attach_evidence(
    spot_check: m.SpotCheck,
    item: str,
    name: str,
    size: int,
    chunks: Iterable[bytes],
    user_name: str,
) -> m.EvidenceFile:
    """Store an uploaded file for one indicator of the 财政评价 table, under a name the
    server makes, refusing an unknown indicator, kind of file or a file over the limit."""
    rows = {r.key: r for r in review(spot_check).comparison.rows}
    if item not in rows:
        raise SpotCheckError("请选择佐证材料所属的指标。")
    try:
        stored = save_upload(f"evidence/{spot_check.pk}", name, size, chunks)
    except EvidenceRefused as error:
        raise SpotCheckError(str(error)) from error
    try:
        return m.EvidenceFile.objects.create(
            spot_check=spot_check,
            item=item,
            name=shown_name(name),
            stored=stored,
            size=size,
            user_name=user_name,
        )
    except Exception:
        discard(stored)
        raise


def evidence_by_item(spot_check: m.SpotCheck) -> dict[str, list[m.EvidenceFile]]:
    found: dict[str, list[m.EvidenceFile]] = {}
    for evidence in spot_check.evidence.all():
        found.setdefault(evidence.item, []).append(evidence)
    return found


def evidence_path(evidence: m.EvidenceFile) -> Path:
    """The stored file, which must lie under the media root."""
    try:
        return stored_path(evidence.stored)
    except EvidenceRefused as error:
        raise SpotCheckError(str(error)) from error


# The expert or third party the bureau assigns a sampled project to


def assign(spot_check: m.SpotCheck, expert: AbstractBaseUser | None) -> None:
    """Give the 财政评价 of a sampled project to an expert account (None: to nobody); the
    caller has checked that the account holds the expert role."""
    spot_check.assigned_to_id = expert.pk if expert is not None else None
    spot_check.save(update_fields=["assigned_to"])


def assigned_to(user_id: int, year: int, city_id: int | None = None) -> list[m.SpotCheck]:
    """The year's 抽查 assigned to the account, of its city's departments (an assignment
    left over from a department that moved to another city is not reached)."""
    return [c for c in spot_checks(year, city_id) if c.assigned_to_id == user_id]


def assigned_years(user_id: int, city_id: int | None = None) -> list[int]:
    """The years in which a 抽查 of the city's departments is assigned to the account,
    newest first."""
    checks = _of_city(m.SpotCheck.objects.filter(assigned_to_id=user_id), city_id, "goal__")
    return sorted(set(checks.values_list("year", flat=True)), reverse=True)
