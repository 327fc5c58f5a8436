"""Key rotation on PostgreSQL: canaries planted under the old key, the key list rotated (new
first, old second), `reencrypt_content` run, the old key dropped: all content reads back, and
raw SQL over every text column of every content table finds no canary in plaintext."""

import base64
import io
import json

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from ethics.access import client_access
from ethics.fields import encrypted_fields
from ethics.models import PreparedExport
from ethics.prepared_exports import data_export_build, data_export_request
from tests.ethics.test_canary import Canaries, _plant

pytestmark = pytest.mark.integration

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()
# Apps whose tables hold coaching content: every app with an encrypted field (a new app that
# holds content is covered without being listed here).
CONTENT_APPS = sorted(
    {
        config.label
        for config in apps.get_app_configs()
        for model in config.get_models()
        if encrypted_fields(model)
    }
)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")


def _text_columns(app_label):
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def _plaintext_hits(app_label):
    hits = []
    with connection.cursor() as cursor:
        for model, field in _text_columns(app_label):
            table, column = model._meta.db_table, field.column
            # A whole canary (tests/ethics/test_canary.py), not its prefix: "CNRY" alone turns
            # up by chance in the base64 of a long token (CI saw it once in a printable export).
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS text) ~ %s',  # noqa: S608
                [r"CNRY[0-9]{4}[a-z]*Z"],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def _read_back():
    """Every encrypted field of every row, read through the ORM (decrypting); JSON values
    (a revision's objectives) as their JSON text."""
    values = []
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = encrypted_fields(model)
            if fields:
                for row in model._base_manager.all():
                    for field in fields:
                        value = getattr(row, field.attname)
                        if model._meta.label == "messaging.MessageAttachment":
                            value = base64.b64decode(value).decode(errors="replace")  # bytes
                        values.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(values)


def test_rotation_reencrypts_everything_and_leaves_no_plaintext(world, settings, postgresql):
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    canaries = Canaries()
    _plant(world, canaries)
    # The client's prepared data export (#11): every canary of its body is rotated too.
    export = data_export_request(access=client_access(world.client, world.practice))
    assert data_export_build(export.pk) == "prepared"

    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    out = io.StringIO()
    call_command("reencrypt_content", stdout=out)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW]

    text = _read_back()
    # Every canary planted reads back, except an edited message's first text, a deleted
    # message and a deleted message's file: those were overwritten before the rotation
    # (messaging) and stay gone.
    overwritten = {
        c
        for c in canaries.allowed
        if c.endswith(("msgfirstZ", "msggoneZ", "attgonenameZ", "attgonefileZ", "attgonebodyZ"))
    }
    missing = [c for c in canaries.allowed if c not in overwritten and c not in text]
    assert not missing, missing
    assert len(overwritten) == 5 and not [c for c in overwritten if c in text], overwritten
    prepared = PreparedExport.objects.get()
    exported = prepared.body
    in_export = [c for c, roles in canaries.allowed.items() if "client" in roles and c in exported]
    assert len(in_export) >= 20, in_export
    # Its printable sections, in each language (the my-data page's), are rotated with it.
    for field in PreparedExport.PRINTABLE_FIELDS.values():
        printable = getattr(prepared, field)
        assert [c for c in in_export if c not in printable] == [], field
    for app_label in CONTENT_APPS:
        assert not _plaintext_hits(app_label), app_label
    # The stored tokens open with the new key alone.
    with connection.cursor() as cursor:
        cursor.execute('SELECT "text" FROM "ethics_reflectivejournalentry" LIMIT 1')
        token = cursor.fetchone()[0]
    Fernet(KEY_NEW.encode()).decrypt(token.encode())
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure: the old key cannot open it
        Fernet(KEY_OLD.encode()).decrypt(token.encode())


def test_program_content_is_not_plaintext_either(world, settings, postgresql):
    """Theme, aims, CSoB, FSoB, objectives, revisions (their objectives too, a JSON value),
    reviews, the completion summary, the need and the chemistry notes: tokens in the tables."""
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    canaries = Canaries()
    _plant(world, canaries)
    assert [c for c in canaries.allowed if "summary" in c or "revobjective" in c]
    assert not _plaintext_hits("programs")
