"""The WhatsApp number in the client's export and erasure; stored encrypted."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from coaching.whatsapp import services
from coaching.whatsapp.models import WhatsAppOptIn
from tests.ethics.exports import export_json
from tests.ethics.helpers import erasure_request_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.practice.slug, **kwargs})


def test_the_number_is_encrypted_in_the_database(world):
    opt_in = services.opt_in_give(user=world.client, phone="0812 3456 7890")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, text FROM whatsapp_whatsappoptin WHERE id = %s", [opt_in.pk])
        phone, text = cursor.fetchone()
    assert "81234567890" not in phone
    assert text.startswith("I agree")  # the agreed text, like a consent's, is not content


def test_the_export_holds_every_opt_in_with_its_number_and_dates(world, client_for):
    services.opt_in_give(user=world.client, phone="0812 3456 7890")
    services.opt_in_withdraw(user=world.client)
    services.opt_in_give(user=world.client, phone="0813 9876 5432")
    client = client_for(world.client)
    data = json.loads(export_json(client, world.practice).content)["sections"]
    section = data["whatsapp_opt_ins"]
    assert sorted(row["phone"] for row in section["rows"]) == ["+6281234567890", "+6281398765432"]
    assert sum(1 for row in section["rows"] if row["withdrawn_at"]) == 1
    page = client.get(_url("data_export_page", world)).content.decode()
    assert "WhatsApp number" in page and "+6281398765432" in page


def test_erasure_withdraws_the_opt_in_and_removes_every_number(world, client_for):
    services.opt_in_give(user=world.client, phone="0812 3456 7890")
    services.opt_in_give(user=world.client, phone="0813 9876 5432")
    request = erasure_request_for(world)
    client_for(world.admin).post(_url("erasure_request_complete", world, code=request.code))
    rows = list(WhatsAppOptIn.objects.filter(user=world.client))
    assert len(rows) == 2  # when it was given and withdrawn stays as proof
    assert all(r.withdrawn_at is not None for r in rows)
    assert [r.phone for r in rows] == ["", ""]
    assert not any("813" in r.text for r in rows)


def test_erasure_in_one_practice_keeps_the_opt_in_of_someone_in_another(world, client_for):
    MembershipFactory(practice=world.practice_b, user=world.client, role="client")
    services.opt_in_give(user=world.client, phone="0812 3456 7890")
    request = erasure_request_for(world)
    client_for(world.admin).post(_url("erasure_request_complete", world, code=request.code))
    opt_in = WhatsAppOptIn.objects.get(user=world.client)
    assert opt_in.withdrawn_at is None and opt_in.phone == "+6281234567890"
