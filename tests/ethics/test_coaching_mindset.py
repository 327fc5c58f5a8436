import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from ethics.models import CCEEntry, EthicsAttestation, ReflectiveJournalEntry
from tests.ethics.helpers import cce_entry_for, journal_entry_for
from tests.factories import MembershipFactory

NOW = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.practice.slug, **kwargs})


def test_the_coach_keeps_a_journal_entry(world, client_for):
    web = client_for(world.coach)
    response = web.post(
        _url("journal_list", world), {"date": "2026-11-01", "text": "canary-journal I rushed"}
    )
    assert response.status_code == 302
    entry = ReflectiveJournalEntry.objects.get()
    assert entry.coach == world.coach
    assert "canary-journal I rushed" in web.get(_url("journal_list", world)).content.decode()


def test_the_journal_is_private_even_from_a_coach_who_is_also_admin(world, client_for):
    journal_entry_for(world, text="canary-journal-private")
    MembershipFactory(practice=world.practice, user=world.other_coach, role="admin")
    web = client_for(world.other_coach)
    assert "canary-journal-private" not in web.get(_url("journal_list", world)).content.decode()
    entry = ReflectiveJournalEntry.objects.get()
    assert web.get(_url("journal_edit", world, code=entry.code)).status_code == 404


def test_the_author_edits_and_deletes_an_entry(world, client_for):
    entry = journal_entry_for(world, text="first")
    web = client_for(world.coach)
    web.post(_url("journal_edit", world, code=entry.code), {"date": "2026-11-02", "text": "second"})
    entry.refresh_from_db()
    assert entry.text == "second"
    web.post(_url("journal_delete", world, code=entry.code))
    assert ReflectiveJournalEntry.objects.count() == 0


def test_an_empty_entry_is_refused(world, client_for):
    response = client_for(world.coach).post(
        _url("journal_list", world), {"date": "2026-11-01", "text": "   "}
    )
    assert response.status_code == 200
    assert ReflectiveJournalEntry.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_coach_logs_cce_hours_and_sees_totals(world, client_for):
    web = client_for(world.coach)
    response = web.post(
        _url("cce_list", world),
        {
            "category": "core_competencies",
            "hours": "2.5",
            "provider": "ICF Indonesia",
            "date": "2026-11-01",
            "description": "Ethics webinar",
        },
    )
    assert response.status_code == 302
    cce_entry_for(world)  # 1.50 core competencies
    body = web.get(_url("cce_list", world)).content.decode()
    assert CCEEntry.objects.get(description="Ethics webinar").hours == Decimal("2.5")
    assert "<strong>4.00</strong>" in body
    assert "Ethics webinar" in body


@time_machine.travel(NOW, tick=False)
def test_cce_hours_must_be_positive_and_done(world, client_for):
    web = client_for(world.coach)
    for hours, date in [("0", "2026-11-01"), ("-1", "2026-11-01"), ("2", "2026-12-01")]:
        response = web.post(
            _url("cce_list", world),
            {"category": "core_competencies", "hours": hours, "provider": "X", "date": date},
        )
        assert response.status_code == 200
    assert CCEEntry.objects.count() == 0


def test_another_coach_cannot_delete_my_cce_entry(world, client_for):
    entry = cce_entry_for(world)
    response = client_for(world.other_coach).post(_url("cce_delete", world, code=entry.code))
    assert response.status_code == 404
    assert CCEEntry.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_coach_attests_once_a_year(world, client_for):
    web = client_for(world.coach)
    assert "not attested for 2026" in web.get(_url("ethics_attestation", world)).content.decode()
    web.post(_url("ethics_attestation", world))
    response = web.post(_url("ethics_attestation", world), follow=True)
    assert "already attested for 2026" in response.content.decode()
    attestation = EthicsAttestation.objects.get()
    assert (attestation.year, attestation.coach) == (2026, world.coach)
    assert attestation.code_version.startswith("ICF Code of Ethics")


def test_a_new_year_asks_again(world, client_for):
    web = client_for(world.coach)
    with time_machine.travel(NOW, tick=False):
        web.post(_url("ethics_attestation", world))
    with time_machine.travel(datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC), tick=False):
        web = client_for(world.coach)  # the old sign-in has expired by then
        assert (
            "not attested for 2027" in web.get(_url("ethics_attestation", world)).content.decode()
        )
        web.post(_url("ethics_attestation", world))
    assert EthicsAttestation.objects.count() == 2
