"""The engine of the lifecycle tables: a Transition is one row (from states, to state, who,
guards, side effects, what the log records); a Table holds one entity's rows and takes them
(Table.apply). Both programs.services and sessions.scheduling build on it (require_role,
locked, the event writer), so it imports neither of them.
"""

import string
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from coaching.access import roles_of
from coaching.accounts.models import Membership

from ..models import ProgramEvent

Role = Membership.Role

NOT_ALLOWED = _("You are not allowed to do this in this practice.")


def require_role(practice, user, *roles):
    if not roles_of(practice, user).intersection(roles):
        raise ValidationError(str(NOT_ALLOWED))


def locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def write_event(*, practice, subject, to_state, actor, from_state="", reason="", **objects):
    """The one writer of the program event log (append-only; PostgreSQL refuses changes)."""
    return ProgramEvent.objects.create(
        practice=practice,
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=(reason or "")[:300],
        **objects,
    )


# The engine ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """A condition on the entity that must hold (after the state check), or the message."""

    test: object  # test(obj, actor) -> bool
    message: object  # lazy text
    doc: str = ""


@dataclass(frozen=True)
class Transition:
    name: str
    # Sets or frozensets in the tables; frozen in __post_init__.
    sources: Collection[str]  # the states it may start from ("" for a row that records a creation)
    target: str | None  # the state it sets; None: the state stays, only the event is written
    who: Collection[str]  # the kinds of actor (the table's `kinds`) who may take it
    refused: object  # lazy text when the state is not a source; may use %(status)s
    forbidden: object = NOT_ALLOWED  # lazy text when the actor may not
    doc: str = ""  # what it means, for the README
    label: object = None  # a button's text, when pages offer it
    reason_required: object = None  # lazy text when the reason is missing; None: optional
    guards: tuple = ()
    effects: tuple = ()  # effect(obj, actor=, reason=), after the state is saved
    event_from: str | None = None  # logged from-state; None: the state before
    event_to: str | None = None  # logged to-state, may use {party} and the table's facts
    event_reason: str | None = None  # logged reason instead of the actor's, same placeholders
    subject: str | None = None  # logged subject; None: the table's
    automatic: bool = False  # taken by a service on its own (never offered as a button)
    creates: bool = False  # records the creation of the entity (the service makes it)

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "who", frozenset(self.who))

    @property
    def logged_to(self):
        return self.event_to if self.event_to is not None else (self.target or "")


class _Roles:
    """The actor's roles in the practice, asked once and only when a rule needs them."""

    def __init__(self, practice, user, known=None):
        self.practice, self.user, self._roles = practice, user, known

    def __contains__(self, role):
        if self._roles is None:
            self._roles = roles_of(self.practice, self.user)
        return role in self._roles


@dataclass
class Table:
    """The transitions of one entity. kinds: {kind: predicate(obj, user, roles)}, whose
    docstring says who that is; facts: {name: fn(obj)} for the placeholders of logged texts."""

    entity: str
    model: type
    subject: str
    kinds: dict
    rows: list
    links: object  # links(obj) -> the event's foreign keys
    practice: object = lambda obj: obj.practice
    facts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.rows}
        _TABLES.setdefault(self.model, []).append(self)

    def __getitem__(self, name):
        try:
            return self.by_name[name]
        except KeyError:
            raise ValidationError(str(_("Unknown change of state."))) from None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    # The checks, each usable alone by a service that must interleave its own.

    def kind_of(self, t, obj, actor, roles=None):
        """The first kind of actor in t.who that this actor is, or None."""
        if isinstance(t, str):
            t = self[t]
        if actor is None:
            return "system" if "system" in t.who else None
        held = _Roles(self.practice(obj), actor, roles)
        for kind, predicate in self.kinds.items():
            if kind in t.who and predicate(obj, actor, held):
                return kind
        return None

    def require_actor(self, t, obj, actor, roles=None):
        t = self[t] if isinstance(t, str) else t
        kind = self.kind_of(t, obj, actor, roles)
        if kind is None:
            raise ValidationError(str(t.forbidden))
        return kind

    def require_state(self, t, obj):
        t = self[t] if isinstance(t, str) else t
        if obj.status not in t.sources:
            status = obj.get_status_display().lower()
            raise ValidationError(str(t.refused) % {"status": status})

    def require_guards(self, t, obj, actor):
        t = self[t] if isinstance(t, str) else t
        for guard in t.guards:
            if not guard.test(obj, actor):
                raise ValidationError(str(guard.message))

    def lock(self, obj):
        return locked(self.model, obj)

    # Taking a transition.

    def apply(
        self,
        obj,
        name,
        *,
        actor,
        reason="",
        locked=False,
        roles=None,
        check=None,
        work=None,
        changes=None,
    ):
        """Take transition `name` on obj, all or nothing. In order: the actor, the reason, the
        lock (unless the caller holds it: locked=True), the state, the guards, then the
        service's own check(obj) and work(obj) (which may return more event links), the new
        state and `changes` saved, the side effects, the event. Returns the locked obj."""
        t = self[name]
        kind = self.require_actor(t, obj, actor, roles)
        if t.reason_required and not (reason or "").strip():
            raise ValidationError(str(t.reason_required))
        with transaction.atomic():
            if not locked:
                obj = self.lock(obj)
            self.require_state(t, obj)
            self.require_guards(t, obj, actor)
            if check is not None:
                check(obj)
            made = (work(obj) if work is not None else None) or {}
            before = obj.status
            fields = dict(changes or {})
            if t.target is not None:
                fields["status"] = t.target
            for attribute, value in fields.items():
                setattr(obj, attribute, value)
            if fields:
                obj.save(update_fields=list(fields))
            for effect in t.effects:
                effect(obj, actor=actor, reason=reason)
            self._log(t, obj, actor=actor, reason=reason, before=before, party=kind, links=made)
        return obj

    def created(self, obj, *, actor, name="create", **links):
        """Logs the creation of obj (the service checked and made it) as row `name`."""
        t = self[name]
        return self._log(t, obj, actor=actor, reason="", before="", party=None, links=links)

    def _log(self, t, obj, *, actor, reason, before, party, links):
        texts = {"to": t.logged_to, "reason": t.event_reason}
        values = {"party": party or ""}
        for text in texts.values():
            for _literal, placeholder, _spec, _conv in string.Formatter().parse(text or ""):
                if placeholder and placeholder not in values:
                    values[placeholder] = self.facts[placeholder](obj)
        return write_event(
            practice=self.practice(obj),
            subject=t.subject or self.subject,
            from_state=t.event_from if t.event_from is not None else before,
            to_state=texts["to"].format(**values),
            actor=actor,
            reason=t.event_reason.format(**values) if t.event_reason is not None else reason,
            **{**self.links(obj), **links},
        )

    def available(self, obj, user, roles=None):
        """The rows this user may take on obj now (state, actor and guards), for buttons."""
        return [
            t
            for t in self.rows
            if not (t.automatic or t.creates)
            and obj.status in t.sources
            and self.kind_of(t, obj, user, roles) is not None
            and all(guard.test(obj, user) for guard in t.guards)
        ]


