"""Writes of billing: the payment schedule, invoices (drafted, numbered, issued, voided),
payments and the practice's billing settings.

Invoices issue themselves when an instalment falls due: `invoices_issue_due(contract=...)`
is called in the transaction of what makes one due (the last acceptance of a version, a
session held, the graduation) and by the beat scan (`invoices_scan_due`) for dates and
anything missed. Each instalment is claimed by a conditional update of its `invoiced_at`
(only the caller that changed the row issues it), backed by the unique constraint
invoice_once_per_instalment: an instalment is invoiced at most once, whoever runs.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.accounts.models import Membership
from coaching.money import format_money
from programs.models import Contract, Program
from programs.transitions.engine import locked, require_role
from sessions.models import Session

from . import reminders
from .models import (
    BillingSettings,
    ContractBilling,
    Instalment,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
    ReportCoachMonth,
    ReportDay,
)
from .transitions import INVOICE

log = logging.getLogger(__name__)
Role = Membership.Role
Trigger = Instalment.Trigger

PROOF_MAX_BYTES = 5 * 1024 * 1024
# What a proof of payment may be, told by its first bytes (never by its name or its declared
# type, which the sender chooses): PDF, PNG, JPEG.
PROOF_SIGNATURES = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
)


# Settings and who pays --------------------------------------------------------------------


def settings_for(practice):
    """The practice's billing settings, made with the defaults on first use."""
    found, _created = BillingSettings.objects.get_or_create(practice=practice)
    return found


def settings_update(*, practice, actor, **fields):
    require_role(practice, actor, Role.ADMIN)
    found = settings_for(practice)
    for name, value in fields.items():
        setattr(found, name, value)
    if not Decimal(0) <= Decimal(found.ppn_rate) < 100:
        raise ValidationError(_("The PPN rate is a percentage between 0 and 100."))
    found.save()
    return found


def billing_of(contract):
    """Who pays the contract: its saved billing, or by default the sponsor if there is one."""
    found = ContractBilling.objects.filter(contract=contract).first()
    if found is not None:
        return found
    payer = ContractBilling.Payer.SPONSOR if contract.sponsor_id else ContractBilling.Payer.CLIENT
    days = BillingSettings.objects.filter(practice=contract.practice_id).values_list(
        "payment_days", flat=True
    )
    return ContractBilling(contract=contract, payer=payer, payment_days=days.first() or 14)


def contract_billing_update(*, contract, actor, **fields):
    require_role(contract.practice, actor, Role.ADMIN)
    if fields.get("payer") == ContractBilling.Payer.SPONSOR and not contract.sponsor_id:
        raise ValidationError(_("This contract has no sponsor: bill the client."))
    if fields.get("late_cancellation_fee_minor", 0) < 0:
        raise ValidationError(_("A fee cannot be negative."))
    billing = billing_of(contract)
    for name, value in fields.items():
        setattr(billing, name, value)
    billing.updated_at = timezone.now()
    billing.save()
    return billing


def payer_user(contract, billing):
    if billing.payer == ContractBilling.Payer.SPONSOR and contract.sponsor_id:
        return contract.sponsor
    return contract.client


# The payment schedule ----------------------------------------------------------------------


def schedule_amounts(instalments, price_minor):
    """[(instalment, amount)] for a version's schedule. Shares of the price are rounded to the
    currency's unit; when the schedule covers the price, the last share takes the rounding so
    the instalments add up to it exactly."""
    rows = [(i, i.amount_of(price_minor)) for i in instalments]
    total = sum(amount for _i, amount in rows)
    shares = [n for n, (i, _a) in enumerate(rows) if i.kind == Instalment.Kind.PERCENT]
    if shares and total != price_minor and abs(total - price_minor) <= len(shares):
        n = shares[-1]
        rows[n] = (rows[n][0], rows[n][1] + price_minor - total)
    return rows


def _amounts_by_pk(version):
    return {
        i.pk: a for i, a in schedule_amounts(list(version.instalments.all()), version.price_minor)
    }


