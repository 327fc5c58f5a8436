# The session's practice is required from now on, and the practice's schedule reads a period
# of it from its own index (#11).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("coaching_sessions", "0014_session_practice"),
    ]

    operations = [
        migrations.AlterField(
            model_name="session",
            name="practice",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.practice",
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(fields=["practice", "starts_at"], name="schedule_practice_period"),
        ),
    ]
