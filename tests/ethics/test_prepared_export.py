"""The client's prepared data export (#11): asked for on "my data", built by a worker, told
when ready (without content), downloaded and printed from the prepared row until it expires
after 7 days; erasure deletes it; never in the Django admin; only the client themself."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import formats, timezone, translation

from coaching.notifications import tasks as notification_tasks
from coaching.notifications.models import InAppNotification, Reminder
from ethics import prepared_exports
from ethics.access import client_access
from ethics.fields import encrypted_fields
from ethics.models import AccessEvent, PreparedExport
from tests.ethics.exports import export_json, export_page, prepare_export, ready_export
from tests.ethics.helpers import erasure_request_for, program_for
from tests.factories import MembershipFactory, UserFactory
from tests.reauth import forget_authentication

THEME = "theme-canary-5150 memimpin dengan tenang"


def _url(name, world):
    return reverse(name, kwargs={"slug": world.practice.slug})


def _with_theme(world):
    program = program_for(world)
    program.theme = THEME
    program.save()
    return program


def _ask(world):
    """The client's request, as the POST makes it, without running the task (a worker that
    has not picked it up yet)."""
    return prepared_exports.data_export_request(access=client_access(world.client, world.practice))


def test_the_page_offers_to_prepare_and_then_shows_when_and_the_download(world, client_for):
    _with_theme(world)
    browser = client_for(world.client)
    before = browser.get(_url("data_export_page", world)).content.decode()
    assert "Prepare my export" in before
    assert _url("data_export_json", world) not in before and THEME not in before
    assert not AccessEvent.objects.exists()  # nothing exported yet

    response = prepare_export(browser, world.practice)
    assert response["Location"] == _url("data_export_page", world)
    page = browser.get(_url("data_export_page", world)).content.decode()
    export = PreparedExport.objects.get(client=world.client)
    assert "Your export was prepared at" in page and "Prepare again" in page
    assert _url("data_export_json", world) in page
    assert THEME in page  # the printable view, from the prepared body
    assert export.prepared_at is not None
    assert export.expires_at == export.prepared_at + timedelta(days=7)


def test_the_download_is_the_prepared_body_with_the_same_headers(world, client_for):
    _with_theme(world)
    response = export_json(client_for(world.client), world.practice)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-data-cahaya.json"'
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["practice"] == "Cahaya"
    assert body["sections"]["programs"]["rows"][0]["theme"] == THEME


def test_downloading_before_preparing_sends_back_to_the_page_and_exports_nothing(world, client_for):
    browser = client_for(world.client)
    response = browser.get(_url("data_export_json", world), follow=True)
    assert response.redirect_chain == [(_url("data_export_page", world), 302)]
    assert "Prepare your export first" in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_the_prepared_export_is_encrypted_at_rest(world, client_for):
    _with_theme(world)
    prepare_export(client_for(world.client), world.practice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM ethics_preparedexport")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("gAAAA") and "memimpin" not in stored and "theme" not in stored
    assert THEME in PreparedExport.objects.get().body


def test_asking_twice_while_it_is_prepared_is_refused_and_changes_nothing(world, client_for):
    first = _ask(world)
    browser = client_for(world.client)
    response = browser.post(_url("data_export_prepare", world), follow=True)
    assert "already being prepared" in response.content.decode()
    assert PreparedExport.objects.get().requested_at == first.requested_at
    assert "Your export is being prepared" in response.content.decode()
    assert "Prepare my export" not in response.content.decode()


def test_a_request_no_worker_took_is_sent_again_by_the_sweep(world, client_for):
    _with_theme(world)
    _ask(world)  # its message was lost: no worker ever builds it
    assert prepared_exports.data_exports_sweep() == 0
    assert PreparedExport.objects.get().prepared_at is None  # within the lease: left alone
    later = timezone.now() + timedelta(minutes=6)
    with time_machine.travel(later), TestCase.captureOnCommitCallbacks(execute=True):
        prepared_exports.data_exports_sweep()
    export = PreparedExport.objects.get()
    assert export.prepared_at is not None and export.requested_at is None
    assert THEME in export.body


def test_only_the_worker_holding_the_claim_builds(world):
    export = _ask(world)
    # Another worker claimed it a minute ago and is still at work.
    PreparedExport.objects.filter(pk=export.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=1), claim_token="0" * 32
    )
    assert prepared_exports.data_export_build(export.pk) == "not claimed"
    assert PreparedExport.objects.get().prepared_at is None
    # That worker died: after the lease the next one takes over.
    PreparedExport.objects.filter(pk=export.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=6)
    )
    assert prepared_exports.data_export_build(export.pk) == "prepared"
    assert prepared_exports.data_export_build(export.pk) == "not claimed"  # done: nothing asked
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count() == 1


def test_preparing_again_keeps_the_old_export_until_the_new_one_is_ready(world, client_for):
    program = _with_theme(world)
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    program.theme = "the new theme 6160"
    program.save()
    export = _ask(world)  # asked again; not built yet
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert THEME in page and "Your export is being prepared" in page
    prepared_exports.data_export_build(export.pk)
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert "the new theme 6160" in page and THEME not in page
    assert PreparedExport.objects.count() == 1


def test_it_expires_after_seven_days(world, client_for):
    _with_theme(world)
    prepare_export(client_for(world.client), world.practice)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        browser = client_for(world.client)  # a fresh sign-in: the export needs a recent one
        assert browser.get(_url("data_export_json", world)).status_code == 302
        assert prepared_exports.data_exports_sweep() == 1
        assert not PreparedExport.objects.exists()
        page = browser.get(_url("data_export_page", world)).content.decode()
    assert "Prepare my export" in page and THEME not in page


def test_an_expired_export_the_sweep_missed_is_deleted_by_the_next_visit(world, client_for):
    prepare_export(client_for(world.client), world.practice)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = client_for(world.client).get(_url("data_export_page", world)).content.decode()
    assert "Prepare my export" in page
    assert not PreparedExport.objects.exists()


def test_the_client_is_told_it_is_ready_in_the_app_and_by_email_without_content(world, client_for):
    _with_theme(world)
    prepare_export(client_for(world.client), world.practice)
    notification_tasks.dispatch_due()
    reminder = Reminder.objects.get(kind="data_export_ready")
    assert (reminder.recipient, reminder.status) == (world.client, Reminder.Status.SENT)
    assert reminder.path == _url("data_export_page", world)
    assert InAppNotification.objects.filter(recipient=world.client, reminder=reminder).exists()
    [email] = [m for m in mail.outbox if m.to == [world.client.email]]
    assert "Your data export from Cahaya is ready to download." in email.body
    assert _url("data_export_page", world) in email.body
    assert "memimpin" not in email.body + email.subject
    inbox = client_for(world.client).get(reverse("notification_inbox")).content.decode()
    assert "Your data export from Cahaya is ready to download." in inbox


def test_a_notice_of_an_export_prepared_again_or_erased_is_not_sent(world, client_for):
    prepare_export(client_for(world.client), world.practice)
    PreparedExport.objects.all().delete()
    notification_tasks.dispatch_due()
    assert Reminder.objects.get(kind="data_export_ready").status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_erasure_deletes_the_prepared_export(world, client_for):
    prepare_export(client_for(world.client), world.practice)
    request = erasure_request_for(world)
    client_for(world.admin).post(
        reverse("erasure_request_complete", args=[world.practice.slug, request.code])
    )
    assert not PreparedExport.objects.exists()


def test_another_client_never_reaches_someone_elses_export(world, client_for):
    _with_theme(world)
    prepare_export(client_for(world.client), world.practice)
    other = UserFactory(full_name="Another Client")
    MembershipFactory(practice=world.practice, user=other, role="client")
    browser = client_for(other)
    assert browser.get(_url("data_export_json", world)).status_code == 302
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert THEME not in page and "Prepare my export" in page
    # The outsider (another practice): 404, as for every page of a practice.
    assert client_for(world.outsider).get(_url("data_export_json", world)).status_code == 404


def test_it_is_not_in_the_django_admin():
    assert PreparedExport not in admin.site._registry


def test_a_failed_preparation_is_shown_logs_no_content_and_can_be_asked_again(
    world, client_for, settings, caplog
):
    _with_theme(world)
    settings.DATA_EXPORTERS = [*settings.DATA_EXPORTERS, "tests.ethics.exports.broken_exporter"]
    browser = client_for(world.client)
    with caplog.at_level(logging.WARNING):
        prepare_export(browser, world.practice)
    export = PreparedExport.objects.get()
    assert export.failed_at is not None and export.requested_at is None
    assert export.prepared_at is None
    assert "RuntimeError" in caplog.text and "memimpin" not in caplog.text
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert "Preparing your export failed" in page and "Prepare my export" in page
    settings.DATA_EXPORTERS = settings.DATA_EXPORTERS[:-1]
    prepare_export(browser, world.practice)
    assert PreparedExport.objects.get().is_ready


def test_asking_after_an_old_sign_in_needs_the_password_first(world, client_for):
    browser = client_for(world.client)
    forget_authentication(browser)
    response = browser.post(_url("data_export_prepare", world))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not PreparedExport.objects.exists()


def test_the_ready_export_made_for_tests_downloads(world, client_for):
    ready_export(world, sections={"account": {"title": "Your account", "rows": []}})
    response = client_for(world.client).get(_url("data_export_json", world))
    assert response.json()["sections"]["account"]["title"] == "Your account"


# The printable sections, rendered by the worker (#11: the page inserts them instead of
# rendering every row of the body on each visit) -------------------------------------------

JOINED = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


def _sections(page):
    """The printable sections of the my-data page: from the first section to erasure's."""
    start = page.index('<section class="panel" id="section-')
    return page[start : page.rindex('<section class="panel d-print-none">')]


