"""Batched dispatch and the WhatsApp webhook: a failed status that takes a row away from a
batch while the row waits for its turn (dispatch.deliver_batch checks each WhatsApp row)."""

import pytest
from django.core import mail
from django.utils import timezone

from coaching.notifications import dispatch
from coaching.notifications.models import Reminder
from tests.whatsapp.fake_cloud_api import FakeCloudApi
from tests.whatsapp.helpers import due_reminder, opted_in

pytestmark = pytest.mark.django_db


def test_a_row_taken_away_mid_batch_by_a_failed_status_is_not_emailed_by_that_batch(
    client, world, fake_api, monkeypatch
):
    opted_in(world.client)
    reminder = due_reminder(world)
    dispatch.dispatch_due()
    [record] = fake_api.accepted()
    # The worker died after the API accepted and before "sent": the lease has run out.
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now() - timezone.timedelta(hours=1)
    )
    token, ids = dispatch.claim_batch()
    assert ids == [reminder.pk]
    real_preferences = dispatch._preferences

    def webhook_then_preferences(rows):
        # The failed status arrives after the batch loaded its rows, before this row's turn.
        body = FakeCloudApi.status_webhook(record, "failed")
        response = client.post(
            "/whatsapp/webhook/",
            body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": FakeCloudApi.sign(body)},
        )
        assert response.status_code == 200
        return real_preferences(rows)

    monkeypatch.setattr(dispatch, "_preferences", webhook_then_preferences)
    assert dispatch.deliver_batch(token, ids) == {reminder.pk: None}
    monkeypatch.undo()
    assert mail.outbox == [], "the batch no longer holds the row: the next claim emails it"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.claim_token) == (Reminder.Status.PENDING, None)
    dispatch.dispatch_due()
    assert [m.to for m in mail.outbox] == [[world.client.email]]
    dispatch.dispatch_due()
    assert len(mail.outbox) == 1
