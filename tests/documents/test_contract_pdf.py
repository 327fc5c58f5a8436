"""The contract as a PDF: the terms, the parties, the amounts as written and every acceptance
(who, when, from which address), in the reader's language."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from programs.models import ContractAcceptance
from tests.documents.pdftext import pdf_images, pdf_text
from tests.programs import builders

pytestmark = pytest.mark.django_db

ADDRESSES = {"client": "203.0.113.7", "practice": "198.51.100.20", "sponsor": "192.0.2.44"}


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def contract(world):
    world.practice.name = "Cahaya Coaching Institute"
    world.practice.address = "Jl. Sudirman 1\nJakarta 10220"
    world.practice.logo = _png()
    world.practice.save()
    for user, name in [(world.client, "Andi Saputra"), (world.sponsor, "Hendra Gunawan")]:
        user.full_name = name
        user.save()
    contract = builders.contract(world, status="active")
    for party, address in ADDRESSES.items():
        ContractAcceptance.objects.filter(version__contract=contract, party=party).update(
            ip_address=address
        )
    return contract


def _download(client_for, user, contract, language):
    user.language = language
    user.save()
    return client_for(user).get(
        reverse("contract_pdf", args=[contract.practice.slug, contract.code])
    )


def test_it_downloads_the_contract_as_an_uncached_attachment(world, client_for, contract):
    response = _download(client_for, world.admin, contract, "en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="cahaya-contract-')
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")


def test_the_admin_reads_terms_parties_and_every_acceptance_in_english(world, client_for, contract):
    text = pdf_text(_download(client_for, world.admin, contract, "en"))
    assert "Coaching contract with Cahaya Coaching Institute" in text
    assert "Jl. Sudirman 1 Jakarta 10220" in text  # the letterhead
    assert "Rp 15,000,000" in text
    assert "Andi Saputra" in text and "Hendra Gunawan" in text
    assert "Jan. 4, 2027" in text  # the period's start
    assert "6 × 60 minutes, monthly" in text
    assert "Acceptance record" in text
    for address in ADDRESSES.values():
        assert address in text


def test_the_client_reads_it_in_indonesian(world, client_for, contract):
    text = pdf_text(_download(client_for, world.client, contract, "id"))
    assert "Kontrak coaching dengan Cahaya Coaching Institute" in text
    assert "Rp 15.000.000" in text
    assert "4 Januari 2027" in text
    assert "Andi Saputra" in text and "Hendra Gunawan" in text
    assert "Harga" in text and "Penerimaan" in text
    assert "Coaching contract with" not in text and "Price" not in text


def test_a_party_sees_only_its_own_address_where_the_admin_sees_all(world, client_for, contract):
    text = pdf_text(_download(client_for, world.sponsor, contract, "en"))
    assert ADDRESSES["sponsor"] in text
    assert ADDRESSES["client"] not in text and ADDRESSES["practice"] not in text


def test_the_letterhead_carries_the_practice_logo(world, client_for, contract):
    response = _download(client_for, world.admin, contract, "en")
    assert len(pdf_images(response)) == 1


def test_an_amendment_lists_the_acceptances_of_each_version(world, client_for, contract):
    from programs import services

    v2 = services.contract_amend(
        contract=contract, actor=world.admin, reason="Two more sessions", sessions_count=8
    )
    services.contract_accept(
        contract=contract,
        version_number=v2.number,
        party="client",
        actor=world.client,
        ip_address="203.0.113.99",
    )
    text = pdf_text(_download(client_for, world.admin, contract, "en"))
    assert "Version 2" in text and "8 × 60 minutes, monthly" in text
    # Version 1: three acceptances; version 2: the client's so far, from its own address.
    assert ADDRESSES["client"] in text and "203.0.113.99" in text
    assert text.count("Andi Saputra") >= 3  # the parties, v1's and v2's acceptance rows
