"""No coaching content in any document: the canary test's plant (a unique string in every
content field; its invoices to the client and to the sponsor of a canaried program), then every
PDF each role can download (contracts, certificates, invoices), read back as text."""

import pytest
from django.urls import reverse

from billing.models import Invoice
from programs.models import Contract, Program
from tests.documents.pdftext import pdf_text
from tests.ethics.test_canary import Canaries, _plant

pytestmark = pytest.mark.django_db


def test_no_canary_in_any_pdf(world, client_for):
    canaries = Canaries()
    sponsor_b = _plant(world, canaries)
    slug = world.practice.slug
    urls = [reverse("contract_pdf", args=[slug, c.code]) for c in Contract.objects.all()]
    for program in Program.objects.filter(status=Program.Status.GRADUATED):
        url = reverse("certificate_pdf", args=[slug, program.code])
        urls += [url, url + "?outcomes=1"]
    urls += [
        reverse("invoice_pdf", args=[slug, i.code])
        for i in Invoice.objects.filter(practice=world.practice)
    ]
    assert len(urls) >= 5
    readers = [world.admin, world.coach, world.other_coach, world.client, world.sponsor, sponsor_b]
    read = 0
    for user in readers:
        browser = client_for(user)
        for url in urls:
            response = browser.get(url)
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            if response.status_code != 200:
                continue
            text = pdf_text(response)
            assert world.client.display_name in text  # the text was read back at all
            found = [c for c in canaries.allowed if c in text]
            assert not found, (user.email, url, found)
            read += 1
    assert read >= 10, read
