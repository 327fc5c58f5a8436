"""coaching/viewkit.py: practice_view gates and never caches; run_service shows a refusal."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.http import require_POST

from coaching.access import MFARequired, Role
from coaching.viewkit import MARKER, Outcome, error_text, practice_view, run_service
from programs.models import Proposal
from tests.programs import builders

pytestmark = pytest.mark.django_db

# practice_view ------------------------------------------------------------------------------


@practice_view(roles=[Role.COACH])
def _coach_page(request, access, code=None):
    return HttpResponse(f"{access.practice.slug} {sorted(access.roles)} {code}")


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/p/cahaya/page/")
    request.user = user
    return request


def test_the_view_gets_the_access_and_the_other_url_kwargs_not_the_slug(world):
    response = _coach_page(_request(world.coach), slug=world.practice.slug, code="abc")
    assert response.content.decode() == "cahaya ['coach'] abc"


def test_the_response_is_never_stored(world):
    response = _coach_page(_request(world.coach), slug=world.practice.slug)
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_an_anonymous_visitor_is_sent_to_sign_in_and_that_redirect_is_not_stored(world):
    response = _coach_page(_request(AnonymousUser()), slug=world.practice.slug)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "no-store" in response["Cache-Control"]


def test_another_practice_is_404_and_a_wrong_role_is_403(world):
    with pytest.raises(Http404):
        _coach_page(_request(world.outsider), slug=world.practice.slug)
    with pytest.raises(PermissionDenied):
        _coach_page(_request(world.client), slug=world.practice.slug)


def test_mfa_required_still_reaches_the_middleware(world):
    world.practice.require_mfa_for_staff = True
    world.practice.save()
    with pytest.raises(MFARequired):
        _coach_page(_request(world.coach), slug=world.practice.slug)


def test_no_roles_lets_any_member_in(world):
    @practice_view()
    def page(request, access):
        return HttpResponse(",".join(access.ordered_roles))

    assert page(_request(world.sponsor), slug=world.practice.slug).content == b"sponsor"


def test_the_marker_survives_require_post_which_stays_outermost(world):
    view = require_POST(_coach_page)
    assert getattr(view, MARKER) is True
    assert view(_request(AnonymousUser()), slug=world.practice.slug).status_code == 405


# error_text and run_service -----------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()


def _with_messages(request):
    request._messages = CookieStorage(request)
    return request


def _messages(request):
    return [(m.level, m.message) for m in request._messages]


def _refuse():
    raise ValidationError(["Not now.", "Try later."])


def test_error_text_joins_the_messages():
    assert error_text(ValidationError(["Not now.", "Try later."])) == "Not now. Try later."


def test_a_refusal_goes_on_the_form_keeping_the_input_and_adds_no_message(world):
    request = _with_messages(_request(world.coach, "post"))
    form = NameForm({"name": "Ayu"})
    assert form.is_valid()
    outcome = run_service(request, _refuse, success="Saved.", form=form)
    assert not outcome and outcome == Outcome(ok=False)
    assert form.non_field_errors() == ["Not now.", "Try later."]
    assert form["name"].value() == "Ayu"
    assert _messages(request) == []


def test_a_refusal_can_go_on_a_field(world):
    request = _with_messages(_request(world.coach, "post"))
    form = NameForm({"name": "Ayu"})
    assert form.is_valid()
    run_service(request, _refuse, form=form, field="name")
    assert form.errors == {"name": ["Not now.", "Try later."]}


def test_without_a_form_the_refusal_is_a_message_at_the_level_asked(world):
    request = _with_messages(_request(world.coach, "post"))
    assert not run_service(request, _refuse, success="Saved.")
    assert not run_service(request, _refuse, level=messages.WARNING)
    assert _messages(request) == [
        (messages.ERROR, "Not now. Try later."),
        (messages.WARNING, "Not now. Try later."),
    ]


def test_success_returns_the_result_and_says_so(world):
    request = _with_messages(_request(world.coach, "post"))
    outcome = run_service(request, lambda: 3, success=lambda n: f"{n} saved.")
    assert outcome and outcome.value == 3
    assert run_service(request, lambda: None, success="Done.")
    assert _messages(request) == [(messages.SUCCESS, "3 saved."), (messages.SUCCESS, "Done.")]


def test_other_errors_are_not_swallowed(world):
    request = _with_messages(_request(world.coach, "post"))
    with pytest.raises(ZeroDivisionError):
        run_service(request, lambda: 1 / 0)


# Through a real view: the proposal's terms ---------------------------------------------------


def _terms(**overrides):
    data = {
        "origin": "supply_driven",
        "need": "A need the admin typed",
        "duration": 12,
        "sessions_count": 10,
        "session_minutes": 90,
        "cadence": "monthly",
        "price_minor": 20000000,
        "currency": "IDR",
        "expires_on": "2030-01-01",
    }
    data.update(overrides)
    return data


def test_a_refused_edit_shows_the_error_on_the_form_and_changes_nothing(world, client_for):
    proposal = builders.proposal(world)
    before = Proposal.objects.values().get(pk=proposal.pk)
    url = reverse("proposal_edit", kwargs={"slug": world.practice.slug, "code": proposal.code})
    # The service refuses a custom duration without its months, after setting the terms.
    response = client_for(world.admin).post(url, _terms(duration=0))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A custom duration needs its number of months."
    ]
    assert "A need the admin typed" in response.content.decode()  # the input is kept
    assert "no-store" in response["Cache-Control"]
    assert Proposal.objects.values().get(pk=proposal.pk) == before
    assert list(response.context["messages"]) == []


def test_an_accepted_edit_redirects_with_its_message(world, client_for):
    proposal = builders.proposal(world)
    url = reverse("proposal_edit", kwargs={"slug": world.practice.slug, "code": proposal.code})
    response = client_for(world.admin).post(url, _terms(), follow=True)
    assert response.redirect_chain == [
        (reverse("proposal_detail", kwargs={"slug": "cahaya", "code": proposal.code}), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == ["Proposal saved."]
    proposal.refresh_from_db()
    assert proposal.need == "A need the admin typed"


def test_a_refused_action_redirects_with_the_error_as_a_message(world, client_for):
    proposal = builders.proposal(world, status="sent")
    url = reverse("proposal_send", kwargs={"slug": world.practice.slug, "code": proposal.code})
    response = client_for(world.admin).post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "proposal_detail", kwargs={"slug": "cahaya", "code": proposal.code}
    )
    assert [str(m) for m in response.context["messages"]] == ["Only a draft proposal can be sent."]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT
