"""Tables of a department-year. Amounts are stored in 元 with two decimals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jixiao.core.vocabulary import BasicKind, FundingSource, Nature, ProjectCategory


def _choices(
    enum: type[FundingSource] | type[Nature] | type[BasicKind] | type[ProjectCategory],
) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


def money(verbose_name: str, *, null: bool = False) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in 元: exact, two decimals, up to 10 万亿元."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, null=null, blank=null)


DEFAULT_CITY_CODE = "default"
DEFAULT_CITY_NAME = "本级"
DEFAULT_BUREAU_NAME = "财政局"
"""The default city's 财政局 until it is given a name of its own."""


class City(models.Model):
    """城市（财政局）: the finance bureau's jurisdiction, which owns departments. A 财政局
    account belongs to one city and sees only its departments."""

    code = models.CharField("城市代码", max_length=64, unique=True)
    name = models.CharField("城市名称", max_length=200)
    # null, not a default: adding it leaves the table (and its triggers) as it was
    bureau_name = models.CharField("财政局名称", max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = "城市"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def bureau(self) -> str:
        """The 财政局 that issues the city's documents (their 落款)."""
        if self.bureau_name:
            return self.bureau_name
        return DEFAULT_BUREAU_NAME if self.code == DEFAULT_CITY_CODE else f"{self.name}财政局"


def default_city_id() -> int:
    """The city a department goes to when none is named (every department stored before
    cities existed went there too)."""
    city, _ = City.objects.get_or_create(
        code=DEFAULT_CITY_CODE, defaults={"name": DEFAULT_CITY_NAME}
    )
    return city.pk


class Department(models.Model):
    code = models.CharField("部门代码", max_length=64, unique=True)
    name = models.CharField("部门名称", max_length=200)
    city = models.ForeignKey(
        City, models.PROTECT, related_name="departments", verbose_name="城市",
        default=default_city_id,
    )  # fmt: skip

    class Meta:
        verbose_name = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


def wait_for_department(code: str) -> None:
    """Lock the department's row until the transaction ends.

    ``store_dataset`` holds it (update_or_create locks it) while it deletes and rewrites a
    year. An import that waits here first reads the year as it stands after that commit;
    otherwise, on PostgreSQL, its locking read of the year waits for the deleted row, then
    skips it, and the import wrongly says the year does not exist."""
    list(Department.objects.select_for_update().filter(code=code).values_list("pk", flat=True))


class Unit(models.Model):
    department = models.ForeignKey(Department, models.CASCADE, related_name="units")
    code = models.CharField("单位代码", max_length=64)
    name = models.CharField("单位名称", max_length=200)

    class Meta:
        verbose_name = "单位"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="unique_unit_code")
        ]


class Office(models.Model):
    department = models.ForeignKey(Department, models.CASCADE, related_name="offices")
    code = models.CharField("科室代码", max_length=64)
    name = models.CharField("科室名称", max_length=200)

    class Meta:
        verbose_name = "科室"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="unique_office_code")
        ]


class FiscalYear(models.Model):
    """A department's fiscal year with its narrative and published totals."""

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="fiscal_years", verbose_name="部门"
    )
    year = models.PositiveSmallIntegerField("预算年度")
    entry_unit = models.CharField("录入金额单位", max_length=4, default="万元")
    source = models.TextField("数据来源说明", blank=True)
    attachment_label = models.CharField("附件编号", max_length=40, blank=True)
    functions_preamble = models.TextField("部门职能引言", blank=True)
    annual_objective = models.TextField("部门整体支出绩效目标", blank=True)
    conclusion = models.TextField("自评结论综述", blank=True)
    key_task_analysis = models.TextField("重点工作任务完成情况分析", blank=True)
    # Published totals (决算口径); blank where the source does not give them.
    total_final_budget = money("公布的全年预算数", null=True)
    total_initial_budget = money("公布的年初预算数", null=True)
    total_executed = money("公布的执行数", null=True)
    carryover = money("年末结转和结余", null=True)
    project_rules = models.CharField(
        "项目支出自评规则集", max_length=100, default="mof-2020-project"
    )
    not_applicable = models.JSONField("不适用的部门整体评价指标", default=dict, blank=True)
    monitoring_rules = models.CharField(
        "运行监控规则集", max_length=100, default="monitoring-ratio"
    )
    department_rules = models.CharField(
        "部门整体评价规则集", max_length=100, default="mof-2013-dept"
    )
    rounding_note = models.BooleanField("表下注明四舍五入尾差", default=False)
    ex_ante_rules = models.CharField(
        "事前绩效评估评分表", max_length=100, default="ex-ante-mof-guangdong"
    )
    cost_standards = models.CharField(
        "支出标准表", max_length=100, blank=True, default="",
        help_text="成本效益分析所用的定额标准、支出标准表：导入的表或随软件提供的表的编号；空为不比较",
    )

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "部门年度"
        ordering = ["department__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="unique_department_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.department.name}"


