"""A 财政局 account belongs to a city (城市/财政局)."""

import django.db.models.deletion
from django.db import migrations, models


def _bureau_accounts_into_the_default_city(apps, schema_editor):
    """财政局 accounts made before cities belong to the city every department went to."""
    membership_model = apps.get_model("web", "Membership")
    city_model = apps.get_model("storage", "City")
    bureau = membership_model.objects.filter(role="bureau", city__isnull=True)
    if not bureau.exists():
        return
    city, _ = city_model.objects.get_or_create(code="default", defaults={"name": "本级"})
    bureau.update(city=city)


class Migration(migrations.Migration):

    dependencies = [
        ('storage', '0025_cities'),
        ('web', '0003_expert_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmembership',
            name='city',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='storage.city', verbose_name='城市'),
        ),
        migrations.AddField(
            model_name='membership',
            name='city',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='storage.city', verbose_name='城市'),
        ),
        migrations.RunPython(_bureau_accounts_into_the_default_city, migrations.RunPython.noop),
    ]
