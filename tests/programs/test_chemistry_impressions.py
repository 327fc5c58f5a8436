"""Each side's chemistry impression is shown to its author, and the client's to the chosen
coach only if the client agreed (#13 item 4); admins, sponsors and other candidates never."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ethics.models import AccessEvent
from programs import services
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
CLIENT_NOTE = "CANARY-CLIENT-IMPRESSION warm and direct"
COACH_NOTE = "CANARY-COACH-IMPRESSION ready for change"


def _chosen(world, *, share):
    contract = builders.contract(world, status="active")
    meeting = services.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=datetime(2026, 12, 10, 10, 0, tzinfo=JAKARTA),
    )
    with time_machine.travel(datetime(2026, 12, 10, 11, 0, tzinfo=JAKARTA)):
        services.chemistry_record_outcome(
            meeting=meeting,
            actor=world.client,
            rapport=5,
            compatible=True,
            note=CLIENT_NOTE,
            share=share,
        )
        services.chemistry_record_outcome(
            meeting=meeting, actor=world.coach, rapport=4, compatible=True, note=COACH_NOTE
        )
    return contract, meeting


def _page(client_for, user, name, *args):
    return client_for(user).get(reverse(name, args=args)).content.decode()


def test_the_client_reads_their_own_impression_before_choosing(world, client_for):
    contract, _meeting = _chosen(world, share=False)
    body = _page(client_for, world.client, "contract_detail", world.practice.slug, contract.code)
    assert CLIENT_NOTE in body
    assert COACH_NOTE not in body
    for persona in ("admin", "sponsor"):
        body = _page(
            client_for,
            world.persona(persona),
            "contract_detail",
            world.practice.slug,
            contract.code,
        )
        assert CLIENT_NOTE not in body and COACH_NOTE not in body, persona


@pytest.mark.parametrize("share", [True, False])
def test_the_chosen_coach_reads_the_clients_impression_only_if_shared(world, client_for, share):
    _contract, meeting = _chosen(world, share=share)
    program = services.chemistry_choose(meeting=meeting, actor=world.client)
    body = _page(client_for, world.coach, "coach_program", world.practice.slug, program.code)
    assert COACH_NOTE in body
    assert (CLIENT_NOTE in body) is share
    logged = AccessEvent.objects.filter(reader=world.coach, label="Chemistry impression")
    assert logged.count() == (1 if share else 0)
