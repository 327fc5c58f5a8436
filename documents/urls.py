from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}contracts/<uuid:code>/pdf/", views.contract_pdf, name="contract_pdf"),
    path(
        f"{P}programs/<uuid:code>/certificate/pdf/", views.certificate_pdf, name="certificate_pdf"
    ),
    path(f"{P}invoices/<uuid:code>/pdf/", views.invoice_pdf, name="invoice_pdf"),
]
