"""Ethics: consents, the append-only access log, referrals, the coach's development records,
the client's erasure requests.

Content fields (referral notes, journal text) are encrypted at rest (ethics/fields.py) and
never appear in __str__, the Django admin or logs.

About 500 lines: one models module per app (Django's convention).
"""

import hashlib
import uuid
from datetime import timedelta

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from coaching.vocabulary import Scope

from .fields import EncryptedTextField


class ConsentQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(withdrawn_at=None)


class Consent(models.Model):
    """What a client agreed to: the exact text and its version, when, and when withdrawn.

    A withdrawn consent stays (the history of what was agreed is kept); giving it again
    makes a new row. At most one row of a kind per sponsor is in force at a time.
    """

    class Kind(models.TextChoices):
        SPONSOR_SHARING = "sponsor_sharing", _("Sharing with the sponsor")
        DATA_PROCESSING = "data_processing", _("Processing of my data")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="consents")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents_received",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    text = models.TextField(_("text agreed to"))
    text_version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(max_length=8, blank=True)
    given_at = models.DateTimeField(default=now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client", "sponsor", "kind"],
                condition=Q(withdrawn_at=None, sponsor__isnull=False),
                name="consent_one_in_force_per_sponsor",
            ),
            # NULL sponsors are distinct in a unique index; this one covers consents without one.
            models.UniqueConstraint(
                fields=["practice", "client", "kind"],
                condition=Q(withdrawn_at=None, sponsor__isnull=True),
                name="consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(kind="data_processing") | Q(sponsor__isnull=False),
                name="consent_sharing_names_sponsor",
            ),
        ]
        indexes = [
            # The content gate asks, on every sponsor read, whether a consent is in force.
            models.Index(fields=["client", "sponsor", "kind"], name="consent_lookup"),
        ]

    def __str__(self):
        return f"Consent {self.code}"

    @property
    def in_force(self):
        return self.withdrawn_at is None


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an access-log entry."""


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access events cannot be deleted.")

    def _raw_delete(self, using):
        raise AppendOnlyError("Access events cannot be deleted.")


class AccessEvent(models.Model):
    """One read of confidential content by someone other than its author, or one export.

    Append-only: the application refuses to change or delete a row, and on PostgreSQL a
    trigger refuses UPDATE and DELETE as well. The label says which item ("Session 3
    check-out"), never what it says.
    """

    class Kind(models.TextChoices):
        READ = "read", _("Read")
        EXPORT = "export", _("Export")

    # Repeated reads of the same item by the same reader within one window of the clock
    # (10:00-10:10, 10:10-10:20, ...) are folded into one row: why ten minutes, ethics/README.
    FOLD_SECONDS = 600

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The person the item is about (the client); their "who has read my records" page lists it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.READ)
    path = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=now)
    # Reads through the gate: at // FOLD_SECONDS, so that repeated reads of one item by one
    # reader in the same window are one row (the unique constraint below; ethics/README.md).
    # Null for exports and direct records: never folded.
    fold_window = models.BigIntegerField(null=True, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has read my records" and the admin's list, newest first.
            models.Index(fields=["practice", "subject", "-at"], name="access_subject_at"),
            models.Index(fields=["practice", "-at"], name="access_practice_at"),
        ]
        constraints = [
            # The INSERT ... ON CONFLICT DO NOTHING of ethics.access._insert_events skips a
            # read already recorded in its window (nulls never conflict).
            models.UniqueConstraint(
                fields=["reader", "content_type", "object_id", "fold_window"],
                name="access_read_once_per_window",
            )
        ]
        triggers = [
            pgtrigger.Protect(
                name="access_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return f"Access {self.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Access events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access events cannot be deleted.")


class Referral(models.Model):
    """A referral of a client to another professional: coaching is not therapy or consulting."""

    class Professional(models.TextChoices):
        THERAPIST = "therapist", _("Therapist or counsellor")
        DOCTOR = "doctor", _("Doctor")
        LAWYER = "lawyer", _("Lawyer")
        FINANCIAL_ADVISER = "financial_adviser", _("Financial adviser")
        OTHER = "other", _("Other professional")

    class Reason(models.TextChoices):
        MENTAL_HEALTH = "mental_health", _("Mental health or emotional distress")
        PHYSICAL_HEALTH = "physical_health", _("Physical health")
        LEGAL = "legal", _("Legal matter")
        FINANCIAL = "financial", _("Financial matter")
        CONSULTING = "consulting", _("Needs expert advice (consulting)")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    professional = models.CharField(_("refer to"), max_length=24, choices=Professional.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    pause_requested = models.BooleanField(_("pause the program"), default=False)
    created_at = models.DateTimeField(default=now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Referral {self.code}"

    @property
    def is_open(self):
        return self.closed_at is None


class ReflectiveJournalEntry(models.Model):
    """A coach's reflective-practice journal entry. Private to its author: nobody else, not
    even an admin of the practice, can read it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    text = EncryptedTextField(_("reflection"))
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "reflective journal entries"
        indexes = [models.Index(fields=["coach", "practice", "-date"], name="journal_coach_date")]

    def __str__(self):
        return f"Journal entry {self.code}"


class CCEEntry(models.Model):
    """A unit of continuing coach education (ICF CCE)."""

    class Category(models.TextChoices):
        CORE_COMPETENCIES = "core_competencies", _("Core competencies")
        RESOURCE_DEVELOPMENT = "resource_development", _("Resource development")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    provider = models.CharField(_("provider"), max_length=150)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "CCE entry"
        verbose_name_plural = "CCE entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=200), name="cce_hours_sane"
            )
        ]

    def __str__(self):
        return f"CCE {self.code}"


