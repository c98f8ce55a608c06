"""整改事项 generated from findings keep the kind of their check (审核发现, 监控发现, 评价发现)."""

from django.db import migrations, models

CHOICES = [
    ("problem", "存在的主要问题"),
    ("audit", "审计发现"),
    ("review", "审核发现"),
    ("monitoring", "监控发现"),
    ("evaluation", "评价发现"),
    ("carried", "上年结转"),
    ("other", "其他"),
]


def _source() -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(choices=CHOICES, default="other", max_length=10, verbose_name="来源")


class Migration(migrations.Migration):
    dependencies = [("storage", "0010_report_sections")]

    operations = [
        migrations.AlterField(model_name=name, name="source", field=_source())
        for name in ("rectification", "historicalrectification")
    ]
