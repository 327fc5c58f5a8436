"""Creating a practice tells nobody which practices exist (finding 10 of #12, slug probing).

A signed-up user who could choose the address learnt from "this address is taken" whether a
practice of that name exists. The address is now made from the name with a random suffix, so
a taken and a free address answer alike; the settings page shows the address read-only.
"""

import re

import pytest
from django.urls import reverse

from coaching.accounts import services
from coaching.accounts.models import Membership, Practice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The CSRF token, masked anew in every response (in the forms and in htmx's headers).
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")


def _create(client_for, *, email, slug, name="Prober Coaching"):
    """A prober's attempt: a fresh account posts the form with the address it wants to test."""
    user = UserFactory(email=email, full_name="Prober")
    client = client_for(user)
    response = client.post(
        reverse("practice_create"),
        {
            "name": name,
            "slug": slug,
            "timezone": "Asia/Jakarta",
            "currency": "IDR",
            "default_language": "en",
        },
    )
    page = client.get(response["Location"]) if response.status_code == 302 else response
    created = Practice.objects.filter(memberships__user=user).first()
    text = page.content.decode()
    # The prober's own data: their new practice's address and their own email.
    if created:
        text = text.replace(created.slug, "<new-slug>")
    text = CSRF.sub("<token>", text.replace(email, "<email>"))
    location = response.get("Location", "")
    if created:
        location = location.replace(created.slug, "<new-slug>")
    return user, created, (response.status_code, location, page.status_code, text)


def test_a_taken_and_a_free_address_answer_alike(world, client_for):
    taken_user, taken, taken_answer = _create(client_for, email="a@probe.test", slug="cahaya")
    free_user, free, free_answer = _create(client_for, email="b@probe.test", slug="nobody-here")

    assert taken_answer == free_answer
    status, location, page_status, text = taken_answer
    assert (status, location, page_status) == (302, "/p/<new-slug>/admin/", 200)
    assert "Your practice is ready" in text
    # Each prober got a practice of their own, named as typed, at a made-up address.
    for practice in (taken, free):
        assert practice.name == "Prober Coaching"
        assert re.fullmatch(r"prober-coaching-[a-z0-9]{6}", practice.slug)
    assert taken.slug != free.slug
    # The practice at the probed address is untouched.
    world.practice.refresh_from_db()
    assert (world.practice.slug, world.practice.name) == ("cahaya", "Cahaya")


def test_probing_with_another_practices_name_reveals_nothing_of_it(world, client_for):
    user, created, (status, _location, page_status, text) = _create(
        client_for, email="c@probe.test", slug=world.practice_b.slug, name="Other practice"
    )
    members_b = set(world.practice_b.memberships.values_list("user__email", flat=True))

    assert (status, page_status) == (302, 200)
    assert created != world.practice_b
    assert list(Membership.objects.filter(user=user).values_list("practice", "role")) == [
        (created.pk, Membership.Role.ADMIN)
    ]
    assert "outsider@other.test" not in text
    assert str(world.practice_b.code) not in text
    assert f"/p/{world.practice_b.slug}/" not in text
    assert members_b == {"outsider@other.test"}


def test_the_form_has_no_address_box_and_says_how_the_address_is_made(world, client_for):
    text = client_for(world.client).get(reverse("practice_create")).content.decode()

    assert 'name="name"' in text
    assert 'name="slug"' not in text
    assert "made from its name" in text


def test_a_missing_name_is_refused_with_a_message_and_keeps_what_was_typed(world, client_for):
    client = client_for(world.client)
    response = client.post(
        reverse("practice_create"),
        {"name": "", "timezone": "Asia/Jakarta", "currency": "EUR", "default_language": "en"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "This field is required" in text
    assert 'value="EUR"' in text
    assert not Practice.objects.filter(memberships__user=world.client, name="").exists()
    assert Practice.objects.count() == 2


def test_the_settings_page_keeps_the_address_whatever_is_posted(world, client_for):
    client = client_for(world.admin)
    url = reverse("practice_settings", args=["cahaya"])
    form = {
        "name": "Cahaya",
        "timezone": "Asia/Jakarta",
        "currency": "IDR",
        "default_language": "id",
        "min_session_spacing_days": "7",
        "address": "",
    }
    answers = [
        client.post(url, {**form, "slug": slug}).status_code for slug in ("other", "free-one")
    ]

    assert answers == [302, 302]
    world.practice.refresh_from_db()
    assert world.practice.slug == "cahaya"
    assert Practice.objects.filter(slug="free-one").count() == 0
    page = client.get(url).content.decode()
    assert "Set when the practice was created" in page


def test_the_service_makes_a_distinct_address_for_each_practice_of_one_name(world):
    made = [
        services.practice_create(
            name="Sama Nama",
            timezone_name="Asia/Jakarta",
            currency="IDR",
            default_language="id",
            creator=world.client,
        )
        for _ in range(3)
    ]

    assert len({p.slug for p in made}) == 3
    assert all(p.slug.startswith("sama-nama-") for p in made)
    assert re.fullmatch(r"practice-[a-z0-9]{6}", services.practice_slug("诊所"))
    assert len(services.practice_slug("x" * 120)) <= Practice._meta.get_field("slug").max_length
