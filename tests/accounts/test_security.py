"""MFA for staff, the Django admin behind allauth, and production settings that fail closed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PROD_SECRET = "prod-test-" + "q7W!zR2#kP9$mX4&" * 3  # 58 characters, many distinct


def test_a_practice_requiring_mfa_sends_a_coach_without_it_to_totp_setup(world, client_for):
    world.practice.require_mfa_for_staff = True
    world.practice.save()
    response = client_for(world.coach).get(f"/p/{world.practice.slug}/coach/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_practice_requiring_mfa_lets_a_client_in_without_it(world, client_for):
    world.practice.require_mfa_for_staff = True
    world.practice.save()
    response = client_for(world.client).get(f"/p/{world.practice.slug}/client/")
    assert response.status_code == 200


def test_a_coach_with_totp_passes_the_mfa_requirement(world, client_for):
    from allauth.mfa.models import Authenticator

    world.practice.require_mfa_for_staff = True
    world.practice.save()
    Authenticator.objects.create(
        user=world.coach, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client_for(world.coach).get(f"/p/{world.practice.slug}/coach/")
    assert response.status_code == 200


def test_the_django_admin_login_goes_through_allauth(client):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_django_admin_refuses_a_signed_in_non_staff_user(world, client_for):
    assert client_for(world.admin).get("/django-admin/login/").status_code == 403


def run_prod_check(*args, **env):
    """`manage.py check` under the production settings, with only the given configuration."""
    from cryptography.fernet import Fernet

    # Later apps require keys of their own in production (ethics: content encryption).
    env.setdefault("CONTENT_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    full_env.update(DJANGO_SETTINGS_MODULE="coaching.settings.prod", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_prod_check(ALLOWED_HOSTS="coaching.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_prod_check(SECRET_KEY="short", ALLOWED_HOSTS="coaching.example")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_prod_check(SECRET_KEY=PROD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deploy_check_with_no_warnings():
    result = run_prod_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=PROD_SECRET,
        ALLOWED_HOSTS="coaching.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