class PublishedAmount(models.Model):
    """A published breakdown figure: executed or budget, by funding source or by nature."""

    MEASURES = [
        ("executed_by_source", "按资金来源分的执行数"),
        ("executed_by_nature", "按支出性质分的执行数"),
        ("budget_by_source", "按资金来源分的全年预算数"),
    ]
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="published_amounts")
    measure = models.CharField(max_length=32, choices=MEASURES)
    key = models.CharField(max_length=32)
    amount = money("金额")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "measure", "key"], name="unique_published_amount"
            )
        ]


class OrderedText(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["position"]


class DepartmentFunction(OrderedText):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="functions")

    class Meta(OrderedText.Meta):
        verbose_name = "部门职能"


class KeyTask(OrderedText):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="key_tasks")

    class Meta(OrderedText.Meta):
        verbose_name = "重点工作任务"


class ImprovementMeasure(OrderedText):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="improvement_measures")

    class Meta(OrderedText.Meta):
        verbose_name = "下一步改进措施"


class Achievement(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="achievements")
    position = models.PositiveIntegerField()
    title = models.TextField("标题")
    text = models.TextField("内容")

    class Meta:
        verbose_name = "主要工作成效"
        ordering = ["position"]


class AchievementMetric(models.Model):
    achievement = models.ForeignKey(Achievement, models.CASCADE, related_name="metrics")
    position = models.PositiveIntegerField()
    name = models.CharField("指标名称", max_length=200)
    value = models.DecimalField("数值", max_digits=24, decimal_places=6)
    places = models.PositiveSmallIntegerField("原文小数位数", default=0)
    unit = models.CharField("计量单位", max_length=20)
    ratio_numerator = models.CharField("分子指标", max_length=200, blank=True)
    ratio_denominator = models.CharField("分母指标", max_length=200, blank=True)

    class Meta:
        verbose_name = "成效指标"
        ordering = ["position"]


class Problem(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="problems")
    position = models.PositiveIntegerField()
    title = models.TextField("标题")
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "存在的主要问题"
        ordering = ["position"]


class Project(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="projects")
    code = models.CharField("项目代码", max_length=64)
    name = models.CharField("项目名称", max_length=300)
    office = models.ForeignKey(Office, models.PROTECT, null=True, blank=True, verbose_name="科室")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, verbose_name="单位")
    recurrent = models.BooleanField("经常性项目", default=False)
    category = models.CharField(
        "项目类别", max_length=16, blank=True, choices=_choices(ProjectCategory)
    )
    initial_budget = money("年初预算数（无预算行时）", null=True)
    final_budget = money("全年预算数（无预算行时）", null=True)
    executed = money("全年执行数（无预算行时）", null=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "项目"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_project_code")
        ]


class BudgetLine(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="budget_lines")
    code = models.CharField("预算行代码", max_length=64)
    name = models.CharField("名称", max_length=300)
    funding_source = models.CharField("资金来源", max_length=32, choices=_choices(FundingSource))
    nature = models.CharField("支出性质", max_length=16, choices=_choices(Nature))
    basic_kind = models.CharField(
        "基本支出类别", max_length=16, choices=_choices(BasicKind), blank=True
    )
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="budget_lines",
        verbose_name="项目",
    )
    functional_class = models.CharField("支出功能分类", max_length=100, blank=True)
    economic_class = models.CharField("支出经济分类", max_length=100, blank=True)
    initial_budget = money("年初预算数")
    final_budget = money("全年预算数")
    executed = money("执行数（决算口径）", null=True)
    carryover = money("结转和结余", null=True)
    over_budget_explanation = models.TextField("超预算说明", blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "预算行"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_budget_line_code")
        ]


class BudgetAdjustment(models.Model):
    budget_line = models.ForeignKey(BudgetLine, models.CASCADE, related_name="adjustments")
    position = models.PositiveIntegerField("序号")
    date = models.DateField("调整日期")
    amount = money("调整金额")
    document_number = models.CharField("文号", max_length=100, blank=True)
    reason = models.TextField("原因", blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "预算调整"
        ordering = ["position"]


class Payment(models.Model):
    """A dated payment in the ledger (支出明细); refunds are negative and flagged."""

    # no index of its own: payment_line_date begins with the line, and serves every lookup
    # by line; a second index cost every inserted payment another B-tree write
    budget_line = models.ForeignKey(
        BudgetLine, models.CASCADE, related_name="payments", db_index=False
    )
    date = models.DateField("支付日期")
    amount = money("金额")
    is_refund = models.BooleanField("退款", default=False)
    voucher = models.CharField("凭证号", max_length=100, blank=True)
    description = models.TextField("摘要", blank=True)

    class Meta:
        verbose_name = "支出明细"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["budget_line", "date"], name="payment_line_date")]


