"""The payment schedule, invoice issuing and numbering, payments (billing.services)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from billing import services
from billing.models import Instalment, Invoice, Payment
from coaching.notifications.models import Reminder
from programs import services as programs
from programs.models import Program
from sessions import services as session_services
from sessions.models import Session
from tests.programs import builders as lifecycle

from .builders import HALF_AND_HALF, accept_all, scheduled_contract

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_acceptance_by_every_party_issues_the_signature_instalment_to_the_sponsor(world):
    contract = scheduled_contract(
        world,
        accept=False,
        legal_name="PT Maju Jaya",
        payer="sponsor",
        address="Jl. Sudirman 1, Jakarta",
        npwp="01.234.567.8-901.000",
    )
    assert not Invoice.objects.exists()
    accept_all(world, contract)
    invoice = Invoice.objects.get()
    assert invoice.status == "issued"
    assert invoice.bill_to == world.sponsor
    assert invoice.bill_to_name == "PT Maju Jaya"
    assert invoice.bill_to_npwp == "01.234.567.8-901.000"
    assert invoice.display_number == f"INV/{invoice.issued_on.year}/0001"
    # 50% of Rp 15.000.000, PPN 11% on top by default.
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (
        7_500_000,
        825_000,
        8_325_000,
    )
    kinds = set(Reminder.objects.filter(recipient=world.sponsor).values_list("kind", flat=True))
    assert {"invoice_issued", "invoice_overdue"} <= kinds
    assert not Reminder.objects.filter(kind__startswith="invoice", recipient=world.client)


def test_the_session_instalment_waits_for_the_third_session_held(world):
    contract = scheduled_contract(world)
    program = _program(world, contract, sessions=4)
    sessions = list(program.sessions.order_by("number"))
    with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=JAKARTA)):
        for session in sessions[:2]:
            session_services.session_mark_held(session=session, actor=world.coach)
        assert Invoice.objects.count() == 1
        session_services.session_mark_held(session=sessions[2], actor=world.coach)
    second = Invoice.objects.exclude(instalment__trigger="signature").get()
    assert second.status == "issued"
    assert second.display_number == "INV/2027/0001"  # a new year starts at 1
    assert second.total_minor == 8_325_000


def test_a_schedule_that_does_not_add_up_to_the_price_is_refused_and_nothing_changes(world):
    contract = lifecycle.contract(world, status="draft")
    with pytest.raises(ValidationError, match="add up to Rp 12,000,000; the contract's price"):
        programs.contract_change_terms(
            contract=contract,
            actor=world.admin,
            instalments=[
                {"kind": "amount", "amount_minor": 12_000_000, "trigger": "signature"},
            ],
        )
    assert not Instalment.objects.exists()


def test_an_instalment_after_a_session_beyond_the_contract_is_refused(world):
    contract = lifecycle.contract(world, status="draft")
    rows = [{"kind": "percent", "percent": 100, "trigger": "session", "after_session": 7}]
    with pytest.raises(ValidationError, match="between 1 and 6"):
        programs.contract_change_terms(contract=contract, actor=world.admin, instalments=rows)


def test_an_amendment_carries_the_schedule_and_keeps_what_was_invoiced(world):
    contract = scheduled_contract(world)
    version = programs.contract_change_terms(
        contract=contract,
        actor=world.admin,
        reason="Two more sessions",
        sessions_count=8,
        price_minor=20_000_000,
        instalments=[
            {"kind": "amount", "amount_minor": 7_500_000, "trigger": "session", "after_session": 3},
            {"kind": "amount", "amount_minor": 5_000_000, "trigger": "signature"},
        ],
    )
    rows = list(version.instalments.all())
    # The instalment invoiced under version 1 is carried first, still invoiced.
    assert [(i.trigger, i.invoiced_at is not None) for i in rows] == [
        ("signature", True),
        ("session", False),
        ("signature", False),
    ]
    accept_all(world, contract)
    # Only the amendment's own signature instalment is invoiced on its acceptance.
    assert Invoice.objects.count() == 2
    assert Invoice.objects.order_by("number").last().subtotal_minor == 5_000_000


def test_the_sent_version_of_a_schedule_is_not_edited_in_place(world):
    contract = scheduled_contract(world, accept=False)
    first = contract.current_version
    programs.contract_change_terms(
        contract=contract,
        actor=world.admin,
        reason="All at signature",
        instalments=[{"kind": "percent", "percent": 100, "trigger": "signature"}],
    )
    assert first.instalments.count() == 2
    assert contract.current_version.instalments.get().percent == 100


def test_numbers_are_per_practice_and_year_and_a_void_keeps_its_number(world):
    first = scheduled_contract(world).invoices.get()
    services.invoice_void(invoice=first, actor=world.admin, reason="Wrong company name")
    first.refresh_from_db()
    assert first.status == "void"
    assert first.display_number.endswith("/0001")
    with time_machine.travel(datetime(2028, 1, 2, 9, 0, tzinfo=JAKARTA)):
        invoice = services.invoice_draft_for_instalment(
            instalment=first.instalment, actor=world.admin
        )
        services.invoice_issue(invoice=invoice, actor=world.admin)
    invoice.refresh_from_db()
    assert invoice.display_number == "INV/2028/0001"
    assert Invoice.objects.count() == 2


def test_a_void_needs_a_reason_and_refuses_a_paid_invoice(world):
    invoice = scheduled_contract(world).invoices.get()
    with pytest.raises(ValidationError, match="Say why"):
        services.invoice_void(invoice=invoice, actor=world.admin, reason="")
    _pay(world, invoice, 1_000_000)
    with pytest.raises(ValidationError, match="unpaid invoice"):
        services.invoice_void(invoice=invoice, actor=world.admin, reason="oops")
    invoice.refresh_from_db()
    assert invoice.status == "partly_paid"


def test_partial_payments_then_the_rest_mark_the_invoice_paid_and_stop_reminders(world):
    invoice = scheduled_contract(world).invoices.get()
    _pay(world, invoice, 3_000_000)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.outstanding_minor) == ("partly_paid", 5_325_000)
    _pay(world, invoice, 5_325_000)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    pending = Reminder.objects.filter(kind__startswith="invoice", status="pending")
    assert not pending.exists()


def test_an_overpayment_is_refused_with_the_amount_still_due(world):
    invoice = scheduled_contract(world).invoices.get()
    with pytest.raises(ValidationError, match=r"Rp 9,000,000 is more than the Rp 8,325,000"):
        _pay(world, invoice, 9_000_000)
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_a_repeated_gateway_callback_records_one_payment(world):
    invoice = scheduled_contract(world).invoices.get()
    for _ in range(2):
        payment = services.record_payment(
            invoice=invoice,
            amount_minor=8_325_000,
            paid_on=date.today(),
            method="gateway",
            external_reference="inv-123",
        )
    assert Payment.objects.get() == payment
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_minor) == ("paid", 8_325_000)


def test_a_proof_is_checked_by_its_content_not_its_name(world):
    invoice = scheduled_contract(world).invoices.get()
    fake = SimpleUploadedFile("slip.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF, PNG or JPEG"):
        _pay(world, invoice, 1_000, proof=fake)
    big = SimpleUploadedFile("slip.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError, match="at most 5 MB"):
        _pay(world, invoice, 1_000, proof=big)
    assert not Payment.objects.exists()
    payment = _pay(world, invoice, 1_000, proof=SimpleUploadedFile("x.txt", PNG, "text/plain"))
    assert payment.proof.name.endswith(".png")
    assert payment.proof_type == "image/png"


def test_the_beat_scan_issues_dated_instalments_and_marks_overdue(world):
    on = date.today() + timedelta(days=30)
    contract = scheduled_contract(
        world,
        schedule=[
            {"kind": "percent", "percent": 40, "trigger": "signature"},
            {"kind": "percent", "percent": 60, "trigger": "date", "due_on": on},
        ],
    )
    first = contract.invoices.get()
    assert services.invoices_scan_due(today=first.due_on) == (0, 0)
    with time_machine.travel(datetime.combine(on, datetime.min.time(), tzinfo=JAKARTA)):
        assert services.invoices_scan_due() == (1, 1)  # the dated one; the first is overdue
        assert services.invoices_scan_due() == (0, 0)
    first.refresh_from_db()
    assert first.status == "overdue"
    assert contract.invoices.get(instalment__trigger="date").status == "issued"


def test_graduation_issues_the_graduation_instalment(world):
    contract = scheduled_contract(
        world,
        schedule=[
            {"kind": "percent", "percent": 70, "trigger": "signature"},
            {"kind": "percent", "percent": 30, "trigger": "graduation"},
        ],
    )
    program = _program(world, contract)
    assert contract.invoices.count() == 1
    Program.objects.filter(pk=program.pk).update(status="graduated")
    services.invoices_issue_due(contract=contract)
    assert contract.invoices.count() == 2


def test_a_late_cancellation_that_does_not_use_the_session_is_charged(world):
    from sessions import scheduling

    contract = scheduled_contract(world, late_cancellation_fee_minor=1_500_000, payer="sponsor")
    version = contract.current_version
    version.late_cancellation_uses_session = False
    version.save()
    program = _program(world, contract, sessions=1)
    session = program.sessions.get()
    with time_machine.travel(session.starts_at - timedelta(hours=2)):
        scheduling.session_cancel(session=session, actor=world.admin, by="client")
    fee = Invoice.objects.get(lines__kind="late_cancellation")
    assert fee.subtotal_minor == 1_500_000
    assert "Late cancellation of session 1" in str(fee.lines.get().label)


def _pay(world, invoice, amount, **extra):
    return services.record_payment(
        invoice=invoice, amount_minor=amount, paid_on=date.today(), actor=world.admin, **extra
    )


def _program(world, contract, sessions=0):
    from sessions import scheduling

    meeting = programs.chemistry_propose(
        contract=contract,
        coach=world.coach,
        actor=world.admin,
        starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA),
    )
    with time_machine.travel(datetime(2026, 12, 1, 11, 0, tzinfo=JAKARTA)):
        programs.chemistry_record_outcome(
            meeting=meeting, actor=world.client, rapport=5, compatible=True, note="good"
        )
    program = programs.chemistry_choose(meeting=meeting, actor=world.client)
    if sessions:
        scheduling.sessions_schedule(
            program=program,
            actor=world.admin,
            starts=scheduling.series_starts(
                first=datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA), count=sessions, spacing_days=14
            ),
        )
    assert Session.objects.filter(program=program).count() == sessions
    return program


HALF = HALF_AND_HALF
