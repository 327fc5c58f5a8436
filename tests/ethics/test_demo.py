from ethics.demo import CLIENT, COACH, SPONSOR, demo
from ethics.models import CCEEntry, Consent, EthicsAttestation, ReflectiveJournalEntry
from tests.factories import UserFactory


def test_the_demo_step_is_idempotent(world):
    people = {
        COACH: UserFactory(email=COACH),
        CLIENT: UserFactory(email=CLIENT),
        SPONSOR: UserFactory(email=SPONSOR),
    }
    demo(practice=world.practice, people=people)
    counts = [
        m.objects.count() for m in [ReflectiveJournalEntry, CCEEntry, EthicsAttestation, Consent]
    ]
    assert counts == [2, 2, 1, 2]
    demo(practice=world.practice, people=people)
    assert [
        m.objects.count() for m in [ReflectiveJournalEntry, CCEEntry, EthicsAttestation, Consent]
    ] == counts
    assert ReflectiveJournalEntry.objects.first().text.startswith("Hadir penuh")
