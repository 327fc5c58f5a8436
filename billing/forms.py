"""Billing's forms: the payment schedule (a formset on the contract's terms page), who pays,
the practice's billing settings, a payment. Amounts are typed as people write them."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.money import AmountField, amount_to_minor, format_amount
from coaching.widgets import NativeDateInput, submission_field

from . import services
from .models import BillingSettings, ContractBilling, Instalment, Payment


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class InstalmentForm(forms.Form):
    """One instalment: a percent of the price or an amount, and when it falls due."""

    # The instalment this row edits (hidden): an amendment's row keeps its lineage.
    code = forms.UUIDField(required=False, widget=forms.HiddenInput)
    percent = forms.DecimalField(
        label=_("Percent of the price"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    amount = AmountField(label=_("or an amount"), required=False)
    trigger = forms.ChoiceField(
        label=_("Due"),
        choices=[("", "—"), *Instalment.Trigger.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due_on = forms.DateField(
        label=_("Date"),
        widget=NativeDateInput(attrs={"class": "form-control form-control-sm"}),
        required=False,
    )
    after_session = forms.IntegerField(
        label=_("After session"), min_value=1, max_value=500, required=False
    )

    def __init__(self, *args, currency="IDR", **kwargs):
        self.currency = currency
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) not in (None, "") for f in self.fields if f != "code"):
            return cleaned  # an empty row: no instalment
        percent, amount = cleaned.get("percent"), cleaned.get("amount")
        if (percent is None) == (amount is None):
            raise forms.ValidationError(_("Give either a percent of the price or an amount."))
        if amount is not None:
            amount_to_minor(self, "amount", self.currency)
        trigger = cleaned.get("trigger")
        if not trigger:
            self.add_error("trigger", _("Say when the instalment falls due."))
        elif trigger == Instalment.Trigger.DATE and not cleaned.get("due_on"):
            self.add_error("due_on", _("Give the date the instalment falls due."))
        elif trigger == Instalment.Trigger.SESSION and not cleaned.get("after_session"):
            self.add_error("after_session", _("Give the session it follows."))
        return cleaned

    def row(self):
        """The instalment this row describes, as schedule_set takes it; None when empty."""
        c = self.cleaned_data
        if not c or not c.get("trigger"):
            return None
        kind = Instalment.Kind.AMOUNT if c.get("amount") is not None else Instalment.Kind.PERCENT
        return {
            "kind": kind,
            "percent": c.get("percent"),
            "amount_minor": c.get("amount"),
            "trigger": c["trigger"],
            "due_on": c.get("due_on"),
            "after_session": c.get("after_session"),
            "code": c.get("code"),
        }


class _BaseSchedule(forms.BaseFormSet):
    def rows(self):
        return [r for r in (form.row() for form in self.forms) if r is not None]


ScheduleFormSet = forms.formset_factory(
    InstalmentForm, formset=_BaseSchedule, extra=2, max_num=12, absolute_max=24
)


def schedule_formset(data=None, *, version):
    """The version's instalments not yet invoiced as rows of the form (an invoiced one is
    carried as it is and shown, not edited), with two empty rows."""
    initial = [
        {
            "code": i.code,
            "percent": i.percent if i.kind == Instalment.Kind.PERCENT else None,
            "amount": format_amount(i.amount_minor, version.currency)
            if i.kind == Instalment.Kind.AMOUNT
            else "",
            "trigger": i.trigger,
            "due_on": i.due_on,
            "after_session": i.after_session,
        }
        for i in version.instalments.all()
        if i.invoiced_at is None
    ]
    return ScheduleFormSet(
        data,
        initial=initial,
        prefix="instalments",
        form_kwargs={"currency": version.currency},
    )


class ContractBillingForm(forms.ModelForm):
    late_cancellation_fee_minor = AmountField(
        label=_("Fee for a late cancellation that does not use up the session"),
        required=False,
        help_text=_("Empty or 0: no fee."),
    )

    class Meta:
        model = ContractBilling
        fields = [
            "payer",
            "legal_name",
            "address",
            "npwp",
            "payment_days",
            "late_cancellation_fee_minor",
            "reminders_pause_with_program",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        if not contract.sponsor_id:
            self.fields["payer"].choices = [
                c for c in self.fields["payer"].choices if c[0] != ContractBilling.Payer.SPONSOR
            ]
        if not self.is_bound:
            self.initial["late_cancellation_fee_minor"] = format_amount(
                self.instance.late_cancellation_fee_minor, self.currency
            )
        self.helper = _helper(_("Save"))

    @property
    def currency(self):
        return self.contract.current_version.currency

    def clean(self):
        cleaned = super().clean()
        amount_to_minor(self, "late_cancellation_fee_minor", self.currency)
        if cleaned.get("late_cancellation_fee_minor") is None:
            cleaned["late_cancellation_fee_minor"] = 0
        return cleaned


class BillingSettingsForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = [
            "legal_name",
            "address",
            "npwp",
            "ppn_rate",
            "prices_include_ppn",
            "number_prefix",
            "payment_days",
            "bank_details",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "bank_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ppn_rate"].min_value = 0
        self.fields["ppn_rate"].max_value = 99
        self.helper = _helper(_("Save"))

    def clean_number_prefix(self):
        prefix = self.cleaned_data["number_prefix"].strip().upper()
        if not prefix.replace("-", "").isalnum():
            raise forms.ValidationError(_("Use letters and digits only, for example INV."))
        return prefix


class PaymentForm(forms.ModelForm):
    # A double click or a resent form records one payment, not two (viewkit.first_submission).
    submission = submission_field()
    amount_minor = AmountField(label=_("Amount"))
    proof = forms.FileField(
        label=_("Proof of payment (PDF, PNG or JPEG, at most 5 MB)"), required=False
    )

    class Meta:
        model = Payment
        fields = ["paid_on", "amount_minor", "method", "reference"]
        widgets = {"paid_on": NativeDateInput()}

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.fields["method"].choices = [
            c for c in Payment.Method.choices if c[0] != Payment.Method.GATEWAY
        ]
        self.helper = _helper(_("Record the payment"))
        self.helper.form_tag = False

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be dated in the future."))
        return paid_on

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            services.proof_type_of(proof)  # ValidationError: PDF, PNG or JPEG, at most 5 MB
        return proof

    def clean(self):
        cleaned = super().clean()
        amount_to_minor(self, "amount_minor", self.invoice.currency)
        return cleaned


class OtherInvoiceForm(forms.Form):
    """An invoice typed by hand: one line, never coaching content (it prints on the invoice)."""

    submission = submission_field()
    description = forms.CharField(label=_("What the invoice is for"), max_length=200)
    amount = AmountField(label=_("Amount"))

    def __init__(self, *args, currency="IDR", **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.helper = _helper(_("Draft the invoice"))

    def clean(self):
        cleaned = super().clean()
        amount_to_minor(self, "amount", self.currency)
        return cleaned


class ReportPeriodForm(forms.Form):
    """The billing report's period: this month, quarter or year, the last 12 months (the
    default), or a custom range of dates. Read from the query string; bound or not,
    `dates()` is the (first day, last day, kind) the report covers."""

    THIS_MONTH, THIS_QUARTER, THIS_YEAR, LAST_12, CUSTOM = (
        "month",
        "quarter",
        "year",
        "12m",
        "custom",
    )
    DEFAULT = LAST_12
    # A custom range of more than this many years would list a row per month of all of them.
    MAX_YEARS = 10

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (THIS_MONTH, _("This month")),
            (THIS_QUARTER, _("This quarter")),
            (THIS_YEAR, _("This year")),
            (LAST_12, _("Last 12 months")),
            (CUSTOM, _("A range of dates")),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=NativeDateInput(attrs={"class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=NativeDateInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != self.CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if start is None or end is None:
            raise forms.ValidationError(_("A range of dates needs a first and a last day."))
        if start > end:
            raise forms.ValidationError(_("The first day of the range is after its last day."))
        if (end - start).days > 366 * self.MAX_YEARS:
            raise forms.ValidationError(
                _("A range of dates is at most %(years)s years long.") % {"years": self.MAX_YEARS}
            )
        return cleaned

    def dates(self):
        """(first day, last day, kind) of the chosen period; the default one while the form
        is unbound or invalid (its errors are shown beside it)."""
        kind = self.DEFAULT
        if self.is_bound and self.is_valid():
            kind = self.cleaned_data.get("period") or self.DEFAULT
            if kind == self.CUSTOM:
                return self.cleaned_data["start"], self.cleaned_data["end"], kind
        today = self.today
        month_start = today.replace(day=1)
        if kind == self.THIS_MONTH:
            start, months = month_start, 1
        elif kind == self.THIS_QUARTER:
            start, months = month_start.replace(month=(today.month - 1) // 3 * 3 + 1), 3
        elif kind == self.THIS_YEAR:
            start, months = month_start.replace(month=1), 12
        else:  # the last 12 months: this one and the 11 before it, whole
            start = _months_after(month_start, -11)
            months = 12
        return start, _months_after(start, months) - timedelta(days=1), kind


def _months_after(first_of_month, months):
    """The first day of the month `months` after the one beginning on first_of_month."""
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return first_of_month.replace(year=index // 12, month=index % 12 + 1)
