"""Each coach's own model of a session (#17): which parts, in what order, their prompts in
both languages, and the time boxes of check-in and check-out; and the session clock's record
(#14): when check-in and check-out began and ended, so a coach sees their pattern.

A program without a ProgramTemplate row runs the built-in default (the six parts of
DESIGN.md §3, check-in 5 to 15 minutes, check-out about 15), so older programs are unchanged.
Templates and their prompts are the coach's method, not what a client said: not encrypted.
The clock holds times only, no content.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.timezone import now
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from coaching.vocabulary import Scope
from ethics.fields import EncryptedTextField
from programs.models import Program
from sessions.models import Session, SessionContent

CHECK_IN_BOX = (5, 15)  # the seed: check-in 5 to 15 minutes
CHECK_OUT_BOX = 15  # the seed: check-out about 15 minutes


class SessionTemplate(models.Model):
    """A session model: the practice's (owner None, offered to all its coaches) or a coach's."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="None: the practice's template, for all its coaches.",
    )
    name = models.CharField(_("name"), max_length=100)
    check_in_min_minutes = models.PositiveSmallIntegerField(
        _("check-in: at least (minutes)"), default=CHECK_IN_BOX[0]
    )
    check_in_max_minutes = models.PositiveSmallIntegerField(
        _("check-in: at most (minutes)"), default=CHECK_IN_BOX[1]
    )
    check_out_minutes = models.PositiveSmallIntegerField(
        _("check-out (minutes)"), default=CHECK_OUT_BOX
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_in_min_minutes__gte=1)
                & models.Q(check_in_max_minutes__gte=models.F("check_in_min_minutes"))
                & models.Q(check_in_max_minutes__lte=60),
                name="template_check_in_box_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(check_out_minutes__gte=1, check_out_minutes__lte=60),
                name="template_check_out_box_sane",
            ),
        ]
        indexes = [
            # The templates a coach may choose: the practice's and their own.
            models.Index(fields=["practice", "owner"], name="template_practice_owner"),
        ]

    def __str__(self):
        return f"Session template {self.code}"

    @property
    def is_practice_wide(self):
        return self.owner_id is None


