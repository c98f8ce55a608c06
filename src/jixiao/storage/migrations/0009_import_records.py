import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("storage", "0008_project_category_and_rounding_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "department_code",
                    models.CharField(db_index=True, max_length=64, verbose_name="部门代码"),
                ),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="导入时间"
                    ),
                ),
                ("user_name", models.CharField(blank=True, max_length=150, verbose_name="导入人")),
                ("file_name", models.CharField(max_length=300, verbose_name="文件名")),
                ("sha256", models.CharField(max_length=64, verbose_name="文件 SHA-256")),
                ("sheets", models.TextField(blank=True, verbose_name="读取的工作表")),
                ("counts", models.JSONField(default=dict, verbose_name="新增、修改、删除的行数")),
                (
                    "payment_rows",
                    models.JSONField(default=list, verbose_name="逐行变化的支出"),
                ),
                (
                    "payment_rows_total",
                    models.PositiveIntegerField(default=0, verbose_name="逐行变化的支出（总数）"),
                ),
                (
                    "fiscal_year",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="imports",
                        to="storage.fiscalyear",
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
            options={"verbose_name": "导入记录", "ordering": ["-at", "-id"]},
        ),
    ]
