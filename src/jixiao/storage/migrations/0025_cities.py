"""Cities (城市/财政局) own departments: every department stored so far goes into one
default city, which a 系统管理员 may rename."""

import django.db.models.deletion
from django.db import migrations, models

import jixiao.storage.models

DEFAULT_CITY_CODE = "default"
DEFAULT_CITY_NAME = "本级"


def _into_the_default_city(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # checked now, so that the column can be altered in this transaction afterwards
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    city_model = apps.get_model("storage", "City")
    department_model = apps.get_model("storage", "Department")
    if not department_model.objects.exists():
        return
    city, _ = city_model.objects.get_or_create(
        code=DEFAULT_CITY_CODE, defaults={"name": DEFAULT_CITY_NAME}
    )
    department_model.objects.update(city=city)


class Migration(migrations.Migration):
    dependencies = [
        ("storage", "0024_rectification_notices"),
    ]

    operations = [
        migrations.CreateModel(
            name="City",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=64, unique=True, verbose_name="城市代码")),
                ("name", models.CharField(max_length=200, verbose_name="城市名称")),
            ],
            options={"verbose_name": "城市", "ordering": ["code"]},
        ),
        migrations.AddField(
            model_name="department",
            name="city",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="departments", to="storage.city", verbose_name="城市",
            ),
        ),
        migrations.RunPython(_into_the_default_city, migrations.RunPython.noop),
        # required first without a default, then the default added: a default on the step
        # to NOT NULL would be computed here by the current model, not this migration's
        migrations.AlterField(
            model_name="department",
            name="city",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments", to="storage.city", verbose_name="城市",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="city",
            field=models.ForeignKey(
                default=jixiao.storage.models.default_city_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments", to="storage.city", verbose_name="城市",
            ),
        ),
    ]
