"""The coaching session record (logistics). Its parts (check-in, notes, tasks, check-out,
ratings) are separate models, because they are coaching content and this row is not."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.vocabulary import Format, Scope
from ethics.fields import EncryptedCharField, EncryptedTextField
from programs.models import Objective, Program


class SessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=Session.Status.SCHEDULED, starts_at__gte=now())

    def past(self):
        return self.filter(starts_at__lt=now())


_SessionManagerBase = models.Manager.from_queryset(SessionQuerySet)


class SessionManager(_SessionManagerBase):
    def get_queryset(self):
        # The status reason is free text about the client, encrypted (#12): the pages that
        # list sessions never load nor decrypt it; the client's export asks for it.
        return super().get_queryset().defer("status_reason")


class Session(models.Model):
    Format = Format

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED_CLIENT_IN_TIME = "cancelled_client", _("Cancelled by the client in time")
        CANCELLED_CLIENT_LATE = "cancelled_client_late", _("Cancelled late by the client")
        CANCELLED_COACH = "cancelled_coach", _("Cancelled by the coach")
        NO_SHOW = "no_show", _("No-show")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        # Set aside while the program is paused; the admin gives it a new time on resuming.
        SUSPENDED = "suspended", _("Suspended (program paused)")

    # Statuses that occupy the coach's and client's calendars (for double-booking checks).
    BLOCKING = [Status.SCHEDULED, Status.HELD]
    # Statuses that use up one of the contract's sessions.
    USED = [Status.HELD, Status.CANCELLED_CLIENT_LATE, Status.NO_SHOW]

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    # The program's practice, copied when the session is created (save(); a program never
    # changes practice): the practice's schedule reads its sessions of a period from the
    # index below instead of scanning every practice's sessions of that period and joining
    # their programs (#11: the month's count grew with the whole deployment, not the
    # practice). Also the distribution key sharding by practice needs (docs/scaling.md).
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.CASCADE, related_name="+", editable=False
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.VIDEO
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video call link"), blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_as_coach"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_as_client"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SCHEDULED)
    rescheduled_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_from"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why it was cancelled or moved, in the coach's or client's words: free text about the
    # client (#12), so encrypted, in the client's export and blanked by erasure.
    status_reason = EncryptedCharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = SessionManager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            # Counted sessions are numbered 1, 2, 3, ... by time (sessions.scheduling.renumber);
            # a moved or freely cancelled one keeps its old number beside its status.
            models.UniqueConstraint(
                fields=["program", "number"],
                condition=models.Q(
                    status__in=["scheduled", "held", "cancelled_client_late", "no_show"]
                ),
                name="session_counted_number_per_program",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="session_duration_sane",
            ),
        ]
        indexes = [
            # Double-booking checks look up a coach's and a client's sessions around a time.
            models.Index(fields=["coach", "starts_at"], name="session_coach_start"),
            models.Index(fields=["client", "starts_at"], name="session_client_start"),
            # Sessions of every practice in a period, by start time, program included: for
            # the reads by time that do not name a practice.
            models.Index(
                fields=["starts_at"], include=["program"], name="schedule_sessions_in_period"
            ),
            # The practice's schedule: sessions of one practice in a period, by start time
            # (programs.selectors.schedule): the page is a range scan of this index in order,
            # its count an index-only scan of the same range (#11: on the period index alone
            # the month's count read every practice's sessions of the month, 23,000 at the
            # bench's scale 1, to keep the 4,700 of the practice: 10 ms).
            models.Index(fields=["practice", "starts_at"], name="schedule_practice_period"),
            # The admin's "decisions" panel (sessions/workspace/admin.py): late cancellations and
            # sessions left unmarked of the last 30 days. On the period index it read every
            # session from 30 days back into the future (104 ms at the bench's scale 1); these
            # two small partial indexes hold only those states.
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="cancelled_client_late"),
                name="session_late_cancel_start",
            ),
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="scheduled"),
                name="session_scheduled_start",
            ),
            # A practice's scheduled sessions in a period (sessions/workspace/admin.py: the admin's
            # week panel and the unmarked part of "decisions"): on schedule_practice_period the
            # unmarked ones of the last 30 days were found among every other state of the month
            # (4,500 rows read to keep 11, 2.1 ms at the bench's scale 1; 0.02 ms on this one).
            models.Index(
                fields=["practice", "starts_at"],
                condition=models.Q(status="scheduled"),
                name="session_sched_practice_start",
            ),
        ]

    def __str__(self):
        return f"Session {self.number} of program {self.program_id}"

    def save(self, *args, **kwargs):
        if self.practice_id is None and self.program_id is not None:
            self.practice_id = self.program.practice_id
        super().save(*args, **kwargs)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_upcoming(self):
        return self.status == self.Status.SCHEDULED and self.starts_at >= now()


class SessionContent(models.Model):
    """Common fields of every session part: coaching content, read only through ethics.access."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.CLIENT)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{type(self).__name__} {self.code}"


