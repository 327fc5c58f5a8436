from django.urls import path

from . import views

p = "p/<slug:slug>/coach/"

urlpatterns = [
    path(f"{p}supervision/", views.supervision_list, name="supervision_list"),
    path(
        f"{p}supervision/<uuid:code>/delete/",
        views.supervision_delete,
        name="supervision_delete",
    ),
    path(f"{p}credentials/", views.credential_tracker, name="credential_tracker"),
]
