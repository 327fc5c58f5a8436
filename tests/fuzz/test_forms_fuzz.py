"""Forms fuzzed through their pages with hypothesis: whatever a user types, the answer is a
page (never a 500), bad input changes nothing, and a refused form shows what was typed.

Each example is a real POST through the view, the form and the service, on the test database.
Examples share one transaction, so the assertions compare counts before and after each POST.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Proposal
from sessions.models import CheckIn
from tests.sessions.factories import SessionFactory, program_for

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What people type into a number or date box: digits, signs, separators, words, huge values.
numberish = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(alphabet="0123456789.,-+e Rp", max_size=24),
    st.text(max_size=12),
)
dateish = st.one_of(st.dates().map(str), st.text(alphabet="0123456789-/. ", max_size=12))
# Text without NUL (browsers cannot send it in a form field either).
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


@pytest.mark.django_db
@FUZZ
@given(
    sessions_count=numberish,
    session_minutes=numberish,
    price=numberish,
    expires_on=dateish,
    need=text,
    email=st.one_of(st.emails(), text),
)
def test_proposal_form_never_fails_and_refusals_change_nothing(
    world, client_for, sessions_count, session_minutes, price, expires_on, need, email
):
    admin = client_for(world.admin)
    before = Proposal.objects.count()
    data = {
        "origin": "demand",
        "client_email": email[:200],
        "need": need[:2000],
        "duration": "6",
        "sessions_count": sessions_count,
        "session_minutes": session_minutes,
        "cadence": "monthly",
        "price_minor": price,
        "currency": "IDR",
        "expires_on": expires_on,
    }
    response = admin.post(reverse("proposal_create", args=[world.practice.slug]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: the form again, nothing saved
        assert Proposal.objects.count() == before
        assert 'class="invalid-feedback' in response.text or "alert" in response.text
    else:
        assert Proposal.objects.count() == before + 1


@pytest.mark.django_db
@FUZZ
@given(client_readiness=numberish, coach_readiness=numberish, goal=text)
def test_check_in_form_never_fails_and_keeps_what_was_typed(
    world, client_for, client_readiness, coach_readiness, goal
):
    with time_machine.travel(NOW, tick=False):
        program = program_for(world)
        session = SessionFactory(program=program, number=1, starts_at=NOW - timedelta(minutes=5))
        coach = client_for(world.coach)
        url = reverse("session_part_save", args=[world.practice.slug, session.code, "check_in"])
        goal = goal[:500]
        response = coach.post(
            url,
            {
                "client_readiness": client_readiness,
                "coach_readiness": coach_readiness,
                "goal": goal,
            },
        )
        assert response.status_code in (200, 302)
        saved = CheckIn.objects.filter(session=session).first()
        if response.status_code == 200:  # refused: nothing stored, the goal typed is shown
            assert saved is None
            if goal.strip():
                assert escape(goal.strip()) in response.text or escape(goal) in response.text
        else:
            assert saved is not None
            for score in (saved.client_readiness, saved.coach_readiness):
                assert score is None or 1 <= score <= 10  # optional, else on the scale
