"""The coaching session record (logistics). Its parts (check-in, notes, tasks, check-out,
ratings) are separate models, because they are coaching content and this row is not."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class SessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=Session.Status.SCHEDULED, starts_at__gte=now())

    def past(self):
        return self.filter(starts_at__lt=now())


class Session(models.Model):
    class Format(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face to face")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        OTHER_VIRTUAL = "other_virtual", _("Other virtual")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED_CLIENT_IN_TIME = "cancelled_client", _("Cancelled by the client in time")
        CANCELLED_CLIENT_LATE = "cancelled_client_late", _("Cancelled late by the client")
        CANCELLED_COACH = "cancelled_coach", _("Cancelled by the coach")
        NO_SHOW = "no_show", _("No-show")
        RESCHEDULED = "rescheduled", _("Rescheduled")

    # Statuses that occupy the coach's and client's calendars (for double-booking checks).
    BLOCKING = [Status.SCHEDULED, Status.HELD]
    # Statuses that use up one of the contract's sessions.
    USED = [Status.HELD, Status.CANCELLED_CLIENT_LATE, Status.NO_SHOW]

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
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
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="session_number_per_program"
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
        ]

    def __str__(self):
        return f"Session {self.number} of program {self.program_id}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_upcoming(self):
        return self.status == self.Status.SCHEDULED and self.starts_at >= now()
