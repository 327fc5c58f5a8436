"""Writes to sessions and their parts. Callers get the instances through ethics.access."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.module_loading import import_string
from django.utils.timezone import now
from django.utils.translation import gettext as _

from billing import services as billing
from coaching import feedcache
from ethics import access as gate
from programs.models import Program

from . import reminders
from .models import ActionItem, CheckOut, ObjectiveRating, Scope, Session

CLOSED = [
    Session.Status.CANCELLED_CLIENT_IN_TIME,
    Session.Status.CANCELLED_CLIENT_LATE,
    Session.Status.CANCELLED_COACH,
    Session.Status.NO_SHOW,
    Session.Status.RESCHEDULED,
    Session.Status.SUSPENDED,
]


ENDED = [Program.Status.GRADUATED, Program.Status.TERMINATED, Program.Status.CANCELLED]


def session_next_number(*, program):
    """The next session number in the program. Call inside the transaction that creates it;
    the program row is locked so two schedulers cannot take the same number."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    last = Session.objects.filter(program=program).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _check_coach(session, actor):
    if session.program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach can write this session's notes."))
    if session.status in CLOSED:
        raise ValidationError(_("This session did not take place; its notes cannot be changed."))
    if session.program.status in ENDED:
        raise ValidationError(_("This program has ended; its sessions' notes cannot be changed."))


@transaction.atomic
def session_part_save(*, instance, actor):
    """Save one part (preparation, check-in, notes, check-out, a new task) the coach wrote."""
    _check_coach(instance.session, actor)
    if instance.pk is None:
        instance.author = actor
    instance.updated_at = now()
    if isinstance(instance, CheckOut) and instance.completed_at is None:
        instance.completed_at = now()
    instance.full_clean(exclude=["session", "author"])
    old_readers = gate.readers_before_save(instance)
    adding = instance._state.adding
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # A part that is one per session (check-in, notes, check-out), saved first by two
        # requests at once: the other one's insert won. This one becomes an update of it.
        if not adding or not _one_per_session(instance):
            raise
        model = type(instance)
        pk, author_id = model.objects.values_list("pk", "author_id").get(session=instance.session)
        instance.pk, instance._state.adding, instance.author_id = pk, False, author_id
        old_readers = gate.readers_before_save(instance)
        instance.save()
    reminders.item_shared_schedule(instance, old_readers=old_readers)
    return instance


def _one_per_session(instance):
    return type(instance)._meta.get_field("session").one_to_one


@transaction.atomic
def ratings_save(*, session, scores, actor):
    """scores: {objective: score or None}. The objectives come from the gate."""
    _check_coach(session, actor)
    for objective, score in scores.items():
        if objective.program_id != session.program_id:
            raise ValidationError(_("That objective belongs to another program."))
        if score is None:
            ObjectiveRating.objects.filter(session=session, objective=objective).delete()
            continue
        if not 0 <= score <= 10:
            raise ValidationError(_("A rating is between 0 and 10."))
        ObjectiveRating.objects.update_or_create(
            session=session,
            objective=objective,
            defaults={"score": score, "author": actor, "updated_at": now()},
        )


@transaction.atomic
def session_mark_held(*, session, actor):
    if session.program.coach_id != actor.pk:
        raise ValidationError(_("Only the program's coach can mark the session held."))
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be marked held."))
    if session.starts_at > now():
        raise ValidationError(_("This session has not started yet."))
    session.status = Session.Status.HELD
    session.status_changed_at = now()
    session.status_changed_by = actor
    session.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    feedcache.feed_changed([session.coach_id, session.client_id])
    if session.program.contract_id:  # an instalment after session N may fall due
        billing.invoices_issue_due(contract=session.program.contract)
    # Apps above this one act on it in this transaction (intake: the client's session
    # feedback), named in settings so that sessions imports none of them.
    for hook in getattr(settings, "SESSION_HELD_HOOKS", []):
        import_string(hook)(session=session)
    return session


@transaction.atomic
def action_item_complete(*, item, comment, actor):
    """The assignee marks a task done, with an optional comment."""
    program = item.session.program
    assignee = (
        program.client_id if item.assignee == ActionItem.Assignee.CLIENT else (program.coach_id)
    )
    if assignee != actor.pk:
        raise ValidationError(_("Only the person the task is for can mark it done."))
    if item.done_at is not None:
        raise ValidationError(_("This task is already done."))
    item.done_at = now()
    item.done_comment = comment[:500]
    item.updated_at = now()
    item.save(update_fields=["done_at", "done_comment", "updated_at"])
    return item


@transaction.atomic
def ratings_scope_set(*, session, scope, actor):
    """The coach sets who may read this session's ratings (one scope for the set)."""

    _check_coach(session, actor)
    if scope not in Scope.values:
        raise ValidationError(_("Unknown scope."))
    ObjectiveRating.objects.filter(session=session).update(scope=scope, updated_at=now())
