"""Finding 7 of #12: a practice default scope narrows who reads new parts, never widens."""

from django.urls import reverse

from ethics.models import PracticeScopeDefault
from sessions.models import CheckIn, ConversationNote
from tests.factories import PracticeFactory


def test_the_admin_cannot_set_notes_to_sponsor_by_default(world, client_for):
    data = {part: PracticeScopeDefault.widest(part) for part in PracticeScopeDefault.Part.values}
    data["conversationnote"] = "sponsor"
    response = client_for(world.admin).post(
        reverse("scope_defaults", args=[world.practice.slug]), data
    )
    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in response.content.decode()
    assert not PracticeScopeDefault.objects.filter(practice=world.practice).exists()


def test_a_wider_row_already_stored_does_not_widen_new_notes(db):
    practice = PracticeFactory()
    PracticeScopeDefault.objects.create(practice=practice, part="conversationnote", scope="sponsor")
    assert PracticeScopeDefault.scope_for(practice, ConversationNote) == "private"


def test_a_narrower_default_still_applies(db):
    practice = PracticeFactory()
    PracticeScopeDefault.objects.create(practice=practice, part="checkin", scope="private")
    assert PracticeScopeDefault.scope_for(practice, CheckIn) == "private"


def test_the_form_offers_only_narrower_scopes(world, client_for):
    page = client_for(world.admin).get(reverse("scope_defaults", args=[world.practice.slug]))
    body = page.content.decode()
    select = body.split('name="conversationnote"')[1].split("</select>")[0]
    assert 'value="private"' in select
    assert 'value="sponsor"' not in select
