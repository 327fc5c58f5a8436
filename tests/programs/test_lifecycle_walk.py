"""One program from proposal to graduation through the pages alone, as admin, client, sponsor
and coach, each with their own signed-in client (the browser walk's Django-client twin)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from programs.models import ChemistryMeeting, Contract, Program, Proposal
from tests.programs import builders

JKT = ZoneInfo("Asia/Jakarta")


def _signed_in(user):
    c = Client()
    c.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return c


def _ok(response):
    assert response.status_code in (200, 302), response.status_code
    return response


def _no_error(response):
    body = response.content.decode()
    assert "alert-danger" not in body and "errorlist" not in body, body[:3000]
    return body


def test_one_program_from_proposal_to_graduation(world):
    slug = world.practice.slug
    admin, client, sponsor, coach = (
        _signed_in(u) for u in (world.admin, world.client, world.sponsor, world.coach)
    )

    def url(name, **kw):
        return reverse(name, kwargs={"slug": slug, **kw})

    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=JKT), tick=False) as traveller:
        # The admin proposes and sends.
        _ok(
            admin.post(
                url("proposal_create"),
                {
                    "origin": "supply_driven",
                    "client": world.client.pk,
                    "sponsor": world.sponsor.pk,
                    "need": "Lead the new team.",
                    "duration": 3,
                    "sessions_count": 2,
                    "session_minutes": 90,
                    "cadence": "monthly",
                    "price_minor": 9000000,
                    "currency": "IDR",
                    "expires_on": "2026-12-15",
                },
            )
        )
        proposal = Proposal.objects.get()
        _ok(admin.post(url("proposal_send", code=proposal.code)))
        # Client and sponsor find it on their dashboards and accept.
        assert "Waiting for your answer" in client.get(url("dashboard_client")).content.decode()
        _ok(client.post(url("proposal_respond", code=proposal.code), {"decision": "accept"}))
        _ok(sponsor.post(url("proposal_respond", code=proposal.code), {"decision": "accept"}))
        proposal.refresh_from_db()
        assert proposal.status == "accepted"
        # The admin drafts and sends the contract; every party accepts version 1.
        _ok(admin.post(url("contract_create", code=proposal.code), {"starts_on": "2026-12-01"}))
        contract = Contract.objects.get()
        _ok(admin.post(url("contract_send", code=contract.code)))
        for browser, party in [(client, "client"), (sponsor, "sponsor"), (admin, "practice")]:
            page = browser.get(url("contract_detail", code=contract.code)).content.decode()
            assert "Accept version 1" in page
            _ok(
                browser.post(
                    url("contract_accept", code=contract.code), {"version": "1", "party": party}
                )
            )
        contract.refresh_from_db()
        assert contract.status == "active"
        # Chemistry: the admin proposes the coach; both record the outcome; the client chooses.
        _ok(
            admin.post(
                url("chemistry_propose", code=contract.code),
                {
                    "coach": world.coach.pk,
                    "starts_at": "2026-11-25T10:00",
                    "format": "video",
                    "place": "https://meet.example.test/x",
                },
            )
        )
        meeting = ChemistryMeeting.objects.get()
        traveller.move_to(datetime(2026, 11, 25, 11, tzinfo=JKT))
        # Two days later everyone signs in again (sessions end 12 hours after sign-in, #12).
        for browser, user in [
            (admin, world.admin),
            (client, world.client),
            (sponsor, world.sponsor),
            (coach, world.coach),
        ]:
            browser.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        _no_error(
            coach.post(
                url("chemistry_outcome", code=meeting.code),
                {"rapport": "4", "compatible": "yes"},
                follow=True,
            )
        )
        _ok(
            client.post(
                url("chemistry_outcome", code=meeting.code),
                {"rapport": "5", "compatible": "yes", "note": "easy to talk to"},
            )
        )
        _ok(client.post(url("chemistry_choose", code=meeting.code)))
        program = Program.objects.get()
        # The coach sets the theme and an objective; the admin schedules the series.
        _ok(
            coach.post(
                url("program_edit", code=program.code),
                {
                    "theme": "Leading calmly",
                    "aims": "Delegate",
                    "current_state": "Overwhelmed",
                    "future_state": "Calm and trusted",
                    "reason": "",
                },
            )
        )
        _ok(
            coach.post(
                url("objective_add", code=program.code),
                {"text": "Delegate two projects", "measure": "by February"},
            )
        )
        _no_error(
            admin.post(
                url("program_schedule", code=program.code),
                {
                    "first": "2026-12-02T09:00",
                    "count": "2",
                    "spacing_days": "28",
                    "format": "video",
                    "place": "",
                    "video_link": "",
                },
                follow=True,
            )
        )
        assert program.sessions.count() == 2
        # The sponsor sees the program's logistics, never its theme.
        sponsor_page = sponsor.get(url("program_detail", code=program.code)).content.decode()
        assert "Leading calmly" not in sponsor_page and "2 held of" not in sponsor_page
        # The sessions are held and closed (sessions/ pages do it; here its service), then
        # graduation.
        builders.hold_all(program)
        objective = program.objectives.get()
        _ok(
            coach.post(
                url("objective_review", code=objective.code),
                {"result": "achieved", "note": "Both delegated"},
            )
        )
        _no_error(
            coach.post(
                url("program_graduate", code=program.code),
                {"summary": "A calmer leader."},
                follow=True,
            )
        )
        program.refresh_from_db()
        assert program.status == "graduated"
        certificate = client.get(url("program_certificate", code=program.code))
        assert "Certificate of completion" in certificate.content.decode()
        timeline = admin.get(url("program_detail", code=program.code)).content.decode()
        assert "graduated" in timeline