def _check_schedule(rows, *, price_minor, currency, sessions_count):
    for row in rows:
        kind, trigger = row.get("kind"), row.get("trigger")
        if kind == Instalment.Kind.PERCENT:
            percent = row.get("percent")
            if percent is None or not Decimal(0) < Decimal(percent) <= 100:
                raise ValidationError(_("A share of the price is between 0 and 100 percent."))
        elif kind == Instalment.Kind.AMOUNT:
            if not row.get("amount_minor") or row["amount_minor"] <= 0:
                raise ValidationError(_("An instalment's amount must be more than zero."))
        else:
            raise ValidationError(_("Say whether the instalment is a percent or an amount."))
        if trigger not in Trigger.values:
            raise ValidationError(_("Say when the instalment falls due."))
        if trigger == Trigger.DATE and not row.get("due_on"):
            raise ValidationError(_("Give the date the instalment falls due."))
        if trigger == Trigger.SESSION and not 1 <= (row.get("after_session") or 0) <= (
            sessions_count
        ):
            raise ValidationError(
                _("An instalment after session N needs N between 1 and %(count)s.")
                % {"count": sessions_count}
            )
    if rows:
        unsaved = [Instalment(**_instalment_fields(row)) for row in rows]
        total = sum(amount for _i, amount in schedule_amounts(unsaved, price_minor))
        if total != price_minor:
            raise ValidationError(
                _("The instalments add up to %(total)s; the contract's price is %(price)s.")
                % {
                    "total": format_money(total, currency),
                    "price": format_money(price_minor, currency),
                }
            )


def _instalment_fields(row):
    kind = row["kind"]
    trigger = row["trigger"]
    return {
        "kind": kind,
        "percent": row.get("percent") if kind == Instalment.Kind.PERCENT else None,
        "amount_minor": row.get("amount_minor") if kind == Instalment.Kind.AMOUNT else None,
        "trigger": trigger,
        "due_on": row.get("due_on") if trigger == Trigger.DATE else None,
        "after_session": row.get("after_session") if trigger == Trigger.SESSION else None,
    }


def instalment_rows(version):
    """A version's schedule as the rows schedule_set takes (to carry it to a new version)."""
    return [
        {
            "kind": i.kind,
            "percent": i.percent,
            "amount_minor": i.amount_minor,
            "trigger": i.trigger,
            "due_on": i.due_on,
            "after_session": i.after_session,
            "carried_from": i,
        }
        for i in version.instalments.all()
    ]


def schedule_set(*, version, rows, previous=None):
    """The version's payment schedule becomes `rows` (dicts: kind, percent or amount_minor,
    trigger, due_on or after_session). Call it in the transaction that saves the version's
    terms (programs.services.contract), before it is sent: a sent version is never edited.
    rows=None keeps the schedule, or carries the previous version's over (an amendment).
    An instalment already invoiced under an earlier version is carried as it is."""
    if rows is None:
        if previous is None or version.instalments.exists():
            _check_schedule(
                instalment_rows(version),
                price_minor=version.price_minor,
                currency=version.currency,
                sessions_count=version.sessions_count,
            )
            return list(version.instalments.all())
        rows = instalment_rows(previous)
    if previous is not None:
        # Invoiced under the earlier version: carried as the amount it was invoiced for.
        amounts = _amounts_by_pk(previous)
        invoiced = [
            {**r, "kind": Instalment.Kind.AMOUNT, "amount_minor": amounts[r["carried_from"].pk]}
            for r in instalment_rows(previous)
            if r["carried_from"].invoiced_at
        ]
        kept = {r["carried_from"].pk for r in rows if r.get("carried_from")}
        rows = [r for r in invoiced if r["carried_from"].pk not in kept] + list(rows)
    _check_schedule(
        rows,
        price_minor=version.price_minor,
        currency=version.currency,
        sessions_count=version.sessions_count,
    )
    # A row edited on the form names the instalment it edits (its code): the new row carries
    # that one's lineage, so an instalment invoiced meanwhile is not invoiced twice.
    sources = {i.code: i for i in (previous or version).instalments.all()}
    version.instalments.all().delete()
    made = []
    for position, row in enumerate(rows):
        source = row.get("carried_from") or sources.get(row.get("code"))
        if source is not None and source.version_id == version.pk:
            source = source.carried_from  # edited in place: the row it replaces goes
        made.append(
            Instalment.objects.create(
                version=version,
                position=position,
                carried_from=source,
                invoiced_at=source.invoiced_at if source is not None else None,
                **_instalment_fields(row),
            )
        )
    return made


