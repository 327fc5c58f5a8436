"""Three-way alignment: the coach records the meeting (start, end) and the agreed goals; the
client reads them; the sponsor reads those of a meeting they took part in, only while the
client's consent to share is in force; the admin and another coach never."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ethics.models import AccessEvent, Consent
from intake.models import AlignmentMeeting, Stakeholder
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db

GOALS = "Lead the Monday meeting without notes 8150"


def _url(world, program):
    return reverse("alignment", args=[world.practice.slug, program.code])


def _record(client_for, world, program, **overrides):
    data = {
        "stage": "start",
        "held_on": "2027-01-10",
        "with_sponsor": "on",
        "agreed_goals": GOALS,
        **overrides,
    }
    return client_for(world.coach).post(_url(world, program), data)


def test_the_coach_records_and_the_client_reads_the_agreed_goals(world, client_for):
    program = program_for(world)
    assert _record(client_for, world, program).status_code == 302
    meeting = AlignmentMeeting.objects.get(program=program)
    assert meeting.agreed_goals == GOALS and meeting.held_on == date(2027, 1, 10)
    body = client_for(world.client).get(_url(world, program)).content.decode()
    assert GOALS in body
    log = AccessEvent.objects.filter(reader=world.client)
    assert not log.exists()  # the client reading their own record is not logged
    for persona, status in [("admin", 403), ("other_coach", 404)]:
        page = client_for(world.persona(persona)).get(_url(world, program))
        assert page.status_code == status and GOALS not in page.content.decode()


def test_the_sponsor_reads_them_only_if_they_took_part_and_under_consent(world, client_for):
    program = program_for(world)
    _record(client_for, world, program)
    sponsor = client_for(world.sponsor)
    assert sponsor.get(_url(world, program)).status_code == 404  # no consent yet
    consent = Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree.",
        text_version="test",
    )
    page = sponsor.get(_url(world, program))
    assert page.status_code == 200 and GOALS in page.content.decode()
    assert "Record a meeting" not in page.content.decode()
    assert AccessEvent.objects.filter(
        reader=world.sponsor, subject=world.client, label="Alignment meeting"
    ).exists()
    program_page = sponsor.get(reverse("sponsor_program", args=[world.practice.slug, program.code]))
    assert _url(world, program) in program_page.content.decode()
    # A meeting without the sponsor stays out of their sight.
    stakeholder = Stakeholder.objects.create(program=program, role="line_manager", name="Pak Eko")
    _record(
        client_for,
        world,
        program,
        stage="end",
        with_sponsor="",
        stakeholder=str(stakeholder.pk),
        agreed_goals="End goals 8151",
    )
    assert AlignmentMeeting.objects.filter(program=program).count() == 2
    # (client_for signs the one test client in: the sponsor again, after the coach.)
    sponsor = client_for(world.sponsor)
    assert "End goals 8151" not in sponsor.get(_url(world, program)).content.decode()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    assert sponsor.get(_url(world, program)).status_code == 404


def test_bad_input_is_refused_and_kept(world, client_for):
    program = program_for(world)
    page = _record(client_for, world, program, with_sponsor="", agreed_goals="kept 8152")
    assert page.status_code == 200
    body = page.content.decode()
    assert "A three-way meeting has the sponsor or a stakeholder too." in body
    assert "kept 8152" in body
    _record(client_for, world, program)
    again = _record(client_for, world, program, agreed_goals="second 8153")
    assert "This meeting is already recorded." in again.content.decode()
    assert AlignmentMeeting.objects.filter(program=program).count() == 1


def test_another_programs_stakeholder_is_not_offered(world, client_for):
    program = program_for(world)
    other = program_for(world)
    foreign = Stakeholder.objects.create(program=other, role="mentor", name="Foreign 8154")
    page = client_for(world.coach).get(_url(world, program))
    assert "Foreign 8154" not in page.content.decode()
    page = _record(client_for, world, program, with_sponsor="", stakeholder=str(foreign.pk))
    assert page.status_code == 200
    assert not AlignmentMeeting.objects.exists()


def test_only_the_coach_records(world, client_for):
    program = program_for(world)
    data = {"stage": "start", "held_on": "2027-01-10", "with_sponsor": "on", "agreed_goals": "x"}
    assert client_for(world.client).post(_url(world, program), data).status_code == 403
    assert not AlignmentMeeting.objects.exists()
