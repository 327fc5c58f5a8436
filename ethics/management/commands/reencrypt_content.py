"""Re-encrypt every encrypted field of every installed model under the newest key.

Run it after putting a new key first in CONTENT_ENCRYPTION_KEYS; once it has finished,
older keys can be dropped from the list. Safe to re-run: a token already under the newest
key is rewritten under it again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from ethics import crypto
from ethics.fields import encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt all encrypted content under the newest CONTENT_ENCRYPTION_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        crypto.fernet()  # fails loudly before touching anything when no key is set
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            count = self._model(model, fields, batch_size)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} row(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) re-encrypted."))

    def _model(self, model, fields, batch_size):
        # Cast to a plain TextField so the raw tokens come back, not decrypted text.
        raw = {f"raw_{field.attname}": Cast(field.attname, TextField()) for field in fields}
        manager = model._base_manager
        last_pk = None
        count = 0
        while True:
            qs = manager.order_by("pk").annotate(**raw)
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            batch = list(qs.values("pk", *raw)[:batch_size])
            if not batch:
                return count
            with transaction.atomic():
                for row in batch:
                    updates = {
                        field.attname: Value(
                            crypto.rotate(row[f"raw_{field.attname}"]), output_field=TextField()
                        )
                        for field in fields
                        if row[f"raw_{field.attname}"]
                    }
                    if updates:
                        manager.filter(pk=row["pk"]).update(**updates)
                        count += 1
            last_pk = batch[-1]["pk"]
