"""Meta's webhook: the verification handshake and signed status updates."""

import pytest
from django.core import mail
from django.urls import reverse

from coaching.notifications import dispatch
from coaching.notifications.models import Reminder
from coaching.whatsapp import channel
from coaching.whatsapp.models import WhatsAppMessage
from tests.whatsapp.fake_cloud_api import APP_SECRET, VERIFY_TOKEN, FakeCloudApi
from tests.whatsapp.helpers import due_reminder, opted_in

pytestmark = pytest.mark.django_db

URL = "/whatsapp/webhook/"


@pytest.fixture
def sent(world, fake_api):
    """A reminder the fake accepted, and the fake's record of it."""
    opted_in(world.client)
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    [record] = fake_api.accepted()
    return reminder, record


def post(client, body, signature):
    return client.post(
        URL, body, content_type="application/json", headers={"X-Hub-Signature-256": signature}
    )


def status_of(reminder):
    return WhatsAppMessage.objects.get(reminder=reminder).status


def test_the_url_is_the_named_one():
    assert reverse("whatsapp_webhook") == URL


def test_the_handshake_answers_the_challenge_with_the_right_token(client, fake_api):
    response = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {},
    ],
)
def test_the_handshake_refuses_a_wrong_token_or_mode(client, fake_api, query):
    response = client.get(URL, query)
    assert response.status_code == 403
    assert b"1" not in response.content


def test_without_the_channel_the_webhook_does_not_exist(client, world):
    assert client.get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert client.post(URL, b"{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("status", ["sent", "delivered", "read"])
def test_a_signed_status_is_recorded(client, sent, status):
    reminder, record = sent
    body = FakeCloudApi.status_webhook(record, status, timestamp=1764400000)
    response = post(client, body, FakeCloudApi.sign(body))
    assert response.status_code == 200
    message = WhatsAppMessage.objects.get(reminder=reminder)
    assert message.status == status
    assert message.status_at.timestamp() == 1764400000


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha1=abc",
        FakeCloudApi.sign(b"another body"),
        "WRONG-SECRET",
    ],
)
def test_a_forged_or_missing_signature_is_refused_and_changes_nothing(client, sent, signature):
    reminder, record = sent
    body = FakeCloudApi.status_webhook(record, "failed")
    if signature == "WRONG-SECRET":
        signature = FakeCloudApi.sign(body, secret=APP_SECRET + "x")
    response = post(client, body, signature)
    assert response.status_code == 403
    assert status_of(reminder) == "accepted"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT


def test_a_status_never_goes_back(client, sent):
    reminder, record = sent
    for status in ["read", "delivered", "sent"]:
        body = FakeCloudApi.status_webhook(record, status)
        assert post(client, body, FakeCloudApi.sign(body)).status_code == 200
    assert status_of(reminder) == "read"


def test_a_failed_status_sends_the_email_once(client, sent, world, fake_api):
    reminder, record = sent
    assert mail.outbox == []
    body = FakeCloudApi.status_webhook(record, "failed", error_code=131026)
    assert post(client, body, FakeCloudApi.sign(body)).status_code == 200
    message = WhatsAppMessage.objects.get(reminder=reminder)
    assert (message.status, message.error) == ("failed", "131026")
    assert message.fallback_at is not None
    dispatch.dispatch_due()
    assert [m.to for m in mail.outbox] == [[world.client.email]]
    assert mail.outbox[0].extra_headers["Message-ID"] == reminder.message_id
    # The same webhook again (Meta retries), and another dispatch: nothing more.
    assert post(client, body, FakeCloudApi.sign(body)).status_code == 200
    dispatch.dispatch_due()
    assert len(mail.outbox) == 1
    assert len(fake_api.requests) == 1


def test_a_failed_status_that_beats_the_workers_sent_update_still_sends_the_email(
    client, world, fake_api, monkeypatch
):
    """The webhook arrives between the API accepting and the worker's "sent" UPDATE."""
    opted_in(world.client)
    reminder = due_reminder(world)
    token, [pk] = dispatch.claim_batch()
    real_deliver = channel.deliver

    def deliver_then_webhook(reminder, recipient):
        accepted = real_deliver(reminder, recipient)
        body = FakeCloudApi.status_webhook(fake_api.accepted()[0], "failed")
        assert post(client, body, FakeCloudApi.sign(body)).status_code == 200
        return accepted

    # The real send, then the real webhook, at the one moment that matters.
    monkeypatch.setattr(channel, "deliver", deliver_then_webhook)
    dispatch.deliver(pk, token)
    monkeypatch.undo()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert mail.outbox == []
    dispatch.dispatch_due()
    assert [m.to for m in mail.outbox] == [[world.client.email]]
    dispatch.dispatch_due()
    assert len(mail.outbox) == 1
    assert len(fake_api.requests) == 1


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"entry": "x"}', b'{"entry": [{"changes": [{"value": 3}]}]}'],
)
def test_a_signed_but_malformed_body_is_no_500(client, sent, body):
    reminder, _record = sent
    response = post(client, body, FakeCloudApi.sign(body))
    assert response.status_code in (200, 400)
    assert status_of(reminder) == "accepted"


def test_a_status_about_an_unknown_message_changes_nothing(client, sent):
    reminder, record = sent
    body = FakeCloudApi.status_webhook({**record, "wamid": "wamid.OTHER"}, "failed")
    assert post(client, body, FakeCloudApi.sign(body)).status_code == 200
    assert status_of(reminder) == "accepted"


@pytest.mark.django_db(transaction=True)
def test_the_fake_posts_signed_and_forged_webhooks_over_http(live_server, world, fake_api):
    opted_in(world.client)
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    [record] = fake_api.accepted()
    url = live_server.url + URL
    body = FakeCloudApi.status_webhook(record, "delivered")
    assert FakeCloudApi.send_webhook(url, body, signature="sha256=" + "f" * 64) == 403
    assert status_of(reminder) == "accepted"
    assert FakeCloudApi.send_webhook(url, body) == 200
    assert status_of(reminder) == "delivered"


def test_the_admin_reminders_page_shows_the_whatsapp_status(client, client_for, sent, world):
    reminder, record = sent
    page = client_for(world.admin).get(f"/p/{world.practice.slug}/reminders/").content.decode()
    assert "<td>Accepted</td>" in page
    body = FakeCloudApi.status_webhook(record, "failed", error_code=131026)
    post(client, body, FakeCloudApi.sign(body))
    page = client.get(f"/p/{world.practice.slug}/reminders/").content.decode()
    assert "Failed (131026), sent by email instead" in page
