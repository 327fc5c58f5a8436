"""An active contract changes by amendment: a new version every party accepts, while the
program runs under the version in force; the client and the sponsor may ask for changes or
decline with a comment (issue 13: an active contract could not change at all, yet its edit
page offered a new version)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from programs.models import Contract, ContractResponse
from sessions import scheduling
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def _url(name, world, contract):
    return reverse(name, args=[world.practice.slug, contract.code])


def _terms(version, **changes):
    data = {
        "starts_on": version.starts_on.isoformat(),
        "ends_on": version.ends_on.isoformat(),
        "sessions_count": version.sessions_count,
        "session_minutes": version.session_minutes,
        "cadence": version.cadence,
        "price_minor": str(version.price_minor),
        "currency": version.currency,
        "cancellation_notice_hours": version.cancellation_notice_hours,
        "late_cancellation_uses_session": "on",
        "confidentiality": version.confidentiality,
    }
    data.update(changes)
    return data


def _accept(client_for, user, world, contract, number, party):
    return client_for(user).post(
        _url("contract_accept", world, contract), {"version": number, "party": party}
    )


def _page(client_for, user, world, contract):
    return client_for(user).get(_url("contract_detail", world, contract)).content.decode()


def test_an_amendment_is_accepted_by_every_party_after_a_request_for_changes(world, client_for):
    program = builders.program(world, sessions=6)
    contract = program.contract
    admin = client_for(world.admin)
    v1 = contract.current_version
    assert "Amend the contract (new version)" in _page(client_for, world.admin, world, contract)

    # Version 2: two more sessions, two more months.
    response = admin.post(
        _url("contract_edit", world, contract),
        _terms(v1, sessions_count=8, ends_on="2027-09-04", change_reason="extension"),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert (contract.current_version.number, contract.in_force_version.number) == (2, 1)
    body = _page(client_for, world.client, world, contract)
    assert "Version 2 is an amendment waiting for every party" in body
    assert "Until then the program runs under version 1." in body
    assert "<td>Number of sessions</td><td>6</td><td>8</td>" in body
    # Still 6 sessions until everyone accepts: a 7th is refused.
    program_page = admin.get(reverse("program_detail", args=[world.practice.slug, program.code]))
    assert "0 of 6 sessions used" in program_page.content.decode()

    # The client asks for a change; the practice reads the comment.
    client = client_for(world.client)
    response = client.post(
        _url("contract_respond", world, contract),
        {"version": 2, "party": "client", "kind": "changes", "comment": "Ninety minutes, please."},
    )
    assert response.status_code == 302
    admin_page = _page(client_for, world.admin, world, contract)
    assert "Asked for changes" in admin_page and "Ninety minutes, please." in admin_page

    # Version 3 answers it; accepting version 2 is now refused.
    response = admin.post(
        _url("contract_edit", world, contract),
        _terms(
            contract.current_version,
            session_minutes=90,
            sessions_count=8,
            ends_on="2027-09-04",
            change_reason="90 minutes as asked",
        ),
    )
    assert response.status_code == 302
    _accept(client_for, world.client, world, contract, 2, "client")
    assert not contract.current_version.acceptances.exists()
    for user, party in [(world.client, "client"), (world.sponsor, "sponsor")]:
        _accept(client_for, user, world, contract, 3, party)
        contract.refresh_from_db()
        assert contract.in_force_version.number == 1  # not everyone yet
    # The program page reads the terms in force in one query (#11): still version 1's.
    program_url = reverse("program_detail", args=[world.practice.slug, program.code])
    assert "0 of 6 sessions used" in admin.get(program_url).content.decode()
    _accept(client_for, world.admin, world, contract, 3, "practice")
    contract.refresh_from_db()
    assert (contract.status, contract.in_force_version.number) == ("active", 3)
    assert "0 of 8 sessions used" in admin.get(program_url).content.decode()
    assert contract.pending_amendment is None
    program.refresh_from_db()
    assert program.ends_on == date(2027, 9, 4)
    body = _page(client_for, world.sponsor, world, contract)
    assert "is an amendment waiting" not in body
    assert body.count("Accepted as") == 6  # 3 parties for version 1, 3 for version 3

    # Two more sessions, numbered 7 and 8, 90 minutes long.
    created = scheduling.sessions_schedule(
        program=program,
        actor=world.admin,
        starts=[datetime(2027, 4, 13, 9, tzinfo=JKT), datetime(2027, 4, 27, 9, tzinfo=JKT)],
    )
    assert [(s.number, s.duration_minutes) for s in created] == [(7, 90), (8, 90)]


def test_before_everyone_accepts_the_program_keeps_the_old_count(world):
    import pytest
    from django.core.exceptions import ValidationError

    from programs import services

    program = builders.program(world, sessions=6)
    services.contract_change_terms(
        contract=program.contract, actor=world.admin, reason="more", sessions_count=8
    )
    with pytest.raises(ValidationError, match="allows 6 sessions"):
        scheduling.sessions_schedule(
            program=program, actor=world.admin, starts=[datetime(2027, 4, 13, 9, tzinfo=JKT)]
        )


def test_a_decline_needs_a_comment_and_is_recorded_with_it(world, client_for):
    contract = builders.contract(world, status="sent")
    sponsor = client_for(world.sponsor)
    url = _url("contract_respond", world, contract)
    sponsor.post(url, {"version": 1, "party": "sponsor", "kind": "decline", "comment": "  "})
    assert ContractResponse.objects.count() == 0
    response = sponsor.post(
        url, {"version": 1, "party": "sponsor", "kind": "decline", "comment": "Over budget."}
    )
    assert response.status_code == 302
    assert list(ContractResponse.objects.values_list("party", "kind", "comment")) == [
        ("sponsor", "decline", "Over budget.")
    ]
    body = _page(client_for, world.client, world, contract)
    assert "Declined" in body and "Over budget." in body
    # The client cannot answer for the sponsor.
    client_for(world.client).post(
        url, {"version": 1, "party": "sponsor", "kind": "decline", "comment": "x"}
    )
    assert ContractResponse.objects.count() == 1


def test_an_ended_contract_offers_no_edit(world, client_for):
    contract = builders.contract(world, status="active")
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    response = client_for(world.admin).get(_url("contract_edit", world, contract))
    assert response.status_code == 302
    body = _page(client_for, world.admin, world, contract)
    assert "Amend the contract" not in body and "Edit the terms" not in body


def test_erasure_blanks_the_clients_comments_and_keeps_the_answer(world):
    from programs import privacy, services

    contract = builders.contract(world, status="sent")
    services.contract_respond(
        contract=contract,
        version_number=1,
        party="client",
        kind="changes",
        comment="My divorce makes Fridays impossible.",
        actor=world.client,
    )
    privacy.erase(user=world.client, practice=world.practice)
    assert list(ContractResponse.objects.values_list("party", "kind", "comment")) == [
        ("client", "changes", "")
    ]


def test_an_amendment_cannot_take_away_booked_sessions_or_end_before_them(world, client_for):
    program = builders.program(world, sessions=6)  # the last on 2027-03-16
    contract = program.contract
    admin = client_for(world.admin)
    v1 = contract.current_version
    for changes, message in [
        ({"sessions_count": 5}, "6 sessions are already booked or held"),
        ({"ends_on": "2027-03-01"}, "A session is booked on 2027-03-16"),
    ]:
        response = admin.post(
            _url("contract_edit", world, contract), _terms(v1, change_reason="cut", **changes)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert contract.versions.count() == 1