class EvaluationInput(models.Model):
    """A figure the department-wide evaluation needs and the data lacks (e.g. 编制数)."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="evaluation_inputs")
    name = models.CharField("名称", max_length=100)
    value = models.DecimalField("数值", max_digits=24, decimal_places=6)
    places = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "评价输入数据"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="unique_evaluation_input")
        ]


class BasicsRow(models.Model):
    """One row of the 部门整体 基础信息表: 上年数 and 本年数 in the row's own unit.

    A figure is blank when not filled; ``*_unpublished`` marks "未公布" (never shown as 0).
    增减额 and 增减率 are computed, not stored.
    """

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="basics_rows")
    position = models.PositiveIntegerField()
    label = models.CharField("项目", max_length=200)
    unit = models.CharField("单位", max_length=20)
    last_year = models.DecimalField("上年数", max_digits=24, decimal_places=6, null=True)
    last_year_places = models.PositiveSmallIntegerField(default=0)
    last_year_unpublished = models.BooleanField("上年数未公布", default=False)
    this_year = models.DecimalField("本年数", max_digits=24, decimal_places=6, null=True)
    this_year_places = models.PositiveSmallIntegerField(default=0)
    this_year_unpublished = models.BooleanField("本年数未公布", default=False)
    part_of = models.CharField("所属合计行", max_length=200, blank=True)

    class Meta:
        verbose_name = "基础信息表行"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "label"], name="unique_basics_row")
        ]


def score(verbose_name: str) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=4, null=True, blank=True)


class StaleVersionError(Exception):
    """Someone else saved the row after it was read (optimistic locking): nothing was saved."""

    def __init__(self, obj: models.Model, expected: int):
        self.obj, self.expected = obj, expected
        name = obj._meta.verbose_name
        super().__init__(
            f"{name}（编号 {obj.pk}）已被他人修改（您读取的是第 {expected} 版），未保存"
        )


class Versioned(models.Model):
    """Optimistic locking: ``version`` goes up by one on every save of an existing row.

    ``save()`` first moves the stored version from the one this instance was read with to
    the next, in one conditional UPDATE; when no row matches, someone else saved in between
    and ``StaleVersionError`` is raised (nothing is saved). An edit form carries the version
    it showed, sets it on the instance, and saves: a second save from a stale form is
    refused. ``save(bump_version=False)`` writes without the check (a status change that
    touches only its own column).
    """

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, bump_version: bool = True, **kwargs: Any) -> None:
        if not bump_version or self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            rows = type(self)._default_manager.filter(pk=self.pk, version=self.version)
            if not rows.update(version=F("version") + 1):
                raise StaleVersionError(self, self.version)
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)


class WorkflowStatus(models.TextChoices):
    """Where a goal declaration or a self-evaluation stands in the review workflow."""

    draft = "draft", "草稿"
    submitted = "submitted", "已提交"
    approved = "approved", "已审核"
    returned = "returned", "已退回"


class PerformanceGoal(Versioned):
    """绩效目标: of a project, or (project empty) of the department as a whole."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="goals")
    project = models.OneToOneField(
        Project, models.CASCADE, null=True, blank=True, related_name="goal", verbose_name="项目"
    )
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("目标名称", max_length=300, blank=True)
    expected_objective = models.TextField("年度总体目标（预期）", blank=True)
    actual_objective = models.TextField("年度总体目标（实际完成情况）", blank=True)
    level1_weights = models.JSONField("一级指标分值", default=dict, blank=True)
    execution_reason = models.TextField("执行率偏低原因", blank=True)
    claimed_execution_rate = score("填报执行率（%）")
    claimed_execution_score = score("填报执行率得分")
    claimed_total = score("填报总得分")
    claimed_grade = models.CharField("填报等级", max_length=10, blank=True)
    claimed_level1_scores = models.JSONField("填报一级指标小计", default=dict, blank=True)
    claimed_weight_total = score("填报总分")
    declaration_status = models.CharField(
        "绩效目标申报状态", max_length=12, choices=WorkflowStatus.choices,
        default=WorkflowStatus.draft,
    )
    evaluation_status = models.CharField(
        "绩效自评状态", max_length=12, choices=WorkflowStatus.choices,
        default=WorkflowStatus.draft,
    )

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "绩效目标"
        ordering = ["position"]


