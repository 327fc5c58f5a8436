"""available_transitions: what a page may offer one person on one object, from the tables."""

from datetime import timedelta

from django.utils import timezone

from programs import services
from programs.models import ContractAcceptance
from programs.transitions import available_transitions
from sessions import scheduling  # noqa: F401  (registers the session table)
from tests.programs import builders

Party = ContractAcceptance.Party


def _names(obj, user, **kwargs):
    return [t.name for t in available_transitions(obj, user, **kwargs)]


def test_a_draft_proposal_offers_the_admin_send_and_withdraw_only(world):
    proposal = builders.proposal(world)
    assert _names(proposal, world.admin) == ["send", "withdraw"]
    assert [_names(proposal, getattr(world, p)) for p in ("client", "sponsor", "coach")] == [
        [],
        [],
        [],
    ]


def test_a_sent_proposal_offers_each_party_its_answer_until_given(world):
    proposal = builders.proposal(world, status="sent")
    proposal.refresh_from_db()  # the services change a locked copy
    assert _names(proposal, world.client) == ["accept", "decline"]
    assert _names(proposal, world.admin) == ["withdraw"]
    services.proposal_respond(proposal=proposal, actor=world.client, accept=True)
    proposal.refresh_from_db()
    assert _names(proposal, world.client) == []
    assert _names(proposal, world.sponsor) == ["accept", "decline"]
    assert _names(proposal, world.outsider) == []


def test_an_expired_draft_cannot_be_sent(world):
    proposal = builders.proposal(world, expires_on=timezone.localdate() - timedelta(days=1))
    assert _names(proposal, world.admin) == ["withdraw"]


def test_a_sent_contract_offers_each_party_its_acceptance(world):
    contract = builders.contract(world, status="sent")
    contract.refresh_from_db()
    assert _names(contract, world.client) == [
        "accept_as_client",
        "ask_changes_as_client",
        "decline_as_client",
    ]
    assert _names(contract, world.sponsor) == [
        "accept_as_sponsor",
        "ask_changes_as_sponsor",
        "decline_as_sponsor",
    ]
    assert _names(contract, world.admin) == ["new_version", "accept_as_practice"]
    services.contract_accept(
        contract=contract, version_number=1, party=Party.CLIENT, actor=world.client
    )
    assert _names(contract, world.client) == []


def test_an_active_contract_offers_chemistry(world):
    contract = builders.contract(world, status="active")
    # Nothing to accept or answer on the version in force; the admin may amend it.
    assert _names(contract, world.admin) == ["amend", "propose"]
    assert _names(contract, world.client) == ["ask_another", "choose"]
    builders.program(world)  # another contract's program: this one's choice stays open
    assert _names(contract, world.client) == ["ask_another", "choose"]


def test_a_program_offers_by_role_and_state(world):
    program = builders.program(world, sessions=1)
    assert _names(program, world.admin) == ["schedule", "pause", "terminate", "cancel"]
    assert _names(program, world.coach) == ["pause", "graduate"]
    for other in (world.other_coach, world.client, world.sponsor, world.outsider):
        assert _names(program, other) == []
    session = program.sessions.get()
    assert _names(session, world.admin) == ["reschedule", "cancel_coach", "cancel_client_in_time"]
    assert _names(session, world.coach) == []
    services.program_transition(program=program, actor=world.coach, name="pause", reason="holiday")
    program.refresh_from_db()
    assert _names(program, world.coach) == ["resume"]
    assert _names(program, world.admin) == ["resume", "terminate", "cancel"]
    # Pausing suspended the future session: nothing to do with it until the program resumes.
    session = program.sessions.get()
    assert session.status == "suspended"
    assert _names(session, world.admin) == []
    assert _names(session, world.coach) == []
    services.program_transition(program=program, actor=world.coach, name="resume", reason="")
    program.refresh_from_db()
    session = program.sessions.get()
    assert _names(session, world.admin) == ["reschedule"]


def test_known_roles_cost_no_query(world, django_assert_num_queries):
    program = builders.program(world)
    with django_assert_num_queries(0):
        names = _names(program, world.coach, roles=frozenset({"coach"}))
    assert names == ["pause", "graduate"]


def test_the_labels_are_the_pages_words(world):
    program = builders.program(world)
    labels = [str(t.label) for t in available_transitions(program, world.admin)]
    assert labels == ["Schedule sessions", "Pause", "Terminate", "Cancel the program"]
