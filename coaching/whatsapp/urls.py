from django.urls import path

from . import views

urlpatterns = [
    path("me/channels/", views.channels, name="whatsapp_channels"),
    path("me/channels/whatsapp/opt-in/", views.opt_in, name="whatsapp_opt_in"),
    path("me/channels/whatsapp/opt-out/", views.opt_out, name="whatsapp_opt_out"),
    path("whatsapp/webhook/", views.webhook, name="whatsapp_webhook"),
    path(
        "p/<slug:slug>/reminders/channels/",
        views.practice_channels,
        name="practice_whatsapp_channels",
    ),
]
