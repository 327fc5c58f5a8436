"""Billing: the contract's payment schedule, invoices, their numbers and payments.

Nothing here is coaching content: an invoice names the parties, the program's price and its
instalments, never a theme, a goal or a note. Amounts are integer minor units of the
contract's currency (coaching.money; IDR has none below the Rupiah).
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coaching.accounts.models import Practice
from programs.models import Contract, ContractVersion, Program
from sessions.models import Session


class BillingSettings(models.Model):
    """One practice's seller details and tax (PPN) as invoices print them."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="billing_settings"
    )
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    npwp = models.CharField(_("tax number (NPWP)"), max_length=32, blank=True)
    ppn_rate = models.DecimalField(
        _("PPN rate (%)"), max_digits=5, decimal_places=2, default=Decimal("11.00")
    )
    prices_include_ppn = models.BooleanField(_("prices include PPN"), default=False)
    number_prefix = models.CharField(_("invoice number prefix"), max_length=12, default="INV")
    payment_days = models.PositiveSmallIntegerField(_("payable within (days)"), default=14)
    bank_details = models.TextField(_("bank account for transfers"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ppn_rate__gte=0) & Q(ppn_rate__lt=100), name="billing_ppn_rate_range"
            )
        ]

    def __str__(self):
        return f"Billing settings of practice {self.practice_id}"

    def split(self, gross_minor):
        """(subtotal, tax, total) of lines adding up to gross_minor, under this practice's PPN."""
        rate = Decimal(self.ppn_rate)
        if self.prices_include_ppn:
            tax = int((Decimal(gross_minor) * rate / (100 + rate)).quantize(1, ROUND_HALF_UP))
            return gross_minor - tax, tax, gross_minor
        tax = int((Decimal(gross_minor) * rate / 100).quantize(1, ROUND_HALF_UP))
        return gross_minor, tax, gross_minor + tax


