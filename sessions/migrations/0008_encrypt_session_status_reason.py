"""A session's status reason (why it was cancelled or moved) encrypted at rest, as the
program's reasons in programs 0008_encrypt_reasons: the column becomes text, then every
existing value is rewritten as a Fernet token under the newest key (read raw, cast to text);
empty values stay empty; backwards decrypts."""

from django.db import migrations
from django.db.models import TextField, Value
from django.db.models.functions import Cast

import ethics.fields
from ethics import crypto

BATCH = 500


def _rewrite(apps, schema_editor, change):
    manager = apps.get_model("coaching_sessions", "Session")._base_manager.db_manager(
        schema_editor.connection.alias
    )
    last_pk = None
    while True:  # by primary key, in batches: never update rows under an open cursor
        qs = manager.order_by("pk").annotate(raw=Cast("status_reason", TextField()))
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        batch = list(qs.exclude(raw="").values("pk", "raw")[:BATCH])
        if not batch:
            break
        for row in batch:
            manager.filter(pk=row["pk"]).update(
                status_reason=Value(change(row["raw"]), output_field=TextField())
            )
        last_pk = batch[-1]["pk"]


def encrypt_existing(apps, schema_editor):
    _rewrite(apps, schema_editor, crypto.encrypt)


def decrypt_existing(apps, schema_editor):
    _rewrite(apps, schema_editor, crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching_sessions", "0007_reschedule_request"),
    ]

    operations = [
        migrations.AlterField(
            model_name="session",
            name="status_reason",
            field=ethics.fields.EncryptedCharField(blank=True, max_length=300, verbose_name="reason"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
