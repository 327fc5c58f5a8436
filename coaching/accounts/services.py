"""Writes for people, practices, memberships and invitations. Each is atomic and validated."""

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coaching import emails, feedcache

from . import tasks
from .middleware import user_language_and_timezone
from .models import Invitation, Membership, Practice, User

logger = logging.getLogger(__name__)
Role = Membership.Role
_INVITATION_SALT = "coaching.invitation"
# A claim older than this is taken to belong to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)


# A practice's address is its name plus a random suffix, never a name alone: were the creator
# to choose it, "this address is taken" would tell any signed-up user which practices exist
# (finding 10 of #12). 36**6 suffixes make a clash unlikely; a clash is retried.
SLUG_SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
SLUG_SUFFIX_LENGTH = 6
SLUG_ATTEMPTS = 5


def practice_slug(name):
    """The address of a new practice called name: `acme-coaching-k3x9q2`."""
    stem = slugify(name)[: Practice._meta.get_field("slug").max_length - SLUG_SUFFIX_LENGTH - 1]
    stem = stem.strip("-") or "practice"
    return f"{stem}-{get_random_string(SLUG_SUFFIX_LENGTH, SLUG_SUFFIX_ALPHABET)}"


def practice_create(*, name, timezone_name, currency, default_language, creator, slug=None):
    """A practice with creator as its admin.

    Without slug (the sign-up form's way) the address is derived from the name with a random
    suffix, retried on a clash, so that the answer is the same whether or not another practice
    bears that name. An explicit slug (the site's operator, tests) is refused when taken, also
    when another request takes it at the same moment (the unique constraint decides).
    """
    for _attempt in range(1 if slug else SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                practice = Practice.objects.create(
                    name=name,
                    slug=slug or practice_slug(name),
                    timezone=timezone_name,
                    currency=currency,
                    default_language=default_language,
                )
                Membership.objects.create(practice=practice, user=creator, role=Role.ADMIN)
            return practice
        except IntegrityError:
            if slug:
                # Another practice took it in the meantime (or before: the operator chose it).
                raise ValidationError(
                    {"slug": _("A practice with this address already exists. Choose another.")}
                ) from None
    raise ValidationError(_("The practice could not be created. Please try again."))


def invitation_token(invitation):
    return signing.dumps(str(invitation.code), salt=_INVITATION_SALT)


def invitation_from_token(token):
    """The invitation a link names, or None when the link was not made by this site."""
    try:
        code = signing.loads(token, salt=_INVITATION_SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("practice").filter(code=code).first()


def invitation_create(*, practice, email, role, invited_by, full_name="", organisation=""):
    """Invites email to role in practice; the email goes out after the transaction commits.

    An earlier pending invitation to the same role is revoked, so re-inviting is how an admin
    re-sends a lost or expired link.
    """
    email = email.strip().lower()
    if Membership.objects.filter(
        practice=practice, user__email__iexact=email, role=role, deactivated_at=None
    ).exists():
        raise ValidationError(
            _("%(email)s is already a %(role)s in this practice.")
            % {"email": email, "role": Role(role).label.lower()}
        )
    existing_user = User.objects.filter(email__iexact=email).first()
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.pending().filter(practice=practice, email=email, role=role).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            practice=practice,
            email=email,
            role=role,
            full_name=full_name,
            organisation=organisation,
            invited_by=invited_by,
            language=(existing_user.language if existing_user else "") or practice.default_language,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        transaction.on_commit(lambda: _enqueue_invitation_email(invitation.id))
    return invitation


def _enqueue_invitation_email(invitation_id):

    try:
        tasks.invitation_send.delay(invitation_id)
    except Exception:
        # The broker is down. The row is the outbox: the beat scan sends it once it is back.
        logger.warning(
            "Broker unavailable; invitation %s waits for the periodic scan", invitation_id
        )


def invitation_send(invitation_id):
    """Sends one invitation email; at least once, and only once unless a worker dies mid-send.

    The conditional update is the claim: of two callers, only the one that changed the row
    sends. A claim older than CLAIM_TIMEOUT is taken over, so a dead worker delays the email
    but does not lose it; that takeover is the one window in which it could go out twice.
    """
    now = timezone.now()
    claimed = (
        Invitation.objects.unsent()
        .filter(id=invitation_id)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return False
    invitation = Invitation.objects.select_related("practice", "invited_by").get(id=invitation_id)
    try:
        emails.send(
            "invitation",
            to=invitation.email,
            language=invitation.language,
            timezone_name=invitation.practice.timezone,
            context={
                "invitation": invitation,
                "link": settings.SITE_URL + f"/invitations/{invitation_token(invitation)}/",
            },
            headers={"Message-ID": f"<invitation-{invitation.code}@coaching>"},
        )
    except Exception:
        Invitation.objects.filter(id=invitation_id).update(claimed_at=None)
        raise
    Invitation.objects.filter(id=invitation_id).update(sent_at=timezone.now())
    return True


def invitation_problem(invitation):
    """Why a link can no longer be used, as a sentence for the person holding it; or None."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied the whole link.")
    if invitation.accepted_at:
        return _("This invitation has already been used. Sign in to continue.")
    if invitation.revoked_at:
        return _("This invitation was withdrawn. Ask the practice to send you a new one.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask the practice to send you a new one.")
    return None


def invitation_accept(*, invitation, user=None, password=None, full_name="", language=""):
    """Redeems the invitation once: creates the account if needed, then the membership.

    The link arrived in the invitee's mailbox, so a new account's email counts as verified.
    A new account reads in `language`, the one the invitee chose on the invitation page (else
    the practice's)."""

    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    with transaction.atomic():
        taken = (
            Invitation.objects.pending()
            .filter(id=invitation.id, expires_at__gt=now)
            .update(accepted_at=now)
        )
        if taken != 1:
            raise ValidationError(_("This invitation has already been used. Sign in to continue."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(_("An account with this email exists. Sign in to accept."))
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name or invitation.full_name,
                language=language if language in dict(settings.LANGUAGES) else "",
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another email address."))
        membership, created = Membership.objects.get_or_create(
            practice=invitation.practice,
            user=user,
            role=invitation.role,
            defaults={"organisation": invitation.organisation},
        )
        if not created and membership.deactivated_at:
            membership.deactivated_at = None
            membership.deactivated_by = None
            membership.save(update_fields=["deactivated_at", "deactivated_by"])
        Invitation.objects.filter(id=invitation.id).update(accepted_by=user)
    return user


def invitation_revoke(*, invitation, actor):
    updated = (
        Invitation.objects.pending().filter(id=invitation.id).update(revoked_at=timezone.now())
    )
    if updated != 1:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))


def _ensure_an_admin_remains(practice, user, keeps_admin):
    if keeps_admin:
        return
    other_admins = Membership.objects.filter(
        practice=practice, role=Role.ADMIN, deactivated_at=None
    ).exclude(user=user)
    if not other_admins.exists():
        raise ValidationError(
            _("A practice needs at least one admin. Make someone else an admin first.")
        )


def membership_set_roles(*, practice, user, roles, organisation, actor):
    """Gives user exactly these roles in practice. Removed roles are deactivated, not deleted."""
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown role."))
    now = timezone.now()
    with transaction.atomic():
        # One role change per practice at a time: two admins removing each other at once
        # would each still see the other, and leave the practice with none.
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        current = {
            m.role: m
            for m in Membership.objects.select_for_update().filter(practice=practice, user=user)
        }
        was_admin = Role.ADMIN in current and current[Role.ADMIN].is_active
        if was_admin:
            _ensure_an_admin_remains(practice, user, Role.ADMIN in roles)
        for role in Role.values:
            membership = current.get(role)
            if role in roles:
                if membership is None:
                    Membership.objects.create(
                        practice=practice, user=user, role=role, organisation=organisation
                    )
                else:
                    membership.deactivated_at = None
                    membership.deactivated_by = None
                    membership.organisation = organisation
                    membership.save(
                        update_fields=["deactivated_at", "deactivated_by", "organisation"]
                    )
            elif membership is not None and membership.is_active:
                membership.deactivated_at = now
                membership.deactivated_by = actor
                membership.save(update_fields=["deactivated_at", "deactivated_by"])


def member_deactivate(*, practice, user, actor):
    membership_set_roles(practice=practice, user=user, roles=[], organisation="", actor=actor)


def profile_update(*, user, full_name, language, timezone_name):
    # The name is in the other party's calendar feed (language and time zone key the own).
    renamed = full_name != user.full_name
    user.full_name = full_name
    user.language = language
    user.timezone = timezone_name
    user.save(update_fields=["full_name", "language", "timezone"])
    if renamed:
        feedcache.feed_changed([user.pk], everyone=True)


def password_changed_by_operator(*, user):
    """Tells the user that someone else (an operator in the Django admin or with
    `manage.py changepassword`) set their password: whoever did can sign in as them and read
    what they read (finding 14 of #12; README: deployment). Sent at once, in their language;
    an operator who also controls the mailbox is outside what the app can notice. Until the
    user sets a password of their own, every read of content by the account is logged."""
    user.password_set_by_operator_at = timezone.now()
    user.save(update_fields=["password_set_by_operator_at"])
    language, tz = user_language_and_timezone(user)
    emails.send(
        "password-changed-by-admin",
        to=user.email,
        language=language,
        timezone_name=tz,
        context={
            "user": user,
            "when": timezone.now(),
            "link": settings.SITE_URL + "/accounts/password/reset/",
        },
    )


def password_set_by_owner(*, user):
    """The user chose a password themselves (allauth's change or reset): the operator's
    password is gone, and so is the extra logging."""
    if user.password_set_by_operator_at is not None:
        user.password_set_by_operator_at = None
        user.save(update_fields=["password_set_by_operator_at"])
