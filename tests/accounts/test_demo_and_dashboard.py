"""`manage.py demo` is idempotent; the admin dashboard's queries do not grow with members."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.accounts.models import Invitation, Membership, Practice, User
from tests.factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count() for model in (User, Practice, Membership, Invitation)
    }


def test_demo_twice_creates_nothing_new_the_second_time(capsys):
    call_command("demo")
    first = counts()
    assert first["Practice"] == 1
    assert (
        first["User"] == 18
    )  # an admin, a scheduler (#13), three coaches, twelve clients, a sponsor
    call_command("demo")
    assert counts() == first
    output = capsys.readouterr().out
    assert "coach.rina@cahaya.example" in output
    assert "coaching-demo-2026" in output


def test_a_demo_coach_signs_in_and_sees_the_coach_dashboard(client):
    call_command("demo")
    response = client.post(
        "/accounts/login/",
        {"login": "coach.rina@cahaya.example", "password": "coaching-demo-2026"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/p/cahaya/coach/"
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/dashboard_coach.html"


@pytest.mark.parametrize("members", [2, 30])
def test_admin_dashboard_query_count_does_not_grow_with_members(
    members, client_for, django_assert_num_queries, settings
):
    practice = PracticeFactory(slug="cahaya", default_language="en")
    admin = UserFactory()
    MembershipFactory(practice=practice, user=admin, role="admin")
    for i in range(members - 1):
        MembershipFactory(practice=practice, role="coach" if i % 3 == 0 else "client")
    client = client_for(admin)
    client.get("/p/cahaya/admin/")  # warm the session
    # The page without any panel: session, user, the user's memberships with their practices
    # (the gate and the switcher, #11), and whatever other apps' navigation adds.
    settings.DASHBOARD_PANEL_MODULES = []
    with CaptureQueriesContext(connection) as bare:
        client.get("/p/cahaya/admin/")
    assert len(bare) <= 15  # the bare page stays small
    # This app's panel adds none: member counts by role and the number of pending
    # invitations are read in the dashboard's one counting query (coaching.dashboards, #11: it
    # was two), which the bare page runs already for the navigation's unread notifications
    # (#11 g-adm4: they were a query of their own).
    settings.DASHBOARD_PANEL_MODULES = ["coaching.accounts.dashboard"]
    with django_assert_num_queries(len(bare)):
        response = client.get("/p/cahaya/admin/")
    assert response.status_code == 200
    assert response.context["panels"][0]["pending_invitations"] == 0
