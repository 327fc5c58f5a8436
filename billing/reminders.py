"""Reminder kinds of billing (registered in BillingConfig.ready()): an invoice issued, due in
3 days, overdue; each to the invoice's bill-to party (the client or the sponsor), in their
language, through the outbox. A reminder is cancelled when it falls due if the invoice was
paid or voided meanwhile, or while the program is paused when the contract's billing says so.
Texts read the invoice's number, amount and dates: never coaching content."""

from datetime import timedelta

from django.utils import formats
from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.money import format_money
from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule, reminders_cancel
from programs.models import Program

from .models import ContractBilling, Invoice

INVOICE_ISSUED = "invoice_issued"
INVOICE_DUE_SOON = "invoice_due_soon"
INVOICE_OVERDUE = "invoice_overdue"
KINDS = (INVOICE_ISSUED, INVOICE_DUE_SOON, INVOICE_OVERDUE)
DUE_SOON_DAYS = 3


def _describe(invoice, recipient):
    return registry.Description(
        practice=invoice.practice,
        label=invoice.display_number,
        path=registry.reverse_first(
            [("invoice_detail", {"slug": invoice.practice.slug, "code": invoice.code})]
        ),
    )


def _invoice(reminder):
    return Invoice.objects.filter(code=reminder.object_code).first()


def _facts(reminder):
    invoice = _invoice(reminder)
    return {
        "number": reminder.object_label,
        "practice": reminder.practice.name,
        "amount": format_money(invoice.outstanding_minor, invoice.currency) if invoice else "",
        "day": formats.date_format(invoice.due_on, "DATE_FORMAT") if invoice else "",
    }


def _issued_text(reminder):
    return gettext(
        "Invoice %(number)s from %(practice)s has been issued: %(amount)s, due %(day)s."
    ) % _facts(reminder)


def _due_soon_text(reminder):
    return gettext("Invoice %(number)s from %(practice)s (%(amount)s) is due on %(day)s.") % (
        _facts(reminder)
    )


def _overdue_text(reminder):
    return gettext(
        "Invoice %(number)s from %(practice)s is overdue: %(amount)s was due on %(day)s."
    ) % _facts(reminder)


def _paused_and_quiet(invoice):
    """The program is paused and the contract's billing says no reminders then."""
    # By the contract: the invoice at signature is issued before the program exists.
    paused = Program.objects.filter(contract=invoice.contract_id, status=Program.Status.PAUSED)
    if not paused.exists():
        return False
    quiet = ContractBilling.objects.filter(contract=invoice.contract_id).values_list(
        "reminders_pause_with_program", flat=True
    )
    return quiet.first() is not False  # the default (no billing saved) is quiet


def _still_open(reminder):
    invoice = _invoice(reminder)
    if invoice is None or invoice.status not in Invoice.OPEN:
        return False
    if reminder.recipient_id != invoice.bill_to_id:
        return False
    return not _paused_and_quiet(invoice)


def invoice_schedule(invoice):
    """Call in invoice_issue's transaction: the bill-to party is told now, 3 days before the
    due date and the day after it (each cancelled when due if the invoice is paid by then)."""
    practice = invoice.practice
    made = [
        reminder_schedule(
            kind=INVOICE_ISSUED,
            recipient=invoice.bill_to,
            obj=invoice,
            occasion="issued",
            due_at=now(),
        )
    ]
    soon = registry.local_moment(practice, invoice.due_on - timedelta(days=DUE_SOON_DAYS))
    if soon > now():
        made.append(
            reminder_schedule(
                kind=INVOICE_DUE_SOON,
                recipient=invoice.bill_to,
                obj=invoice,
                occasion=f"due:{invoice.due_on.isoformat()}",
                due_at=soon,
            )
        )
    made.append(
        reminder_schedule(
            kind=INVOICE_OVERDUE,
            recipient=invoice.bill_to,
            obj=invoice,
            occasion=f"overdue:{invoice.due_on.isoformat()}",
            due_at=registry.local_moment(practice, invoice.due_on + timedelta(days=1)),
        )
    )
    return made


def invoice_cancel(invoice):
    """Paid or void: nothing more to remind about."""
    for kind in KINDS:
        reminders_cancel(kind=kind, obj=invoice)


registry.register(
    registry.Kind(
        name=INVOICE_ISSUED,
        label=_("An invoice has been issued to you"),
        describe=_describe,
        text=_issued_text,
        is_current=_still_open,
    )
)
registry.register(
    registry.Kind(
        name=INVOICE_DUE_SOON,
        label=_("An invoice is due in 3 days"),
        describe=_describe,
        text=_due_soon_text,
        is_current=_still_open,
    )
)
registry.register(
    registry.Kind(
        name=INVOICE_OVERDUE,
        label=_("An invoice is overdue"),
        describe=_describe,
        text=_overdue_text,
        is_current=_still_open,
    )
)
