import json

from django.urls import reverse

from coaching.accounts.models import Membership
from ethics import services
from ethics.models import AccessEvent, Consent, ErasureRequest, Referral, ReflectiveJournalEntry
from sessions.models import Session
from tests.ethics.exports import export_json, export_page, prepare_export
from tests.ethics.helpers import (
    at,
    consent_for,
    erasure_request_for,
    journal_entry_for,
    program_for,
    referral_for,
    session_for,
)
from tests.factories import MembershipFactory, UserFactory


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.practice.slug, **kwargs})


def _held_world(world):
    program = program_for(world)
    session_for(program, number=1, starts_at=at(1), minutes=90)
    consent_for(world)
    other = UserFactory(full_name="Another Client")
    MembershipFactory(practice=world.practice, user=other, role="client")
    session_for(program_for(world, client=other), number=1, starts_at=at(2), minutes=45)
    return program


def test_the_json_export_holds_my_account_consents_and_sessions(world, client_for):
    _held_world(world)
    response = export_json(client_for(world.client), world.practice)
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)["sections"]
    assert data["account"]["rows"][0]["email"] == "client@cahaya.test"
    assert [m["role"] for m in data["memberships"]["rows"]] == ["client"]
    assert data["consents"]["rows"][0]["text"] == "I agree."
    assert data["consents"]["rows"][0]["sponsor"] == "Sponsor"
    assert [s["duration_minutes"] for s in data["sessions"]["rows"]] == [90]
    assert data["programs"]["rows"][0]["coach"] == "Coach"


def test_the_export_is_recorded_in_the_access_log(world, client_for):
    browser = client_for(world.client)
    prepare_export(browser, world.practice)
    event = AccessEvent.objects.get()  # the preparation: the worker read everything
    assert (event.reader, event.subject, event.kind) == (world.client, world.client, "export")
    browser.get(_url("data_export_json", world))  # the download: the data leaves
    download = AccessEvent.objects.exclude(pk=event.pk).get()
    assert (download.reader, download.subject, download.kind) == (
        world.client,
        world.client,
        "export",
    )
    assert (event.label, download.label) == ("Data export (prepared)", "Data export (JSON)")


def test_the_printable_page_shows_every_section(world, client_for):
    _held_world(world)
    body = export_page(client_for(world.client), world.practice).content.decode()
    for title in ["Your account", "Your consents", "Your sessions", "Who has read your records"]:
        assert title in body
    assert "Another Client" not in body
    assert "data-print" in body  # the print button (static/js/app.js: no inline script)


def test_the_client_asks_for_erasure_once(world, client_for):
    web = client_for(world.client)
    web.post(_url("erasure_request_create", world))
    response = web.post(_url("erasure_request_create", world), follow=True)
    assert "already with the practice" in response.content.decode()
    assert ErasureRequest.objects.filter(user=world.client, completed_at=None).count() == 1
    assert "You asked for erasure" in response.content.decode()


def test_the_admin_sees_erasure_requests(world, client_for):
    erasure_request_for(world)
    body = client_for(world.admin).get(_url("erasure_request_list", world)).content.decode()
    assert "Client" in body
    assert "Complete erasure" in body


def test_completing_erasure_anonymises_the_client_and_keeps_what_the_law_needs(world, client_for):
    program = _held_world(world)
    journal_entry_for(world, text="Client was tense; Client said client@cahaya.test changed")
    referral_for(world, note="canary-referral-note")
    event_program = program_for(world)
    services.access_record(reader=world.sponsor, item=event_program, label="Session 1 notes")
    request = erasure_request_for(world)
    response = client_for(world.admin).post(
        _url("erasure_request_complete", world, code=request.code)
    )
    assert response.status_code == 302

    user = world.client
    user.refresh_from_db()
    assert user.full_name == "Erased client"
    assert user.email.startswith("erased-") and user.email.endswith("@invalid")
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user, deactivated_at=None).exists()
    assert not Consent.objects.filter(client=user, withdrawn_at=None).exists()
    assert Consent.objects.filter(client=user).exists()  # proof of what was agreed, kept
    entry = ReflectiveJournalEntry.objects.get()
    assert "client@cahaya.test" not in entry.text
    assert "[erased client]" in entry.text
    assert Referral.objects.get().note == ""
    # Kept: session logistics (contract, invoices, the coach's ICF hours) and the access log.
    assert Session.objects.filter(program=program).count() == 1
    assert AccessEvent.objects.filter(subject=user).count() == 1
    request.refresh_from_db()
    assert request.completed_by == world.admin


