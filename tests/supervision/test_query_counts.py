"""Query counts of the supervision log and the credential tracker do not grow with the
coach's history (#11): the log is paginated (25 a page), its totals are aggregates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import SupervisionEntry
from supervision.selectors import ENTRIES_PER_PAGE
from tests.sessions.factories import SessionFactory, program_for

pytestmark = pytest.mark.django_db

# Every page: the signed-in request's 2 (session, user), memberships (gate; also the nav's
# practices, #11), and in the base template the unread messages badge and the nav inbox count
# (one query, #11) = 4.
# Log: + the count of the entries, their page, the hours per kind (all time and over the
# last three years) = 8.
# Credentials: + the coach's held sessions (one query, their programs and pro bono marks
# joined) = 5.
COUNTS = {"log": 8, "credentials": 5}


@pytest.mark.parametrize("n", [3, 30])
def test_supervision_log_queries(n, world, client_for, django_assert_num_queries):
    SupervisionEntry.objects.bulk_create(
        SupervisionEntry(
            practice=world.practice,
            coach=world.coach,
            kind=SupervisionEntry.Kind.SUPERVISION,
            date=date(2026, 1, 1) + timedelta(days=i),
            hours=Decimal("1.5"),
            with_whom=f"Supervisor {i:02d}",
            notes=f"What I took from it {i:02d}",
        )
        for i in range(n)
    )
    browser = client_for(world.coach)
    url = reverse("supervision_list", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["log"]):
        response = browser.get(url)
    page = response.content.decode()
    shown = min(n, ENTRIES_PER_PAGE)
    assert page.count('data-testid="supervision-entry"') == shown
    # Newest first: the latest entry on the first page, the oldest on the second one.
    assert f"What I took from it {n - 1:02d}" in page
    assert ("What I took from it 00" in page) == (n <= ENTRIES_PER_PAGE)
    assert ("Page 1 of 2" in page) == (n > ENTRIES_PER_PAGE)
    # The totals count every entry, not only the page's.
    assert str(Decimal("1.5") * n) in page
    if n > ENTRIES_PER_PAGE:
        rest = browser.get(url, {"page": 2}).content.decode()
        assert rest.count('data-testid="supervision-entry"') == n - ENTRIES_PER_PAGE
        assert "What I took from it 00" in rest


@pytest.mark.parametrize("n", [2, 20])
def test_credential_tracker_queries(n, world, client_for, django_assert_num_queries):
    program = program_for(world)
    for i in range(n):
        SessionFactory(
            program=program,
            number=i + 1,
            status="held",
            duration_minutes=60,
            starts_at=timezone.now() - timedelta(days=7 * (i + 1)),
        )
    browser = client_for(world.coach)
    url = reverse("credential_tracker", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["credentials"]):
        response = browser.get(url)
    assert f'data-testid="hours-total">{n}.00<' in response.content.decode()