class Indicator(Versioned):
    """绩效指标 (三级): target and actual kept as written in the form."""

    goal = models.ForeignKey(PerformanceGoal, models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField("序号")
    level1 = models.CharField("一级指标", max_length=50)
    level2 = models.CharField("二级指标", max_length=50)
    level3 = models.CharField("三级指标", max_length=300)
    kind = models.CharField("指标类型", max_length=16)
    target = models.CharField("年度指标值", max_length=300, blank=True)
    weight = models.DecimalField("分值", max_digits=9, decimal_places=4)
    actual = models.CharField("实际完成值", max_length=300, null=True, blank=True)
    state = models.CharField("完成情况（定性）", max_length=30, blank=True)
    assessed_score = score("评价得分（定性）")
    claimed_score = score("填报得分")
    deviation_reason = models.TextField("偏差原因分析", blank=True)
    improvement = models.TextField("改进措施", blank=True)
    last_year_actual = models.CharField("上年实际完成值", max_length=300, null=True, blank=True)
    illustrative = models.BooleanField("示意指标值", default=False)
    cost_standard = models.CharField("对应支出标准", max_length=64, blank=True, default="")
    cost_share = models.DecimalField(
        "成本占比（%）", max_digits=7, decimal_places=4, null=True, blank=True
    )

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "绩效指标"
        ordering = ["position"]


class IndicatorProgress(models.Model):
    """An indicator's progress at a date (运行监控)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="progress")
    date = models.DateField("截至日期")
    value = models.CharField("完成值", max_length=300)
    likelihood = models.CharField("完成目标可能性", max_length=10, blank=True)
    reason_category = models.CharField("偏差原因类别", max_length=20, blank=True)
    reason = models.TextField("偏差原因说明", blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "指标进度"
        ordering = ["date", "id"]


class StatedForecast(models.Model):
    """A project's 全年预计执行数 as its unit stated it in a monitoring form, at the form's
    截至日期 (运行监控): kept beside the forecast jixiao computes, never used in its place."""

    goal = models.ForeignKey(PerformanceGoal, models.CASCADE, related_name="stated_forecasts")
    date = models.DateField("截至日期")
    amount = money("全年预计执行数（单位填报）")

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "单位预计执行数"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "date"], name="unique_stated_forecast_date")
        ]


class FrozenError(Exception):
    """A monitoring snapshot is never changed after it is taken."""


class MonitoringSnapshot(models.Model):
    """A monitoring result frozen at a date, as it was reported; immutable."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="snapshots")
    as_of = models.DateField("监控日期")
    taken_at = models.DateTimeField("生成时间", auto_now_add=True)
    rules = models.CharField("规则集", max_length=100)
    result = models.JSONField("监控结果")

    class Meta:
        verbose_name = "监控快照"
        ordering = ["as_of", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise FrozenError("监控快照生成后不能修改")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class WorkflowStage(models.TextChoices):
    declaration = "declaration", "绩效目标申报"
    evaluation = "evaluation", "绩效自评"


class WorkflowAction(models.TextChoices):
    submit = "submit", "提交"
    approve = "approve", "审核通过"
    send_back = "return", "退回"
    comment = "comment", "意见"


class WorkflowTransition(models.Model):
    """One step of a goal's review workflow (or a comment), kept for good."""

    goal = models.ForeignKey(PerformanceGoal, models.CASCADE, related_name="transitions")
    stage = models.CharField("环节", max_length=12, choices=WorkflowStage.choices)
    action = models.CharField("操作", max_length=10, choices=WorkflowAction.choices)
    from_status = models.CharField("原状态", max_length=12, choices=WorkflowStatus.choices)
    to_status = models.CharField("新状态", max_length=12, choices=WorkflowStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("操作人", max_length=150, blank=True)
    """The user's name at the time (kept when the account is deleted)."""
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "审核流转记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["goal", "stage"], name="transition_goal_stage")]


class RectificationStatus(models.TextChoices):
    not_started = "not_started", "未开始"
    in_progress = "in_progress", "整改中"
    done = "done", "已完成"


class RectificationSource(models.TextChoices):
    """Where an item comes from. Items generated from the year's findings keep the kind of
    their check: 审核发现 (the figures' consistency and the units' claimed figures),
    监控发现 (the latest monitoring snapshot), 评价发现 (the self-evaluation's scoring and
    goal quality), 成本发现 (a unit cost above its standard, or not measurable); 审计发现 is
    entered by hand from an audit."""

    problem = "problem", "存在的主要问题"
    audit = "audit", "审计发现"
    review = "review", "审核发现"
    monitoring = "monitoring", "监控发现"
    evaluation = "evaluation", "评价发现"
    cost = "cost", "成本发现"
    carried = "carried", "上年结转"
    other = "other", "其他"


class Rectification(Versioned):
    """整改事项: a problem or audit finding of a year, its measure, owner, deadline, status."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="rectifications")
    position = models.PositiveIntegerField("序号", default=0)
    source = models.CharField(
        "来源", max_length=10, choices=RectificationSource.choices,
        default=RectificationSource.other,
    )
    issue = models.TextField("问题")
    measure = models.TextField("整改措施", blank=True)
    owner_office = models.ForeignKey(
        Office, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="责任科室",
    )
    deadline = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "整改状态", max_length=12, choices=RectificationStatus.choices,
        default=RectificationStatus.not_started,
    )
    progress_note = models.TextField("整改情况说明", blank=True)
    carried_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="carried_into",
        verbose_name="结转自",
    )
    carried_at = models.DateTimeField("结转至下一年度的时间", null=True, blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "整改事项"
        ordering = ["position", "id"]


class ReportKind(models.TextChoices):
    report_docx = "report-docx", "自评报告（Word）"
    report_md = "report-md", "自评报告（Markdown）"
    evaluation_xlsx = "evaluation-xlsx", "绩效自评表（Excel）"
    monitoring_xlsx = "monitoring-xlsx", "运行监控表（Excel）"
    monitoring_docx = "monitoring-docx", "运行监控报告（Word）"


class GeneratedReport(models.Model):
    """A file generated from the web under JIXIAO_HOME/reports/<department>/<year>/."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="generated_reports")
    kind = models.CharField("类型", max_length=20, choices=ReportKind.choices)
    file = models.CharField("文件（相对 reports 目录）", max_length=400)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    as_of = models.DateField("监控日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField("生成人", max_length=150, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "已生成的报告"
        ordering = ["-created_at", "-id"]


class ImportRecord(models.Model):
    """One confirmed import of a workbook: who, when, which file (its SHA-256), how many
    rows of each kind it added, changed and removed, and the ledger rows it changed or
    removed one by one (payments carry no history of their own: 100,000s of rows).

    Kept by department code and year rather than only by the year's row, so that the
    record outlives a ``load --replace`` of the year."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    department_code = models.CharField("部门代码", max_length=64, db_index=True)
    year = models.PositiveIntegerField("年度")
    at = models.DateTimeField("导入时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("导入人", max_length=150, blank=True)
    file_name = models.CharField("文件名", max_length=300)
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    sheets = models.TextField("读取的工作表", blank=True)
    counts = models.JSONField("新增、修改、删除的行数", default=dict)
    payment_rows = models.JSONField("逐行变化的支出", default=list)
    payment_rows_total = models.PositiveIntegerField("逐行变化的支出（总数）", default=0)

    class Meta:
        verbose_name = "导入记录"
        ordering = ["-at", "-id"]


class ReportOutlineChoice(models.Model):
    """The outline (提纲) a department-year's self-evaluation report follows."""

    fiscal_year = models.OneToOneField(
        FiscalYear, models.CASCADE, related_name="report_outline"
    )
    outline = models.CharField("报告提纲", max_length=100, default="reference")

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "报告提纲"


class ReportSection(Versioned):
    """The text of one section of the self-evaluation report (or of one project's
    paragraph), as written in the web or read back from Word, with its review status.

    Approved text of a section the year's own tables hold (部门职能, 成效, 问题 …) is
    written into those tables, so that the report, the dataset file and the demo read
    the prose from one place; the other sections' approved text is this row's."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="report_sections")
    key = models.CharField("章节", max_length=120)
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="report_sections"
    )
    owner_office = models.ForeignKey(
        Office, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="撰写科室",
    )
    text = models.TextField("正文", blank=True)
    approved_text = models.TextField("已审核的正文", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=WorkflowStatus.choices, default=WorkflowStatus.draft
    )
    comment = models.TextField("审核意见", blank=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "报告章节"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "key"], name="unique_report_section")
        ]


class ReviewGrade(models.TextChoices):
    """绩效目标审核 conclusion, from the best down."""

    excellent = "excellent", "优"
    good = "good", "良"
    fair = "fair", "中"
    poor = "poor", "差"


class GoalReview(models.Model):
    """绩效目标审核: one conclusion on a goal (优 / 良 / 中 / 差, with comments), with who
    gave it and when. Rows are only added, never changed: the latest is the goal's
    conclusion, the earlier ones its record."""

    goal = models.ForeignKey(PerformanceGoal, models.CASCADE, related_name="reviews")
    grade = models.CharField("审核结论", max_length=10, choices=ReviewGrade.choices)
    comment = models.TextField("审核意见", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("审核人", max_length=150, blank=True)
    """The user's name at the time (kept when the account is deleted)."""
    created_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = "绩效目标审核结论"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["goal", "created_at"], name="goal_review_goal_time")]


class JobState(models.TextChoices):
    queued = "queued", "排队中"
    running = "running", "进行中"
    done = "done", "已完成"
    failed = "failed", "未完成"


class CityBatch(models.Model):
    """One request for a city's batch output of a year: every chosen department's
    documents and the city summary, as one zip. Its work is the rows of ``BatchJob``."""

    year = models.IntegerField("年度")
    departments = models.JSONField("部门代码", default=list)
    """The department codes chosen, in code order (all of the year's when requested)."""
    as_of = models.DateField("监控日期")
    folder = models.CharField("输出目录", max_length=500)
    requested_by = models.CharField("发起人", max_length=150, blank=True)
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    archive = models.CharField("压缩包", max_length=500, blank=True)

    class Meta:
        verbose_name = "批量生成"
        ordering = ["-id"]


class BatchJob(models.Model):
    """One unit of a batch's work, taken by one worker at a time: one department's
    documents, or (once those are finished) the city summary and the zip.

    A worker claims a queued job, or a running one whose heartbeat is stale (its worker
    died), and keeps the heartbeat fresh while it works; a finished job is never redone."""

    batch = models.ForeignKey(CityBatch, models.CASCADE, related_name="jobs")
    department_code = models.CharField("部门代码", max_length=64, blank=True)
    """Empty for the batch's closing job (summary and zip)."""
    state = models.CharField(
        "状态", max_length=8, choices=JobState.choices, default=JobState.queued
    )
    claimed_by = models.CharField("执行者", max_length=200, blank=True)
    heartbeat = models.DateTimeField("心跳", null=True, blank=True)
    attempts = models.IntegerField("尝试次数", default=0)
    result = models.JSONField("结果", default=dict)
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "批量生成任务"
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "heartbeat"], name="batchjob_claim")]

