"""The coaching program and its theme. Proposal, contract, chemistry and graduation build on it.

A Program is the engagement between one client and one chosen coach in one practice.
Content fields (theme, aims, CSoB/FSoB, objectives, revisions, reviews, the completion summary,
the chemistry notes, the proposal's need) are coaching content, encrypted at rest
(ethics.fields): read them only through the gate (ethics.access), never filter or order by
them, and never put them in __str__. Coaching content is what the client said or what
describes their inner state and goals; logistics (dates, states, counts, prices, reasons
for a state change the practice has to act on) stays plain.

Over 400 lines: one models module per app (Django's convention); the lifecycle's tables
reference each other and their migrations are one graph.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from coaching.accounts.models import Practice
from coaching.vocabulary import Format
from ethics.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField

# The program's own coaching content: read through ethics.access (program_content_for,
# completion_summary_for); deferred when the programs app loads programs (programs.access).
PROGRAM_TEXT_FIELDS = ("theme", "aims", "current_state", "future_state")
# The reasons are free text about the client (#12): deferred too, read by their readers only.
PROGRAM_CONTENT_FIELDS = (
    *PROGRAM_TEXT_FIELDS,
    "completion_summary",
    "status_reason",
    "early_completion_reason",
)


class Program(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        GRADUATED = "graduated", _("Graduated")
        TERMINATED = "terminated", _("Terminated")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="programs")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programs_as_client"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programs_as_coach"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs_as_sponsor",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Coaching content: the client's theme and aims, and their inner state now (CSoB) and
    # wished for (FSoB). Coach and client only (ethics.access.program_content_for).
    theme = EncryptedTextField(_("theme"), blank=True)
    aims = EncryptedTextField(_("aims"), blank=True)
    current_state = EncryptedTextField(_("current state of being (CSoB)"), blank=True)
    future_state = EncryptedTextField(_("desired future state of being (FSoB)"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    contract = models.OneToOneField(
        "Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="program"
    )
    # Why fewer sessions than contracted were used and why the state changed: free text that
    # can tell of a referral or an illness, so encrypted, shown to the coach and the client
    # only, in the client's export and erased with them (finding 6 of #12).
    early_completion_reason = EncryptedCharField(max_length=300, blank=True)
    # Coaching content: the coach's account of how the client developed (graduation).
    completion_summary = EncryptedTextField(_("completion summary"), blank=True)
    status_reason = EncryptedCharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # Dashboards list a coach's and a client's programs in a practice.
            models.Index(fields=["practice", "coach"], name="program_practice_coach"),
            models.Index(fields=["practice", "client"], name="program_practice_client"),
            # The pipeline's page of a stage, newest first (programs.selectors.pipeline): read
            # in order from the index instead of sorting the practice's rows (#11).
            models.Index(fields=["practice", "-created_at", "-id"], name="program_pipeline_newest"),
            # The admin dashboard: programs counted by status (coaching.dashboards, from the
            # index alone) and the active ones ending soonest (sessions.workspace.admin_today,
            # read in order: it joined all users to sort the practice's programs).
            models.Index(fields=["practice", "status", "ends_on"], name="program_status_ending"),
            # The billing report's revenue by coach (billing.selectors.report): the practice's
            # programs by contract, read from the index alone, joined to the period's invoices.
            models.Index(
                fields=["practice", "contract"],
                include=["coach"],
                name="program_contract_coach",
            ),
        ]

    def __str__(self):
        return f"Program {self.code}"


class Objective(models.Model):
    """One objective of a program, with how its achievement will be judged."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    # Coaching content: the client's goal and how they will judge they reached it.
    text = EncryptedTextField(_("objective"))
    measure = EncryptedTextField(_("how it will be judged"), blank=True)
    is_retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"Objective {self.code}"

    @property
    def number(self):
        """The objective's number as people read it: positions count from 0, people from 1."""
        return self.position + 1