# Invoices ----------------------------------------------------------------------------------


def _claim(instalment):
    """Claims an instalment for its invoice: True for the one caller whose conditional update
    changed the row. Its copies in later versions (an amendment waiting for acceptance) are
    marked too, so the same instalment is not invoiced again once the amendment is in force."""
    when = timezone.now()
    claimed = Instalment.objects.filter(pk=instalment.pk, invoiced_at=None).update(invoiced_at=when)
    ids = [instalment.pk]
    while ids:
        copies = Instalment.objects.filter(carried_from__in=ids, invoiced_at=None)
        ids = list(copies.values_list("pk", flat=True))
        Instalment.objects.filter(pk__in=ids).update(invoiced_at=when)
    return claimed == 1


def invoice_number_next(practice, year):
    """The next number of the practice's year, gapless. Call inside the issuing transaction:
    the counter row stays locked until it commits, so concurrent issuers queue here and a
    rolled-back issue gives its number back."""
    counter = InvoiceCounter.objects.select_for_update().filter(practice=practice, year=year)
    row = counter.first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create is fine
                InvoiceCounter.objects.create(practice=practice, year=year)
        except IntegrityError:
            pass
        row = counter.get()
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def _fill_bill_to(invoice, contract):
    billing = billing_of(contract)
    person = payer_user(contract, billing)
    invoice.payer = (
        ContractBilling.Payer.SPONSOR
        if person.pk == contract.sponsor_id and billing.payer == ContractBilling.Payer.SPONSOR
        else ContractBilling.Payer.CLIENT
    )
    invoice.bill_to = person
    invoice.bill_to_name = billing.legal_name or person.display_name
    invoice.bill_to_address = billing.address
    invoice.bill_to_npwp = billing.npwp
    return billing


def _draft(*, contract, lines, actor, instalment=None):
    """A draft invoice for the contract with lines [(kind, unit_price, facts, extra)]."""
    invoice = Invoice(
        practice=contract.practice,
        contract=contract,
        program=Program.objects.filter(contract=contract).first(),
        instalment=instalment,
        currency=contract.current_version.currency,
        created_by=actor,
    )
    _fill_bill_to(invoice, contract)
    invoice.save()
    for position, (kind, price, facts, extra) in enumerate(lines):
        InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            kind=kind,
            facts=facts,
            unit_price_minor=price,
            amount_minor=price,
            **extra,
        )
    _totals(invoice)
    invoice.save()
    INVOICE.created(invoice, actor=actor)
    return invoice


def _totals(invoice):
    gross = sum(line.amount_minor for line in invoice.lines.all())
    found = settings_for(invoice.practice)
    invoice.ppn_rate = found.ppn_rate
    invoice.prices_include_ppn = found.prices_include_ppn
    invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor = found.split(gross)
    return found


def _instalment_line(instalment, amount):
    siblings = instalment.version.instalments.count()
    facts = {
        "number": instalment.number,
        "count": siblings,
        "trigger": instalment.trigger,
        "percent": str(instalment.percent) if instalment.percent is not None else "",
        "after_session": instalment.after_session,
        "due_on": instalment.due_on.isoformat() if instalment.due_on else "",
    }
    return (InvoiceLine.Kind.INSTALMENT, amount, facts, {"instalment": instalment})


def invoice_draft_for_instalment(*, instalment, actor):
    """By hand: an admin drafts the invoice of an instalment (due or not) that has none."""
    contract = instalment.version.contract
    if actor is not None:
        require_role(contract.practice, actor, Role.ADMIN)
    amounts = _amounts_by_pk(instalment.version)
    try:
        with transaction.atomic():
            _claim(instalment)
            return _draft(
                contract=contract,
                lines=[_instalment_line(instalment, amounts[instalment.pk])],
                actor=actor,
                instalment=instalment,
            )
    except IntegrityError:
        raise ValidationError(_("This instalment already has an invoice.")) from None


