from django.urls import reverse

from ethics import services
from tests.ethics.helpers import program_for
from tests.factories import MembershipFactory, UserFactory


def _record(world, *, reader, program, label):
    return services.access_record(reader=reader, item=program, label=label, path="/somewhere/")


def test_the_client_sees_who_read_their_records(world, client_for):
    program = program_for(world)
    _record(world, reader=world.sponsor, program=program, label="Session 3 check-out")
    response = client_for(world.client).get(
        reverse("access_log_mine", kwargs={"slug": world.practice.slug})
    )
    body = response.content.decode()
    assert "Sponsor" in body
    assert "Session 3 check-out" in body


def test_the_client_does_not_see_reads_about_other_clients(world, client_for):
    other = UserFactory(full_name="Someone Else")
    MembershipFactory(practice=world.practice, user=other, role="client")
    _record(
        world,
        reader=world.sponsor,
        program=program_for(world, client=other),
        label="Other person's item",
    )
    response = client_for(world.client).get(
        reverse("access_log_mine", kwargs={"slug": world.practice.slug})
    )
    assert "Other person&#x27;s item" not in response.content.decode()
    assert "Nobody has read your records yet." in response.content.decode()


def test_the_admin_sees_every_event_of_the_practice_and_no_other(world, client_for):
    program = program_for(world)
    _record(world, reader=world.sponsor, program=program, label="Session 1 notes")
    outside = program_for(
        world, practice=world.practice_b, client=world.outsider, coach=world.outsider, sponsor=None
    )
    _record(world, reader=world.outsider, program=outside, label="Elsewhere")
    response = client_for(world.admin).get(
        reverse("access_event_list", kwargs={"slug": world.practice.slug})
    )
    body = response.content.decode()
    assert "Session 1 notes" in body
    assert "/somewhere/" in body
    assert "Elsewhere" not in body


def test_the_admin_log_costs_the_same_queries_with_more_events(
    world, client_for, django_assert_num_queries
):
    web = client_for(world.admin)
    url = reverse("access_event_list", kwargs={"slug": world.practice.slug})
    program = program_for(world)
    _record(world, reader=world.sponsor, program=program, label="One")
    web.get(url)
    # Per request: session, user (allauth's session activity: at most every 5 minutes, #11;
    # it was 12 with it), the gate's memberships (which also give the navigation's practices,
    # #11: 7 before), the navigation's unread count; the page: one count for the pager, one
    # page of events joined to readers and subjects.
    with django_assert_num_queries(6):
        web.get(url)
    for n in range(20):
        _record(world, reader=world.coach, program=program, label=f"Item {n}")
    with django_assert_num_queries(6):
        web.get(url)
