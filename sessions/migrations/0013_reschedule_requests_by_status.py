# The move-requests page reads a practice's requests by status, newest first, and counts them
# by status from this index (#11); the practice is required from now on.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("coaching_sessions", "0012_reschedule_request_practice"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reschedulerequest",
            name="practice",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.practice",
            ),
        ),
        migrations.AddIndex(
            model_name="reschedulerequest",
            index=models.Index(
                fields=["practice", "status", "-created_at", "-id"],
                name="reschedule_requests_by_status",
            ),
        ),
        migrations.RemoveIndex(
            model_name="reschedulerequest",
            name="reschedule_requests_newest",
        ),
    ]
