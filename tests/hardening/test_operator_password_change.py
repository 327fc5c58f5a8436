"""Finding 14 of #12: a user whose password an operator set is told so."""

from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

NEW = "a-new-long-password-from-ops"


def test_a_password_set_in_the_django_admin_is_announced_to_its_owner(world, client):
    operator = UserFactory(email="ops@cahaya.test", is_staff=True, is_superuser=True)
    client.force_login(operator)
    mail.outbox.clear()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[world.coach.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    world.coach.refresh_from_db()
    assert world.coach.check_password(NEW)
    sent = [m for m in mail.outbox if m.to == [world.coach.email]]
    assert len(sent) == 1
    assert "changed by an administrator" in sent[0].subject
    assert "changed by an administrator" in sent[0].body


def test_changepassword_on_the_command_line_is_announced(world, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("getpass.getpass", lambda *a, **k: NEW)
    mail.outbox.clear()
    call_command("changepassword", world.client.email, stdout=None)
    world.client.refresh_from_db()
    assert world.client.check_password(NEW)
    assert [m.to for m in mail.outbox] == [[world.client.email]]
    assert "changed by an administrator" in mail.outbox[0].subject