def _in(zone, language="en"):
    """JOINED as the page writes it in that time zone and language."""
    with translation.override(language):
        return formats.date_format(JOINED.astimezone(ZoneInfo(zone)), "DATETIME_FORMAT")


def _set(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()


def test_the_worker_renders_the_printable_sections_in_each_language_encrypted(world, client_for):
    _with_theme(world)
    _set(world.client, language="id", date_joined=JOINED)
    prepare_export(client_for(world.client), world.practice)
    export = PreparedExport.objects.get()
    assert export.printable_timezone == "Asia/Jakarta"
    assert "Zona waktu" in export.printable_id and "Time zone" not in export.printable_id
    assert "Time zone" in export.printable_en and "Zona waktu" not in export.printable_en
    assert THEME in export.printable_id and THEME in export.printable_en
    assert _in("Asia/Jakarta", "id") in export.printable_id
    assert _in("Asia/Jakarta", "en") in export.printable_en
    with connection.cursor() as cursor:
        cursor.execute("SELECT printable_id, printable_en FROM ethics_preparedexport")
        [stored] = cursor.fetchall()
    for token in stored:
        assert token.startswith("gAAAA") and "memimpin" not in token and "Tema" not in token


def test_the_page_shows_the_prepared_sections_in_the_clients_current_language(
    world, client_for, django_assert_num_queries
):
    _with_theme(world)
    _set(world.client, language="id")
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    prepared_at = PreparedExport.objects.get().prepared_at
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert '<dt class="col-sm-3">Zona waktu</dt>' in page and "Time zone" not in page
    assert THEME in page
    # The client switches to English: the same export, now in English, not prepared again,
    # and still the page's 7 queries (the body, loaded to render from, would be an 8th).
    _set(world.client, language="en")
    with django_assert_num_queries(7):
        page = browser.get(_url("data_export_page", world)).content.decode()
    assert '<dt class="col-sm-3">Time zone</dt>' in page and "Zona waktu" not in page
    assert THEME in page
    assert PreparedExport.objects.get().prepared_at == prepared_at
    # Each view of the printable page is an export in the access log, as before.
    assert AccessEvent.objects.filter(label="Data export (printable page)").count() == 1
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count() == 3


def test_the_page_inserts_what_the_worker_rendered_and_it_is_what_the_body_renders(
    world, client_for
):
    _with_theme(world)
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    inserted = _sections(browser.get(_url("data_export_page", world)).content.decode())
    assert THEME in inserted
    # Rendered from the body (an export prepared before the worker rendered the sections):
    # the same sections, character for character.
    PreparedExport.objects.update(printable_timezone="")
    assert _sections(browser.get(_url("data_export_page", world)).content.decode()) == inserted
    # And the page does insert the stored sections rather than render the body again.
    export = PreparedExport.objects.get()
    export.printable_en = export.printable_en.replace(THEME, "as the worker rendered it 7170")
    export.printable_timezone = "Asia/Jakarta"
    export.save()
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert "as the worker rendered it 7170" in page and THEME not in page


def test_an_export_prepared_before_the_sections_were_rendered_shows_them_from_the_body(
    world, client_for, django_assert_num_queries
):
    # As the migration leaves an export prepared before it: a body, no printable sections.
    joined = JOINED.isoformat()
    rows = [{"email": "klien@example.com", "timezone": "Asia/Jakarta", "joined": joined}]
    ready_export(world, sections={"account": {"title": "Your account", "rows": rows}})
    browser = client_for(world.client)
    url = _url("data_export_page", world)
    browser.get(url)
    # The page's 7 (test_export_queries) and the body, loaded for these only.
    with django_assert_num_queries(8):
        page = browser.get(url).content.decode()
    sections = _sections(page)
    assert '<dt class="col-sm-3">Email</dt><dd class="col-sm-9">klien@example.com</dd>' in sections
    assert _in("Asia/Jakarta") in sections
    assert AccessEvent.objects.filter(label="Data export (printable page)").count() == 2


def test_a_client_who_changed_time_zone_since_sees_times_in_the_new_one(world, client_for):
    _set(world.client, date_joined=JOINED)
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    assert _in("Asia/Jakarta") in PreparedExport.objects.get().printable_en
    _set(world.client, timezone="Europe/London")
    page = _sections(browser.get(_url("data_export_page", world)).content.decode())
    assert _in("Europe/London") in page and _in("Asia/Jakarta") not in page


def test_an_expired_export_asked_for_again_loses_its_printable_sections_too(world, client_for):
    _with_theme(world)
    prepare_export(client_for(world.client), world.practice)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        _ask(world)
        assert prepared_exports.data_exports_sweep() == 0  # asked again: kept, blanked
    export = PreparedExport.objects.get()
    assert (export.body, export.printable_id, export.printable_en) == ("", "", "")
    assert export.printable_timezone == "" and export.is_pending


def test_every_language_has_an_encrypted_field_for_its_printable_sections(settings):
    assert set(PreparedExport.PRINTABLE_FIELDS) == {code for code, _name in settings.LANGUAGES}
    encrypted = {field.name for field in encrypted_fields(PreparedExport)}
    assert set(PreparedExport.PRINTABLE_FIELDS.values()) <= encrypted


def test_the_page_prints_the_newest_reads_and_says_where_the_rest_are(world, client_for):
    """Years of reads are thousands of rows: the page prints the newest
    PRINTABLE_ACCESS_EVENTS and says how many more the download and the log page hold; the
    download holds every one (#11)."""
    from django.contrib.contenttypes.models import ContentType

    program = _with_theme(world)
    start = timezone.now() - timedelta(days=400)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            practice=world.practice,
            reader=world.coach,
            subject=world.client,
            content_type=ContentType.objects.get_for_model(program),
            object_id=str(program.pk),
            label=f"Item {n:03d}",
            at=start + timedelta(days=n),
        )
        for n in range(prepared_exports.PRINTABLE_ACCESS_EVENTS + 3)
    )
    browser = client_for(world.client)
    rows = export_json(browser, world.practice).json()["sections"]["access_events"]["rows"]
    labels = [row["item"] for row in rows]
    assert {f"Item {n:03d}" for n in range(103)} <= set(labels)  # the download: every read
    page = browser.get(_url("data_export_page", world)).content.decode()
    printed = [label for label in labels if f'<dd class="col-sm-9">{label}</dd>' in page]
    assert printed == labels[:100]  # the newest hundred, newest first
    assert "Item 000" not in page and "Item 102" in page
    assert f"And {len(labels) - 100} earlier reads, in the download above" in page
    _set(world.client, language="id")
    page = browser.get(_url("data_export_page", world)).content.decode()
    assert f"Dan {len(labels) - 100} pembacaan sebelumnya" in page


def test_a_log_of_a_hundred_reads_or_fewer_is_printed_whole(world, client_for):
    _with_theme(world)
    browser = client_for(world.client)
    page = export_page(browser, world.practice).content.decode()
    assert "earlier read" not in page