class Preparation(SessionContent):
    """The coach's reflection before a session. Private to the coach by default."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="preparation")
    reflection = EncryptedTextField(_("reflection before the session"), blank=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.PRIVATE)


def readiness_field(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )


class CheckIn(SessionContent):
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="check_in")
    client_readiness = readiness_field(_("client's readiness (1-10)"))
    coach_readiness = readiness_field(_("coach's readiness (1-10)"))
    since_last_time = EncryptedTextField(_("what happened since last time"), blank=True)
    goal = EncryptedTextField(_("goal of this session"), blank=True)
    agenda = EncryptedTextField(_("agenda"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client_readiness__gte=1, client_readiness__lte=10)
                | models.Q(client_readiness=None),
                name="checkin_client_readiness_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(coach_readiness__gte=1, coach_readiness__lte=10)
                | models.Q(coach_readiness=None),
                name="checkin_coach_readiness_1_10",
            ),
        ]


class ConversationNote(SessionContent):
    """The coach's notes on the conversation, and whether it stayed on the program's theme."""

    class OnTheme(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class DriftReason(models.TextChoices):
        THEME_NO_LONGER_FITS = "theme", _("The theme no longer fits")
        OBJECTIVES_OUTDATED = "objectives", _("The objectives are outdated")
        NEW_CIRCUMSTANCES = "circumstances", _("New circumstances")
        OTHER = "other", _("Other")

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="note")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.PRIVATE)
    text = EncryptedTextField(_("conversation notes"), blank=True)
    on_theme = models.CharField(
        _("did the session stay on the program's theme?"),
        max_length=8,
        choices=OnTheme.choices,
        default=OnTheme.YES,
    )
    drift_reason = models.CharField(
        _("why not"), max_length=16, choices=DriftReason.choices, blank=True
    )
    drift_text = EncryptedCharField(_("more about the drift"), max_length=500, blank=True)

    @property
    def drifted(self):
        return self.on_theme != self.OnTheme.YES


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at=None)


class ActionItem(SessionContent):
    """A post-session task for the client or for the coach."""

    class Assignee(models.TextChoices):
        CLIENT = "client", _("Client")
        COACH = "coach", _("Coach")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_items")
    assignee = models.CharField(
        _("for"), max_length=8, choices=Assignee.choices, default=Assignee.CLIENT
    )
    text = EncryptedCharField(_("task"), max_length=500)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_comment = EncryptedCharField(_("comment"), max_length=500, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # Open tasks of a program, on dashboards and the preparation page.
            models.Index(fields=["session", "done_at"], name="actionitem_session_done"),
        ]


class CheckOut(SessionContent):
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="check_out")
    confirmations = EncryptedTextField(_("confirmations"), blank=True)
    aha_moments = EncryptedTextField(_("aha moments"), blank=True)
    insights = EncryptedTextField(_("new insights"), blank=True)
    take_aways = EncryptedTextField(_("take-aways"), blank=True)
    new_behaviours = EncryptedTextField(_("new behaviours to practise"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)


class ObjectiveRating(SessionContent):
    """The client's rating of one objective at one session, 0 to 10."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        _("score (0-10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "objective"], name="rating_once_per_session_objective"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=10), name="rating_score_0_10"),
        ]


class RescheduleRequest(models.Model):
    """A client's or a coach's request to move one session, with up to three proposed times
    and a reason from a fixed list (never free text: a reason in the client's words would be
    coaching content). The practice (an admin or a scheduler) accepts one of the times, which
    moves the session through sessions.scheduling, or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        LAPSED = "lapsed", _("No longer needed")

    class Side(models.TextChoices):
        CLIENT = "client", _("the client")
        COACH = "coach", _("the coach")

    class Reason(models.TextChoices):
        WORK = "work", _("A work commitment")
        HEALTH = "health", _("Illness or health")
        TRAVEL = "travel", _("Travel")
        FAMILY = "family", _("Family matters")
        OTHER = "other", _("Another reason")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The session's program's practice, copied when the request is made (a session never
    # changes practice): the practice's list and its counts by status are read from the index
    # below, not by joining every session of the practice (#11).
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.CASCADE, related_name="+", editable=False
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reschedule_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    proposed_1 = models.DateTimeField(_("first proposed time"))
    proposed_2 = models.DateTimeField(_("second proposed time"), null=True, blank=True)
    proposed_3 = models.DateTimeField(_("third proposed time"), null=True, blank=True)
    # Asked later than the contract's notice by the client, when a late cancellation uses
    # the session: such a request cannot be accepted as a free move.
    late = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    moved_to = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One open request per session: a second would race the first to move it.
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(status="pending"),
                name="reschedule_one_pending_per_session",
            ),
        ]
        indexes = [
            # The move-requests page: a page of one status of the practice, newest first, and
            # the practice's count of each status (an index-only scan). Joined through the
            # sessions, the counts hashed all 60,000 sessions of the practice (200 ms at the
            # bench's scale 1) and a page of the answered history sorted them (220 ms).
            models.Index(
                fields=["practice", "status", "-created_at", "-id"],
                name="reschedule_requests_by_status",
            ),
        ]

    def __str__(self):
        return f"reschedule request {self.code} ({self.status})"

    @property
    def proposed_times(self):
        return [t for t in (self.proposed_1, self.proposed_2, self.proposed_3) if t is not None]
