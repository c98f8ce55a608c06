"""绩效目标审核 conclusions (优 / 良 / 中 / 差 with comments), one row per conclusion given."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("storage", "0011_rectification_kinds_of_findings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GoalReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "grade",
                    models.CharField(
                        choices=[
                            ("excellent", "优"),
                            ("good", "良"),
                            ("fair", "中"),
                            ("poor", "差"),
                        ],
                        max_length=10,
                        verbose_name="审核结论",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="审核意见")),
                ("user_name", models.CharField(blank=True, max_length=150, verbose_name="审核人")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="审核时间"
                    ),
                ),
                (
                    "goal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="storage.performancegoal",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "绩效目标审核结论",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(fields=["goal", "created_at"], name="goal_review_goal_time")
                ],
            },
        ),
    ]
