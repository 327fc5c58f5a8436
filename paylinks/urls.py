from django.urls import path

from . import views

urlpatterns = [
    path(
        "p/<slug:slug>/invoices/<uuid:code>/pay-online/",
        views.invoice_pay_online,
        name="invoice_pay_online",
    ),
    path(
        "payments/midtrans/notification/",
        views.midtrans_notification,
        name="midtrans_notification",
    ),
]