def invoice_draft_other(*, contract, description, amount_minor, actor):
    """By hand: an admin drafts an invoice with one typed line (never coaching content: it
    prints on the invoice), e.g. a workshop day agreed outside the schedule."""
    require_role(contract.practice, actor, Role.ADMIN)
    description = (description or "").strip()[:200]
    if not description:
        raise ValidationError(_("Describe what the invoice is for."))
    if not amount_minor or amount_minor <= 0:
        raise ValidationError(_("An invoice's amount must be more than zero."))
    with transaction.atomic():
        line = (InvoiceLine.Kind.OTHER, amount_minor, {}, {"description": description})
        return _draft(contract=contract, lines=[line], actor=actor)


def invoice_issue(*, invoice, actor):
    """Numbers and issues a draft: the bill-to, the seller and the tax are fixed from now on,
    and the bill-to party is told (reminders, in the same transaction)."""

    def work(invoice):
        found = _totals(invoice)
        _fill_bill_to(invoice, invoice.contract)
        today = timezone.localdate()
        invoice.issued_on = today
        invoice.due_on = today + timedelta(days=billing_of(invoice.contract).payment_days)
        invoice.year = today.year
        invoice.number = invoice_number_next(invoice.practice, today.year)
        invoice.prefix = found.number_prefix
        invoice.seller_name = found.legal_name or invoice.practice.name
        invoice.seller_address = found.address
        invoice.seller_npwp = found.npwp
        invoice.bank_details = found.bank_details
        invoice.save()
        _report_day_add(invoice.practice_id, today, invoice.currency, invoiced=invoice.total_minor)
        _coach_month_add(invoice, invoiced=invoice.total_minor, count=1)

    invoice = INVOICE.apply(invoice, "issue", actor=actor, work=work)
    reminders.invoice_schedule(invoice)
    return invoice


def invoice_void(*, invoice, actor, reason):
    def check(invoice):
        if invoice.paid_minor:
            raise ValidationError(_("An invoice with payments cannot be voided."))

    def work(invoice):
        # Still in its state before the void: an issued invoice leaves the report's day.
        if invoice.status != Invoice.Status.DRAFT and invoice.issued_on is not None:
            _report_day_add(
                invoice.practice_id,
                invoice.issued_on,
                invoice.currency,
                invoiced=-invoice.total_minor,
            )
            _coach_month_add(invoice, invoiced=-invoice.total_minor, count=-1)

    invoice = INVOICE.apply(
        invoice,
        "void",
        actor=actor,
        reason=reason,
        check=check,
        work=work,
        changes={"void_reason": (reason or "")[:300]},
    )
    reminders.invoice_cancel(invoice)
    return invoice


def _held_count(contract):
    return Session.objects.filter(program__contract=contract, status=Session.Status.HELD).count()


def instalments_due(contract, today=None):
    """The in-force version's instalments due now and not yet invoiced."""
    if contract.status not in (Contract.Status.ACTIVE, Contract.Status.ENDED):
        return []
    version = contract.in_force_version
    waiting = [i for i in version.instalments.all() if i.invoiced_at is None]
    if not waiting:
        return []
    today = today or timezone.localdate()
    held = None
    graduated = None
    due = []
    for instalment in waiting:
        if instalment.trigger == Trigger.SIGNATURE:
            due.append(instalment)
        elif instalment.trigger == Trigger.DATE:
            if instalment.due_on <= today:
                due.append(instalment)
        elif instalment.trigger == Trigger.SESSION:
            held = _held_count(contract) if held is None else held
            if held >= instalment.after_session:
                due.append(instalment)
        elif instalment.trigger == Trigger.GRADUATION:
            if graduated is None:
                graduated = Program.objects.filter(
                    contract=contract, status=Program.Status.GRADUATED
                ).exists()
            if graduated:
                due.append(instalment)
    return due


