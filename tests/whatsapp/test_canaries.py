"""No canary in anything the fake Cloud API received, nor in the fallback emails: every kind
that can go by WhatsApp, sent to a sponsor, a client and a coach, with every content field of
the program planted (tests/notifications/test_email_canaries.py's canary_world)."""

import pytest
from django.core import mail
from django.utils import timezone

from coaching.notifications import dispatch, registry
from coaching.notifications.services import reminder_schedule
from coaching.whatsapp import channel, services
from tests.notifications.test_email_canaries import CANARIES
from tests.programs import builders


def _app_whatsapp_kinds():
    """Kinds with a template, less those the test suites register for themselves (the
    integration layer's it_whatsapp_ping, when collected in the same run)."""
    kinds = channel.whatsapp_kinds()
    return [k for k in kinds if not registry.get(k).text.__module__.startswith("tests.")]


def _leaks(text):
    return [name for name, canary in CANARIES.items() if canary in text]


@pytest.mark.parametrize("fail", [False, True], ids=["accepted", "refused-then-email"])
def test_no_whatsapp_payload_nor_fallback_email_holds_a_canary(world, canary_world, fake_api, fail):
    people = [world.sponsor, world.client, world.coach]
    for i, person in enumerate(people):
        services.opt_in_give(user=person, phone=f"0812 3456 78{i:02d}")
        services.channel_choice_update(
            user=person, choices=dict.fromkeys(_app_whatsapp_kinds(), "whatsapp")
        )
        if fail:
            fake_api.refuse[f"62812345678{i:02d}"] = 131026
    scheduled = 0
    for kind in _app_whatsapp_kinds():
        for obj, occasion in canary_world[kind]:
            for person in people:
                reminder_schedule(
                    kind=kind, recipient=person, obj=obj, occasion=occasion,
                    due_at=timezone.now(),
                )  # fmt: skip
                scheduled += 1
    # A proposal still waiting for the client's and the sponsor's answer (canary_world's own
    # were accepted by its builder), its need a canary: action_waiting reminders for both.
    builders.proposal(world, status="sent", need=CANARIES["need"])
    dispatch.dispatch_due()

    templates = {r["body"]["template"]["name"] for r in fake_api.requests}
    assert templates == {channel.template_for(k).name for k in _app_whatsapp_kinds()}
    assert len(fake_api.requests) >= len(_app_whatsapp_kinds()) * 2
    assert _leaks(fake_api.payload_text()) == []
    if fail:
        assert len(mail.outbox) >= len(fake_api.requests)
    for message in mail.outbox:
        html = "".join(content for content, _mime in message.alternatives)
        assert _leaks(message.subject + message.body + html) == [], message.subject