class ExAnteAssessment(Versioned):
    """事前绩效评估 of a project in its budget year: the score sheet it was filled on, who
    assessed it, and its review status. The total and the conclusion are computed by
    ``jixiao.core.ex_ante`` from the item scores when they are saved, never typed."""

    project = models.OneToOneField(
        Project, models.CASCADE, related_name="ex_ante", verbose_name="项目"
    )
    sheet = models.CharField("评分表", max_length=100)
    assessor = models.CharField("评估人", max_length=150, blank=True)
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    opinion = models.TextField("评估意见", blank=True)
    total = score("评估得分")
    conclusion = models.CharField("评估结论", max_length=20, blank=True)
    status = models.CharField(
        "审核状态", max_length=12, choices=WorkflowStatus.choices, default=WorkflowStatus.draft
    )

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "事前绩效评估"
        ordering = ["id"]


class ExAnteScore(models.Model):
    """One item of an assessment's score sheet: its score, grade (优 良 中 差) and comment."""

    assessment = models.ForeignKey(
        ExAnteAssessment, models.CASCADE, related_name="scores", verbose_name="事前绩效评估"
    )
    item_code = models.CharField("评分项编号", max_length=20)
    score = models.DecimalField("得分", max_digits=9, decimal_places=4)
    band = models.CharField("等级", max_length=10, blank=True)
    comment = models.TextField("评分说明", blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "事前绩效评估评分"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item_code"], name="unique_ex_ante_item"
            )
        ]