def invoices_issue_due(*, contract, today=None):
    """Issues an invoice for each of the contract's instalments that fell due. Safe to call
    from anywhere, any number of times, concurrently: an instalment is claimed by a
    conditional update and the caller that claimed it issues it, in its transaction."""
    due = instalments_due(contract, today)
    if not due:
        return []
    version = due[0].version
    amounts = _amounts_by_pk(version)
    issued = []
    with transaction.atomic():
        for instalment in due:
            if not _claim(instalment):
                continue
            invoice = _draft(
                contract=contract,
                lines=[_instalment_line(instalment, amounts[instalment.pk])],
                actor=None,
                instalment=instalment,
            )
            issued.append(invoice_issue(invoice=invoice, actor=None))
    return issued


def invoices_scan_due(today=None):
    """Beat: every contract with an instalment not invoiced yet gets what fell due; open
    invoices past their due date become overdue. Returns (issued, overdue)."""
    today = today or timezone.localdate()
    contracts = Contract.objects.filter(
        status__in=(Contract.Status.ACTIVE, Contract.Status.ENDED),
        versions__instalments__invoiced_at=None,
    ).distinct()
    issued = 0
    for contract in contracts.iterator():
        try:
            issued += len(invoices_issue_due(contract=contract, today=today))
        except Exception:  # one contract's failure must not stop the others
            log.exception("issuing the due invoices of contract %s failed", contract.pk)
    overdue = 0
    for invoice in Invoice.objects.filter(
        status__in=(Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID), due_on__lt=today
    ).iterator():
        try:
            INVOICE.apply(invoice, "fall_overdue", actor=None)
            overdue += 1
        except ValidationError:
            continue  # paid or voided meanwhile
    return issued, overdue


def late_cancellation_charge(*, session):
    """A late cancellation by the client that, under the contract, does not use up the
    session: when the contract's billing sets a fee, an invoice for it is issued."""
    contract = session.program.contract
    if contract is None:
        return None
    billing = billing_of(contract)
    if billing.pk is None or billing.late_cancellation_fee_minor <= 0:
        return None
    facts = {
        "session_number": session.number,
        "day": timezone.localdate(session.starts_at).isoformat(),
    }
    line = (
        InvoiceLine.Kind.LATE_CANCELLATION,
        billing.late_cancellation_fee_minor,
        facts,
        {"session": session},
    )
    with transaction.atomic():
        invoice = _draft(contract=contract, lines=[line], actor=None)
        return invoice_issue(invoice=invoice, actor=None)


# Payments ----------------------------------------------------------------------------------


