"""The batch queue: a city batch (CityBatch) and its jobs (BatchJob), one per department
and one that closes the batch. Not watched by the data version (services.versioned_cache)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("storage", "0012_goal_review_conclusions"),
    ]

    operations = [
        migrations.CreateModel(
            name="CityBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.IntegerField(verbose_name="年度")),
                ("departments", models.JSONField(default=list, verbose_name="部门代码")),
                ("as_of", models.DateField(verbose_name="监控日期")),
                ("folder", models.CharField(max_length=500, verbose_name="输出目录")),
                (
                    "requested_by",
                    models.CharField(blank=True, max_length=150, verbose_name="发起人"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="发起时间"
                    ),
                ),
                ("archive", models.CharField(blank=True, max_length=500, verbose_name="压缩包")),
            ],
            options={
                "verbose_name": "批量生成",
                "ordering": ["-id"],
            },
        ),
        migrations.CreateModel(
            name="BatchJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "department_code",
                    models.CharField(blank=True, max_length=64, verbose_name="部门代码"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "排队中"),
                            ("running", "进行中"),
                            ("done", "已完成"),
                            ("failed", "未完成"),
                        ],
                        default="queued",
                        max_length=8,
                        verbose_name="状态",
                    ),
                ),
                ("claimed_by", models.CharField(blank=True, max_length=200, verbose_name="执行者")),
                ("heartbeat", models.DateTimeField(blank=True, null=True, verbose_name="心跳")),
                ("attempts", models.IntegerField(default=0, verbose_name="尝试次数")),
                ("result", models.JSONField(default=dict, verbose_name="结果")),
                ("message", models.TextField(blank=True, verbose_name="说明")),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="jobs",
                        to="storage.citybatch",
                    ),
                ),
            ],
            options={
                "verbose_name": "批量生成任务",
                "ordering": ["id"],
                "indexes": [models.Index(fields=["state", "heartbeat"], name="batchjob_claim")],
            },
        ),
    ]
