"""Billing's pages: invoices (list, page, issue, void, payments), the contract's billing,
the practice's billing settings and the reports. Admins manage; the bill-to party (a client
or a sponsor) reads its own invoices; coaches see none (403)."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.viewkit import first_submission, practice_view, release_submission, run_service

from . import selectors, services
from .forms import (
    BillingSettingsForm,
    ContractBillingForm,
    OtherInvoiceForm,
    PaymentForm,
    ReportPeriodForm,
)
from .transitions import INVOICE

READERS = [Role.ADMIN, Role.CLIENT, Role.SPONSOR]


def _to_invoice(access, invoice):
    return redirect("invoice_detail", slug=access.practice.slug, code=invoice.code)


@practice_view(roles=READERS)
def invoice_list(request, access):
    status = request.GET.get("status", "")
    return render(
        request,
        "billing/invoice_list.html",
        {
            "access": access,
            "invoices": selectors.invoice_list(
                access=access, status=status, page_number=request.GET.get("page")
            ),
            "status": status,
            "statuses": selectors.Invoice.Status.choices,
        },
    )


def _invoice_page(request, access, invoice, payment_form=None, status=200):
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "access": access,
            "invoice": invoice,
            "payment_form": payment_form
            if payment_form is not None
            else (PaymentForm(invoice=invoice) if access.is_admin else None),
            "transitions": INVOICE.available(invoice, request.user, access.roles)
            if access.is_admin
            else [],
        },
        status=status,
    )


@practice_view(roles=READERS)
def invoice_detail(request, access, code):
    invoice = selectors.get_invoice_for(access, code)
    return _invoice_page(request, access, invoice)


@require_POST
@practice_view(roles=[Role.ADMIN])
def invoice_issue(request, access, code):
    invoice = selectors.get_invoice_for(access, code)
    run_service(
        request,
        lambda: services.invoice_issue(invoice=invoice, actor=request.user),
        success=lambda done: _("Invoice %(number)s issued.") % {"number": done.display_number},
    )
    return _to_invoice(access, invoice)


@require_POST
@practice_view(roles=[Role.ADMIN])
def invoice_void(request, access, code):
    invoice = selectors.get_invoice_for(access, code)
    run_service(
        request,
        lambda: services.invoice_void(
            invoice=invoice, actor=request.user, reason=request.POST.get("reason", "").strip()
        ),
        success=_("The invoice is void. It keeps its number."),
    )
    return _to_invoice(access, invoice)


@require_POST
@practice_view(roles=[Role.ADMIN])
def invoice_payment(request, access, code):
    invoice = selectors.get_invoice_for(access, code)
    form = PaymentForm(request.POST, request.FILES, invoice=invoice)
    if form.is_valid():
        if not first_submission(request, form):
            return _to_invoice(access, invoice)  # a double click: the first one recorded it
        done = run_service(
            request,
            lambda: services.record_payment(
                invoice=invoice,
                amount_minor=form.cleaned_data["amount_minor"],
                paid_on=form.cleaned_data["paid_on"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
                proof=form.cleaned_data.get("proof"),
                actor=request.user,
            ),
            success=_("Payment recorded."),
            form=form,
        )
        if done:
            return _to_invoice(access, invoice)
        release_submission(request, form)  # refused: the same form may be sent corrected
    # The refusal is on the form, with what was typed (a file must be chosen again).
    invoice = selectors.get_invoice_for(access, code)
    return _invoice_page(request, access, invoice, payment_form=form, status=400)


@practice_view(roles=[Role.ADMIN])
def payment_proof(request, access, code):
    payment = selectors.get_payment_for(access, code)
    if not payment.proof:
        raise Http404
    return FileResponse(
        payment.proof.open("rb"),
        as_attachment=True,
        filename=f"proof-{payment.code}{payment.proof.name[-4:]}",
        content_type=payment.proof_type or "application/octet-stream",
    )


@practice_view(roles=[Role.ADMIN])
def contract_billing(request, access, code):
    contract = selectors.get_contract_for_billing(access, code)
    form = ContractBillingForm(
        request.POST or None, instance=services.billing_of(contract), contract=contract
    )
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        contract = selectors.get_contract_for_billing(access, code)
        if run_service(
            request,
            lambda: services.contract_billing_update(
                contract=contract, actor=request.user, **fields
            ),
            success=_("Billing saved."),
            form=form,
        ):
            return redirect("contract_billing", slug=access.practice.slug, code=contract.code)
    return _contract_billing_page(request, access, contract, form=form)


def _contract_billing_page(request, access, contract, *, form=None, other_form=None, status=200):
    if form is None:
        form = ContractBillingForm(instance=services.billing_of(contract), contract=contract)
    if other_form is None:
        other_form = OtherInvoiceForm(currency=contract.current_version.currency)
    other_form.helper.form_action = reverse(
        "contract_invoice_other", args=[access.practice.slug, contract.code]
    )
    return render(
        request,
        "billing/contract_billing.html",
        {
            "access": access,
            "form": form,
            "other_form": other_form,
            **selectors.contract_billing_page(contract=contract),
        },
        status=status,
    )


@require_POST
@practice_view(roles=[Role.ADMIN])
def contract_invoice_other(request, access, code):
    """By hand: an invoice with one typed line, drafted for the admin to check and issue."""
    contract = selectors.get_contract_for_billing(access, code)
    form = OtherInvoiceForm(request.POST, currency=contract.current_version.currency)
    if form.is_valid():
        if not first_submission(request, form):
            return redirect("contract_billing", slug=access.practice.slug, code=contract.code)
        done = run_service(
            request,
            lambda: services.invoice_draft_other(
                contract=contract,
                description=form.cleaned_data["description"],
                amount_minor=form.cleaned_data["amount"],
                actor=request.user,
            ),
            success=_("Invoice drafted: check it, then issue it."),
            form=form,
        )
        if done:
            return _to_invoice(access, done.value)
        release_submission(request, form)
    return _contract_billing_page(request, access, contract, other_form=form, status=400)


@require_POST
@practice_view(roles=[Role.ADMIN])
def instalment_invoice(request, access, code):
    instalment = selectors.get_instalment_for(access, code)
    done = run_service(
        request,
        lambda: services.invoice_draft_for_instalment(instalment=instalment, actor=request.user),
        success=_("Invoice drafted: check it, then issue it."),
    )
    if done:
        return _to_invoice(access, done.value)
    return redirect(
        "contract_billing", slug=access.practice.slug, code=instalment.version.contract.code
    )


@practice_view(roles=[Role.ADMIN])
def billing_settings(request, access):
    found = services.settings_for(access.practice)
    form = BillingSettingsForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        if run_service(
            request,
            lambda: services.settings_update(
                practice=access.practice, actor=request.user, **fields
            ),
            success=_("Billing settings saved."),
            form=form,
        ):
            return redirect("billing_settings", slug=access.practice.slug)
    return render(request, "billing/settings.html", {"access": access, "form": form})


@practice_view(roles=[Role.ADMIN])
def billing_report(request, access):
    form = ReportPeriodForm(request.GET or None)
    start, end, kind = form.dates()
    pages = {name: request.GET.get(name) or 1 for name in ("page", "coaches", "sponsors")}
    return render(
        request,
        "billing/report.html",
        {
            "access": access,
            "form": form,
            "kind": kind,
            **selectors.report(access=access, start=start, end=end, pages=pages),
        },
    )


@practice_view(roles=[Role.ADMIN])
def billing_report_csv(request, access):
    """The report of the period the page shows, every row."""
    start, end, _kind = ReportPeriodForm(request.GET or None).dates()
    body = selectors.report_csv(selectors.report(access=access, start=start, end=end))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="billing-report.csv"'
    return response
