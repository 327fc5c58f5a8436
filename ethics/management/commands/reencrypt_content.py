"""Re-encrypt every encrypted field of every installed model under the newest key.

Run it after putting a new key first in CONTENT_ENCRYPTION_KEYS; once it has finished,
older keys can be dropped from the list. Safe to re-run: a token already under the newest
key is rewritten under it again.
"""

from contextlib import contextmanager

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from ethics import crypto
from ethics.fields import encrypted_fields


@contextmanager
def _append_only_lifted(model):
    """Lets rotation rewrite an append-only log's encrypted column (the program event log's
    reasons): the words stay the same, only the key they are sealed with changes. The
    triggers are lifted for this connection and these models only (pgtrigger.ignore), never
    for the app's own requests."""
    triggers = [f"{model._meta.label}:{t.name}" for t in getattr(model._meta, "triggers", [])]
    if not triggers or connection.vendor != "postgresql":
        yield
        return
    with pgtrigger.ignore(*triggers):
        yield


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
            with _append_only_lifted(model):
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
