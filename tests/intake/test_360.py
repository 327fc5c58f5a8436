"""360 feedback: the client invites raters by group; raters answer through a single-use link
without an account, in their language; a group shows only as an aggregate, and only from the
practice's threshold (never below 3); the client decides whether the sponsor sees the numbers."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ethics.models import AccessEvent, Consent
from intake.models import IntakeSettings, Questionnaire, RaterAnswer, RaterInvitation
from intake.services import token_hash
from tests.intake.builders import invite, keyed, questionnaire
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db

MANAGER_TEXTS = ["Listens well 5501", "Keeps calm 5502", "Asks good questions 5503"]


@pytest.fixture
def program(world):
    questionnaire(world, Questionnaire.Kind.RATER)
    return program_for(world)


def _answer(client, token, score, text):
    invitation = RaterInvitation.objects.get(token_hash=token_hash(token))
    data = keyed(invitation.round.version, str(score), text)
    return client.post(reverse("rater_answer", args=[token]), data)


def _report(client_for, user, world, program):
    page = client_for(user).get(reverse("feedback360", args=[world.practice.slug, program.code]))
    return page.status_code, page.content.decode()


def _linked(client_for, world, program):
    """Whether the sponsor's program page links to the 360 report (ethics.access.
    sponsor_page_links: the same rule as the report's own page)."""
    page = client_for(world.sponsor).get(
        reverse("sponsor_program", args=[world.practice.slug, program.code])
    )
    assert page.status_code == 200
    return reverse("feedback360", args=[world.practice.slug, program.code]) in page.content.decode()


def test_a_group_shows_nothing_until_its_third_answer(world, program, client, client_for):
    tokens = [invite(world, program, "manager", f"m{i}@example.test") for i in range(3)]
    client.logout()
    for token, score, text in zip(tokens[:2], [4, 5], MANAGER_TEXTS[:2], strict=True):
        assert _answer(client, token, score, text).status_code == 200
    assert RaterAnswer.objects.filter(round__program=program).count() == 2

    for user in (world.client, world.coach):
        status, body = _report(client_for, user, world, program)
        assert status == 200
        assert "2 of 3 answered" in body
        assert "Not enough answers yet to show this group." in body
        assert not any(text in body for text in MANAGER_TEXTS)
        assert "average" not in body

    client.logout()
    assert _answer(client, tokens[2], 3, MANAGER_TEXTS[2]).status_code == 200
    for user in (world.client, world.coach):
        status, body = _report(client_for, user, world, program)
        assert "3 of 3 answered" in body
        assert "average 4.0 on 1–5 (3 answers)" in body
        assert all(text in body for text in MANAGER_TEXTS)
    # The coach's read of the raters' answers is logged, with the client as the subject.
    assert AccessEvent.objects.filter(
        reader=world.coach, subject=world.client, label="360 feedback"
    ).exists()


def test_the_link_works_once_and_answers_carry_no_rater(world, program, client):
    token = invite(world, program, "peer", "peer@example.test")
    assert _answer(client, token, 4, "once").status_code == 200
    again = client.get(reverse("rater_answer", args=[token]))
    assert again.status_code == 404 and "This link does not work" in again.content.decode()
    assert _answer(client, token, 1, "twice").status_code == 404
    assert RaterAnswer.objects.filter(round__program=program).count() == 1
    # Only the group is kept with the answer; the invitation keeps only that it was used.
    field_names = {f.name for f in RaterAnswer._meta.get_fields()}
    assert field_names == {"id", "round", "group", "answers", "answered_on"}
    invitation = RaterInvitation.objects.get()
    assert invitation.answered_at is not None and "once" not in str(invitation.__dict__)
    assert invitation.token_hash != token and token not in invitation.token_hash


def test_a_bad_link_is_a_404(world, program, client):
    assert client.get(reverse("rater_answer", args=["not-a-token"])).status_code == 404


