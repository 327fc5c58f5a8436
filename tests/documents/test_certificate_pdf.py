"""The graduation certificate as a PDF: client, coach, period, hours; the outcomes of the
objectives only when the client asks for them; never why the program ended early."""

import pytest
from django.urls import reverse

from ethics.models import AccessEvent
from programs.models import Objective, ObjectiveReview, Program
from tests.documents.pdftext import pdf_text
from tests.programs import builders

pytestmark = pytest.mark.django_db

OBJECTIVE = "Lead the weekly meeting calmly"
REASON = "Moved abroad for family reasons"
SUMMARY = "Grew into a confident team lead"


@pytest.fixture
def program(world):
    world.client.full_name = "Andi Saputra"
    world.client.save()
    world.coach.full_name = "Rina Wijaya"
    world.coach.save()
    program = builders.program(world, sessions=2)
    builders.hold_all(program)
    objective = Objective.objects.create(program=program, text=OBJECTIVE, position=0)
    ObjectiveReview.objects.create(objective=objective, result="achieved", note="note")
    program = Program.objects.get(pk=program.pk)
    program.status = Program.Status.GRADUATED
    program.early_completion_reason = REASON
    program.completion_summary = SUMMARY
    program.save()
    return program


def _download(client_for, user, program, language, query=""):
    user.language = language
    user.save()
    url = reverse("certificate_pdf", args=[program.practice.slug, program.code]) + query
    return client_for(user).get(url)


def test_the_certificate_names_client_coach_period_and_hours(world, client_for, program):
    response = _download(client_for, world.admin, program, "en")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    assert "Certificate of completion" in text
    assert "Andi Saputra has completed a coaching program" in text
    assert "with Rina Wijaya, from Jan. 4, 2027 to" in text
    assert "2 hours of coaching in 2 sessions" in text
    assert "Completed early by agreement" in text
    assert REASON not in text and SUMMARY not in text and OBJECTIVE not in text


def test_the_certificate_in_indonesian(world, client_for, program):
    text = pdf_text(_download(client_for, world.client, program, "id"))
    assert "Sertifikat penyelesaian" in text
    assert "2 jam coaching dalam 2 sesi" in text
    assert "4 Januari 2027" in text
    assert "Certificate of completion" not in text


def test_the_client_who_asks_gets_the_outcomes_of_the_objectives(world, client_for, program):
    text = pdf_text(_download(client_for, world.client, program, "id", "?outcomes=1"))
    assert OBJECTIVE in text and "Tercapai" in text
    assert REASON not in text and SUMMARY not in text
    # Read through the gate, which logs no read of the client's own record.
    assert not AccessEvent.objects.filter(reader=world.client).exists()


def test_without_the_clients_request_there_are_no_outcomes(world, client_for, program):
    assert OBJECTIVE not in pdf_text(_download(client_for, world.client, program, "en"))
    # Nobody else can ask for them: the coach's and the admin's certificate stay without.
    for user in (world.coach, world.admin):
        assert OBJECTIVE not in pdf_text(_download(client_for, user, program, "en", "?outcomes=1"))


def test_a_program_that_has_not_graduated_has_no_certificate(world, client_for):
    active = builders.program(world)
    assert _download(client_for, world.client, active, "en").status_code == 404
