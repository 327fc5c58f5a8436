"""Bad input found by an outside fuzz run (issue #12, item 13): each answered 500.

Each test sends what the fuzzer sent and asserts the answer a person reads and that nothing
changed. Run on PostgreSQL too (the integration layer): a NUL in a query is a DataError there.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from programs.models import ChemistryMeeting, Contract, Program, ProgramEvent, Proposal
from sessions.models import Session
from tests.programs import builders
from tests.reauth import mark_recently_authenticated

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2027, 1, 2, 9, 0, tzinfo=JAKARTA)
NUL = "reason\x00with a NUL"
pytestmark = pytest.mark.django_db


def _signed_in(user, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    mark_recently_authenticated(client, user)
    return client


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "0001-01-07", "9999-12-01"])
@pytest.mark.parametrize("view", ["week", "month"])
def test_schedule_at_the_calendars_edges_shows_this_week(world, day, view):
    response = _signed_in(world.admin).get(
        reverse("schedule_overview", args=[world.practice.slug]), {"day": day, "view": view}
    )
    assert response.status_code == 200
    assert response.context["start"].year not in (1, 9999)


def test_member_search_with_a_nul_answers_the_list(world):
    response = _signed_in(world.admin).get(
        reverse("member_list", args=[world.practice.slug]), {"q": "adm\x00in"}
    )
    assert response.status_code == 200
    assert response.context["query"] == "admin"
    assert world.admin.email in response.text


@pytest.mark.parametrize("raw", ["²", "٣", "9" * 40, "-1", ""])
def test_inbox_mark_read_with_an_odd_id_answers_the_inbox(world, raw):
    response = _signed_in(world.admin).post(reverse("notification_mark_read"), {"id": raw})
    assert response.status_code == 302
    assert response["Location"] == reverse("notification_inbox")


def test_a_form_in_latin_1_is_refused_with_400_and_a_message(world):
    """Django's CSRF check reads request.POST, which refuses a non-UTF-8 form; its 400 handler
    read the body again: a 500. Now the first middleware answers before anything reads it."""
    client = _signed_in(world.admin, enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    body = b"id=1&csrfmiddlewaretoken=" + b"a" * 32
    for charset, status in [("latin-1", 400), ("ISO-8859-1", 400), ("utf-8", 302), ("bogus", 302)]:
        response = client.generic(
            "POST",
            reverse("notification_mark_read"),
            body,
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
        assert response.status_code == status, charset
        if status == 400:
            assert "UTF-8" in response.content.decode()


# NUL in the free-text reasons: refused with a message, nothing changed ------------------------


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_a_nul_in_a_programs_reason_is_refused(world):
    program = builders.program(world)
    response = _signed_in(world.coach).post(
        reverse("program_transition", args=[world.practice.slug, program.code, "pause"]),
        {"reason": NUL},
    )
    assert response.status_code == 302
    assert "Null characters are not allowed." in _messages(response)
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE


def test_a_too_long_reason_is_refused_not_cut(world):
    program = builders.program(world)
    events = ProgramEvent.objects.count()
    response = _signed_in(world.coach).post(
        reverse("program_transition", args=[world.practice.slug, program.code, "pause"]),
        {"reason": "x" * 301},
    )
    assert any("at most 300" in m for m in _messages(response))
    assert Program.objects.get(pk=program.pk).status == Program.Status.ACTIVE
    assert ProgramEvent.objects.count() == events


def test_a_nul_in_a_session_cancel_reason_is_refused(world):
    program = builders.program(world, sessions=2)
    session = program.sessions.order_by("number").first()
    response = _signed_in(world.admin).post(
        reverse("program_session_cancel", args=[world.practice.slug, program.code, session.code]),
        {"by": "coach", "reason": NUL},
    )
    assert "Null characters are not allowed." in _messages(response)
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED


def test_a_nul_in_ask_for_another_coach_is_refused(world):
    contract = builders.contract(world, status="active")
    events = ProgramEvent.objects.count()
    response = _signed_in(world.client).post(
        reverse("chemistry_ask_another", args=[world.practice.slug, contract.code]),
        {"reason": NUL},
    )
    assert "Null characters are not allowed." in _messages(response)
    assert ProgramEvent.objects.count() == events


def test_a_nul_in_a_proposal_withdrawal_reason_is_refused(world):
    proposal = builders.proposal(world, status="sent")
    response = _signed_in(world.admin).post(
        reverse("proposal_withdraw", args=[world.practice.slug, proposal.code]), {"reason": NUL}
    )
    assert "Null characters are not allowed." in _messages(response)
    assert Proposal.objects.get(pk=proposal.pk).status == "sent"


# Numbers and dates at the calendar's edges ------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("spacing", ["999999999", "2147483648", "367"])
def test_scheduling_with_a_huge_spacing_is_refused(world, spacing):
    program = builders.program(world)
    response = _signed_in(world.admin).post(
        reverse("program_schedule", args=[world.practice.slug, program.code]),
        {"first": "2027-01-05T09:00", "count": "3", "spacing_days": spacing, "format": "video"},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 366." in response.text
    assert program.sessions.count() == 0


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("first", ["9999-12-31T23:00", "0001-01-01T00:00", "2026-12-01T09:00"])
def test_scheduling_at_the_calendars_edges_or_in_the_past_is_refused(world, first):
    program = builders.program(world)
    response = _signed_in(world.admin).post(
        reverse("program_schedule", args=[world.practice.slug, program.code]),
        {"first": first, "count": "3", "spacing_days": "14", "format": "video"},
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.text
    assert first in response.text  # what was typed is kept
    assert program.sessions.count() == 0


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("starts_at", ["9999-12-31T23:30", "0001-01-01T00:00", "2026-12-30T10:00"])
def test_chemistry_at_the_calendars_edges_or_in_the_past_is_refused(world, starts_at):
    contract = builders.contract(world, status="active")
    response = _signed_in(world.admin).post(
        reverse("chemistry_propose", args=[world.practice.slug, contract.code]),
        {"coach": world.coach.pk, "starts_at": starts_at, "format": "video"},
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.text
    assert ChemistryMeeting.objects.filter(contract=contract).count() == 0


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("starts_on", ["9999-12-31", "0001-01-01", "9999-01-01"])
def test_a_contract_at_the_calendars_edges_is_refused(world, starts_on):
    proposal = builders.proposal(world, status="accepted")
    response = _signed_in(world.admin).post(
        reverse("contract_create", args=[world.practice.slug, proposal.code]),
        {"starts_on": starts_on},
    )
    assert response.status_code in (200, 302)
    assert Contract.objects.filter(proposal=proposal).count() == 0


def test_a_proposal_answer_without_a_decision_is_refused_not_a_decline(world):
    proposal = builders.proposal(world, status="sent")
    response = _signed_in(world.client).post(
        reverse("proposal_respond", args=[world.practice.slug, proposal.code]), {"reason": "hm"}
    )
    assert "Choose whether you accept or decline." in _messages(response)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.client_response) == ("sent", "")


def test_a_262_character_address_on_the_email_page_is_refused(world):
    from allauth.account.models import EmailAddress

    address = "a" * 250 + "@example.test"  # 263 characters, a valid address
    response = _signed_in(world.coach).post(
        reverse("account_email"), {"action_add": "", "email": address}
    )
    assert response.status_code == 200
    assert "An email address has at most 254 characters." in response.text
    assert not EmailAddress.objects.filter(email=address).exists()