class ExAnteTransition(models.Model):
    """One step of an assessment's review (提交, 审核通过, 退回, 意见), kept for good."""

    assessment = models.ForeignKey(
        ExAnteAssessment, models.CASCADE, related_name="transitions"
    )
    action = models.CharField("操作", max_length=10, choices=WorkflowAction.choices)
    from_status = models.CharField("原状态", max_length=12, choices=WorkflowStatus.choices)
    to_status = models.CharField("新状态", max_length=12, choices=WorkflowStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "事前绩效评估审核记录"
        ordering = ["created_at", "id"]


class SamplingMethod(models.TextChoices):
    random = "random", "随机抽取"
    rule = "rule", "按规则抽取"


class SpotCheck(models.Model):
    """抽查: a self-evaluation the finance bureau drew for its 财政评价 (re-scoring), how and
    why it was drawn. One per goal: drawing it again keeps the first."""

    goal = models.OneToOneField(PerformanceGoal, models.CASCADE, related_name="spot_check")
    year = models.PositiveIntegerField("年度", db_index=True)
    method = models.CharField("抽取方式", max_length=10, choices=SamplingMethod.choices)
    reason = models.CharField("抽取理由", max_length=300, blank=True)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    framework = models.CharField("财政评价框架", max_length=100)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="评价专家",
    )  # fmt: skip
    """The expert or third-party account that scores it besides the bureau; None: the bureau."""
    user_name = models.CharField("抽取人", max_length=150, blank=True)
    created_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = "抽查"
        ordering = ["year", "id"]


class BureauScore(models.Model):
    """财政评价: the bureau's score of one indicator of a sampled self-evaluation. ``item`` is
    a framework item's key, a self-evaluation indicator's path, or ``execution``."""

    spot_check = models.ForeignKey(SpotCheck, models.CASCADE, related_name="scores")
    item = models.CharField("指标", max_length=700)
    score = models.DecimalField("评价得分", max_digits=9, decimal_places=4)
    comment = models.TextField("评价意见", blank=True)
    user_name = models.CharField("评价人", max_length=150, blank=True)
    updated_at = models.DateTimeField("评价时间", default=timezone.now)
    # null, not a default: adding them leaves the table (and its triggers) as it was
    framework_version = models.CharField("评分规则版本", max_length=40, null=True, blank=True)
    """The version of the framework file the score was given under; None: not recorded
    (given before versions were kept)."""
    weight = models.DecimalField(
        "评分时分值", max_digits=9, decimal_places=4, null=True, blank=True
    )
    """The indicator's weight the score was given against; None: not recorded."""
    history = HistoricalRecords()  # the audit trail: who changed a score or comment, when

    class Meta:
        verbose_name = "财政评价得分"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=("spot_check", "item"), name="unique_bureau_score_item")
        ]


