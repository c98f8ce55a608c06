"""A 评价专家 account belongs to a city, as a 财政局 account does."""

from django.db import migrations


def _experts_into_a_city(apps, schema_editor):
    """Experts made before: the one city of the departments whose 抽查 they were given,
    else the default city (where every department stored before cities went)."""
    membership_model = apps.get_model("web", "Membership")
    city_model = apps.get_model("storage", "City")
    spot_check_model = apps.get_model("storage", "SpotCheck")
    for membership in membership_model.objects.filter(role="expert", city__isnull=True):
        cities = set(
            spot_check_model.objects.filter(assigned_to_id=membership.user_id).values_list(
                "goal__fiscal_year__department__city_id", flat=True
            )
        )
        if len(cities) != 1:
            city, _ = city_model.objects.get_or_create(code="default", defaults={"name": "本级"})
            cities = {city.pk}
        membership.city_id = cities.pop()
        membership.save(update_fields=["city"])


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0004_membership_city"),
    ]

    operations = [
        migrations.RunPython(_experts_into_a_city, migrations.RunPython.noop),
    ]
