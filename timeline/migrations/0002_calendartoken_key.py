import accounts.models
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The calendar token becomes a shared private-link key: ``token`` is renamed ``key`` (values kept)."""

    dependencies = [
        ("timeline", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="calendartoken", old_name="token", new_name="key"),
        migrations.AlterField(
            model_name="calendartoken",
            name="key",
            field=models.CharField(default=accounts.models.new_private_key, max_length=64, unique=True, verbose_name="clé"),
        ),
        migrations.AlterField(
            model_name="calendartoken",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="créée le"),
        ),
    ]