class DisclosureItem(models.Model):
    """One item of a department-year's 绩效信息公开 list (目标随预算公开, 自评表和报告随决算
    公开): whether 财务科 publishes it, and why not when it does not."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="disclosures")
    item = models.CharField("公开事项", max_length=30)
    published = models.BooleanField("是否公开", default=False)
    reason = models.TextField("非公开原因", blank=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "绩效信息公开事项"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "item"], name="unique_disclosure_item")
        ]


class ResultDecision(models.Model):
    """财务科's decision on one 结果应用 proposal: a project of ``fiscal_year`` whose results
    propose an action for next year's budget. The proposal itself is computed by
    ``jixiao.core.result_application`` from the stored year; what it said when decided is
    kept here, with the decision and its reason, so that next year's budget sees it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="result_decisions"
    )
    project_code = models.CharField("项目代码", max_length=64)
    project_name = models.CharField("项目名称", max_length=300)
    action = models.CharField("建议", max_length=20)
    this_year_budget = money("本年全年预算数")
    proposed_budget = money("建议下年预算数", null=True)
    grounds = models.TextField("依据")
    accepted = models.BooleanField("采纳")
    reason = models.TextField("理由")
    user_name = models.CharField("决定人", max_length=150, blank=True)
    decided_at = models.DateTimeField("时间", default=timezone.now)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "结果应用决定"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "project_code"], name="unique_result_decision"
            )
        ]


class EvidenceFile(models.Model):
    """佐证材料: a file the bureau attached to an indicator of a sampled self-evaluation. The
    file lies under the media root as ``stored`` (a name the server made); ``name`` is the
    uploader's file name, shown and used for the download only."""

    spot_check = models.ForeignKey(SpotCheck, models.CASCADE, related_name="evidence")
    item = models.CharField("指标", max_length=700)
    name = models.CharField("文件名", max_length=255)
    stored = models.CharField("存储位置（相对 media 目录）", max_length=200, unique=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    user_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "佐证材料"
        ordering = ["id"]


class LibraryVersion(models.Model):
    """指标库的一个版本: a shipped library's indicators as a bureau import or an approved
    proposal changed them. The shipped files are the base; a library without a stored
    version is read from its file. The version's own past values (its 历年数值) are
    ``LibraryPastValue`` rows; the stored goals' actuals are never copied here, they are
    drawn when asked for."""

    library = models.CharField("指标库编号", max_length=64)
    version = models.CharField("版本", max_length=40)
    name = models.CharField("指标库名称", max_length=200)
    benchmark_tolerance = models.DecimalField("偏离基准值界限", max_digits=6, decimal_places=4)
    sources = models.JSONField("来源", default=list, blank=True)
    evidence = models.CharField("依据等级", max_length=4, blank=True)
    origin = models.CharField("形成方式", max_length=20)
    note = models.CharField("说明", max_length=300, blank=True)
    user_name = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "指标库版本"
        ordering = ["library", "id"]
        constraints = [
            models.UniqueConstraint(fields=["library", "version"], name="unique_library_version")
        ]


class LibraryEntry(models.Model):
    """One indicator of a library version, with its 取值依据 and benchmark."""

    library_version = models.ForeignKey(LibraryVersion, models.CASCADE, related_name="entries")
    code = models.CharField("指标编码", max_length=40)
    level1 = models.CharField("一级指标", max_length=50)
    level2 = models.CharField("二级指标", max_length=50)
    level3 = models.CharField("三级指标", max_length=300)
    sector = models.CharField("行业", max_length=50)
    field = models.CharField("领域", max_length=50, blank=True)
    kind = models.CharField("指标类型", max_length=16)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    direction = models.CharField("指标方向", max_length=10)
    definition = models.TextField("指标解释")
    basis = models.CharField("取值依据", max_length=10)
    benchmark = models.DecimalField("基准值", max_digits=24, decimal_places=6, null=True)
    benchmark_source = models.TextField("基准值来源", blank=True)
    data_source = models.CharField("数据来源", max_length=300, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    entry_version = models.CharField("入库版本", max_length=40, blank=True)
    evidence = models.CharField("依据等级", max_length=4, blank=True)
    cost_standard = models.CharField("对应支出标准", max_length=40, blank=True)

    class Meta:
        verbose_name = "指标库指标"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["library_version", "code"], name="unique_library_entry_code"
            )
        ]


class LibraryPastValue(models.Model):
    """指标库历年数值: a value one of the version's indicators took in a past year, for a
    department or region named as the library gives it, in ``unit`` (the indicator's when
    blank), with where the library took it from (来源)."""

    library_version = models.ForeignKey(
        LibraryVersion, models.CASCADE, related_name="past_values"
    )
    code = models.CharField("指标编码", max_length=40)
    year = models.PositiveIntegerField("年度")
    department = models.CharField("部门或地区", max_length=200)
    project_code = models.CharField("项目代码", max_length=64, blank=True)
    target = models.DecimalField("年度指标值", max_digits=24, decimal_places=6, null=True)
    actual = models.DecimalField("实际完成值", max_digits=24, decimal_places=6, null=True)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    source = models.CharField("来源", max_length=300, blank=True)
    illustrative = models.BooleanField("示意数据", default=False)

    class Meta:
        verbose_name = "指标库历年数值"
        ordering = ["id"]