def proof_type_of(upload):
    """(extension, content type) of a proof of payment, told by its content; ValidationError
    for anything but a PDF, PNG or JPEG of at most 5 MB."""
    if upload.size > PROOF_MAX_BYTES:
        raise ValidationError(_("The proof of payment must be at most 5 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in PROOF_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    raise ValidationError(_("The proof of payment must be a PDF, PNG or JPEG file."))


def record_payment(
    *,
    invoice,
    amount_minor,
    paid_on,
    method=Payment.Method.BANK_TRANSFER,
    reference="",
    proof=None,
    external_reference=None,
    actor=None,
):
    """Records one payment of an issued invoice; the one writer of payments (an admin's form
    and the payment gateway's callback both call it).

    actor None is the platform itself (a gateway callback). With an external_reference (the
    gateway's id of the payment) a repeated callback returns the payment recorded the first
    time and records nothing: checked under the invoice's lock and backed by the unique
    column. An amount above what is still due is refused, with the amounts in the message."""
    if actor is not None:
        require_role(invoice.practice, actor, Role.ADMIN)
    external_reference = (external_reference or "").strip() or None
    proof_kind = proof_type_of(proof) if proof else None
    with transaction.atomic():
        invoice = locked(Invoice, invoice)
        if external_reference is not None:
            existing = Payment.objects.filter(external_reference=external_reference).first()
            if existing is not None:
                return existing
        if invoice.status not in Invoice.OPEN:
            raise ValidationError(
                _("This invoice is %(status)s: it takes no payment.")
                % {"status": invoice.get_status_display().lower()}
            )
        if amount_minor is None or amount_minor <= 0:
            raise ValidationError(_("A payment must be more than zero."))
        if amount_minor > invoice.outstanding_minor:
            raise ValidationError(
                _(
                    "This payment of %(amount)s is more than the %(due)s still due on this "
                    "invoice. Record at most %(due)s."
                )
                % {
                    "amount": format_money(amount_minor, invoice.currency),
                    "due": format_money(invoice.outstanding_minor, invoice.currency),
                }
            )
        payment = Payment(
            invoice=invoice,
            practice_id=invoice.practice_id,
            currency=invoice.currency,
            paid_on=paid_on,
            amount_minor=amount_minor,
            method=method,
            reference=(reference or "")[:100],
            external_reference=external_reference,
            recorded_by=actor,
        )
        if proof_kind is not None:
            payment.proof_ext, payment.proof_type = proof_kind
            payment.proof.save("proof", proof, save=False)
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError:
            if external_reference is None:
                raise
            return Payment.objects.get(external_reference=external_reference)
        _report_day_add(invoice.practice_id, paid_on, invoice.currency, received=amount_minor)
        _coach_month_add(invoice, received=amount_minor)
        paid = invoice.paid_minor + amount_minor
        if paid == invoice.total_minor:
            name = "pay"
        elif invoice.due_on and invoice.due_on < timezone.localdate():
            name = "pay_partly_late"
        else:
            name = "pay_partly"
        INVOICE.apply(invoice, name, actor=actor, locked=True, changes={"paid_minor": paid})
        if name == "pay":
            reminders.invoice_cancel(invoice)
    return payment


# The report's days (billing.models.ReportDay) ------------------------------------------------


def _report_day_add(practice_id, day, currency, *, invoiced=0, received=0):
    """Adds an invoice issued (invoiced > 0), voided (< 0) or a payment (received) to its
    day's row, in the caller's transaction: the row is created if missing (a concurrent
    creation is ignored), then incremented in the database (concurrent writers add up)."""
    ReportDay.objects.bulk_create(
        [ReportDay(practice_id=practice_id, day=day, currency=currency)], ignore_conflicts=True
    )
    sign = (invoiced > 0) - (invoiced < 0)
    ReportDay.objects.filter(practice_id=practice_id, day=day, currency=currency).update(
        invoiced_minor=F("invoiced_minor") + invoiced,
        invoiced_count=F("invoiced_count") + sign,
        received_minor=F("received_minor") + received,
        received_count=F("received_count") + (1 if received else 0),
    )


def _coach_month_row_add(practice_id, month, coach_key, currency, *, invoiced, received, count):
    key = {"practice_id": practice_id, "month": month, "coach_key": coach_key, "currency": currency}
    ReportCoachMonth.objects.bulk_create([ReportCoachMonth(**key)], ignore_conflicts=True)
    ReportCoachMonth.objects.filter(**key).update(
        invoiced_minor=F("invoiced_minor") + invoiced,
        invoiced_count=F("invoiced_count") + count,
        received_minor=F("received_minor") + received,
    )


def _coach_month_add(invoice, *, invoiced=0, received=0, count=0):
    """Adds an issued invoice (count 1), a void one (-1) or a payment on it to the report's
    month of its issue and the coach of its contract's program (0 without one), in the caller's
    transaction, which holds the invoice's lock (report_program_started takes the same locks)."""
    coach = Program.objects.filter(contract_id=invoice.contract_id).values_list("coach_id")
    _coach_month_row_add(
        invoice.practice_id,
        invoice.issued_on.replace(day=1),
        (coach.first() or (0,))[0],
        invoice.currency,
        invoiced=invoiced,
        received=received,
        count=count,
    )


def report_program_started(program):
    """A contract's program started (programs.services.chemistry, in its transaction): the
    contract's live invoices move, in the report's coach months, from "no program" (0) to the
    program's coach. The invoices are locked first, so a payment or an issue at the same time
    is either counted here or waits and then finds the program."""
    if program.contract_id is None:
        return
    invoices = Invoice.objects.filter(contract_id=program.contract_id)
    list(invoices.select_for_update().values_list("pk"))
    for practice_id, month, currency, total, paid, n in (
        invoices.exclude(status__in=(Invoice.Status.DRAFT, Invoice.Status.VOID))
        .exclude(issued_on=None)
        .annotate(month=TruncMonth("issued_on"))
        .values_list("practice_id", "month", "currency")
        .annotate(total=Sum("total_minor"), paid=Sum("paid_minor"), n=Count("pk"))
        .order_by()
    ):
        for coach, sign in ((0, -1), (program.coach_id, 1)):
            _coach_month_row_add(
                practice_id,
                month,
                coach,
                currency,
                invoiced=sign * total,
                received=sign * paid,
                count=sign * n,
            )


def report_coach_months_rows(invoices, practice_id=None):
    """The report's coach months computed from the invoices (`invoices`: the model, or the
    migration's queryset of it): {(practice_id, month, coach_key, currency): fields}."""
    live = invoices.exclude(status__in=("draft", "void")).exclude(issued_on=None)
    if practice_id is not None:
        live = live.filter(practice_id=practice_id)
    return {
        (practice, month, coach or 0, currency): {
            "invoiced_minor": total,
            "received_minor": paid,
            "invoiced_count": n,
        }
        for practice, month, coach, currency, total, paid, n in (
            live.annotate(month=TruncMonth("issued_on"))
            .values_list("practice_id", "month", "contract_program__coach_id", "currency")
            .annotate(total=Sum("total_minor"), paid=Sum("paid_minor"), n=Count("pk"))
            .order_by()
        )
    }


def report_days_rows(invoices, payments, practice_id=None):
    """The report's days computed from the invoices and payments (querysets of them, so the
    migration can pass its own): {(practice_id, day, currency): ReportDay fields}."""
    live = invoices.exclude(status__in=("draft", "void")).exclude(issued_on=None)
    paid = payments
    if practice_id is not None:
        live, paid = live.filter(practice_id=practice_id), paid.filter(practice_id=practice_id)
    rows = {}

    def row(key):
        return rows.setdefault(
            key,
            {"invoiced_minor": 0, "invoiced_count": 0, "received_minor": 0, "received_count": 0},
        )

    for practice, day, currency, total, n in (
        live.values_list("practice_id", "issued_on", "currency")
        .annotate(total=Sum("total_minor"), n=Count("pk"))
        .order_by()
    ):
        found = row((practice, day, currency))
        found["invoiced_minor"], found["invoiced_count"] = total, n
    for practice, day, currency, total, n in (
        paid.values_list("practice_id", "paid_on", "currency")
        .annotate(total=Sum("amount_minor"), n=Count("pk"))
        .order_by()
    ):
        found = row((practice, day, currency))
        found["received_minor"], found["received_count"] = total, n
    return rows


def report_days_rebuild(practice=None):
    """Rebuilds the report's days and coach months (of one practice, or of all) from the
    invoices and payments, in one transaction; returns how many days it wrote. For after a
    write that bypasses the services (bench_data's bulk load), or to check them. On
    PostgreSQL it first locks both tables against writes: a write in progress finishes first
    and is read from the invoices, a later one waits and adds to the rebuilt rows, so none is
    lost or counted twice."""
    practice_id = getattr(practice, "pk", practice)
    days, months = ReportDay.objects.all(), ReportCoachMonth.objects.all()
    if practice_id is not None:
        days, months = days.filter(practice_id=practice_id), months.filter(practice_id=practice_id)
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {ReportDay._meta.db_table}, {ReportCoachMonth._meta.db_table} "
                    "IN EXCLUSIVE MODE"
                )
        days.delete()
        months.delete()
        rows = report_days_rows(Invoice.objects.all(), Payment.objects.all(), practice_id)
        ReportDay.objects.bulk_create(
            [
                ReportDay(practice_id=practice, day=day, currency=currency, **sums)
                for (practice, day, currency), sums in rows.items()
            ],
            batch_size=1000,
        )
        coach_rows = report_coach_months_rows(Invoice.objects.all(), practice_id)
        ReportCoachMonth.objects.bulk_create(
            [
                ReportCoachMonth(
                    practice_id=practice, month=month, coach_key=coach, currency=currency, **sums
                )
                for (practice, month, coach, currency), sums in coach_rows.items()
            ],
            batch_size=1000,
        )
    return len(rows)
