"""Supervision and mentor coaching (#17): the coach's own log, encrypted, read by that coach
only; and the credential tracker against ICF's ACC, PCC and MCC requirements."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ethics import crypto
from ethics.models import ProBonoProgram
from supervision.credentials import credential_progress
from supervision.models import SupervisionEntry
from supervision.privacy import erase
from tests.factories import UserFactory
from tests.sessions.factories import SessionFactory, program_for

pytestmark = pytest.mark.django_db

SECRET = "supervision-canary-7d1f"


def _add(world, client_for, user, **data):
    form = {
        "kind": "supervision",
        "format": "group",
        "date": (timezone.now().date() - timedelta(days=3)).isoformat(),
        "hours": "1.5",
        "with_whom": "Ibu Sari (supervisor)",
        "notes": SECRET,
        **data,
    }
    return client_for(user).post(reverse("supervision_list", args=[world.practice.slug]), form)


def test_the_coach_logs_supervision_and_reads_it_back(world, client_for):
    _add(world, client_for, world.coach)
    _add(world, client_for, world.coach, kind="mentor", hours="2", notes="")
    page = client_for(world.coach).get(reverse("supervision_list", args=[world.practice.slug]))
    text = page.content.decode()
    assert SECRET in text
    totals = text[text.index('data-testid="supervision-totals"') :]
    assert "Coaching supervision</td><td>1.50</td><td>1.50" in totals
    assert "Mentor coaching</td><td>2.00</td><td>2.00" in totals


def test_the_notes_are_encrypted_at_rest(world, client_for):
    _add(world, client_for, world.coach)
    entry = SupervisionEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM supervision_supervisionentry WHERE id = %s", [entry.pk])
        raw = cursor.fetchone()[0]
    assert SECRET not in raw
    assert crypto.decrypt(raw) == SECRET


def test_nobody_else_reads_a_coachs_supervision_notes(world, client_for):
    _add(world, client_for, world.coach)
    entry = SupervisionEntry.objects.get()
    page = client_for(world.other_coach).get(
        reverse("supervision_list", args=[world.practice.slug])
    )
    assert SECRET not in page.content.decode()
    delete = reverse("supervision_delete", args=[world.practice.slug, entry.code])
    assert client_for(world.other_coach).post(delete).status_code == 404
    assert SupervisionEntry.objects.filter(pk=entry.pk).exists()
    for user in (world.admin, world.client, world.sponsor):
        url = reverse("supervision_list", args=[world.practice.slug])
        assert client_for(user).get(url).status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": "0"}, "Hours must be more than 0 and at most 100."),
        ({"hours": "abc"}, "Enter a number."),
        ({"date": "2999-01-01"}, "Log supervision you have had, not planned."),
        ({"with_whom": ""}, "This field is required."),
    ],
)
def test_bad_input_says_why_and_saves_nothing(world, client_for, change, message):
    response = _add(world, client_for, world.coach, **change)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert SECRET in text  # what was typed is kept
    assert not SupervisionEntry.objects.exists()


def test_erasure_takes_the_clients_name_out_of_supervision_notes(world, client_for):
    _add(world, client_for, world.coach, notes=f"Stuck with {world.client.full_name} again")
    erase(user=world.client, practice=world.practice)
    assert SupervisionEntry.objects.get().notes == "Stuck with [erased client] again"


def _held(program, minutes, days_ago):
    return SessionFactory(
        program=program,
        status="held",
        duration_minutes=minutes,
        starts_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_credential_tracker_sums_paid_and_pro_bono_hours_and_clients(world, client_for):
    paid = program_for(world)
    _held(paid, 90, 30)
    _held(paid, 90, 10)
    other_client = UserFactory()
    pro_bono = program_for(world, client=other_client)
    ProBonoProgram.objects.create(program=pro_bono, marked_by=world.coach)
    _held(pro_bono, 60, 5)
    _held(program_for(world, coach=world.other_coach), 480, 3)  # another coach's: not counted
    page = client_for(world.coach).get(reverse("credential_tracker", args=[world.practice.slug]))
    text = page.content.decode()
    assert 'data-testid="hours-total">4.00<' in text
    assert 'data-testid="hours-paid">3.00<' in text
    assert 'data-testid="hours-pro-bono">1.00<' in text
    assert 'data-testid="clients">2<' in text
    acc = text[text.index('data-testid="credential-ACC"') :]
    assert "Needs 100 hours of coaching (75 of them paid) with at least 8 clients." in acc
    assert "Still to go: 96.00 hours, 72.00 paid hours, 6 clients." in acc


def _rows(clients, paid, pro_bono):
    """One row per client; the first holds every hour (a sum without rounding)."""
    return [
        {
            "kind": "Individual",
            "paid_hours": Decimal(paid if n == 0 else 0),
            "pro_bono_hours": Decimal(pro_bono if n == 0 else 0),
        }
        for n in range(clients)
    ]


@pytest.mark.parametrize(
    ("clients", "paid", "pro_bono", "met"),
    [
        (8, 75, 25, ["ACC"]),
        (8, 74, 26, []),  # 100 hours, but one paid hour short
        (7, 100, 0, []),  # one client short
        (25, 450, 50, ["ACC", "PCC"]),
        (35, 2250, 250, ["ACC", "PCC", "MCC"]),
        (34, 2500, 0, ["ACC", "PCC"]),
    ],
)
def test_each_credentials_hours_paid_hours_and_clients(clients, paid, pro_bono, met):
    totals, progress = credential_progress(_rows(clients, paid, pro_bono))
    assert totals["clients"] == clients
    assert [row["credential"].code for row in progress if row["met"]] == met


def test_the_cce_page_counts_supervision_and_mentor_coaching(world, client_for):
    _add(world, client_for, world.coach, hours="2.5")
    page = client_for(world.coach).get(reverse("cce_list", args=[world.practice.slug]))
    text = page.content.decode()
    counted = text[text.index('data-testid="cce-supervision"') :]
    assert "Coaching supervision: <strong>2.50</strong>" in counted
    assert SECRET not in text  # the hours, never the notes
