from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}proposals/", views.proposal_list, name="proposal_list"),
    path(f"{P}proposals/new/", views.proposal_create, name="proposal_create"),
    path(f"{P}proposals/<uuid:code>/", views.proposal_detail, name="proposal_detail"),
    path(f"{P}proposals/<uuid:code>/send/", views.proposal_send, name="proposal_send"),
    path(f"{P}proposals/<uuid:code>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path(f"{P}proposals/<uuid:code>/respond/", views.proposal_respond, name="proposal_respond"),
    path(f"{P}proposals/<uuid:code>/contract/", views.contract_create, name="contract_create"),
    path(f"{P}contracts/<uuid:code>/", views.contract_detail, name="contract_detail"),
    path(f"{P}contracts/<uuid:code>/edit/", views.contract_edit, name="contract_edit"),
    path(f"{P}contracts/<uuid:code>/send/", views.contract_send, name="contract_send"),
    path(f"{P}contracts/<uuid:code>/accept/", views.contract_accept, name="contract_accept"),
]