class TemplatePart(models.Model):
    class Kind(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        CHECK_IN = "check_in", _("Check-in")
        NOTE = "note", _("Conversation notes")
        TASK = "task", _("Post-session tasks")
        CHECK_OUT = "check_out", _("Check-out")
        RATINGS = "ratings", _("Progress (the client's rating of each objective)")
        EXTRA = "extra", _("An extra part")

    template = models.ForeignKey(SessionTemplate, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=100, blank=True)
    prompts_en = models.TextField(_("prompts (English), one a line"), blank=True)
    prompts_id = models.TextField(_("prompts (Indonesian), one a line"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_part_position_unique"
            ),
            # One of each standard part; extra parts may be several.
            models.UniqueConstraint(
                fields=["template", "kind"],
                condition=~models.Q(kind="extra"),
                name="template_standard_part_once",
            ),
        ]

    def __str__(self):
        return f"Template part {self.kind} {self.position}"


class ProgramTemplate(models.Model):
    """The template a program's sessions follow (chosen by its coach); none: the default."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(SessionTemplate, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Template of program {self.program_id}"


class SessionClock(models.Model):
    """When the coach began and ended check-in and check-out (server time), per session."""

    # No accessor on Session; "clock" names it in a session query (with_clocks joins it).
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="+", related_query_name="clock"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    check_in_started_at = models.DateTimeField(null=True, blank=True)
    check_in_ended_at = models.DateTimeField(null=True, blank=True)
    check_out_started_at = models.DateTimeField(null=True, blank=True)
    check_out_ended_at = models.DateTimeField(null=True, blank=True)
    # The time boxes in force when the session ran (a template may change later).
    check_in_min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    check_in_max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    check_out_box_minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self):
        return f"Clock of session {self.session_id}"

    @staticmethod
    def _seconds(start, end):
        if start is None or end is None:
            return None
        return max(0, int((end - start).total_seconds()))

    @property
    def check_in_seconds(self):
        return self._seconds(self.check_in_started_at, self.check_in_ended_at)

    @property
    def check_out_seconds(self):
        return self._seconds(self.check_out_started_at, self.check_out_ended_at)

    @staticmethod
    def _mmss(seconds):
        return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"

    @property
    def check_in_length(self):
        return self._mmss(self.check_in_seconds)

    @property
    def check_out_length(self):
        return self._mmss(self.check_out_seconds)

    @property
    def check_in_outside_box(self):
        seconds = self.check_in_seconds
        if seconds is None or self.check_in_max_minutes is None:
            return False
        return not (self.check_in_min_minutes * 60 <= seconds <= self.check_in_max_minutes * 60)


_CLOCK_FIELDS = (
    "started_at",
    "check_in_started_at",
    "check_in_ended_at",
    "check_out_started_at",
    "check_out_ended_at",
    "check_in_min_minutes",
    "check_in_max_minutes",
    "check_out_box_minutes",
)


# The clock's fields its lengths (check_in_length, check_out_length) are computed from.
LENGTH_FIELDS = (
    "check_in_started_at",
    "check_in_ended_at",
    "check_out_started_at",
    "check_out_ended_at",
)


def with_clocks(sessions, fields=_CLOCK_FIELDS):
    """The sessions queryset with each session's clock read in the same query, LEFT JOINed on
    its unique session key (#11: a query of its own on the coach's program page; then five
    subqueries, one per field, each built and compiled per request: the join plans as fast).
    clock_of(session) gives the clock back. `fields`: the clock's fields read (all by
    default; LENGTH_FIELDS for a page that shows only the lengths); the others are not loaded,
    so not to be used."""
    unread = [f"session_clock__{name}" for name in _CLOCK_FIELDS if name not in fields]
    return (
        sessions.annotate(session_clock=models.FilteredRelation("clock"))
        .select_related("session_clock")
        .defer(*unread)
    )


def clock_of(session):
    """The SessionClock of a session read by with_clocks, or None."""
    return getattr(session, "session_clock", None)


class ExtraPartNote(SessionContent):
    """What the coach wrote in an extra part of their template (e.g. "A minute of silence"):
    coaching content like the standard parts, read only through ethics.access. The part's
    title is kept beside it, so the record reads the same if the template changes later."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.PRIVATE)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=100)
    text = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="extra_part_note_once_per_part"
            )
        ]


# The plan a session page follows: a template resolved for the reader's language ------------


@dataclass
class PlanPart:
    kind: str
    title_en: str = ""
    title_id: str = ""
    prompts_en: str = ""
    prompts_id: str = ""
    default_title: Promise | str = ""
    default_prompts: list = field(default_factory=list)
    key: str = ""  # a stable anchor on the page: the kind, or extra-<position>
    position: int = 0

    def _local(self, en, id_):
        if (get_language() or "").startswith("id"):
            return id_ or en
        return en or id_

    @property
    def custom_title(self):
        return self._local(self.title_en, self.title_id)

    @property
    def title(self):
        return self.custom_title or str(self.default_title)

    @property
    def prompts(self):
        text = self._local(self.prompts_en, self.prompts_id)
        if text:
            return [line.strip() for line in text.splitlines() if line.strip()]
        return [str(p) for p in self.default_prompts]


@dataclass
class Plan:
    name: Promise | str
    check_in_min_minutes: int
    check_in_max_minutes: int
    check_out_minutes: int
    parts: list[PlanPart]
    template: SessionTemplate | None = None

    @property
    def preparation(self):
        return next((p for p in self.parts if p.kind == TemplatePart.Kind.PREPARATION), None)

    def by_key(self, key):
        return next((p for p in self.parts if p.key == key), None)

    @property
    def extras(self):
        return [p for p in self.parts if p.kind == TemplatePart.Kind.EXTRA]

    @property
    def session_parts(self):
        """The parts shown on the session page, in order (preparation has its own page)."""
        return [p for p in self.parts if p.kind != TemplatePart.Kind.PREPARATION]