class EthicsAttestation(models.Model):
    """A coach's yearly attestation that they have read and follow the ICF Code of Ethics."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    code_version = models.CharField(max_length=40)
    attested_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "coach", "year"], name="attestation_one_per_year"
            )
        ]

    def __str__(self):
        return f"Attestation {self.coach_id} {self.year}"


class ProBonoProgram(models.Model):
    """Marks a program as pro bono for the ICF client-hours log (paid hours otherwise).

    Programs carry no price this app can see, so a marker row is the whole fact.
    """

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="pro_bono"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Pro bono {self.program_id}"


class ErasureRequest(models.Model):
    """A client's request to be erased from a practice; an admin completes it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=Q(completed_at=None),
                name="erasure_one_open_per_user",
            )
        ]

    def __str__(self):
        return f"Erasure request {self.code}"


class PracticeScopeDefault(models.Model):
    """The practice's default scope for a new session part of one kind; the coach changes the
    scope per item on the session page. Without a row the part's own default holds."""

    class Part(models.TextChoices):
        PREPARATION = "preparation", _("Preparation (reflection before the session)")
        CHECK_IN = "checkin", _("Check-in")
        NOTE = "conversationnote", _("Conversation notes")
        TASK = "actionitem", _("Post-session tasks")
        CHECK_OUT = "checkout", _("Check-out")
        RATING = "objectiverating", _("Progress ratings")

    Scope = Scope

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=24, choices=Part.choices)
    scope = models.CharField(max_length=8, choices=Scope.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "part"], name="scope_default_once")
        ]

    def __str__(self):
        return f"Scope default {self.practice_id} {self.part}"

    # From the narrowest to the widest reader.
    NARROW_TO_WIDE = [Scope.PRIVATE, Scope.CLIENT, Scope.SPONSOR]

    @classmethod
    def widest(cls, part):
        """The part's own default: a practice default may narrow it, never widen it, because
        the admin who sets it must not decide who reads content (finding 7 of #12)."""
        model = apps.get_model("coaching_sessions", part)
        return model._meta.get_field("scope").default

    @classmethod
    def allowed(cls, part):
        widest = cls.widest(part)
        return cls.NARROW_TO_WIDE[: cls.NARROW_TO_WIDE.index(widest) + 1]

    @classmethod
    def scope_for(cls, practice, model):
        part = model._meta.model_name
        own = model._meta.get_field("scope").default
        row = cls.objects.filter(practice=practice, part=part).only("scope").first()
        if row is not None and row.scope in cls.allowed(part):
            return row.scope
        return own  # a row set wider before this rule (or by hand) does not widen


