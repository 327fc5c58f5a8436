"""Prices read as the practice typed them: Rupiah have no minor unit in practice (issue 13).

Before the fix IDR carried two decimals, so Rp 15.000.000 typed in the form read "Rp 150.000"
on the proposal, the contract the client signs and the pipeline."""

import pytest
from django.urls import reverse

from programs.models import ContractVersion, Proposal
from tests.programs import builders


def _url(name, world, obj=None):
    kwargs = {"slug": world.practice.slug}
    if obj is not None:
        kwargs["code"] = obj.code
    return reverse(name, kwargs=kwargs)


def _proposal_data(world, price):
    return {
        "origin": "demand_led",
        "client": world.client.pk,
        "need": "Less firefighting.",
        "duration": 6,
        "sessions_count": 6,
        "session_minutes": 60,
        "cadence": "monthly",
        "price_minor": price,
        "currency": "IDR",
        "expires_on": "2030-01-01",
    }


@pytest.mark.parametrize(
    "typed",
    [
        "15000000",
        "15.000.000",
        "Rp 15.000.000",
        "15,000,000",
        "Rp 15 juta",
        "15 jt",
        "Rp15.000.000,-",
    ],
)
def test_the_price_is_taken_as_people_write_it(world, client_for, typed):
    response = client_for(world.admin).post(
        _url("proposal_create", world), _proposal_data(world, typed)
    )
    assert response.status_code == 302
    assert Proposal.objects.get().price_minor == 15_000_000


@pytest.mark.parametrize("typed", ["lima belas juta", "15.00.000", "-5", "15.000.000,50"])
def test_a_price_that_is_not_an_amount_is_refused_and_kept(world, client_for, typed):
    response = client_for(world.admin).post(
        _url("proposal_create", world), _proposal_data(world, typed)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert Proposal.objects.count() == 0
    assert f'value="{typed}"' in body
    assert "invalid-feedback" in body


@pytest.mark.parametrize(("language", "text"), [("en", "Rp 15,000,000"), ("id", "Rp 15.000.000")])
def test_the_proposal_contract_and_pipeline_read_the_price_typed(world, client_for, language, text):
    contract = builders.contract(world, status="sent")
    proposal = contract.proposal
    for user in (world.admin, world.client, world.sponsor):
        user.language = language
        user.save(update_fields=["language"])
    admin = client_for(world.admin)
    assert text in admin.get(_url("proposal_list", world)).content.decode()
    assert text in admin.get(_url("proposal_detail", world, proposal)).content.decode()
    for user in (world.admin, world.client, world.sponsor):
        body = client_for(user).get(_url("contract_detail", world, contract)).content.decode()
        assert text in body
        assert "Rp 150.000" not in body and "Rp 150,000" not in body


def test_the_contract_form_shows_the_price_back_grouped_and_a_second_change_keeps_it(
    world, client_for
):
    contract = builders.contract(world, status="sent")
    admin = client_for(world.admin)
    admin.get("/")  # nothing: the language is the admin's (English)
    form = admin.get(_url("contract_edit", world, contract)).content.decode()
    assert 'value="15,000,000"' in form
    version = contract.current_version
    data = {
        "starts_on": version.starts_on.isoformat(),
        "ends_on": version.ends_on.isoformat(),
        "sessions_count": version.sessions_count,
        "session_minutes": version.session_minutes,
        "cadence": version.cadence,
        "price_minor": "Rp 12.500.000",
        "currency": "IDR",
        "cancellation_notice_hours": 24,
        "late_cancellation_uses_session": "on",
        "change_reason": "discount",
    }
    assert admin.post(_url("contract_edit", world, contract), data).status_code == 302
    assert (
        'value="12,500,000"' in admin.get(_url("contract_edit", world, contract)).content.decode()
    )
    data.update(price_minor="13 juta", change_reason="second change")
    assert admin.post(_url("contract_edit", world, contract), data).status_code == 302
    prices = list(
        ContractVersion.objects.filter(contract=contract)
        .order_by("number")
        .values_list("price_minor", flat=True)
    )
    # Version 2 was not sent yet, so the second change edits it in place.
    assert prices == [15_000_000, 13_000_000]
    assert "Rp 13,000,000" in admin.get(_url("contract_detail", world, contract)).content.decode()


def test_a_currency_with_cents_keeps_them(world, client_for):
    data = _proposal_data(world, "1,234.56")
    data["currency"] = "USD"
    assert client_for(world.admin).post(_url("proposal_create", world), data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.price_minor == 123456
    body = client_for(world.admin).get(_url("proposal_detail", world, proposal)).content.decode()
    assert "US$ 1,234.56" in body


@pytest.mark.parametrize(
    ("language", "amounts"),
    [("id", ["Rp 15.000.000", "Rp 9.000.000"]), ("en", ["Rp 15,000,000", "Rp 9,000,000"])],
)
def test_the_demos_pipeline_proposal_and_contract_read_the_demo_amounts(
    db, client, language, amounts
):
    from django.core.management import call_command

    from coaching.accounts.models import User
    from programs.models import Contract

    call_command("demo")
    admin = User.objects.get(email="admin@cahaya.example")
    admin.language = language
    admin.save(update_fields=["language"])
    client.force_login(admin)
    pipeline = client.get(reverse("proposal_list", args=["cahaya"])).content.decode()
    for amount in amounts:
        assert amount in pipeline
    contract = Contract.objects.filter(practice__slug="cahaya").first()
    for page in (
        client.get(reverse("contract_detail", args=["cahaya", contract.code])),
        client.get(reverse("proposal_detail", args=["cahaya", contract.proposal.code])),
    ):
        assert any(amount in page.content.decode() for amount in amounts)
