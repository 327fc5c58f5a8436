"""The admin's, the sponsor's and the coach's dashboards show no encrypted content (counts,
names, states, dates), so a GET decrypts nothing, even in a practice full of it: a program
with theme and aims, objectives, a chemistry note, a proposal's need, held sessions with
check-outs. The client's dashboard is covered by tests/sessions/test_dashboard_reads.py."""

from unittest import mock

import pytest
from django.urls import reverse

from ethics import crypto
from programs.models import Objective, Program
from tests.programs import builders


@pytest.fixture
def busy(world):
    program = builders.program(world, sessions=2)
    Program.objects.filter(pk=program.pk).update(theme="Theme CANARYq7z9k", aims="Aims CANARYq7z9k")
    Objective.objects.create(program=program, position=1, text="Objective CANARYq7z9k")
    builders.hold_all(program)
    builders.proposal(world, status="sent")
    builders.contract(world, status="sent")
    return program


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("admin", "dashboard_admin"),
        ("sponsor", "dashboard_sponsor"),
        ("coach", "dashboard_coach"),
    ],
)
def test_the_dashboard_decrypts_nothing(role, url_name, world, client_for, busy):
    browser = client_for(world.persona(role))
    url = reverse(url_name, args=[world.practice.slug])
    browser.get(url)  # warm up the signed-in session
    # A spy, not a stub: it counts decryptions and still decrypts.
    with mock.patch.object(crypto, "decrypt", wraps=crypto.decrypt) as decrypt:
        response = browser.get(url)
    assert response.status_code == 200
    assert "CANARYq7z9k" not in response.content.decode()
    assert decrypt.call_count == 0