def test_erasure_keeps_the_account_of_someone_in_another_practice(world, client_for):
    MembershipFactory(practice=world.practice_b, user=world.client, role="client")
    request = erasure_request_for(world)
    client_for(world.admin).post(_url("erasure_request_complete", world, code=request.code))
    world.client.refresh_from_db()
    assert world.client.email == "client@cahaya.test"
    assert not Membership.objects.filter(
        user=world.client, practice=world.practice, deactivated_at=None
    ).exists()
    assert Membership.objects.filter(user=world.client, practice=world.practice_b).exists()


def test_a_completed_request_cannot_be_completed_again(world, client_for):
    request = erasure_request_for(world)
    web = client_for(world.admin)
    web.post(_url("erasure_request_complete", world, code=request.code))
    response = web.post(_url("erasure_request_complete", world, code=request.code), follow=True)
    assert "already completed" in response.content.decode()


def test_the_export_holds_what_my_program_is_about(world, client_for):
    from programs.models import Objective

    program = _held_world(world)
    program.theme, program.future_state = "Memimpin dengan tenang", "Tim memiliki pekerjaannya"
    program.save()
    Objective.objects.create(program=program, text="Delegasikan dua proyek", measure="Desember")
    client = client_for(world.client)
    data = json.loads(export_json(client, world.practice).content)["sections"]
    mine = data["programs"]["rows"][0]
    assert (mine["theme"], mine["future_state"]) == (
        "Memimpin dengan tenang",
        "Tim memiliki pekerjaannya",
    )
    assert [o["objective"] for o in mine["objectives"]] == ["Delegasikan dua proyek"]
    page = client.get(_url("data_export_page", world)).content.decode()
    assert "Delegasikan dua proyek" in page and "{&#x27;objective&#x27;" not in page


def test_erasure_blanks_what_the_program_was_about_and_keeps_its_record(world, client_for):
    from programs.models import Objective, Program, ProgramRevision

    program = _held_world(world)
    program.theme, program.current_state = "Memimpin dengan tenang", "Kewalahan"
    program.save()
    Objective.objects.create(program=program, text="Delegasikan dua proyek", measure="Desember")
    ProgramRevision.objects.create(program=program, theme="Tema lama", reason="berubah")
    other = Program.objects.exclude(client=world.client).get()
    other.theme = "Milik klien lain"
    other.save()
    request = erasure_request_for(world)
    client_for(world.admin).post(_url("erasure_request_complete", world, code=request.code))

    program.refresh_from_db()
    assert (program.theme, program.current_state) == ("", "")
    assert program.status == Program.Status.ACTIVE and program.sessions.count() == 1  # record
    assert list(Objective.objects.filter(program=program).values_list("text", "measure")) == [
        ("", "")
    ]
    assert not ProgramRevision.objects.filter(program=program).exists()
    other.refresh_from_db()
    assert other.theme == "Milik klien lain"


def test_the_reasons_about_my_program_are_in_my_export_and_erased_with_me(world, client_for):
    """Finding 6 of #12: free-text reasons are the client's data: exported, then erased."""
    from programs.models import Program

    program = _held_world(world)
    program.status_reason = "reason-canary sick leave"
    program.early_completion_reason = "early-canary moved abroad"
    program.save()
    client = client_for(world.client)
    rows = json.loads(export_json(client, world.practice).content)["sections"]
    mine = rows["programs"]["rows"][0]
    assert mine["status_reason"] == "reason-canary sick leave"
    assert mine["early_completion_reason"] == "early-canary moved abroad"
    request = erasure_request_for(world)
    client_for(world.admin).post(_url("erasure_request_complete", world, code=request.code))
    program = Program.objects.get(pk=program.pk)
    assert (program.status_reason, program.early_completion_reason) == ("", "")
