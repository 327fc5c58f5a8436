"""Writes of the WhatsApp channel: opt-in and withdrawal, channel choices, status webhooks."""

import hashlib
import hmac
import logging
from datetime import UTC, datetime

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from coaching.notifications import registry
from coaching.notifications.models import NotificationPreference, Reminder
from coaching.notifications.services import preference_for

from . import channel
from .models import ChannelPreference, PracticeChannelDefault, WhatsAppMessage, WhatsAppOptIn

logger = logging.getLogger(__name__)

DEFAULT_REGION = "ID"
OPT_IN_VERSION = "2026-1"
OPT_IN_TEXT = gettext_lazy(
    "I agree to receive reminders about my coaching (sessions, tasks, messages waiting, "
    "documents to accept) on WhatsApp at %(phone)s. They carry no coaching content, only a "
    "short line and a link. I can withdraw this at any time; it takes effect at once."
)


def phone_normalise(raw):
    """E.164 ("+6281234567890") from what a person types; a local number is Indonesian."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter your WhatsApp number."))
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def opt_in_give(*, user, phone):
    """Records the user's opt-in at this number with the text they agreed to. Giving it
    again with the same number returns the one in force; another number replaces it."""
    e164 = phone_normalise(phone)
    with transaction.atomic():
        current = WhatsAppOptIn.objects.in_force().filter(user=user).select_for_update().first()
        if current is not None and current.phone == e164:
            return current
        if current is not None:
            WhatsAppOptIn.objects.filter(pk=current.pk).update(withdrawn_at=now())
        try:
            with transaction.atomic():
                return WhatsAppOptIn.objects.create(
                    user=user,
                    phone=e164,
                    text=str(OPT_IN_TEXT) % {"phone": e164},
                    text_version=OPT_IN_VERSION,
                    language=get_language() or "",
                )
        except IntegrityError:  # a concurrent opt-in of the same user won
            raise ValidationError(_("Your opt-in changed meanwhile; try again.")) from None


def opt_in_withdraw(*, user):
    """Withdrawn at once: dispatch checks for an opt-in in force before every send."""
    count = WhatsAppOptIn.objects.in_force().filter(user=user).update(withdrawn_at=now())
    if not count:
        raise ValidationError(_("You have not opted in to WhatsApp reminders."))
    return count


def _check_kinds(whatsapp_kinds):
    if set(whatsapp_kinds) - set(channel.whatsapp_kinds()):
        raise ValidationError(_("This kind of reminder cannot be sent by WhatsApp."))


def channel_choice_update(*, user, choices):
    """choices: kind -> "email" | "whatsapp" | "in_app". Email and in-app are the user's
    email choice (NotificationPreference.email_off_kinds, as /me/notifications/ sets it);
    WhatsApp kinds are kept here, and need an opt-in in force."""
    known = {kind.name for kind in registry.all_kinds()}
    if set(choices) - known or set(choices.values()) - {
        channel.EMAIL,
        channel.WHATSAPP,
        channel.IN_APP,
    }:
        raise ValidationError(_("Unknown kind of reminder."))
    chosen = {k for k, c in choices.items() if c == channel.WHATSAPP}
    _check_kinds(chosen)
    before = ChannelPreference.objects.filter(user=user).first()
    kept = set(before.whatsapp_kinds) - set(choices) if before else set()
    whatsapp_kinds = sorted(chosen | kept)
    if whatsapp_kinds and channel.opt_in_for(user) is None:
        raise ValidationError(_("Opt in to WhatsApp reminders with your number first."))
    current = preference_for(user)
    off = set(current.email_off_kinds or [])
    off -= set(choices)
    off |= {k for k, c in choices.items() if c == channel.IN_APP}
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            user=user,
            defaults={
                "email_off_kinds": sorted(off),
                "quiet_start": current.quiet_start,
                "quiet_end": current.quiet_end,
                "updated_at": now(),
            },
        )
        preference, _created = ChannelPreference.objects.update_or_create(
            user=user, defaults={"whatsapp_kinds": whatsapp_kinds, "updated_at": now()}
        )
    return preference


def practice_channel_default_update(*, access, whatsapp_kinds):
    access.require("admin")
    _check_kinds(whatsapp_kinds)
    default, _created = PracticeChannelDefault.objects.update_or_create(
        practice=access.practice, defaults={"whatsapp_kinds": sorted(set(whatsapp_kinds))}
    )
    return default


# Status webhooks


def signature_valid(body, header):
    """X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body with the app secret,
    compared in constant time."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip())


# A status only moves forward (webhooks may arrive out of order); "failed" ends it.
_RANK = {
    WhatsAppMessage.Status.SENDING: 0,
    WhatsAppMessage.Status.ACCEPTED: 1,
    WhatsAppMessage.Status.SENT: 2,
    WhatsAppMessage.Status.DELIVERED: 3,
    WhatsAppMessage.Status.READ: 4,
    WhatsAppMessage.Status.FAILED: 5,
}


def _dicts(value, key):
    found = value.get(key) if isinstance(value, dict) else None
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _statuses(payload):
    """The statuses of a webhook: entry[].changes[].value.statuses[] (Meta's documented shape);
    anything malformed is skipped, never a 500."""
    for entry in _dicts(payload, "entry"):
        for change in _dicts(entry, "changes"):
            yield from _dicts(change.get("value"), "statuses")


def _error_code(status):
    errors = status.get("errors") or []
    if errors and isinstance(errors[0], dict):
        return str(errors[0].get("code", ""))[:120]
    return ""


def status_webhook_apply(payload):
    """Applies the statuses of a verified webhook; returns how many changed a message.
    A failed message puts its reminder back to pending once, so dispatch sends the email."""
    changed = 0
    for status in _statuses(payload):
        value = status.get("status")
        wamid = status.get("id")
        if value not in _RANK or value == WhatsAppMessage.Status.SENDING or not wamid:
            continue
        try:
            at = datetime.fromtimestamp(int(status.get("timestamp")), tz=UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            at = now()
        with transaction.atomic():
            record = (
                WhatsAppMessage.objects.select_for_update().filter(wamid=str(wamid)[:200]).first()
            )
            if record is None or _RANK[record.status] >= _RANK[value]:
                continue
            record.status = value
            record.status_at = at
            fields = ["status", "status_at"]
            if value == WhatsAppMessage.Status.FAILED:
                record.error = _error_code(status)
                fields.append("error")
                # SENDING too: the webhook may beat the worker's "sent" UPDATE (or the worker
                # died after the API accepted). Taking the claim away makes that UPDATE miss,
                # and the next claim finds the message failed and sends the email.
                requeued = Reminder.objects.filter(
                    pk=record.reminder_id,
                    status__in=[Reminder.Status.SENT, Reminder.Status.SENDING],
                    emailed_at=None,
                ).update(status=Reminder.Status.PENDING, next_attempt_at=now(), claim_token=None)
                if requeued:
                    record.fallback_at = now()
                    fields.append("fallback_at")
            record.save(update_fields=fields)
            changed += 1
    return changed
