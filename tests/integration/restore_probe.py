"""Run in a separate process against a restored database (DATABASE_URL, CONTENT_ENCRYPTION_KEYS
in the environment): reads the content back through the app and prints what it found as JSON.

    python -m tests.integration.restore_probe <client email> <practice slug>

- `export`: the canaries in the client's own data export (/p/<slug>/me/my-data.json, prepared
  first), fetched with Django's test client signed in as the client: the gate, the export and
  the access log at work on the restored rows;
- `stored`: the canaries in every encrypted field of every row, read through the ORM;
- `log_append_only`: whether the access log's trigger still refuses an UPDATE.
"""

import base64
import json
import os
import re
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integration.restore_settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from coaching.accounts.models import User  # noqa: E402
from ethics.fields import encrypted_fields  # noqa: E402
from ethics.models import AccessEvent  # noqa: E402
from tests.reauth import mark_recently_authenticated  # noqa: E402

CANARY = re.compile(r"CNRY\d{4}[a-z]*Z")


def main(email, slug):
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    mark_recently_authenticated(client, user)
    # Prepared first (#11): the task runs inline here (no broker in these settings).
    client.post(reverse("data_export_prepare", kwargs={"slug": slug}))
    response = client.get(reverse("data_export_json", kwargs={"slug": slug}))
    export = sorted(set(CANARY.findall(response.content.decode())))
    stored = set()
    for model in apps.get_models():
        fields = encrypted_fields(model)
        for row in model._base_manager.all() if fields else []:
            for field in fields:
                value = getattr(row, field.attname)
                if model._meta.label == "messaging.MessageAttachment":
                    value = base64.b64decode(value).decode(errors="replace")  # a file's bytes
                stored.update(CANARY.findall(json.dumps(value)))
    try:  # past the app's own guard, straight at the table: the trigger must refuse
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute('UPDATE "ethics_accessevent" SET "path" = %s', ["tampered"])
        append_only = False
    except DatabaseError:
        append_only = True
    print(
        json.dumps(
            {
                "status": response.status_code,
                "export": export,
                "stored": sorted(stored),
                "log_append_only": append_only,
                "access_events": AccessEvent.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
