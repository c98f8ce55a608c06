from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("web", "0001_memberships_with_roles")]

    operations = [
        migrations.CreateModel(
            name="LoginFailure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(db_index=True, max_length=64)),
                ("at", models.DateTimeField(db_index=True)),
            ],
            options={"verbose_name": "登录失败记录"},
        ),
    ]