class Proposal(models.Model):
    """What the practice proposes to a prospective client, before any contract."""

    class Origin(models.TextChoices):
        DEMAND_LED = "demand_led", _("Demand-led (the client asked)")
        SUPPLY_DRIVEN = "supply_driven", _("Supply-driven (the practice approached them)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Duration(models.IntegerChoices):
        THREE = 3, _("3 months")
        SIX = 6, _("6 months")
        TWELVE = 12, _("12 months")
        CUSTOM = 0, _("Custom")

    class SessionLength(models.IntegerChoices):
        THIRTY = 30, _("30 minutes")
        FORTY_FIVE = 45, _("45 minutes")
        SIXTY = 60, _("60 minutes")
        NINETY = 90, _("90 minutes")
        ONE_TWENTY = 120, _("120 minutes")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        FORTNIGHTLY = "fortnightly", _("fortnightly")
        MONTHLY = "monthly", _("monthly")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="proposals")
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_as_client",
    )
    client_email = models.EmailField(_("client's email"), blank=True)
    invitation = models.ForeignKey(
        "accounts.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_as_sponsor",
    )
    # Coaching content (the client's words about what they want to change), encrypted at rest.
    # Its readers stay the proposal's parties (admin, client, sponsor): the need is what the
    # client gave the practice to propose a program on, and what the sponsor agrees to pay for.
    # The program's own theme and objectives, set later with the coach, are never shown to them.
    need = EncryptedTextField(_("the need, in the client's words"))
    duration = models.PositiveSmallIntegerField(
        _("duration"), choices=Duration.choices, default=Duration.SIX
    )
    custom_duration_months = models.PositiveSmallIntegerField(
        _("custom duration (months)"), null=True, blank=True
    )
    sessions_count = models.PositiveSmallIntegerField(_("number of sessions"), default=6)
    session_minutes = models.PositiveSmallIntegerField(
        _("session length"), choices=SessionLength.choices, default=SessionLength.SIXTY
    )
    cadence = models.CharField(
        _("cadence"), max_length=60, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    price_minor = models.BigIntegerField(_("price (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    expires_on = models.DateField(_("expires on"))
    # Never been coached: the client's pages explain what coaching is, and the chemistry
    # meeting is proposed longer (the seed: chemistry matters most for them).
    first_time_coaching = models.BooleanField(
        _("first time in coaching"),
        default=False,
        help_text=_("The client has never been coached before."),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    client_response = models.CharField(max_length=16, blank=True, choices=Response.choices)
    sponsor_response = models.CharField(max_length=16, blank=True, choices=Response.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A coach's draft (a supply-driven proposal) waits for an admin, whose sending approves it.
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["practice", "status"], name="proposal_practice_status"),
            # The admin dashboard's proposals sent, oldest first (sessions.workspace.admin_today):
            # PostgreSQL walked the practice's proposals by creation time for the few sent ones
            # (291 pages read at scale 1 for 9 rows, #11).
            models.Index(
                fields=["practice", "created_at"],
                condition=models.Q(status="sent"),
                name="proposal_sent_oldest",
            ),
            # The pipeline's page of a stage, newest first (programs.selectors.pipeline): read
            # in order from the index instead of sorting the practice's rows (#11).
            models.Index(
                fields=["practice", "-created_at", "-id"], name="proposal_pipeline_newest"
            ),
        ]

    def __str__(self):
        return f"Proposal {self.code}"

    @property
    def months(self):
        return self.custom_duration_months if self.duration == 0 else self.duration


# Days between sessions for each cadence (the schedule form's default spacing), and sessions
# per month (what a duration proposes as the number of sessions).
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
CADENCE_PER_YEAR = {"weekly": 52, "fortnightly": 26, "monthly": 12}


def sessions_for(months, cadence):
    """The session count a duration proposes at a cadence: 6 months monthly is 6, fortnightly
    13, weekly 26."""
    return max(1, round((months or 0) * CADENCE_PER_YEAR.get(cadence, 12) / 12))


class Contract(models.Model):
    """The agreement that follows an accepted proposal. Its terms live in versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Waiting for acceptance")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="contracts")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="contract")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_as_sponsor",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=now)
    # Whether a program has started from this contract: set by the one service that starts
    # one (services.chemistry.chemistry_choose) and never unset (a program is never deleted
    # apart from its practice, nor moved to another contract). A fact kept on the row so that
    # "in chemistry" (active, no program yet) is read from the small partial index below
    # (#11: as NOT EXISTS over the practice's programs, an anti-join of all its contracts and
    # programs that grew with the practice, 2.1 ms at the bench's scale 1).
    program_started = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The pipeline's page of a stage, newest first (programs.selectors.pipeline): read
            # in order from the index instead of sorting the practice's rows (#11).
            models.Index(
                fields=["practice", "-created_at", "-id"], name="contract_pipeline_newest"
            ),
            # Contracts in chemistry (access.contracts_in_chemistry): the admin dashboard's
            # count and its oldest-first list of them hold only the few rows in that state.
            models.Index(
                fields=["practice", "created_at"],
                condition=models.Q(status="active", program_started=False),
                name="contract_in_chemistry",
            ),
            # The admin dashboard's counts of contracts by status, and of the active ones
            # without a program (in chemistry), from the index alone.
            models.Index(fields=["practice", "status"], name="contract_practice_status"),
        ]

    def __str__(self):
        return f"Contract {self.code}"

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()

    @property
    def in_force_version(self):
        """The terms the program runs under: the latest version every party accepted (an
        amendment waiting for acceptance does not count yet); before that, the current one."""
        parties = set(self.parties())
        versions = self.versions.order_by("-number").prefetch_related("acceptances")
        for version in versions:
            if parties <= {a.party for a in version.acceptances.all()}:
                return version
        return self.current_version

    @property
    def pending_amendment(self):
        """On an active contract, the newer version sent and not yet accepted by everyone."""
        if self.status != self.Status.ACTIVE:
            return None
        current, in_force = self.current_version, self.in_force_version
        return current if current.number > in_force.number else None

    def parties(self):
        parties = [ContractAcceptance.Party.CLIENT, ContractAcceptance.Party.PRACTICE]
        if self.sponsor_id:
            parties.append(ContractAcceptance.Party.SPONSOR)
        return parties


class ContractVersion(models.Model):
    """One version of a contract's terms. Once sent it is never edited: a change is a new one."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    sessions_count = models.PositiveSmallIntegerField(_("number of sessions"))
    session_minutes = models.PositiveSmallIntegerField(
        _("session length"), choices=Proposal.SessionLength.choices
    )
    cadence = models.CharField(
        _("cadence"), max_length=60, choices=Proposal.Cadence.choices, default="monthly"
    )
    price_minor = models.BigIntegerField(_("price (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    payment_terms = models.TextField(_("payment terms"), blank=True)
    termination_clause = models.TextField(_("termination"), blank=True)
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        _("cancellation notice (hours)"), default=24
    )
    late_cancellation_uses_session = models.BooleanField(
        _("a late cancellation by the client uses up a session"), default=True
    )
    confidentiality = models.TextField(
        _("confidentiality agreement (what the sponsor may see)"), blank=True
    )
    other_conditions = models.TextField(_("other conditions"), blank=True)
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_number")
        ]

    def __str__(self):
        return f"Contract version {self.number}"


class ContractAcceptance(models.Model):
    """One party's acceptance of one specific version: who, when and from where."""

    class Party(models.TextChoices):
        CLIENT = "client", _("Client")
        PRACTICE = "practice", _("Practice")
        SPONSOR = "sponsor", _("Sponsor")

    version = models.ForeignKey(
        ContractVersion, on_delete=models.CASCADE, related_name="acceptances"
    )
    party = models.CharField(max_length=16, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="acceptance_per_party")
        ]

    def __str__(self):
        return f"Acceptance {self.party} of version {self.version_id}"


class ContractResponse(models.Model):
    """A client's or sponsor's answer to a version other than accepting it: they ask for
    changes or decline, with a comment the practice answers with a new version. The comment
    is about terms (logistics), read by the contract's parties and the practice's admins."""

    class Kind(models.TextChoices):
        CHANGES = "changes", _("Asked for changes")
        DECLINE = "decline", _("Declined")

    version = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="responses")
    party = models.CharField(max_length=16, choices=ContractAcceptance.Party.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.TextField(_("comment"), max_length=2000)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Response {self.kind} by {self.party} to version {self.version_id}"


class ProgramEvent(models.Model):
    """One transition in the lifecycle: who, when, from, to and why. Never edited.

    Append-only: written only by programs.transitions.write_event; on PostgreSQL a trigger
    refuses UPDATE and DELETE (so deleting a practice, a proposal, a contract, a program or an
    actor with events is refused there too: the log outlives them by design).
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    subject = models.CharField(max_length=16)  # proposal / contract / program
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)  # "another_candidate_requested" is 27
    reason = EncryptedCharField(max_length=300, blank=True)  # free text: encrypted (#12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="program_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return f"Event {self.subject} {self.from_state}->{self.to_state}"

    # The timeline shows these words, in the reader's language; the stored values stay codes.
    SUBJECT_LABELS = {
        "proposal": _("Proposal"),
        "contract": _("Contract"),
        "chemistry": _("Chemistry meeting"),
        "program": _("Program"),
        "session": _("Session"),
        "invoice": _("Invoice"),
    }
    STATE_LABELS = {
        "draft": _("draft"),
        "sent": _("sent"),
        "accepted": _("accepted"),
        "declined": _("declined"),
        "withdrawn": _("withdrawn"),
        "expired": _("expired"),
        "client_accepted": _("accepted by the client"),
        "sponsor_accepted": _("accepted by the sponsor"),
        "accepted_by_client": _("accepted by the client"),
        "accepted_by_sponsor": _("accepted by the sponsor"),
        "accepted_by_practice": _("accepted by the practice"),
        "changes_asked_by_client": _("changes asked by the client"),
        "changes_asked_by_sponsor": _("changes asked by the sponsor"),
        "declined_by_client": _("declined by the client"),
        "declined_by_sponsor": _("declined by the sponsor"),
        "chemistry": _("chemistry"),
        "active": _("active"),
        "paused": _("paused"),
        "graduated": _("graduated"),
        "terminated": _("terminated"),
        "ended": _("ended"),
        "cancelled": _("cancelled"),
        "scheduled": _("scheduled"),
        "rescheduled": _("rescheduled"),
        "suspended": _("suspended"),
        "held": _("held"),
        "another_candidate_requested": _("another candidate requested"),
        "cancelled_client": _("cancelled by the client in time"),
        "cancelled_client_late": _("cancelled late by the client"),
        "cancelled_coach": _("cancelled by the coach"),
        "no_show": _("no-show"),
        "issued": _("issued"),
        "partly_paid": _("partly paid"),
        "paid": _("paid"),
        "overdue": _("overdue"),
        "void": _("void"),
    }

    @classmethod
    def state_label(cls, state):
        if state.startswith("version_") and state[8:].isdigit():
            return _("version %(number)s") % {"number": state[8:]}
        return cls.STATE_LABELS.get(state, state)

    @property
    def subject_label(self):
        return self.SUBJECT_LABELS.get(self.subject, self.subject)

    @property
    def from_label(self):
        return self.state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self):
        return self.state_label(self.to_state)


MeetingFormat = Format  # a chemistry meeting takes place as a session does


class ChemistryMeeting(models.Model):
    """A short meeting of the client with one candidate coach, before any session."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CHOSEN = "chosen", _("Coach chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="chemistry_meetings"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chemistry_as_coach"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.VIDEO
    )
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    client_rapport = models.PositiveSmallIntegerField(null=True, blank=True)
    client_compatible = models.BooleanField(null=True, blank=True)
    # Coaching content: each side's impression of the other after the chemistry meeting (the
    # client's of the coach, the coach's of the client), read through the gate only.
    client_note = EncryptedTextField(blank=True)
    coach_rapport = models.PositiveSmallIntegerField(null=True, blank=True)
    coach_compatible = models.BooleanField(null=True, blank=True)
    coach_note = EncryptedTextField(blank=True)
    # The client's consent to let the coach they choose read their impression (client_note);
    # without it, each side's impression is read by its author only (ethics.access).
    client_shares_with_coach = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return f"Chemistry meeting {self.code}"


class ProgramRevision(models.Model):
    """A snapshot of the theme, aims and objectives after a change: who, when and why."""

    # Coaching content, as the program's: earlier theme, aims and objectives, and why they
    # changed (the client's circumstances, goals that no longer fit).
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    theme = EncryptedTextField(blank=True)
    aims = EncryptedTextField(blank=True)
    objectives = EncryptedJSONField(default=list)  # [{"text": ..., "measure": ...}]
    reason = EncryptedCharField(_("why"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Revision {self.pk} of program {self.program_id}"


class ObjectiveReview(models.Model):
    """At graduation: one objective judged against the FSoB."""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT = "not", _("Not achieved")

    objective = models.OneToOneField(Objective, on_delete=models.CASCADE, related_name="review")
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    # Coaching content: the coach's judgement of the client's progress on an objective. The
    # result (achieved, partly, not) is structure and stays plain.
    note = EncryptedTextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=now)

    def __str__(self):
        return f"Review of objective {self.objective_id}"


# The terms a proposal offers and a contract version fixes: what its form edits and what an
# amendment carries over from the version before.
PROPOSAL_TERMS = [
    "origin",
    "need",
    "duration",
    "custom_duration_months",
    "sessions_count",
    "session_minutes",
    "cadence",
    "price_minor",
    "currency",
    "expires_on",
]
CONTRACT_TERMS = [
    "starts_on",
    "ends_on",
    "sessions_count",
    "session_minutes",
    "cadence",
    "price_minor",
    "currency",
    "payment_terms",
    "termination_clause",
    "cancellation_notice_hours",
    "late_cancellation_uses_session",
    "confidentiality",
    "other_conditions",
]


class CoachProfile(models.Model):
    """What a client reads about a candidate coach before and after chemistry: the coach's
    own professional introduction in the practice, in both languages. Not coaching content
    (nothing here is about a client); the coach writes it, every member may read it."""

    class IcfLevel(models.TextChoices):
        NONE = "", _("No ICF credential")
        ACC = "ACC", _("ACC (Associate Certified Coach)")
        PCC = "PCC", _("PCC (Professional Certified Coach)")
        MCC = "MCC", _("MCC (Master Certified Coach)")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profiles"
    )
    bio_en = models.TextField(_("introduction (English)"), max_length=2000, blank=True)
    bio_id = models.TextField(_("introduction (Indonesian)"), max_length=2000, blank=True)
    specialties_en = models.CharField(_("specialties (English)"), max_length=300, blank=True)
    specialties_id = models.CharField(_("specialties (Indonesian)"), max_length=300, blank=True)
    languages = models.CharField(_("languages coached in"), max_length=200, blank=True)
    icf_level = models.CharField(
        _("ICF credential"), max_length=3, choices=IcfLevel.choices, blank=True
    )
    icf_number = models.CharField(_("ICF credential number"), max_length=40, blank=True)
    years_coaching = models.PositiveSmallIntegerField(_("years of coaching"), null=True, blank=True)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "coach"], name="coach_profile_one_per_practice"
            )
        ]

    def __str__(self):
        return f"Coach profile {self.pk}"

    def in_language(self, language):
        """(bio, specialties) in the reader's language, the other one when it is empty."""
        first, second = ("id", "en") if (language or "").startswith("id") else ("en", "id")
        bio = getattr(self, f"bio_{first}") or getattr(self, f"bio_{second}")
        specialties = getattr(self, f"specialties_{first}") or getattr(
            self, f"specialties_{second}"
        )
        return bio, specialties
