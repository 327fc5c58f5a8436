# The practice of each session, copied from its program (#11: the practice's schedule read
# every practice's sessions of the period). Added nullable and filled here; made required in
# the next migration (on PostgreSQL an ALTER TABLE after an UPDATE of the same table in one
# transaction fails on the deferred foreign-key triggers).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_practice(apps, schema_editor):
    Session = apps.get_model("coaching_sessions", "Session")
    Program = apps.get_model("programs", "Program")
    Session.objects.update(
        practice_id=Subquery(
            Program.objects.filter(pk=OuterRef("program_id")).values("practice_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("programs", "0001_initial"),
        ("coaching_sessions", "0013_reschedule_requests_by_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
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
