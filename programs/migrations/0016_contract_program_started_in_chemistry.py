# A contract knows whether a program has started from it (Contract.program_started), so that the
# contracts in chemistry are read from a partial index of the few in that state (#11). The
# existing contracts are filled from their programs before the index is built.

from django.conf import settings
from django.db import migrations, models


def fill_program_started(apps, schema_editor):
    Contract = apps.get_model("programs", "Contract")
    Contract.objects.filter(program__isnull=False).update(program_started=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_membership_active_role_count"),
        ("programs", "0015_proposal_sent_oldest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="program_started",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill_program_started, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(
                condition=models.Q(("program_started", False), ("status", "active")),
                fields=["practice", "created_at"],
                name="contract_in_chemistry",
            ),
        ),
    ]
