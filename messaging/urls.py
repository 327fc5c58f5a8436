from django.urls import path

from . import views

P = "p/<slug:slug>/messages/"

urlpatterns = [
    path(P, views.message_index, name="message_index"),
    path(f"{P}<uuid:code>/", views.message_thread, name="message_thread"),
    path(f"{P}<uuid:code>/new/", views.message_poll, name="message_poll"),
    path(f"{P}<uuid:code>/send/", views.message_send, name="message_send"),
    path(f"{P}m/<uuid:code>/file/", views.message_attachment, name="message_attachment"),
    path(f"{P}m/<uuid:code>/edit/", views.message_edit, name="message_edit"),
    path(f"{P}m/<uuid:code>/delete/", views.message_delete, name="message_delete"),
    path(f"{P}m/<uuid:code>/task/", views.message_task, name="message_task"),
]
