from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coaching.accounts.models import Invitation
from programs import services
from programs.models import Contract, ContractAcceptance, ContractVersion, ProgramEvent, Proposal
from tests.programs import builders

Party = ContractAcceptance.Party


def _terms(**overrides):
    terms = {
        "origin": "supply_driven",
        "need": "Grow into the new role.",
        "duration": 3,
        "sessions_count": 4,
        "session_minutes": 90,
        "cadence": "every two weeks",
        "price_minor": 9_000_000,
        "currency": "IDR",
        "expires_on": date(2030, 1, 1),
    }
    terms.update(overrides)
    return terms


def test_a_proposal_to_a_new_email_invites_them_as_a_client(world):
    proposal = services.proposal_create(
        practice=world.practice, actor=world.admin, client_email="New@Example.test", **_terms()
    )
    assert proposal.client is None
    assert proposal.client_email == "new@example.test"
    assert Invitation.objects.get(pk=proposal.invitation_id).role == "client"


def test_a_proposal_to_an_existing_clients_email_links_the_client(world):
    proposal = services.proposal_create(
        practice=world.practice, actor=world.admin, client_email=world.client.email, **_terms()
    )
    assert proposal.client == world.client
    assert proposal.invitation is None


def test_only_an_admin_or_a_coach_creates_a_proposal(world):
    # #13: a coach may draft one too (it waits for an admin's approval); nobody else may.
    for persona in ("client", "sponsor", "outsider"):
        with pytest.raises(ValidationError, match="not allowed"):
            services.proposal_create(
                practice=world.practice,
                actor=world.persona(persona),
                client=world.client,
                **_terms(),
            )
    assert Proposal.objects.count() == 0
    drafted = services.proposal_create(
        practice=world.practice, actor=world.coach, client=world.client, **_terms()
    )
    assert drafted.needs_approval


def test_a_custom_duration_needs_its_months(world):
    with pytest.raises(ValidationError, match="custom duration"):
        services.proposal_create(
            practice=world.practice,
            actor=world.admin,
            client=world.client,
            **_terms(duration=0),
        )
    assert Proposal.objects.count() == 0