class ContractBilling(models.Model):
    """Who pays a contract and how its invoices are addressed: the client, or the sponsor's
    company (legal name, address, NPWP). Edited by the practice's admins."""

    class Payer(models.TextChoices):
        CLIENT = "client", _("The client")
        SPONSOR = "sponsor", _("The sponsor's company")

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="billing")
    payer = models.CharField(_("billed to"), max_length=16, choices=Payer.choices)
    legal_name = models.CharField(_("legal name on the invoice"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    npwp = models.CharField(_("tax number (NPWP)"), max_length=32, blank=True)
    payment_days = models.PositiveSmallIntegerField(_("payable within (days)"), default=14)
    late_cancellation_fee_minor = models.BigIntegerField(
        _("fee for a late cancellation that does not use up the session"), default=0
    )
    reminders_pause_with_program = models.BooleanField(
        _("no payment reminders while the program is paused"), default=True
    )
    updated_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Billing of contract {self.contract_id}"


class Instalment(models.Model):
    """One instalment of a contract version's payment schedule: a share of the price (percent)
    or an amount, due on a trigger. Accepted with its version and, once sent, never edited:
    an amendment's version carries its own copies."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent of the price")
        AMOUNT = "amount", _("Amount")

    class Trigger(models.TextChoices):
        SIGNATURE = "signature", _("at signature")
        DATE = "date", _("on a date")
        SESSION = "session", _("after session N")
        GRADUATION = "graduation", _("at graduation")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        ContractVersion, on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amount_minor = models.BigIntegerField(_("amount"), null=True, blank=True)
    trigger = models.CharField(_("due"), max_length=12, choices=Trigger.choices)
    due_on = models.DateField(_("on"), null=True, blank=True)
    after_session = models.PositiveSmallIntegerField(_("after session"), null=True, blank=True)
    # The instalment of the previous version this one carries over (an amendment copies the
    # schedule); an instalment invoiced under that version is not invoiced again.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claimed by the one caller that issues its invoice (a conditional update, see
    # billing.services.invoices_issue_due); the unique constraint on Invoice backs it.
    invoiced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="percent", percent__gt=0, percent__lte=100))
                | Q(kind="amount", amount_minor__gt=0),
                name="instalment_value",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="date") | Q(due_on__isnull=False),
                name="instalment_date_trigger",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="session") | Q(after_session__gte=1),
                name="instalment_session_trigger",
            ),
        ]

    def __str__(self):
        return f"Instalment {self.position + 1} of contract version {self.version_id}"

    @property
    def number(self):
        return self.position + 1

    def amount_of(self, price_minor):
        if self.kind == self.Kind.AMOUNT:
            return self.amount_minor
        return int((Decimal(price_minor) * self.percent / 100).quantize(1, ROUND_HALF_UP))

    @property
    def trigger_label(self):
        if self.trigger == self.Trigger.DATE:
            return _("on %(day)s") % {"day": self.due_on.strftime("%Y-%m-%d")}
        if self.trigger == self.Trigger.SESSION:
            return _("after session %(number)s") % {"number": self.after_session}
        return self.get_trigger_display()


class InvoiceCounter(models.Model):
    """The last number given per practice and year. Locked (select_for_update) by the one
    writer of invoice numbers, so numbers are gapless and never repeated."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "year"], name="invoice_counter_per_year")
        ]

    def __str__(self):
        return f"Invoice counter {self.year} of practice {self.practice_id}"


class InvoiceQuerySet(models.QuerySet):
    def open(self):
        """Issued and not paid in full (what the practice is still owed)."""
        return self.filter(status__in=Invoice.OPEN)

    def past_due(self, today):
        return self.open().filter(due_on__lt=today)


class Invoice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", pgettext_lazy("invoice", "Paid")
        OVERDUE = "overdue", _("Overdue")
        VOID = "void", pgettext_lazy("invoice", "Void")

    OPEN = (Status.ISSUED, Status.PARTLY_PAID, Status.OVERDUE)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invoices")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="invoices")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    # The program of the invoice's contract, joined on the contract (no column): the report's
    # revenue by coach reads the coach from it, whether or not the program existed when the
    # invoice was issued (`program` above is set only if it did).
    contract_program = models.ForeignObject(
        Program,
        on_delete=models.DO_NOTHING,
        from_fields=["contract"],
        to_fields=["contract"],
        null=True,
        related_name="+",
    )
    instalment = models.ForeignKey(
        Instalment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Given once, when issued (billing.services.invoice_number_next): gapless per practice and
    # year; a void invoice keeps it.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    prefix = models.CharField(max_length=12, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    # Bill-to, copied from the contract's billing when issued: an invoice never changes after.
    payer = models.CharField(max_length=16, choices=ContractBilling.Payer.choices)
    bill_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices_to_pay"
    )
    bill_to_name = models.CharField(max_length=200)
    bill_to_address = models.TextField(max_length=500, blank=True)
    bill_to_npwp = models.CharField(max_length=32, blank=True)
    # The seller and the tax, copied from the practice's billing settings when issued.
    seller_name = models.CharField(max_length=200, blank=True)
    seller_address = models.TextField(max_length=500, blank=True)
    seller_npwp = models.CharField(max_length=32, blank=True)
    bank_details = models.TextField(max_length=500, blank=True)
    ppn_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    prices_include_ppn = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default="IDR")
    subtotal_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    paid_minor = models.BigIntegerField(default=0)
    void_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "year", "number"], name="invoice_number_per_practice_year"
            ),
            # One live invoice per instalment: the backstop of the issuing claim.
            models.UniqueConstraint(
                fields=["instalment"],
                condition=Q(instalment__isnull=False) & ~Q(status="void"),
                name="invoice_once_per_instalment",
            ),
            # A number from issuing on; a draft voided before it was issued never takes one
            # (the year's numbering stays gapless).
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="void", issued_on=None)
                | Q(number__isnull=False),
                name="invoice_numbered_once_issued",
            ),
            models.CheckConstraint(
                condition=Q(paid_minor__gte=0) & Q(paid_minor__lte=models.F("total_minor")),
                name="invoice_paid_within_total",
            ),
        ]
        indexes = [
            # The practice's invoice list, by state.
            models.Index(fields=["practice", "status"], name="invoice_practice_status"),
            # The billing report of a period (billing.selectors.report): the practice's live
            # invoices issued in it, by month, coach and sponsor, read from the index alone.
            models.Index(
                fields=["practice", "issued_on"],
                include=["currency", "total_minor", "paid_minor", "contract"],
                condition=~Q(status__in=["draft", "void"]),
                name="invoice_report_issued",
            ),
            # The report's revenue by sponsor: the period's live invoices billed to a sponsor.
            models.Index(
                fields=["practice", "issued_on"],
                include=["bill_to_name", "currency", "total_minor", "paid_minor"],
                condition=Q(payer="sponsor") & ~Q(status__in=["draft", "void"]),
                name="invoice_report_sponsor",
            ),
            # What is still owed today (the report's outstanding and overdue, and its list of
            # open invoices by due date): the open invoices only, in the list's order.
            models.Index(
                fields=["practice", "due_on", "id"],
                include=["currency", "total_minor", "paid_minor"],
                condition=Q(status__in=["issued", "partly_paid", "overdue"]),
                name="invoice_open_by_due",
            ),
            # A client's or sponsor's own invoices.
            models.Index(fields=["bill_to", "practice"], name="invoice_bill_to"),
        ]

    def __str__(self):
        return f"Invoice {self.code}"

    @property
    def display_number(self):
        if self.number is None:
            return ""
        return f"{self.prefix or 'INV'}/{self.year}/{self.number:04d}"

    @property
    def outstanding_minor(self):
        return max(self.total_minor - self.paid_minor, 0)

    @property
    def is_void(self):
        return self.status == self.Status.VOID


