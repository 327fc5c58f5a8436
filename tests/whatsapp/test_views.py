"""The user's reminder channels page (opt-in, withdrawal, per-kind choice) and the practice's."""

import pytest

from coaching.notifications.models import NotificationPreference
from coaching.whatsapp.models import ChannelPreference, PracticeChannelDefault, WhatsAppOptIn
from coaching.whatsapp.services import phone_normalise
from tests.whatsapp.helpers import KIND

pytestmark = pytest.mark.django_db

PAGE = "/me/channels/"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812 3456 7890", "+6281234567890"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_numbers_are_stored_in_e164_with_indonesia_as_the_default(typed, stored):
    assert phone_normalise(typed) == stored


def test_the_page_offers_the_opt_in_with_its_text(client_for, world, fake_api):
    page = client_for(world.client).get(PAGE).content.decode()
    assert "I agree to receive reminders about my coaching" in page
    assert "Receive reminders on WhatsApp" in page


def test_without_the_channel_the_page_says_so_and_offers_no_whatsapp(client_for, world):
    page = client_for(world.client).get(PAGE).content.decode()
    assert "WhatsApp reminders are not set up on this site" in page
    assert 'value="whatsapp"' not in page


def test_opting_in_records_the_number_text_and_time(client_for, world, fake_api):
    client = client_for(world.client)
    response = client.post(
        "/me/channels/whatsapp/opt-in/", {"phone": "0812 3456 7890", "agree": "on"}
    )
    assert response.status_code == 302
    opt_in = WhatsAppOptIn.objects.get(user=world.client)
    assert opt_in.phone == "+6281234567890"
    assert "+6281234567890" in opt_in.text
    assert opt_in.text_version == "2026-1"
    assert opt_in.given_at is not None and opt_in.withdrawn_at is None
    page = client.get(PAGE).content.decode()
    assert "on WhatsApp at +6281234567890" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "12", "agree": "on"}, "This is not a valid phone number."),
        ({"phone": "not a number", "agree": "on"}, "This is not a phone number."),
        ({"phone": "0812 3456 7890"}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(client_for, world, fake_api, data, message):
    response = client_for(world.client).post("/me/channels/whatsapp/opt-in/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{data["phone"]}"' in page
    assert not WhatsAppOptIn.objects.exists()


def test_a_new_number_replaces_the_old_and_the_history_stays(client_for, world, fake_api):
    client = client_for(world.client)
    client.post("/me/channels/whatsapp/opt-in/", {"phone": "081234567890", "agree": "on"})
    client.post("/me/channels/whatsapp/opt-in/", {"phone": "081398765432", "agree": "on"})
    rows = list(WhatsAppOptIn.objects.filter(user=world.client).order_by("id"))
    assert [r.phone for r in rows] == ["+6281234567890", "+6281398765432"]
    assert rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None


def test_withdrawing_takes_effect_at_once(client_for, world, fake_api):
    client = client_for(world.client)
    client.post("/me/channels/whatsapp/opt-in/", {"phone": "081234567890", "agree": "on"})
    response = client.post("/me/channels/whatsapp/opt-out/", follow=True)
    assert "WhatsApp reminders are off" in response.content.decode()
    assert WhatsAppOptIn.objects.in_force().count() == 0
    assert WhatsAppOptIn.objects.count() == 1  # the record of what was agreed stays
    again = client.post("/me/channels/whatsapp/opt-out/", follow=True)
    assert "You have not opted in to WhatsApp reminders." in again.content.decode()


def test_choosing_whatsapp_needs_an_opt_in_first(client_for, world, fake_api):
    response = client_for(world.client).post(PAGE, {KIND: "whatsapp"})
    assert response.status_code == 200
    assert "Opt in to WhatsApp reminders with your number first." in response.content.decode()
    assert not ChannelPreference.objects.exists()
    assert not NotificationPreference.objects.exists()


def test_each_kind_gets_its_channel(client_for, world, fake_api):
    client = client_for(world.client)
    client.post("/me/channels/whatsapp/opt-in/", {"phone": "081234567890", "agree": "on"})
    response = client.post(
        PAGE, {KIND: "whatsapp", "task_due": "in_app", "session_upcoming": "email"}
    )
    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=world.client).whatsapp_kinds == [KIND]
    off = NotificationPreference.objects.get(user=world.client).email_off_kinds
    assert "task_due" in off and "session_upcoming" not in off and KIND not in off
    form = client.get(PAGE).context["choice_form"]
    assert form[KIND].value() == "whatsapp"
    assert form["task_due"].value() == "in_app"
    assert form["session_upcoming"].value() == "email"
    # A kind left out of a later post keeps its channel.
    client.post(PAGE, {"task_due": "email"})
    assert ChannelPreference.objects.get(user=world.client).whatsapp_kinds == [KIND]


def test_a_kind_without_a_template_cannot_go_by_whatsapp(client_for, world, fake_api):
    client = client_for(world.client)
    client.post("/me/channels/whatsapp/opt-in/", {"phone": "081234567890", "agree": "on"})
    response = client.post(PAGE, {"referral_follow_up": "whatsapp"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_the_admin_sets_the_practice_default(client_for, world, fake_api):
    url = f"/p/{world.practice.slug}/reminders/channels/"
    client = client_for(world.admin)
    assert "Send by WhatsApp to members who opted in" in client.get(url).content.decode()
    assert client.post(url, {"whatsapp_kinds": [KIND, "task_due"]}).status_code == 302
    default = PracticeChannelDefault.objects.get(practice=world.practice)
    assert default.whatsapp_kinds == sorted([KIND, "task_due"])
    response = client.post(url, {"whatsapp_kinds": ["referral_follow_up"]})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    default.refresh_from_db()
    assert default.whatsapp_kinds == sorted([KIND, "task_due"])