Kind = TemplatePart.Kind

# DESIGN.md §3: today's six parts, in order, with the questions the seed asks in each.
DEFAULT_PARTS = [
    (
        Kind.PREPARATION,
        [
            _("What did the client take away last time, and did they do their tasks?"),
            _("What do I notice in myself before this session?"),
        ],
    ),
    (
        Kind.CHECK_IN,
        [
            _("How ready are you, and how ready am I?"),
            _("What has happened since last time?"),
            _("What do you want from this session? What is on the agenda?"),
        ],
    ),
    (Kind.NOTE, [_("Stay with the theme and the objectives; note where it drifts and why.")]),
    (Kind.TASK, [_("What will the client do before next time? And the coach?")]),
    (
        Kind.CHECK_OUT,
        [
            _("What is confirmed? Any aha moments or new insights?"),
            _("What do you take away, and which new behaviour will you practise?"),
        ],
    ),
    (Kind.RATINGS, [_("Where are you now on each objective, from 0 to 10?")]),
]
DEFAULT_PROMPTS = dict(DEFAULT_PARTS)
STANDARD_KINDS = [kind for kind, _prompts in DEFAULT_PARTS]
REQUIRED_KINDS = {Kind.PREPARATION, Kind.CHECK_IN, Kind.NOTE, Kind.CHECK_OUT}


def _plan_part(row):
    kind = row.kind
    return PlanPart(
        kind=kind,
        title_en=row.title_en,
        title_id=row.title_id,
        prompts_en=row.prompts_en,
        prompts_id=row.prompts_id,
        default_title=Kind(kind).label,
        default_prompts=DEFAULT_PROMPTS.get(kind, []),
        key=kind if kind != Kind.EXTRA else f"extra-{row.position}",
        position=row.position,
    )


def default_plan():
    return Plan(
        name=_("The practice's standard (six parts)"),
        check_in_min_minutes=CHECK_IN_BOX[0],
        check_in_max_minutes=CHECK_IN_BOX[1],
        check_out_minutes=CHECK_OUT_BOX,
        parts=[
            PlanPart(kind=kind, default_title=Kind(kind).label, default_prompts=prompts, key=kind)
            for kind, prompts in DEFAULT_PARTS
        ],
    )


def plan_of(template, parts):
    """A stored template as a plan; parts are its TemplatePart rows (any order)."""
    rows = sorted(parts, key=lambda row: (row.position, row.pk or 0))
    plan_parts = [_plan_part(row) for row in rows]
    if not any(p.kind == Kind.PREPARATION for p in plan_parts):
        plan_parts.insert(0, default_plan().parts[0])
    return Plan(
        name=template.name,
        check_in_min_minutes=template.check_in_min_minutes,
        check_in_max_minutes=template.check_in_max_minutes,
        check_out_minutes=template.check_out_minutes,
        parts=plan_parts,
        template=template,
    )


def chosen_template_id(program_ref="program"):
    """The id of the template the program (the outer row's program_ref) follows, or NULL, as
    a subquery: read with the session, the plan costs one query fewer (plan_for_program)."""
    return models.Subquery(
        ProgramTemplate.objects.filter(program=models.OuterRef(program_ref)).values("template_id")[
            :1
        ]
    )


_UNKNOWN = object()


def plan_for_program(program, template_id=_UNKNOWN):
    """The plan the program's sessions follow: two queries with a template, one without.

    template_id, when the caller read it already (chosen_template_id): no query without a
    template, one with (its parts with their template)."""
    if template_id is _UNKNOWN:
        chosen = ProgramTemplate.objects.filter(program=program).select_related("template").first()
        if chosen is None:
            return default_plan()
        return plan_of(chosen.template, TemplatePart.objects.filter(template=chosen.template))
    if template_id is None:
        return default_plan()
    parts = list(TemplatePart.objects.filter(template_id=template_id).select_related("template"))
    template = parts[0].template if parts else SessionTemplate.objects.get(pk=template_id)
    return plan_of(template, parts)