class ProgressReport(models.Model):
    """A progress report for the sponsor: the coach drafts it, the client approves it, and
    only then (and while the client's consent is in force) can the sponsor read it.
    Read only through ethics.access.progress_reports_visible_to."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the client's approval")
        APPROVED = "approved", _("Approved by the client")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("report"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Progress report {self.code}"

    @property
    def digest(self):
        """The text the client read, as a hash: the approval names it, so a report the coach
        changed after the client opened it is not approved by their click (finding 2 of #12)."""
        return hashlib.sha256(self.text.encode()).hexdigest()


class ScopeBoundaryFlag(models.Model):
    """At check-out the coach flags that the conversation went into consulting or therapy
    territory; the page then offers the referral flow."""

    class Territory(models.TextChoices):
        CONSULTING = "consulting", _("Consulting (expert advice)")
        THERAPY = "therapy", _("Therapy or counselling")

    session = models.ForeignKey(
        "coaching_sessions.Session", on_delete=models.CASCADE, related_name="+"
    )
    territory = models.CharField(_("territory"), max_length=12, choices=Territory.choices)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-flagged_at"]

    def __str__(self):
        return f"Scope boundary flag {self.pk}"


class PreparedExport(models.Model):
    """The client's data export of one practice, prepared by a worker
    (ethics.tasks.data_export_prepare) so that a download reads one row instead of every
    table (#11). One row per client and practice: "prepare again" asks for a new body and
    keeps the old one downloadable until the new one is ready.

    The body is the JSON document as downloaded, and the printable_* fields the page's
    rendering of it, encrypted like all content; read only through
    ethics.access.prepared_export_for (the client themself). It expires
    EXPIRES_AFTER after it was prepared (ethics.prepared_exports.data_exports_sweep deletes
    it), and the client's erasure deletes it. Not in the Django admin."""

    EXPIRES_AFTER = timedelta(days=7)
    # A claim older than this is a worker that died mid-build: the next task may take over.
    LEASE = timedelta(minutes=5)
    # Language -> the field of its printable sections (a test checks every language has one).
    PRINTABLE_FIELDS = {"id": "printable_id", "en": "printable_en"}

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # A preparation asked for and not finished yet; the claim of the worker building it.
    requested_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    body = EncryptedTextField(blank=True)
    size = models.PositiveIntegerField(default=0)  # bytes of the JSON document
    # The printable page's sections, rendered by the worker with the body (so that the page
    # inserts one fragment instead of rendering every row on each visit): one per language of
    # settings.LANGUAGES (PRINTABLE_FIELDS), in the client's time zone of that moment. Blank
    # for an export prepared before they existed: the page renders those from the body.
    printable_id = EncryptedTextField(blank=True)
    printable_en = EncryptedTextField(blank=True)
    printable_timezone = models.CharField(max_length=64, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "client"], name="prepared_export_one_per_client"
            )
        ]
        indexes = [
            # data_exports_sweep: the expired ones.
            models.Index(fields=["expires_at"], name="prepared_export_expiry"),
        ]

    def __str__(self):
        return f"Prepared export {self.code}"

    @property
    def is_pending(self):
        return self.requested_at is not None

    @property
    def is_ready(self):
        """Prepared and not expired: the body may be downloaded."""
        return self.prepared_at is not None and self.expires_at > now()
