# The practice of each move request, copied from its session's program (#11). Added nullable
# and filled here; made required in the next migration (on PostgreSQL an ALTER TABLE after an
# UPDATE of the same table in one transaction fails on the deferred foreign-key triggers).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_practice(apps, schema_editor):
    RescheduleRequest = apps.get_model("coaching_sessions", "RescheduleRequest")
    Session = apps.get_model("coaching_sessions", "Session")
    RescheduleRequest.objects.update(
        practice_id=Subquery(
            Session.objects.filter(pk=OuterRef("session_id")).values("program__practice_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("coaching_sessions", "0011_schedule_sessions_in_period"),
    ]

    operations = [
        migrations.AddField(
            model_name="reschedulerequest",
            name="practice",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.practice",
            ),
        ),
        migrations.RunPython(fill_practice, migrations.RunPython.noop),
    ]
