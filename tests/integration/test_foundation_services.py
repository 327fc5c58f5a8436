"""The foundation against real services: PostgreSQL, the Redis cache, a Celery worker."""

import email
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from coaching import emails
from coaching.accounts import services
from coaching.accounts.models import Invitation, Membership
from tests.factories import PASSWORD, MembershipFactory, PracticeFactory, UserFactory
from tests.integration.conftest import wait_for

SEPARATOR = "\n" + "-" * 79 + "\n"


def sent_messages(mail_dir):
    """Every message the file backend wrote, parsed."""
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_text(errors="replace").split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.lstrip("\n")))
    return messages


def subject_of(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_it_runs_on_postgresql_and_allows_one_pending_invitation_per_role(services):
    assert connection.vendor == "postgresql"
    practice = PracticeFactory()
    fields = {
        "practice": practice,
        "email": "dup@example.test",
        "role": Membership.Role.COACH,
        "language": "id",
        "expires_at": timezone.now() + timedelta(days=3),
    }
    first = Invitation.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(**fields)
    # The constraint is partial: once the first is withdrawn, a new one may be pending.
    Invitation.objects.filter(id=first.id).update(revoked_at=timezone.now())
    Invitation.objects.create(**fields)
    assert Invitation.objects.filter(email="dup@example.test").count() == 2


def test_a_real_worker_sends_the_invitation_in_the_invitees_language(celery_worker):
    admin = UserFactory()
    english_practice = PracticeFactory(name="Lantern", default_language="en")
    indonesian_practice = PracticeFactory(name="Cahaya", default_language="id")
    MembershipFactory(practice=english_practice, user=admin, role=Membership.Role.ADMIN)
    MembershipFactory(practice=indonesian_practice, user=admin, role=Membership.Role.ADMIN)
    # An existing user reads in their own language; a newcomer in the practice's.
    UserFactory(email="known@example.test", language="en")

    english = services.invitation_create(
        practice=indonesian_practice,
        email="known@example.test",
        role=Membership.Role.CLIENT,
        invited_by=admin,
    )
    indonesian = services.invitation_create(
        practice=indonesian_practice,
        email="baru@example.test",
        role=Membership.Role.COACH,
        invited_by=admin,
    )
    assert (english.language, indonesian.language) == ("en", "id")

    messages = wait_for(
        lambda: (lambda m: m if len(m) >= 2 else None)(sent_messages(celery_worker.mail_dir)),
        message="the worker to send two invitations",
    )
    by_recipient = {m["To"]: m for m in messages}
    assert set(by_recipient) == {"known@example.test", "baru@example.test"}
    for invitation in (english, indonesian):
        expected, _text, _html = emails.render(
            "invitation",
            {"invitation": invitation, "link": ""},
            language=invitation.language,
        )
        assert subject_of(by_recipient[invitation.email]) == expected
    assert "You are invited to Cahaya" in subject_of(by_recipient["known@example.test"])
    assert wait_for(
        lambda: Invitation.objects.filter(sent_at__isnull=False).count() == 2,
        message="the invitations to be marked sent",
    )
    assert "accounts.invitation_send" in celery_worker.log()


def test_login_rate_limit_counts_failures_in_redis(services):
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    user = UserFactory(email=f"limited-{uuid.uuid4().hex[:8]}@example.test")

    for _ in range(5):
        response = Client(REMOTE_ADDR=address).post(
            "/accounts/login/", {"login": user.email, "password": "wrong"}
        )
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated

    # A fresh client (no shared session): the count lives in the shared cache.
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated

    redis = cache._cache.get_client()
    assert list(redis.scan_iter(match=f"*allauth:rl:*login_failed*:{address}"))
