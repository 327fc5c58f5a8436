"""Finding 3 of #12: behind the proxy the client's own address counts, so failures from one
address lock nobody else out; wrong passwords from a stranger do not lock the owner out; a
contract acceptance records the client's address, not the proxy's."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def _sign_in(password, email, **meta):
    browser = Client()
    response = browser.post(
        reverse("account_login"), {"login": email, "password": password}, **meta
    )
    return response


def test_a_stranger_cannot_lock_the_owner_out(db, settings):
    cache.clear()
    user = UserFactory(email="owner.lock@cahaya.test")
    for _ in range(8):
        _sign_in("wrong-password-123", user.email, REMOTE_ADDR="203.0.113.9")
    # the stranger's own address is locked, even with the right password
    refused = _sign_in(PASSWORD, user.email, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    # the owner, from their own address, signs in
    assert _sign_in(PASSWORD, user.email, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_behind_the_proxy_failures_of_one_address_do_not_lock_out_everybody(db, settings):
    cache.clear()
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    users = [UserFactory(email=f"proxy{i}@cahaya.test") for i in range(12)]
    for user in users[:11]:  # 11 failures through the proxy (127.0.0.1), from one attacker
        _sign_in(
            "wrong-password-123",
            user.email,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
    ok = _sign_in(
        PASSWORD, users[11].email, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert ok.status_code == 302


def test_a_contract_acceptance_records_the_clients_address_not_the_proxys(
    world, client_for, settings
):
    from programs.models import ContractAcceptance
    from tests.programs import builders

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    contract = builders.contract(world, status="sent")
    client_for(world.client).post(
        reverse("contract_accept", args=[world.practice.slug, contract.code]),
        {"version": str(contract.current_version.number), "party": "client"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    acceptance = ContractAcceptance.objects.get(party="client")
    assert acceptance.ip_address == "198.51.100.23"


def test_the_trusted_proxy_settings_come_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "from coaching.settings import base as b;"
        "print(b.ALLAUTH_TRUSTED_PROXY_COUNT, b.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "2", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["2", "X-Real-IP"], out.stderr
