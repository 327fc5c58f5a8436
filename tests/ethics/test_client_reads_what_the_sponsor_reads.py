"""Finding 12 of #12: the client sees everything shared about them, at least what the sponsor
reads (the sponsor's page showed confirmations, aha moments and insights the client never saw)."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sessions.models import Scope
from tests.ethics import helpers
from tests.sessions.factories import (
    CheckInFactory,
    CheckOutFactory,
    NoteFactory,
    PreparationFactory,
    SessionFactory,
    program_for,
)

CANARIES = {
    "confirm-cnry": "confirmations",
    "aha-cnry": "aha_moments",
    "insight-cnry": "insights",
    "takeaway-cnry": "take_aways",
    "behave-cnry": "new_behaviours",
}


def test_everything_the_sponsor_reads_the_client_reads(world, client_for):
    held = SessionFactory(
        program=program_for(world),
        number=1,
        status="held",
        starts_at=timezone.now() - timedelta(days=3),
    )
    CheckOutFactory(session=held, scope=Scope.SPONSOR, **{v: k for k, v in CANARIES.items()})
    CheckInFactory(
        session=held, scope=Scope.SPONSOR, since_last_time="since-cnry", goal="g", agenda="agd-cnry"
    )
    NoteFactory(session=held, scope=Scope.SPONSOR, text="note-cnry")
    PreparationFactory(session=held, scope=Scope.SPONSOR, reflection="prep-cnry")
    helpers.consent_for(world)
    sponsor = client_for(world.sponsor).get(
        reverse("sponsor_program", args=[world.practice.slug, held.program.code])
    )
    shown_to_sponsor = set(re.findall(r"[a-z]+-cnry", sponsor.content.decode()))
    assert len(shown_to_sponsor) == 9
    client = client_for(world.client).get(reverse("client_coaching", args=[world.practice.slug]))
    shown_to_client = set(re.findall(r"[a-z]+-cnry", client.content.decode()))
    assert shown_to_sponsor - shown_to_client == set()
