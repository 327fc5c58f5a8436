"""Language per user, Accept-Language for visitors, the switcher, and emails in the
recipient's language."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_a_user_reading_indonesian_sees_the_dashboard_and_nav_in_indonesian(world, client_for):
    world.admin.language = "id"
    world.admin.save()
    page = client_for(world.admin).get(reverse("dashboard_admin", args=["cahaya"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="id">' in html
    for word in [
        "Praktik coaching",
        "Anggota",
        "Pengaturan",
        "Keluar",
        "Profil",
        "Undang seseorang",
    ]:
        assert word in html
    assert "Sign out" not in html and "Invite someone" not in html


def test_a_user_without_a_language_reads_the_practice_default(world, client_for):
    world.practice.default_language = "id"
    world.practice.save()
    world.coach.language = ""
    world.coach.save()
    html = client_for(world.coach).get(reverse("dashboard_coach", args=["cahaya"])).content
    assert "Belum ada klien" in html.decode()


def test_an_english_user_sees_english_even_with_an_indonesian_browser(world, client_for):
    page = client_for(world.admin).get(
        reverse("dashboard_admin", args=["cahaya"]), HTTP_ACCEPT_LANGUAGE="id"
    )
    assert "Sign out" in page.content.decode()


def test_an_anonymous_visitor_with_an_indonesian_browser_gets_an_indonesian_login(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in html
    assert "Kata sandi" in html  # allauth's own Indonesian catalogue
    assert "Masuk" in html
    assert "Password" not in html.replace('type="password"', "").replace('"password"', "")


def test_an_anonymous_visitor_with_an_english_browser_gets_english(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_the_switcher_saves_the_language_on_the_profile(world, client_for):
    client = client_for(world.client)
    dashboard = reverse("dashboard_client", args=["cahaya"])
    response = client.post(reverse("set_language"), {"language": "id", "next": dashboard})
    assert response.status_code == 302 and response["Location"] == dashboard
    world.client.refresh_from_db()
    assert world.client.language == "id"
    # The profile wins over the browser and the cookie, in a fresh session too.
    client.cookies.clear()
    client.force_login(world.client, backend="allauth.account.auth_backends.AuthenticationBackend")
    html = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Program coaching Anda belum dimulai" in html


def test_the_switcher_sets_a_cookie_for_a_visitor(client):
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in html


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(world, client_for):
    client = client_for(world.client)
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"
    world.client.refresh_from_db()
    assert world.client.language == "en"


@time_machine.travel(datetime.datetime(2026, 11, 9, 2, 0, tzinfo=datetime.UTC), tick=False)
def test_a_new_client_of_an_indonesian_practice_is_invited_in_indonesian(
    world, client_for, django_capture_on_commit_callbacks
):
    world.practice.default_language = "id"
    world.practice.save()
    admin = client_for(world.admin)  # reads English
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("member_invite", args=["cahaya"]),
            {"email": "budi@example.test", "role": "client", "full_name": "Budi"},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
    assert "Invitation sent to budi@example.test." in response.content.decode()
    (email,) = mail.outbox
    assert email.subject == "Anda diundang ke Cahaya"
    assert "Anda diundang untuk bergabung dengan Cahaya sebagai Klien." in email.body
    assert "23 November 2026, 09.00" in email.body  # expiry, 14 days on, Jakarta time
    assert "You have been invited" not in email.body
    html = email.alternatives[0][0]
    assert "Terima undangan" in html


def test_an_existing_indonesian_user_is_invited_in_indonesian_by_an_english_practice(
    world, client_for, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    UserFactory(email="sari@example.test", language="id")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.admin).post(
            reverse("member_invite", args=["cahaya"]),
            {"email": "sari@example.test", "role": "client"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    (email,) = mail.outbox
    assert email.subject == "Anda diundang ke Cahaya"


def test_indonesian_dates_and_numbers_read_naturally():
    moment = datetime.datetime(2026, 8, 3, 9, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    with translation.override("id"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 Agustus 2026, 09.05"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "03-08-2026"
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1.234.567,5"
    with translation.override("en"):
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1,234,567.5"


@pytest.mark.parametrize("persona", ["admin", "coach", "client", "sponsor"])
def test_the_indonesian_dashboards_show_no_english_interface_strings(world, client_for, persona):
    from tests.i18n.english import english_leaks

    user = world.persona(persona)
    user.language = "id"
    user.full_name = "Budi Santoso"  # the persona is called "Client", a catalogue word
    user.save()
    page = client_for(user).get(reverse(f"dashboard_{persona}", args=["cahaya"]))
    assert page.status_code == 200
    assert english_leaks(page.content.decode()) == []


def test_the_english_leak_finder_finds_english(world, client_for):
    from tests.i18n.english import english_leaks

    page = client_for(world.admin).get(reverse("dashboard_admin", args=["cahaya"]))
    assert {"Sign out", "Invite someone"} <= set(english_leaks(page.content.decode()))


def test_a_password_reset_reaches_an_indonesian_user_in_indonesian(world, client):
    world.client.language = "id"
    world.client.save()
    client.post(
        reverse("account_reset_password"),
        {"email": world.client.email},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (email,) = mail.outbox
    assert "Kata sandi" in email.subject or "kata sandi" in email.body


def test_a_password_reset_reaches_an_english_user_in_english(world, client):
    world.client.language = "en"
    world.client.save()
    client.post(
        reverse("account_reset_password"),
        {"email": world.client.email},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    (email,) = mail.outbox
    assert "Password" in email.subject and "sandi" not in email.body


def test_date_pickers_carry_iso_values_in_indonesian():
    """A date input holds "2026-11-26" in any language; "26/11/2026" would blank it."""
    from programs.forms import ContractTermsForm, RescheduleForm

    with translation.override("id"):
        terms = ContractTermsForm(initial={"starts_on": datetime.date(2026, 11, 26)})
        moved = RescheduleForm(initial={"starts_at": datetime.datetime(2026, 11, 27, 9, 30)})
        assert 'value="2026-11-26"' in str(terms["starts_on"])
        assert 'value="2026-11-27T09:30"' in str(moved["starts_at"])


def test_the_program_timeline_reads_in_the_readers_language():
    from programs.models import ProgramEvent

    event = ProgramEvent(subject="contract", from_state="sent", to_state="accepted_by_client")
    with translation.override("id"):
        assert (event.subject_label, event.from_label, event.to_label) == (
            "Kontrak",
            "terkirim",
            "diterima oleh klien",
        )
        assert ProgramEvent.state_label("version_3") == "versi 3"
    with translation.override("en"):
        assert event.to_label == "accepted by the client"
