"""The client's invoices in their data export and through erasure; billing's reminders to the
bill-to party, in their language, and none while the program is paused if the contract says so."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from billing.models import Invoice
from coaching.notifications.dispatch import dispatch_due
from coaching.notifications.models import Reminder
from programs.models import Program
from tests.ethics.exports import export_json
from tests.ethics.helpers import erasure_request_for

from .builders import scheduled_contract
from .test_services import _program

pytestmark = pytest.mark.django_db


def _client_pays(world, **billing):
    return scheduled_contract(world, payer="client", **billing).invoices.get()


def test_the_client_export_lists_the_invoices_billed_to_them(world, client_for):
    invoice = _client_pays(world)
    sections = json.loads(export_json(client_for(world.client), world.practice).content)["sections"]
    rows = sections["invoices"]["rows"]
    assert [(r["number"], r["total"]) for r in rows] == [(invoice.display_number, "Rp 8,325,000")]


def test_a_sponsor_paid_invoice_is_not_in_the_client_export(world, client_for):
    scheduled_contract(world, payer="sponsor")
    sections = json.loads(export_json(client_for(world.client), world.practice).content)["sections"]
    assert sections["invoices"]["rows"] == []


def test_erasure_keeps_the_invoices_as_issued(world, client_for):
    invoice = _client_pays(world)
    request = erasure_request_for(world)
    url = reverse(
        "erasure_request_complete", kwargs={"slug": world.practice.slug, "code": request.code}
    )
    client_for(world.admin).post(url)
    kept = Invoice.objects.get(pk=invoice.pk)
    assert (kept.display_number, kept.total_minor, kept.bill_to_name) == (
        invoice.display_number,
        8_325_000,
        invoice.bill_to_name,
    )


def test_the_issued_reminder_reaches_the_sponsor_in_indonesian_without_content(world):
    world.sponsor.language = "id"
    world.sponsor.save()
    invoice = scheduled_contract(world, payer="sponsor").invoices.get()
    dispatch_due()
    sent = [m for m in mail.outbox if world.sponsor.email in m.to]
    assert len(sent) == 1
    body = sent[0].body
    assert f"Faktur {invoice.display_number}" in body and "Rp 8.325.000" in body
    assert not [m for m in mail.outbox if world.client.email in m.to and "Faktur" in m.body]


def test_due_soon_and_overdue_reminders_fall_due_and_stop_once_paid(world):
    invoice = scheduled_contract(world, payer="sponsor").invoices.get()
    kinds = dict(Reminder.objects.filter(object_code=invoice.code).values_list("kind", "due_at"))
    assert set(kinds) == {"invoice_issued", "invoice_due_soon", "invoice_overdue"}
    assert timezone.localdate(kinds["invoice_due_soon"]) == invoice.due_on - timedelta(days=3)
    assert timezone.localdate(kinds["invoice_overdue"]) == invoice.due_on + timedelta(days=1)
    dispatch_due()
    mail.outbox.clear()
    with time_machine.travel(kinds["invoice_overdue"] + timedelta(minutes=1)):
        dispatch_due()
    texts = [m.body for m in mail.outbox]
    assert any("is due on" in t for t in texts) and any("is overdue" in t for t in texts)


def test_no_payment_reminder_while_the_program_is_paused(world):
    contract = scheduled_contract(world, payer="sponsor")
    program = _program(world, contract)
    invoice = contract.invoices.get()
    dispatch_due()
    Program.objects.filter(pk=program.pk).update(status=Program.Status.PAUSED)
    mail.outbox.clear()
    overdue = Reminder.objects.get(object_code=invoice.code, kind="invoice_overdue")
    with time_machine.travel(overdue.due_at + timedelta(minutes=1)):
        dispatch_due()
    assert mail.outbox == []
    overdue.refresh_from_db()
    assert overdue.status == "cancelled"


def test_reminders_continue_while_paused_when_the_contract_says_so(world):
    contract = scheduled_contract(world, payer="sponsor", reminders_pause_with_program=False)
    program = _program(world, contract)
    invoice = contract.invoices.get()
    dispatch_due()
    Program.objects.filter(pk=program.pk).update(status=Program.Status.PAUSED)
    mail.outbox.clear()
    overdue = Reminder.objects.get(object_code=invoice.code, kind="invoice_overdue")
    with time_machine.travel(overdue.due_at + timedelta(minutes=1)):
        dispatch_due()
    assert any("is overdue" in m.body for m in mail.outbox)
