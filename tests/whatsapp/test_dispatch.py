"""Reminders by WhatsApp through dispatch, against the local fake Cloud API."""

from datetime import time, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import InAppNotification, Reminder
from coaching.notifications.services import preference_update
from coaching.whatsapp import channel, services
from coaching.whatsapp.models import PracticeChannelDefault, WhatsAppMessage
from tests.whatsapp.fake_cloud_api import PHONE_NUMBER_ID, TOKEN, VERSION
from tests.whatsapp.helpers import KIND, due_reminder, opted_in

pytestmark = pytest.mark.django_db


def redispatch(reminder):
    """As if the row were claimed again (a worker died, a retry): WhatsApp must not repeat."""
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.PENDING, next_attempt_at=timezone.now()
    )
    return dispatch.dispatch_due()


def test_it_sends_the_documented_template_request_and_no_email(world, fake_api):
    opted_in(world.client)
    reminder = due_reminder(world)
    assert dispatch.dispatch_due() == 1

    [request] = fake_api.requests
    assert request["path"] == f"/{VERSION}/{PHONE_NUMBER_ID}/messages"
    assert request["authorization"] == f"Bearer {TOKEN}"
    body = request["body"]
    assert body["messaging_product"] == "whatsapp"
    assert body["recipient_type"] == "individual"
    assert body["to"] == "6281234567890"
    assert body["type"] == "template"
    assert body["template"]["name"] == "message_waiting"
    assert body["template"]["language"] == {"code": "en"}
    assert body["biz_opaque_callback_data"] == channel.message_key(reminder)
    assert reminder.message_id == f"<{body['biz_opaque_callback_data']}@coaching>"
    [body_part, button] = body["template"]["components"]
    assert [p["text"] for p in body_part["parameters"]] == [
        world.practice.name,
        reminder.object_label,
    ]
    assert button["sub_type"] == "url"
    assert button["parameters"][0]["text"] == reminder.path.lstrip("/")

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.emailed_at is None
    assert mail.outbox == []
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1
    record = WhatsAppMessage.objects.get(reminder=reminder)
    assert record.status == WhatsAppMessage.Status.ACCEPTED
    assert record.wamid == fake_api.accepted()[0]["wamid"]
    assert record.attempts == 1


def test_a_reclaimed_reminder_is_not_sent_again(world, fake_api):
    opted_in(world.client)
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert redispatch(reminder) == 1
    assert len(fake_api.requests) == 1
    assert mail.outbox == []


def test_an_indonesian_recipient_gets_the_indonesian_template(world, fake_api):
    world.client.language = "id"
    world.client.save()
    opted_in(world.client)
    due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests[0]["body"]["template"]["language"] == {"code": "id"}


def test_without_the_settings_the_channel_is_off_and_email_goes_as_before(world, settings):
    with_fake_settings = {"WHATSAPP_TOKEN": "", "WHATSAPP_PHONE_NUMBER_ID": ""}
    for name, value in with_fake_settings.items():
        setattr(settings, name, value)
    opted_in(world.client)
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert len(mail.outbox) == 1
    assert not WhatsAppMessage.objects.exists()
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None


def test_without_an_opt_in_in_force_the_reminder_goes_by_email(world, fake_api):
    opted_in(world.client)
    services.opt_in_withdraw(user=world.client)
    due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests == []
    assert [m.to for m in mail.outbox] == [[world.client.email]]


def test_kinds_left_on_email_still_go_by_email(world, fake_api):
    opted_in(world.client, kinds=["task_due"])
    due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests == []
    assert len(mail.outbox) == 1


def test_in_app_only_sends_nothing_outside_the_app(world, fake_api):
    opted_in(world.client)
    services.channel_choice_update(user=world.client, choices={KIND: "in_app"})
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests == []
    assert mail.outbox == []
    assert InAppNotification.objects.filter(reminder=reminder).count() == 1


def test_the_practice_default_applies_to_members_who_chose_nothing(world, fake_api):
    services.opt_in_give(user=world.client, phone="+62 812 3456 7890")
    PracticeChannelDefault.objects.create(practice=world.practice, whatsapp_kinds=[KIND])
    due_reminder(world)
    dispatch.dispatch_due()
    assert len(fake_api.requests) == 1
    assert mail.outbox == []


def test_a_member_choice_overrides_the_practice_default(world, fake_api):
    opted_in(world.client)
    services.channel_choice_update(user=world.client, choices={KIND: "email"})
    PracticeChannelDefault.objects.create(practice=world.practice, whatsapp_kinds=[KIND])
    due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests == []
    assert len(mail.outbox) == 1


def test_whatsapp_waits_for_the_end_of_quiet_hours(world, fake_api):
    opted_in(world.client)
    world.client.timezone = "Asia/Jakarta"
    world.client.save()
    preference_update(
        user=world.client, email_kinds=[KIND], quiet_start=time(22), quiet_end=time(7)
    )
    night = timezone.datetime(2026, 12, 1, 23, 30, tzinfo=timezone.get_fixed_timezone(7 * 60))
    with time_machine.travel(night, tick=False):
        reminder = due_reminder(world)
        dispatch.dispatch_due()
        assert fake_api.requests == []
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.PENDING
        assert reminder.next_attempt_at == night.replace(hour=7, minute=0) + timedelta(days=1)
    with time_machine.travel(night + timedelta(hours=7, minutes=31), tick=False):
        dispatch.dispatch_due()
    assert len(fake_api.requests) == 1
    assert mail.outbox == []


def test_an_api_error_falls_back_to_email_once(world, fake_api):
    opted_in(world.client)
    fake_api.refuse["6281234567890"] = 131026
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert len(fake_api.requests) == 1
    assert [m.to for m in mail.outbox] == [[world.client.email]]
    record = WhatsAppMessage.objects.get(reminder=reminder)
    assert (record.status, record.error) == (WhatsAppMessage.Status.FAILED, "131026")
    assert record.fallback_at is not None
    redispatch(reminder)
    assert len(fake_api.requests) == 1, "a failed WhatsApp message is not tried again"
    assert len(mail.outbox) == 1, "the fallback email went once"


def test_an_unreachable_api_falls_back_to_email(world, fake_api, settings):
    opted_in(world.client)
    settings.WHATSAPP_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert len(mail.outbox) == 1
    assert WhatsAppMessage.objects.get(reminder=reminder).status == "failed"


def test_a_wrong_token_is_an_api_error_and_falls_back(world, fake_api, settings):
    opted_in(world.client)
    settings.WHATSAPP_TOKEN = "expired"
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    assert fake_api.requests[0]["status"] == 401
    assert WhatsAppMessage.objects.get(reminder=reminder).error == "190"
    assert len(mail.outbox) == 1
