import pytest
from django.urls import reverse

from programs.models import Contract, ContractAcceptance, Proposal
from tests.programs import builders


def _url(name, world, obj=None):
    kwargs = {"slug": world.practice.slug}
    if obj is not None:
        kwargs["code"] = obj.code
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("coach", 403), ("client", 403), ("admin", 200)],
)
def test_the_pipeline_is_for_admins(world, client_for, persona, status):
    assert (
        client_for(world.persona(persona)).get(_url("proposal_list", world)).status_code == status
    )


def test_the_pipeline_asks_anonymous_people_to_sign_in(world, client):
    response = client.get(_url("proposal_list", world))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_pipeline_says_what_each_proposal_waits_for(world, client_for):
    builders.proposal(world, status="sent")
    response = client_for(world.admin).get(_url("proposal_list", world))
    assert "answer" in response.content.decode().split("Waiting for")[1]


def test_an_admin_creates_a_proposal_in_the_browser(world, client_for):
    response = client_for(world.admin).post(
        _url("proposal_create", world),
        {
            "origin": "demand_led",
            "client": world.client.pk,
            "sponsor": world.sponsor.pk,
            "need": "Less firefighting.",
            "duration": 6,
            "sessions_count": 6,
            "session_minutes": 60,
            "cadence": "monthly",
            "price_minor": 15000000,
            "currency": "IDR",
            "expires_on": "2030-01-01",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.client, proposal.sponsor, proposal.created_by) == (
        world.client,
        world.sponsor,
        world.admin,
    )


def test_the_proposal_form_offers_only_this_practices_clients(world, client_for):
    from tests.factories import MembershipFactory

    MembershipFactory(practice=world.practice_b, role="client", user__email="far@b.test")
    response = client_for(world.admin).get(_url("proposal_create", world))
    body = response.content.decode()
    assert world.client.email in body and "far@b.test" not in body


def test_the_client_sees_and_accepts_the_proposal(world, client_for):
    proposal = builders.proposal(world, status="sent")
    browser = client_for(world.client)
    page = browser.get(_url("proposal_detail", world, proposal)).content.decode()
    assert "Accept the proposal" in page
    assert "Timeline" not in page  # the history is the practice's
    browser.post(_url("proposal_respond", world, proposal), {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.client_response == "accepted"


def test_another_client_gets_404_for_a_proposal(world, client_for):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(practice=world.practice, role="client").user
    proposal = builders.proposal(world, status="sent")
    assert client_for(stranger).get(_url("proposal_detail", world, proposal)).status_code == 404


def test_a_refused_answer_shows_its_message(world, client_for):
    proposal = builders.proposal(world, status="sent")
    browser = client_for(world.client)
    browser.post(_url("proposal_respond", world, proposal), {"decision": "accept"})
    response = browser.post(
        _url("proposal_respond", world, proposal), {"decision": "decline"}, follow=True
    )
    assert "You have already answered this proposal." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.client_response == "accepted"


def test_the_admin_drafts_edits_and_sends_a_contract(world, client_for):
    proposal = builders.proposal(world, status="accepted")
    browser = client_for(world.admin)
    browser.post(_url("contract_create", world, proposal), {"starts_on": "2027-02-01"})
    contract = Contract.objects.get()
    version = contract.current_version
    data = {
        f: getattr(version, f)
        for f in [
            "starts_on",
            "ends_on",
            "sessions_count",
            "session_minutes",
            "cadence",
            "price_minor",
            "currency",
            "payment_terms",
            "termination_clause",
            "cancellation_notice_hours",
            "confidentiality",
            "other_conditions",
        ]
    }
    data.update(payment_terms="50% up front", late_cancellation_uses_session="on")
    response = browser.post(_url("contract_edit", world, contract), data)
    assert response.status_code == 302
    browser.post(_url("contract_send", world, contract))
    contract.refresh_from_db()
    assert contract.status == "sent"
    assert contract.current_version.payment_terms == "50% up front"


def test_the_contract_page_shows_terms_and_the_accept_button_to_the_sponsor(world, client_for):
    contract = builders.contract(world, status="sent")
    page = client_for(world.sponsor).get(_url("contract_detail", world, contract)).content.decode()
    assert "Accept version 1 as Sponsor" in page
    assert "Rp" in page and "never its content" in page


def test_accepting_through_the_page_records_ip_and_user_agent(world, client_for):
    contract = builders.contract(world, status="sent")
    client_for(world.client).post(
        _url("contract_accept", world, contract),
        {"version": "1", "party": "client"},
        HTTP_USER_AGENT="TestBrowser/1.0",
        REMOTE_ADDR="198.51.100.7",
    )
    acceptance = ContractAcceptance.objects.get()
    assert (acceptance.ip_address, acceptance.user_agent) == ("198.51.100.7", "TestBrowser/1.0")


def test_accepting_a_superseded_version_in_the_browser_shows_the_message(world, client_for):
    from programs import services

    contract = builders.contract(world, status="sent")
    services.contract_change_terms(
        contract=contract, actor=world.admin, sessions_count=9, reason="more"
    )
    services.contract_send(contract=contract, actor=world.admin)
    response = client_for(world.client).post(
        _url("contract_accept", world, contract), {"version": "1", "party": "client"}, follow=True
    )
    assert "Version 1 has been replaced by version 2" in response.content.decode()
    assert ContractAcceptance.objects.count() == 0


def test_a_garbled_acceptance_never_500s(world, client_for):
    contract = builders.contract(world, status="sent")
    response = client_for(world.client).post(
        _url("contract_accept", world, contract), {"version": "x", "party": "nobody"}
    )
    assert response.status_code == 302
    assert ContractAcceptance.objects.count() == 0


def test_the_client_dashboard_lists_what_waits_for_them(world, client_for):
    builders.proposal(world, status="sent")
    page = (
        client_for(world.client)
        .get(reverse("dashboard_client", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "Waiting for your answer" in page


def test_the_admin_dashboard_shows_the_pipeline(world, client_for):
    page = (
        client_for(world.admin)
        .get(reverse("dashboard_admin", kwargs={"slug": world.practice.slug}))
        .content.decode()
    )
    assert "Open the pipeline" in page


def test_the_admin_edits_a_draft_proposal(world, client_for):
    proposal = builders.proposal(world)
    browser = client_for(world.admin)
    data = {
        "origin": "supply_driven",
        "need": "Changed need",
        "duration": 12,
        "sessions_count": 10,
        "session_minutes": 120,
        "cadence": "monthly",
        "price_minor": 20000000,
        "currency": "IDR",
        "expires_on": "2030-01-01",
    }
    assert browser.post(_url("proposal_edit", world, proposal), data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.need, proposal.sessions_count) == ("Changed need", 10)


def test_a_sent_proposal_cannot_be_edited(world, client_for):
    proposal = builders.proposal(world, status="sent")
    data = {
        "origin": "supply_driven",
        "need": "Changed need",
        "duration": 12,
        "sessions_count": 10,
        "session_minutes": 120,
        "cadence": "monthly",
        "price_minor": 20000000,
        "currency": "IDR",
        "expires_on": "2030-01-01",
    }
    response = client_for(world.admin).post(_url("proposal_edit", world, proposal), data)
    assert "Only a draft proposal can be changed." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.need != "Changed need"
