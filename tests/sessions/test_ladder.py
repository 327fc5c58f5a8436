"""Every session view walks the ladder: anonymous, outsider, wrong role, other coach, right role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.sessions.factories import ActionItemFactory, SessionFactory, program_for


def _targets(world):
    program = program_for(world)
    session = SessionFactory(program=program, starts_at=timezone.now() - timedelta(minutes=5))
    task = ActionItemFactory(session=session, text="Ladder task")
    slug = world.practice.slug
    return {
        "session_prepare": ("get", [slug, session.code], "coach", "Prepare session"),
        "session_run": ("get", [slug, session.code], "coach", "Check-in"),
        "coach_program": ("get", [slug, program.code], "coach", "Ladder task"),
        "client_coaching": ("get", [slug], "client", "Ladder task"),
        "session_part_save": ("post", [slug, session.code, "check_in"], "coach", None),
        "session_mark_held": ("post", [slug, session.code], "coach", None),
        "action_item_done": ("post", [slug, task.code], "client", None),
    }


NAMES = [
    "session_prepare",
    "session_run",
    "coach_program",
    "client_coaching",
    "session_part_save",
    "session_mark_held",
    "action_item_done",
]


@pytest.mark.parametrize("name", NAMES)
def test_ladder(name, world, client, client_for):
    method, args, right, content = _targets(world)[name]
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    assert getattr(client_for(world.outsider), method)(url).status_code == 404
    wrong = "sponsor"
    assert getattr(client_for(world.persona(wrong)), method)(url).status_code == 403
    if right == "coach":
        assert getattr(client_for(world.other_coach), method)(url).status_code == 404
    response = getattr(client_for(world.persona(right)), method)(url)
    if method == "get":
        assert response.status_code == 200
        assert content in response.text
    else:
        assert response.status_code == 302


def test_unknown_part_is_404(world, client_for):
    session = SessionFactory(program=program_for(world))
    url = reverse("session_part_save", args=[world.practice.slug, session.code, "nonsense"])
    assert client_for(world.coach).post(url).status_code == 404


def test_another_clients_task_is_404(world, client_for):
    from tests.factories import MembershipFactory, UserFactory

    someone = UserFactory()
    MembershipFactory(practice=world.practice, user=someone, role="client")
    program = program_for(world, client=someone)
    task = ActionItemFactory(session=SessionFactory(program=program))
    url = reverse("action_item_done", args=[world.practice.slug, task.code])
    assert client_for(world.client).post(url).status_code == 404