_TABLES: dict[
    type, list
] = {}  # model -> its tables (a table registers itself; sessions.scheduling adds one)


def available_transitions(obj, user, roles=None):
    """The transitions `user` may take on obj (a proposal, contract, program or session) now.
    roles: the user's roles in the practice when known (PracticeAccess.roles), else asked."""
    return [t for table in _TABLES.get(type(obj), ()) for t in table.available(obj, user, roles)]


def is_admin(obj, user, roles):
    """an admin of the practice"""
    return Role.ADMIN in roles


def is_scheduler(obj, user, roles):
    """a scheduler of the practice (support staff: logistics only)"""
    return Role.SCHEDULER in roles


def is_system(obj, user, roles):
    """the platform itself (a periodic task), no person"""
    return user is None


# The README ---------------------------------------------------------------------------------


def _logged(table, t):
    if t.creates or t.event_from == "":
        start = "(none)"
    elif t.event_from is not None:
        start = f"`{t.event_from}`"
    else:
        start = f"`{next(iter(t.sources))}`" if len(t.sources) == 1 else "(its state)"
    reason = f", reason `{t.event_reason}`" if t.event_reason else ""
    return f"{t.subject or table.subject}: {start} → `{t.logged_to}`{reason}"


def _row(table, t):
    order = table.model.Status.values
    sources = ", ".join(f"`{s}`" for s in order if s in t.sources) or "(new)"
    holds = (["a reason"] if t.reason_required else []) + [g.doc for g in t.guards]
    effects = " ".join(" ".join(e.__doc__.split()) for e in t.effects)
    cells = [
        f"`{t.name}`" + (" (automatic)" if t.automatic else ""),
        sources,
        f"`{t.target}`" if t.target else "(unchanged)",
        ", ".join(kind for kind in dict.fromkeys([*table.kinds, "system"]) if kind in t.who),
        _logged(table, t),
        "; ".join(holds) or "—",
        effects or "—",
    ]
    return "| " + " | ".join(cells) + " |"


def markdown(*tables):
    """The lifecycle tables as Markdown, for programs/README.md (the rows' own words)."""
    lines = []
    for table in tables:
        states = ", ".join(f"`{s}`" for s in table.model.Status.values)
        who = "; ".join(f"**{k}**: {p.__doc__.strip()}" for k, p in table.kinds.items())
        lines += [
            f"### {table.entity.capitalize()}",
            "",
            f"States ({table.model.__name__}.status): {states}.",
            "",
            f"Who: {who}.",
            "",
            "| transition | from | to | who | logged as | must hold | side effects |",
            "|---|---|---|---|---|---|---|",
            *(_row(table, t) for t in table),
            "",
            *(f"- `{t.name}`: {t.doc}" for t in table),
            "",
        ]
    return "\n".join(lines)
