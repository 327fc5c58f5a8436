from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from coaching.access import Role

from .models import SupervisionEntry


@transaction.atomic
def supervision_entry_create(*, access, kind, format, date, hours, with_whom, notes=""):
    if not access.has(Role.COACH):
        raise ValidationError(_("Only a coach keeps a supervision log."))
    if hours is None or hours <= 0 or hours > 100:
        raise ValidationError(_("Hours must be more than 0 and at most 100."))
    if date > now().date():
        raise ValidationError(_("Log supervision you have had, not planned."))
    return SupervisionEntry.objects.create(
        practice=access.practice,
        coach=access.user,
        kind=kind,
        format=format,
        date=date,
        hours=hours,
        with_whom=with_whom,
        notes=notes,
    )


@transaction.atomic
def supervision_entry_delete(*, entry, actor):
    if entry.coach_id != actor.pk:
        raise ValidationError(_("Only its coach can delete a supervision entry."))
    entry.delete()
