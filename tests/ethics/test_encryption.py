import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from ethics import crypto
from ethics.models import ReflectiveJournalEntry
from tests.ethics.conftest import KEY_NEW, KEY_OLD

SECRET = "canary-journal-7f3a about my client's burnout"


def _journal(world, text=SECRET):
    return ReflectiveJournalEntry.objects.create(
        practice=world.practice, coach=world.coach, date=datetime.date(2026, 11, 1), text=text
    )


def _raw_text(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM ethics_reflectivejournalentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_it_reads_back_what_it_stored(world):
    entry = _journal(world)
    assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == SECRET


def test_it_never_stores_plaintext(world):
    entry = _journal(world)
    raw = _raw_text(entry)
    assert "canary" not in raw
    assert crypto.decrypt(raw) == SECRET


def test_empty_text_stays_empty(world):
    entry = _journal(world, text="")
    assert _raw_text(entry) == ""
    assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == ""


def test_a_wrong_key_fails_loudly(world, settings):
    entry = _journal(world)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW]
    with pytest.raises(crypto.ContentDecryptionError):
        ReflectiveJournalEntry.objects.get(pk=entry.pk)


def test_a_missing_key_fails_loudly(world, settings):
    entry = _journal(world)
    settings.CONTENT_ENCRYPTION_KEYS = []
    with pytest.raises(crypto.ContentKeyMissing):
        ReflectiveJournalEntry.objects.get(pk=entry.pk)
    with pytest.raises(crypto.ContentKeyMissing):
        _journal(world)


def test_plaintext_in_the_column_is_refused_not_shown(world):
    entry = _journal(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ethics_reflectivejournalentry SET text = %s WHERE id = %s",
            ["plain words", entry.pk],
        )
    with pytest.raises(crypto.ContentDecryptionError):
        ReflectiveJournalEntry.objects.get(pk=entry.pk)


def test_an_old_key_still_decrypts_after_a_new_one_is_put_first(world, settings):
    entry = _journal(world)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == SECRET


def test_after_reencrypt_only_the_new_key_is_needed(world, settings):
    entries = [_journal(world, text=f"{SECRET} {n}") for n in range(5)]
    blank = _journal(world, text="")
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    call_command("reencrypt_content", batch_size=2, stdout=io.StringIO())
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW]
    for n, entry in enumerate(entries):
        assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == f"{SECRET} {n}"
        assert "canary" not in _raw_text(entry)
    assert ReflectiveJournalEntry.objects.get(pk=blank.pk).text == ""


def test_reencrypt_reports_counts(world, settings):
    _journal(world)
    _journal(world)
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]

    out = io.StringIO()
    call_command("reencrypt_content", stdout=out)
    assert "ethics.ReflectiveJournalEntry: 2 row(s) re-encrypted" in out.getvalue()
    assert "Done: 2 row(s)" in out.getvalue()


def test_reencrypt_refuses_to_run_without_keys(settings, db):
    settings.CONTENT_ENCRYPTION_KEYS = []
    with pytest.raises(crypto.ContentKeyMissing):
        call_command("reencrypt_content")


def test_settings_validation_refuses_no_key_and_a_bad_key():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(crypto.ContentKeyMissing):
        crypto.validate_keys([])
    with pytest.raises(ImproperlyConfigured):
        crypto.validate_keys(["not-a-fernet-key"])
    crypto.validate_keys([KEY_NEW, KEY_OLD])


def test_keys_may_be_given_as_one_comma_separated_string(world, settings):
    entry = _journal(world)
    settings.CONTENT_ENCRYPTION_KEYS = f"{KEY_NEW}, {KEY_OLD}"
    assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == SECRET


@pytest.mark.integration
def test_on_postgresql_rotation_leaves_no_plaintext_and_everything_reads_back(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    entries = [_journal(world, text=f"{SECRET} {n}") for n in range(3)]
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    call_command("reencrypt_content", stdout=io.StringIO())
    settings.CONTENT_ENCRYPTION_KEYS = [KEY_NEW]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM ethics_reflectivejournalentry WHERE text LIKE %s", ["%canary%"]
        )
        assert cursor.fetchone()[0] == 0
    for n, entry in enumerate(entries):
        assert ReflectiveJournalEntry.objects.get(pk=entry.pk).text == f"{SECRET} {n}"
