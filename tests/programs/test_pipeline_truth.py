"""The pipeline tells the truth (#13): "waiting for" from the real state, counters of programs."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from programs import services
from programs.models import Contract
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")


def _proposal_row(body, name):
    """The proposals table's row whose client cell names `name` (the table comes first)."""
    table = body.split("<table", 2)[1]
    rows = [row for row in table.split("<tr>") if name in row]
    assert len(rows) == 1, rows
    return rows[0]


def test_an_accepted_proposal_waits_for_a_contract_only_while_it_has_none(world, client_for):
    contract = builders.contract(world, status="active")
    program = builders.program(world)  # a second proposal, its contract active, a program
    Contract.objects.filter(pk=program.contract_id).update(status=Contract.Status.ENDED)
    waiting = builders.proposal(world, status="accepted")
    body = (
        client_for(world.admin)
        .get(reverse("proposal_list", args=[world.practice.slug]), {"stage": "proposals"})
        .content.decode()
    )
    rows = re.findall(r"<tr>.*?</tr>", body.split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)
    assert len(rows) == 3
    with_contract = [r for r in rows if "draft the contract" not in r]
    assert len(with_contract) == 2  # the active contract's and the ended one's proposals
    drafting = [r for r in rows if "draft the contract" in r]
    assert len(drafting) == 1 and str(waiting.code) in drafting[0]
    assert str(contract.proposal.code) not in drafting[0]


def _program_after_two_meetings(world):
    import time_machine

    contract = builders.contract(world, status="active")
    meetings = [
        services.chemistry_propose(
            contract=contract,
            coach=coach,
            actor=world.admin,
            starts_at=datetime(2026, 12, 1, hour, 0, tzinfo=JAKARTA),
        )
        for coach, hour in [(world.coach, 10), (world.other_coach, 14)]
    ]
    with time_machine.travel(datetime(2026, 12, 1, 16, 0, tzinfo=JAKARTA)):
        for meeting in meetings:
            services.chemistry_record_outcome(
                meeting=meeting, actor=world.client, rapport=4, compatible=True, note=""
            )
    return services.chemistry_choose(meeting=meetings[0], actor=world.client)


def test_the_pipeline_counts_programs_not_chemistry_meetings(world, client_for):
    _program_after_two_meetings(world)
    browser = client_for(world.admin)
    dashboard = browser.get(reverse("dashboard_admin", args=[world.practice.slug]))
    text = dashboard.content.decode()
    assert "<strong>1</strong> Active" in text
    assert "<strong>0</strong> Chemistry" in text
    pipeline = browser.get(reverse("proposal_list", args=[world.practice.slug]))
    text = pipeline.content.decode()
    assert "<strong>1</strong> Active" in text
