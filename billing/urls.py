from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}invoices/", views.invoice_list, name="invoice_list"),
    path(f"{P}invoices/<uuid:code>/", views.invoice_detail, name="invoice_detail"),
    path(f"{P}invoices/<uuid:code>/issue/", views.invoice_issue, name="invoice_issue"),
    path(f"{P}invoices/<uuid:code>/void/", views.invoice_void, name="invoice_void"),
    path(f"{P}invoices/<uuid:code>/payments/", views.invoice_payment, name="invoice_payment"),
    path(f"{P}payments/<uuid:code>/proof/", views.payment_proof, name="payment_proof"),
    path(f"{P}contracts/<uuid:code>/billing/", views.contract_billing, name="contract_billing"),
    path(
        f"{P}contracts/<uuid:code>/invoices/new/",
        views.contract_invoice_other,
        name="contract_invoice_other",
    ),
    path(
        f"{P}instalments/<uuid:code>/invoice/",
        views.instalment_invoice,
        name="instalment_invoice",
    ),
    path(f"{P}billing/settings/", views.billing_settings, name="billing_settings"),
    path(f"{P}billing/report/", views.billing_report, name="billing_report"),
    path(f"{P}billing/report.csv", views.billing_report_csv, name="billing_report_csv"),
]
