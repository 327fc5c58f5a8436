"""Admins manage roles and deactivate members; the switcher lists only one's practices."""

import pytest

from coaching.accounts.models import Membership
from tests.factories import MembershipFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def member_url(world, user):
    return f"/p/{world.practice.slug}/members/{user.code}/"


def active_roles(practice, user):
    return set(
        Membership.objects.filter(practice=practice, user=user, deactivated_at=None).values_list(
            "role", flat=True
        )
    )


def test_admin_gives_a_coach_a_second_role(world, client_for):
    response = client_for(world.admin).post(
        member_url(world, world.coach), {"roles": ["coach", "admin"], "organisation": ""}
    )
    assert response.status_code == 302
    assert active_roles(world.practice, world.coach) == {"coach", "admin"}


def test_removing_a_role_deactivates_it_and_keeps_the_row(world, client_for):
    client_for(world.admin).post(member_url(world, world.coach), {"roles": ["client"]})
    coach_row = Membership.objects.get(practice=world.practice, user=world.coach, role="coach")
    assert coach_row.deactivated_at is not None
    assert coach_row.deactivated_by == world.admin
    assert active_roles(world.practice, world.coach) == {"client"}


def test_the_last_admin_cannot_remove_their_admin_role(world, client_for):
    response = client_for(world.admin).post(member_url(world, world.admin), {"roles": ["coach"]})
    assert response.status_code == 200
    assert "A practice needs at least one admin." in response.content.decode()
    assert active_roles(world.practice, world.admin) == {"admin"}


def test_the_last_admin_cannot_be_deactivated(world, client_for):
    client = client_for(world.admin)
    response = client.post(member_url(world, world.admin) + "deactivate/", follow=True)
    assert "A practice needs at least one admin." in response.content.decode()
    assert active_roles(world.practice, world.admin) == {"admin"}


def test_an_admin_can_step_down_once_another_admin_exists(world, client_for):
    MembershipFactory(practice=world.practice, user=world.coach, role="admin")
    client_for(world.admin).post(member_url(world, world.admin) + "deactivate/")
    assert active_roles(world.practice, world.admin) == set()


def test_a_deactivated_member_gets_404_on_the_practice(world, client_for):
    client_for(world.admin).post(member_url(world, world.client) + "deactivate/")
    assert active_roles(world.practice, world.client) == set()
    assert Membership.objects.filter(user=world.client).count() == 1  # history kept
    client = client_for(world.client)
    assert client.get(f"/p/{world.practice.slug}/client/").status_code == 404
    assert client.get(f"/p/{world.practice.slug}/").status_code == 404


def test_an_admin_cannot_manage_a_person_of_another_practice(world, client_for):
    response = client_for(world.admin).post(member_url(world, world.outsider) + "deactivate/")
    assert response.status_code == 404
    assert active_roles(world.practice_b, world.outsider) == {"admin"}


def test_the_switcher_lists_only_the_users_practices(world, client_for):
    third = PracticeFactory(name="Pelangi Coaching", slug="pelangi")
    MembershipFactory(practice=third, user=world.coach, role="client")
    response = client_for(world.coach).get(f"/p/{world.practice.slug}/coach/")
    names = {p.name for p in response.context["nav_practices"]}
    assert names == {"Cahaya", "Pelangi Coaching"}
    content = response.content.decode()
    assert 'id="practice-switcher"' in content
    assert "/p/pelangi/" in content
    assert world.practice_b.name not in content


def test_a_person_in_several_practices_chooses_on_the_home_page(world, client_for):
    MembershipFactory(practice=world.practice_b, user=world.coach, role="coach")
    response = client_for(world.coach).get("/")
    assert response.status_code == 200
    assert "/p/cahaya/" in response.content.decode()
    assert "/p/other/" in response.content.decode()


def test_a_person_in_one_practice_goes_straight_to_it(world, client_for):
    response = client_for(world.client).get("/")
    assert response["Location"] == "/p/cahaya/"


def _names_on(response):
    return [person["user"].full_name for person in response.context["people"]]


def test_the_member_list_pages_fifty_people_at_a_time(world, client_for):
    for number in range(60):
        MembershipFactory(practice=world.practice, user__full_name=f"Zz Klien {number:02d}")
    admin = client_for(world.admin)
    first = admin.get(f"/p/{world.practice.slug}/members/")
    last = admin.get(f"/p/{world.practice.slug}/members/?page=2")
    assert len(_names_on(first)) == 50
    total = first.context["people"].paginator.count
    assert len(_names_on(last)) == total - 50
    assert "Zz Klien 59" in _names_on(last) and "Zz Klien 59" not in _names_on(first)
    assert admin.get(f"/p/{world.practice.slug}/members/?page=banyak").status_code == 200


def test_the_member_list_finds_by_name_or_email_and_role(world, client_for):
    MembershipFactory(practice=world.practice, user__full_name="Ratna Sari", role="sponsor")
    MembershipFactory(practice=world.practice, user__full_name="Ratna Dewi", role="client")
    admin = client_for(world.admin)
    url = f"/p/{world.practice.slug}/members/"
    assert sorted(_names_on(admin.get(url, {"q": "ratna"}))) == ["Ratna Dewi", "Ratna Sari"]
    assert _names_on(admin.get(url, {"q": "ratna", "role": "sponsor"})) == ["Ratna Sari"]
    nobody = admin.get(url, {"q": "tidak-ada-orang"})
    assert b"Nobody matches" in nobody.content


def test_the_member_list_costs_the_same_queries_at_two_and_fifty_people(
    world, client_for, django_assert_num_queries
):
    admin = client_for(world.admin)
    url = f"/p/{world.practice.slug}/members/"
    admin.get(url)  # warm the session and the practice
    for _ in range(2):
        MembershipFactory(practice=world.practice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    for _ in range(48):
        MembershipFactory(practice=world.practice)
    with django_assert_num_queries(len(few.captured_queries)):
        admin.get(url)


def test_the_member_list_pages_keep_the_search(world, client_for):
    for number in range(55):
        MembershipFactory(practice=world.practice, user__full_name=f"Sari {number:02d}")
    page = client_for(world.admin).get(f"/p/{world.practice.slug}/members/", {"q": "sari"})
    assert 'href="?q=sari&amp;page=2"' in page.content.decode()


def test_the_member_list_counts_each_active_person_once(world, client_for):
    """The total is read from the memberships (#11): a person with two roles is one person,
    a deactivated member and a member of another practice are not counted."""
    admin = client_for(world.admin)
    url = f"/p/{world.practice.slug}/members/"
    before = admin.get(url).context["people"].paginator.count
    both = MembershipFactory(practice=world.practice, role="client").user
    MembershipFactory(practice=world.practice, user=both, role="sponsor")
    gone = MembershipFactory(practice=world.practice, role="client")
    gone.deactivated_at = gone.created_at
    gone.save()
    MembershipFactory(practice=world.practice_b, role="client")
    response = admin.get(url)
    assert response.context["people"].paginator.count == before + 1
    assert f"{before + 1} people" in response.content.decode()
    names = _names_on(response)
    assert names.count(both.full_name) == 1 and gone.user.full_name not in names