class InvoiceLine(models.Model):
    """One line. Its words are written when shown, in the reader's language (`label`)."""

    class Kind(models.TextChoices):
        INSTALMENT = "instalment", _("Instalment")
        LATE_CANCELLATION = "late_cancellation", _("Late cancellation")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    instalment = models.ForeignKey(
        Instalment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a line typed by an admin (kind OTHER): never coaching content, it prints on invoices.
    description = models.CharField(max_length=200, blank=True)
    # Facts for the label, fixed when the line is made: instalment n of m, session number, date.
    facts = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price_minor = models.BigIntegerField()
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"Line {self.position + 1} of invoice {self.invoice_id}"

    @property
    def label(self):
        facts = self.facts or {}
        if self.kind == self.Kind.INSTALMENT:
            trigger = facts.get("trigger", "")
            if trigger == Instalment.Trigger.SESSION:
                when = _("after session %(number)s") % {"number": facts.get("after_session")}
            elif trigger == Instalment.Trigger.DATE:
                when = _("on %(day)s") % {"day": facts.get("due_on", "")}
            else:
                when = Instalment.Trigger(trigger).label if trigger else ""
            share = f"{Decimal(facts['percent']).normalize():f}% · " if facts.get("percent") else ""
            return _("Coaching program, instalment %(number)s of %(count)s (%(share)s%(when)s)") % {
                "number": facts.get("number", ""),
                "count": facts.get("count", ""),
                "share": share,
                "when": when,
            }
        if self.kind == self.Kind.LATE_CANCELLATION:
            return _("Late cancellation of session %(number)s on %(day)s") % {
                "number": facts.get("session_number", ""),
                "day": facts.get("day", ""),
            }
        return self.description


def proof_upload_to(payment, filename):
    # Never the uploaded name (it may say anything): a fresh name with the checked type.
    return f"billing/proofs/{payment.invoice.practice_id}/{uuid.uuid4().hex}{payment.proof_ext}"


class Payment(models.Model):
    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        GATEWAY = "gateway", _("Payment link")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    # The invoice's practice and currency, copied when recorded: the report's money received
    # in a period reads the practice's payments by date from one index, without the invoices.
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    paid_on = models.DateField(_("paid on"))
    amount_minor = models.BigIntegerField(_("amount"))
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.BANK_TRANSFER
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    proof = models.FileField(_("proof of payment"), upload_to=proof_upload_to, blank=True)
    proof_type = models.CharField(max_length=40, blank=True)
    # A payment gateway's own id for the payment: a repeated callback finds it and records
    # nothing new (billing.services.record_payment).
    external_reference = models.CharField(max_length=100, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=now)

    proof_ext = ""  # set by the service before saving the file

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_positive")
        ]
        indexes = [
            # The billing report's money received in a period (billing.selectors.report).
            models.Index(
                fields=["practice", "paid_on"],
                include=["currency", "amount_minor"],
                name="payment_report_paid",
            )
        ]

    def __str__(self):
        return f"Payment {self.code}"


class ReportDay(models.Model):
    """What a practice invoiced and received on a day, in a currency: the billing report's
    months are added up from these rows (a year is at most 365 of them, however many invoices
    the practice issues) instead of from every invoice and payment of the period (#11).

    invoiced: the live invoices issued that day (a void or draft invoice counts nowhere);
    received: the payments paid that day; each with how many, so a day whose amounts are zero
    is still told from a day with nothing. Kept by billing.services in the transaction of each
    write (issue, void, payment); rebuilt from the invoices and payments by
    billing.services.report_days_rebuild (`manage.py billing_report_rebuild`) after a write
    that bypasses the services (a bulk load)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    currency = models.CharField(max_length=3)
    invoiced_minor = models.BigIntegerField(default=0)
    invoiced_count = models.IntegerField(default=0)
    received_minor = models.BigIntegerField(default=0)
    received_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # One row a practice, day and currency (the services' increments rely on it; no
            # INCLUDE, which SQLite would drop with the uniqueness); the report reads a period
            # from its index (at most a row a day).
            models.UniqueConstraint(fields=["practice", "day", "currency"], name="report_day_once")
        ]

    def __str__(self):
        return f"{self.practice_id} {self.day} {self.currency}"


class ReportCoachMonth(models.Model):
    """What a practice's live invoices issued in a month come to, by the coach of their
    contract's program and currency: the billing report's table by coach reads whole months
    from these rows (a row a coach and month) instead of joining every invoice of the period to
    its program (#11); the days at the ends of a range that are not whole months are read from
    the invoices.

    coach_key: the coach's user id, 0 while the contract has no program (the table's "—").
    invoiced: the invoices' totals; received: what was paid on them (whenever it was paid);
    invoiced_count: how many (a coach shows when above 0). Kept by billing.services in the
    transaction of each write (issue, void, payment) and when a contract's program starts
    (its invoices move from 0 to the coach: programs.services.chemistry calls
    billing.services.report_program_started); rebuilt with the days (report_days_rebuild)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    coach_key = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    invoiced_minor = models.BigIntegerField(default=0)
    invoiced_count = models.IntegerField(default=0)
    received_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # One row a practice, month, coach and currency (the services' increments rely on
            # it); the report reads a period's months from its index.
            models.UniqueConstraint(
                fields=["practice", "month", "coach_key", "currency"],
                name="report_coach_month_once",
            )
        ]

    def __str__(self):
        return f"{self.practice_id} {self.month} {self.coach_key} {self.currency}"
