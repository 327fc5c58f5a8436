"""The test client's sign-in, as allauth records a real one.

`Client.force_login` logs a user in without allauth's authentication record, which a real
sign-in writes into the session (allauth.account.internal.flows.login.record_authentication)
and which coaching.accounts.reauth reads before exports, erasure, widening a scope and role
changes. `mark_recently_authenticated` writes that record, the way allauth does."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str


def mark_recently_authenticated(client, user, *, at=None):
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time() if at is None else at, "email": user.email}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


def forget_authentication(client):
    """As if the sign-in were older than ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    session = client.session
    session.pop(AUTHENTICATION_METHODS_SESSION_KEY, None)
    session.pop(_AUTHENTICATION_METHODS_USER_SESSION_KEY, None)
    session.save()
