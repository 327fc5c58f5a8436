"""Key rotation on PostgreSQL: canaries planted under the old key, the key list rotated (new
first, old second), `reencrypt_content` run, the old key dropped: all content reads back, and
raw SQL over every text column of every content table finds no canary in plaintext."""

import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from ethics.fields import EncryptedCharField, EncryptedTextField
from tests.ethics.test_canary import Canaries, _plant

pytestmark = pytest.mark.integration

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()
ENCRYPTED = (EncryptedTextField, EncryptedCharField)
# Apps whose tables hold coaching content.
CONTENT_APPS = ["coaching_sessions", "ethics", "programs"]


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
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS text) LIKE %s',  # noqa: S608
                ["%CNRY%"],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def _read_back():
    """Every encrypted field of every row, read through the ORM (decrypting)."""
    values = []
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED)]
            if fields:
                for row in model._base_manager.all():
                    values.extend(getattr(row, f.attname) for f in fields)
    return "\n".join(values)


def _encrypted_canaries(canaries):
    # Program content (theme, aims, CSoB, FSoB, objectives) is plain TextField today.
    return [
        c
        for c in canaries.allowed
        if not c.endswith(("themeZ", "aimsZ", "csobZ", "fsobZ", "objectiveZ", "measureZ"))
    ]


def test_rotation_reencrypts_everything_and_leaves_no_plaintext(world, settings, postgresql):
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    canaries = Canaries()
    _plant(world, canaries)

    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    out = io.StringIO()
    call_command("reencrypt_content", stdout=out)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW]

    text = _read_back()
    missing = [c for c in _encrypted_canaries(canaries) if c not in text]
    assert not missing, missing
    for app_label in ["coaching_sessions", "ethics"]:
        assert not _plaintext_hits(app_label), app_label
    # The stored tokens open with the new key alone.
    with connection.cursor() as cursor:
        cursor.execute('SELECT "text" FROM "ethics_reflectivejournalentry" LIMIT 1')
        token = cursor.fetchone()[0]
    Fernet(KEY_NEW.encode()).decrypt(token.encode())
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure: the old key cannot open it
        Fernet(KEY_OLD.encode()).decrypt(token.encode())


@pytest.mark.xfail(
    strict=True,
    reason="programs/models.py keeps theme, aims, CSoB, FSoB and objectives as plain "
    "TextField (issue 5 follow-up for the programs app: EncryptedTextField + a migration)",
)
def test_program_content_is_not_plaintext_either(world, settings, postgresql):
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_OLD]
    _plant(world, Canaries())
    assert not _plaintext_hits("programs")