def test_the_proposal_is_accepted_once_client_and_sponsor_accept(world):
    proposal = builders.proposal(world, status="sent")
    services.proposal_respond(proposal=proposal, actor=world.client, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "sent"
    services.proposal_respond(proposal=proposal, actor=world.sponsor, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert list(proposal.events.values_list("to_state", flat=True)) == [
        "draft",
        "sent",
        "client_accepted",
        "accepted",
    ]


def test_a_sponsor_declining_declines_the_proposal(world):
    proposal = builders.proposal(world, status="sent")
    services.proposal_respond(proposal=proposal, actor=world.sponsor, accept=False, reason="budget")
    proposal.refresh_from_db()
    assert proposal.status == "declined"


def test_a_coach_cannot_answer_a_proposal(world):
    proposal = builders.proposal(world, status="sent")
    with pytest.raises(ValidationError, match="Only the client or the sponsor"):
        services.proposal_respond(proposal=proposal, actor=world.coach, accept=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.client_response) == ("sent", "")


def test_an_answer_after_the_expiry_date_is_refused_and_the_proposal_expires(world):
    proposal = builders.proposal(world, status="sent")
    with (
        time_machine.travel(proposal.expires_on + timedelta(days=2)),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.proposal_respond(proposal=proposal, actor=world.client, accept=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.client_response) == ("expired", "")


def test_a_withdrawn_proposal_cannot_be_sent(world):
    proposal = builders.proposal(world)
    services.proposal_withdraw(proposal=proposal, actor=world.admin, reason="changed plans")
    with pytest.raises(ValidationError, match="Only a draft proposal"):
        services.proposal_send(proposal=proposal, actor=world.admin)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_a_contract_needs_an_accepted_proposal(world):
    proposal = builders.proposal(world, status="sent")
    with pytest.raises(ValidationError, match="accepted proposal"):
        services.contract_create(proposal=proposal, actor=world.admin, starts_on=date(2027, 1, 1))
    assert Contract.objects.count() == 0


def test_a_contract_takes_the_proposals_terms(world):
    contract = builders.contract(world)
    version = contract.current_version
    assert (version.number, version.sessions_count, version.price_minor) == (1, 6, 15_000_000)
    assert (version.starts_on, version.ends_on) == (date(2027, 1, 4), date(2027, 7, 4))
    assert "sponsor" in version.confidentiality


def test_changing_a_draft_contract_edits_the_version_in_place(world):
    contract = builders.contract(world)
    services.contract_change_terms(contract=contract, actor=world.admin, sessions_count=8)
    assert list(contract.versions.values_list("number", "sessions_count")) == [(1, 8)]


def test_changing_a_sent_contract_makes_a_new_version_and_needs_a_reason(world):
    contract = builders.contract(world, status="sent")
    with pytest.raises(ValidationError, match="Say why"):
        services.contract_change_terms(contract=contract, actor=world.admin, sessions_count=8)
    assert contract.versions.count() == 1
    services.contract_change_terms(
        contract=contract, actor=world.admin, sessions_count=8, reason="two more sessions"
    )
    contract.refresh_from_db()
    assert list(contract.versions.values_list("number", "sessions_count")) == [(1, 6), (2, 8)]
    assert contract.status == "draft"


def test_accepting_a_superseded_version_is_refused(world):
    contract = builders.contract(world, status="sent")
    services.contract_accept(
        contract=contract, version_number=1, party=Party.CLIENT, actor=world.client
    )
    services.contract_change_terms(
        contract=contract, actor=world.admin, price_minor=12_000_000, reason="discount"
    )
    services.contract_send(contract=contract, actor=world.admin)
    before = ContractAcceptance.objects.count()
    with pytest.raises(ValidationError, match="Version 1 has been replaced by version 2"):
        services.contract_accept(
            contract=contract, version_number=1, party=Party.SPONSOR, actor=world.sponsor
        )
    assert ContractAcceptance.objects.count() == before
    contract.refresh_from_db()
    assert contract.status == "sent"


def test_the_contract_is_active_only_when_every_party_accepted_the_current_version(world):
    contract = builders.contract(world, status="sent")
    for party, user in [(Party.CLIENT, world.client), (Party.PRACTICE, world.admin)]:
        services.contract_accept(
            contract=contract,
            version_number=1,
            party=party,
            actor=user,
            ip_address="203.0.113.9",
            user_agent="Firefox",
        )
    contract.refresh_from_db()
    assert contract.status == "sent"
    services.contract_accept(
        contract=contract, version_number=1, party=Party.SPONSOR, actor=world.sponsor
    )
    contract.refresh_from_db()
    assert contract.status == "active"
    acceptance = ContractAcceptance.objects.get(party=Party.CLIENT)
    assert (acceptance.user, acceptance.ip_address, acceptance.user_agent) == (
        world.client,
        "203.0.113.9",
        "Firefox",
    )
    assert ProgramEvent.objects.filter(contract=contract, to_state="active").count() == 1


def test_old_acceptances_do_not_count_for_a_new_version(world):
    contract = builders.contract(world, status="sent", sponsor=False)
    services.contract_accept(
        contract=contract, version_number=1, party=Party.CLIENT, actor=world.client
    )
    services.contract_change_terms(
        contract=contract, actor=world.admin, sessions_count=7, reason="one more"
    )
    services.contract_send(contract=contract, actor=world.admin)
    services.contract_accept(
        contract=contract, version_number=2, party=Party.PRACTICE, actor=world.admin
    )
    contract.refresh_from_db()
    assert contract.status == "sent"


def test_nobody_accepts_for_another_party(world):
    contract = builders.contract(world, status="sent")
    with pytest.raises(ValidationError, match="for that party"):
        services.contract_accept(
            contract=contract, version_number=1, party=Party.SPONSOR, actor=world.client
        )
    assert ContractAcceptance.objects.count() == 0


def test_a_draft_contract_cannot_be_accepted(world):
    contract = builders.contract(world)
    with pytest.raises(ValidationError, match="not waiting for acceptance"):
        services.contract_accept(
            contract=contract, version_number=1, party=Party.CLIENT, actor=world.client
        )
    assert ContractVersion.objects.get().acceptances.count() == 0