class ProposalStatus(models.TextChoices):
    pending = "pending", "待审核"
    approved = "approved", "已通过"
    returned = "returned", "已退回"


class IndicatorProposal(models.Model):
    """A department's proposal of a new library indicator, made while editing a goal of
    ``fiscal_year``; the 财政局 approves it into a new library version or returns it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="indicator_proposals"
    )
    project_code = models.CharField("项目代码", max_length=64, blank=True)
    level1 = models.CharField("一级指标", max_length=50)
    level2 = models.CharField("二级指标", max_length=50)
    level3 = models.CharField("三级指标", max_length=300)
    sector = models.CharField("行业", max_length=50)
    field = models.CharField("领域", max_length=50, blank=True)
    kind = models.CharField("指标类型", max_length=16)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    direction = models.CharField("指标方向", max_length=10)
    definition = models.TextField("指标解释")
    basis = models.CharField("取值依据", max_length=10)
    reason = models.TextField("提议理由")
    status = models.CharField(
        "审核状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.pending
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="提议人账号",
    )
    proposer_name = models.CharField("提议人", max_length=150, blank=True)
    created_at = models.DateTimeField("提议时间", default=timezone.now)
    decision_reason = models.TextField("审核意见", blank=True)
    decided_by_name = models.CharField("审核人", max_length=150, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    library_version = models.ForeignKey(
        LibraryVersion, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="指标库版本",
    )
    code = models.CharField("入库指标编码", max_length=40, blank=True)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "新增指标提议"
        ordering = ["id"]


class CostStandardTable(models.Model):
    """A table of 定额标准 / 支出标准 a department imported for a year (from Excel); kept as
    the document a standards file holds (``jixiao-cost-standards/1``, amounts in 元), so it
    is read by exactly the checks of a shipped one. ``FiscalYear.cost_standards`` names the
    table the year uses: one of these by ``table_id``, or a shipped table."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="cost_standard_tables"
    )
    table_id = models.CharField("编号", max_length=100)
    name = models.CharField("名称", max_length=300)
    document = models.JSONField("标准表")
    imported_by_name = models.CharField("导入人", max_length=150, blank=True)
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "支出标准表"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "table_id"], name="unique_cost_standard_table"
            )
        ]


class NoticeStatus(models.TextChoices):
    """Where a 整改通知 stands (``jixiao.core.rectification_notices.NoticeStatus``)."""

    issued = "issued", "待反馈"
    answered = "answered", "待审核"
    returned = "returned", "退回重改"
    approved = "approved", "已通过"


class NoticeOrigin(models.TextChoices):
    """What the bureau's notice comes from."""

    finding = "finding", "检查发现"
    spot_check = "spot_check", "抽查结果"
    result = "result", "结果应用"
    other = "other", "其他"


class NoticeAction(models.TextChoices):
    issue = "issue", "下发"
    answer = "answer", "反馈"
    send_back = "send_back", "退回重改"
    approve = "approve", "通过"


class RectificationNotice(models.Model):
    """整改通知: the finance bureau's notice to a department to rectify something of a
    year, with a deadline; the department answers with feedback and evidence files
    (``NoticeEvidence``), the bureau approves or returns it (``NoticeStep`` keeps every step)."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="notices")
    number = models.PositiveIntegerField("序号")
    origin = models.CharField(
        "来源", max_length=12, choices=NoticeOrigin.choices, default=NoticeOrigin.other
    )
    basis = models.TextField("依据", blank=True)
    issue = models.TextField("整改问题")
    requirement = models.TextField("整改要求", blank=True)
    project = models.ForeignKey(
        Project, models.SET_NULL, null=True, blank=True, related_name="notices",
        verbose_name="项目",
    )  # fmt: skip
    spot_check = models.ForeignKey(
        SpotCheck, models.SET_NULL, null=True, blank=True, related_name="notices",
        verbose_name="抽查",
    )  # fmt: skip
    deadline = models.DateField("整改期限")
    review_deadline = models.DateField("审核期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.issued
    )
    issued_by_name = models.CharField("下发人", max_length=150, blank=True)
    issued_at = models.DateTimeField("下发时间", default=timezone.now)

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "整改通知"
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="unique_notice_number")
        ]


class NoticeStep(models.Model):
    """One step of a 整改通知: issued, answered (feedback), returned (reason), approved."""

    notice = models.ForeignKey(RectificationNotice, models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=10, choices=NoticeAction.choices)
    text = models.TextField("内容", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "整改通知流转记录"
        ordering = ["created_at", "id"]


class NoticeEvidence(models.Model):
    """A file the department sent with its feedback on a 整改通知. Stored under the media
    root as ``stored`` (a name the server made); ``name`` is the uploader's file name."""

    notice = models.ForeignKey(RectificationNotice, models.CASCADE, related_name="evidence")
    step = models.ForeignKey(
        NoticeStep, models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    name = models.CharField("文件名", max_length=255)
    stored = models.CharField("存储位置（相对 media 目录）", max_length=200, unique=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    user_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "整改佐证材料"
        ordering = ["id"]
