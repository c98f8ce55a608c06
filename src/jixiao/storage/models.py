"""Tables of a department-year. Amounts are stored in 元 with two decimals."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.core.vocabulary import BasicKind, FundingSource, Nature


def _choices(enum: type[FundingSource] | type[Nature] | type[BasicKind]) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


def money(verbose_name: str, *, null: bool = False) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in 元: exact, two decimals, up to 10 万亿元."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, null=null, blank=null)


class Department(models.Model):
    code = models.CharField("部门代码", max_length=64, unique=True)
    name = models.CharField("部门名称", max_length=200)

    class Meta:
        verbose_name = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


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

    department = models.ForeignKey(Department, models.CASCADE, related_name="fiscal_years")
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
    office = models.ForeignKey(Office, models.PROTECT, null=True, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True)
    recurrent = models.BooleanField("经常性项目", default=False)
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
        Project, models.CASCADE, null=True, blank=True, related_name="budget_lines"
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
    position = models.PositiveIntegerField()
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

    budget_line = models.ForeignKey(BudgetLine, models.CASCADE, related_name="payments")
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


def score(verbose_name: str) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=4, null=True, blank=True)


class PerformanceGoal(models.Model):
    """绩效目标: of a project, or (project empty) of the department as a whole."""

    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="goals")
    project = models.OneToOneField(
        Project, models.CASCADE, null=True, blank=True, related_name="goal"
    )
    position = models.PositiveIntegerField(default=0)
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

    history = HistoricalRecords()  # the audit trail: who changed what, when

    class Meta:
        verbose_name = "绩效目标"
        ordering = ["position"]


class Indicator(models.Model):
    """绩效指标 (三级): target and actual kept as written in the form."""

    goal = models.ForeignKey(PerformanceGoal, models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
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