def test_the_rater_reads_the_form_in_their_language(world, program, client):
    token = invite(world, program, "peer", "peer@example.test", language="id")
    body = client.get(reverse("rater_answer", args=[token])).content.decode()
    assert "Seberapa baik orang ini mendengarkan?" in body
    assert "How well does this person listen?" not in body


def test_the_invitation_email_carries_no_answer_and_no_question(world, program):
    token = invite(world, program, "peer", "peer@example.test", language="en")
    email = mail.outbox[-1]
    assert email.to == ["peer@example.test"] and token in email.body
    assert "listen" not in email.body.lower()


def test_a_bad_rater_answer_keeps_what_was_typed_and_stores_nothing(world, program, client):
    token = invite(world, program, "peer", "peer@example.test", language="en")
    page = _answer(client, token, 9, "kept 7710")
    assert page.status_code == 200 and "kept 7710" in page.content.decode()
    assert not RaterAnswer.objects.exists()
    assert RaterInvitation.objects.get().answered_at is None


def test_the_practice_threshold_holds_a_group_back_and_is_never_below_3(
    world, program, client, client_for
):
    page = client_for(world.admin).post(
        reverse("intake_settings", args=[world.practice.slug]), {"rater_threshold": "2"}
    )
    assert page.status_code == 200 and "at the least" in page.content.decode()
    assert not IntakeSettings.objects.filter(practice=world.practice).exists()
    client_for(world.admin).post(
        reverse("intake_settings", args=[world.practice.slug]), {"rater_threshold": "4"}
    )
    assert IntakeSettings.objects.get(practice=world.practice).rater_threshold == 4
    tokens = [invite(world, program, "peer", f"p{i}@example.test") for i in range(3)]
    client.logout()
    for i, token in enumerate(tokens):
        _answer(client, token, 3, f"peer text {i} 6601")
    status, body = _report(client_for, world.client, world, program)
    assert "3 of 3 answered" in body and "6601" not in body


def test_only_the_client_invites(world, program, client_for):
    url = reverse("rater_invite", args=[world.practice.slug, program.code])
    data = {"group": "peer", "email": "x@example.test", "language": "en"}
    for persona in ("coach", "admin", "sponsor"):
        assert client_for(world.persona(persona)).post(url, data).status_code == 403
    assert not RaterInvitation.objects.exists()
    page = client_for(world.client).post(url, {**data, "email": "not an email"})
    assert page.status_code == 400 and "not an email" in page.content.decode()
    assert not RaterInvitation.objects.exists()


def test_the_sponsor_reads_the_numbers_only_once_shared_and_under_consent(
    world, program, client, client_for
):
    tokens = [invite(world, program, "manager", f"m{i}@example.test") for i in range(3)]
    client.logout()
    for token, text in zip(tokens, MANAGER_TEXTS, strict=True):
        _answer(client, token, 4, text)
    status, _ = _report(client_for, world.sponsor, world, program)
    assert status == 404
    assert not _linked(client_for, world, program)
    client_for(world.client).post(
        reverse("feedback360_share", args=[world.practice.slug, program.code]), {"share": "on"}
    )
    status, _ = _report(client_for, world.sponsor, world, program)
    assert status == 404  # shared, but no consent to share with this sponsor
    assert not _linked(client_for, world, program)
    consent = Consent.objects.create(
        practice=world.practice,
        client=world.client,
        sponsor=world.sponsor,
        kind=Consent.Kind.SPONSOR_SHARING,
        text="I agree.",
        text_version="test",
    )
    status, body = _report(client_for, world.sponsor, world, program)
    assert status == 200
    assert _linked(client_for, world, program)
    assert "average 4.0 on 1–5 (3 answers)" in body
    assert not any(text in body for text in MANAGER_TEXTS)
    assert "Invite a rater" not in body
    # Withdrawn: hidden again on the sponsor's next request.
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    assert _report(client_for, world.sponsor, world, program)[0] == 404
    assert not _linked(client_for, world, program)
