"""The content gate: who may read or write coaching content of sessions.

Reach (practice and role) comes from coaching.access; this module adds program reach and
content scopes on top. Every read of a session part goes through a function here, and nothing
else queries the content models (Preparation, CheckIn, ConversationNote, ActionItem, CheckOut,
ObjectiveRating) directly.

Rules until consent and access logging arrive:
- admin: every session of the practice, logistics only; never content.
- coach: the sessions of the programs they coach; all content of those sessions that they
  wrote or that is not private.
- client: the sessions of their own programs; content with scope client or sponsor (or their own).
- sponsor: the sessions of the programs they sponsor, logistics only; no content yet.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from programs.models import Objective, Program
from sessions.models import (
    ActionItem,
    CheckIn,
    CheckOut,
    ConversationNote,
    ObjectiveRating,
    Preparation,
    Scope,
    Session,
)

CONTENT_MODELS = (Preparation, CheckIn, ConversationNote, ActionItem, CheckOut, ObjectiveRating)


def _program_reach(access, prefix=""):
    """A Q over programs (or over rows reaching a program through prefix) the user can reach."""
    user = access.user
    reach = Q(pk__in=[])
    if access.is_admin:
        reach |= Q(**{f"{prefix}practice": access.practice})
    if access.is_coach:
        reach |= Q(**{f"{prefix}coach": user})
    if access.is_client:
        reach |= Q(**{f"{prefix}client": user})
    if access.is_sponsor:
        reach |= Q(**{f"{prefix}sponsor": user})
    return Q(**{f"{prefix}practice": access.practice}) & reach


def programs_for(access):
    return Program.objects.filter(_program_reach(access))


def sessions_for(access):
    """Session rows (logistics) within the user's program reach."""
    return Session.objects.filter(_program_reach(access, "program__"))


def get_session_for(access, code, *, write=False):
    """One session in reach, else 404. write=True: only the program's coach, else 403."""
    try:
        session = sessions_for(access).select_related("program", "client", "coach").get(code=code)
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    if write and not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    return session


def coached_program_for(access, code):
    """A program the user coaches, for the coach's pages; 404 otherwise."""
    try:
        return (
            Program.objects.filter(practice=access.practice, coach=access.user)
            .select_related("client")
            .get(code=code)
        )
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def _content_reach(access, prefix="session__program__"):
    """Content rows the user may read, by program role and scope."""
    user = access.user
    reach = Q(pk__in=[])
    if access.is_coach:
        reach |= Q(**{f"{prefix}coach": user}) & (Q(author=user) | ~Q(scope=Scope.PRIVATE))
    if access.is_client:
        reach |= Q(**{f"{prefix}client": user}) & (
            Q(author=user) | Q(scope__in=[Scope.CLIENT, Scope.SPONSOR])
        )
    return Q(**{f"{prefix}practice": access.practice}) & reach


def content_visible_to(access, model, *, sessions=None, programs=None):
    if model not in CONTENT_MODELS:
        raise ValueError(f"{model.__name__} is not session content")
    qs = model.objects.filter(_content_reach(access))
    if sessions is not None:
        qs = qs.filter(session__in=sessions)
    if programs is not None:
        qs = qs.filter(session__program__in=programs)
    return qs


def preparations_visible_to(access, **kwargs):
    return content_visible_to(access, Preparation, **kwargs)


def check_ins_visible_to(access, **kwargs):
    return content_visible_to(access, CheckIn, **kwargs)


def notes_visible_to(access, **kwargs):
    return content_visible_to(access, ConversationNote, **kwargs)


def action_items_visible_to(access, **kwargs):
    return content_visible_to(access, ActionItem, **kwargs)


def check_outs_visible_to(access, **kwargs):
    return content_visible_to(access, CheckOut, **kwargs)


def ratings_visible_to(access, **kwargs):
    return content_visible_to(access, ObjectiveRating, **kwargs)


def objectives_visible_to(access, *, programs):
    """Objectives are program content: the program's coach and client read them."""
    user = access.user
    reach = Q(pk__in=[])
    if access.is_coach:
        reach |= Q(program__coach=user)
    if access.is_client:
        reach |= Q(program__client=user)
    return Objective.objects.filter(reach, program__practice=access.practice, program__in=programs)


def part_for_writing(access, session, model):
    """The session's one-per-session part for the coach to edit (new, owned, if none yet)."""
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    instance = model.objects.filter(session=session).first()
    if (
        instance is not None
        and instance.author_id != access.user.pk
        and (instance.scope == Scope.PRIVATE)
    ):
        # Another coach's private part (the program changed coach): neither shown nor edited.
        raise PermissionDenied
    if instance is None:
        instance = model(session=session, author=access.user)
    return instance


def new_action_item_for(access, session):
    if not (access.is_coach and session.program.coach_id == access.user.pk):
        raise PermissionDenied
    return ActionItem(session=session, author=access.user)


def get_action_item_for(access, code, *, write=False):
    """A task the user can read; write=True: only its assignee (client or coach), else 403."""
    try:
        item = action_items_visible_to(access).select_related("session__program").get(code=code)
    except ActionItem.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        program = item.session.program
        assignee = (
            program.client_id if item.assignee == ActionItem.Assignee.CLIENT else (program.coach_id)
        )
        if assignee != access.user.pk:
            raise PermissionDenied
    return item


def client_access(user, practice):
    """The client's own reach, for work done on their behalf (their data export)."""
    from coaching.access import PracticeAccess, Role

    return PracticeAccess(user=user, practice=practice, roles=frozenset({Role.CLIENT}))


def content_for_erasure(*, user, practice):
    """Every session part of the client's programs in the practice, whatever its scope.

    Only the erasure step may use this: it deletes, it never shows."""
    sessions = Session.objects.filter(program__practice=practice, program__client=user)
    return [model.objects.filter(session__in=sessions) for model in CONTENT_MODELS]
