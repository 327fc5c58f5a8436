"""The client's prepared data export (#11): asked for on the "my data" page, built by a worker,
downloaded (JSON) and shown (the printable page) from what it stored until it expires: the
body, and the printable sections rendered in each language (printable_fragments).

Why prepared: building the export reads every table that holds something about the client
(about 24 queries, one per section, and more with each app that adds a section); a download of
a prepared export reads one row. It is how takeouts work elsewhere (ask, get told when it is
ready, download for a week).

Delivery guarantee. A request is a row (PreparedExport.requested_at) before it is a task; the
task is enqueued after the commit. A worker claims the row with a conditional update
(requested, and unclaimed or its claim older than PreparedExport.LEASE); only the caller that
changed the row builds it. The body, the access-log record and the "ready" reminder are
written in one transaction and only under that claim, so a worker that lost its claim writes
nothing. A message lost on the way (broker down) or a worker killed mid-build leaves the row
requested: the sweep (beat, ethics.data_exports_sweep) enqueues it again once its request or
claim is older than the lease. At most one body per client and practice; "prepare again"
keeps the old one downloadable until the new one replaces it.
"""

import json
import logging
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import gettext as _

from coaching.access import Role
from coaching.accounts.middleware import user_language_and_timezone

from . import access as gate
from . import tasks
from .exports import data_export, printable
from .models import PreparedExport
from .reminders import data_export_ready_schedule

logger = logging.getLogger(__name__)

SECTIONS_TEMPLATE = "ethics/_data_export_sections.html"


def data_export_document(*, user, practice, at):
    """The JSON document of the client's export, as the download has always been."""
    sections = data_export(user=user, practice=practice)
    return json.dumps(
        {
            "practice": practice.name,
            "generated_at": at.isoformat(),
            "sections": {s["key"]: {"title": str(s["title"]), "rows": s["rows"]} for s in sections},
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )


# The printable page shows the newest reads of the client's records, not all of them: the log
# grows with every read for as long as the client is coached (years of reads are thousands of
# rows, and the page grew with them, #11). Every read is in the download and on the paged
# "Who read my records" page, which the page says.
PRINTABLE_ACCESS_EVENTS = 100


def printable_sections(body):
    """The document's sections as the printable page shows them (ethics.exports), in the
    current language and time zone; `body` is the JSON text or its parsed document. The
    access log's section keeps its newest PRINTABLE_ACCESS_EVENTS rows ("more": the rest)."""
    document = json.loads(body) if isinstance(body, str) else body
    sections = []
    for key, section in document["sections"].items():
        rows, more = section["rows"], 0
        if key == "access_events" and len(rows) > PRINTABLE_ACCESS_EVENTS:
            rows, more = rows[:PRINTABLE_ACCESS_EVENTS], len(rows) - PRINTABLE_ACCESS_EVENTS
        sections.append(
            {**printable({"key": key, "title": section["title"], "rows": rows}), "more": more}
        )
    return sections


def printable_fragments(body, *, timezone_name):
    """The printable page's sections rendered once per language (PreparedExport's
    printable_* fields) in the client's time zone: what the page rendered on each visit,
    rendered once by the worker. Autoescaped by the template here, so the page inserts it."""
    document = json.loads(body)
    fragments = {}
    with timezone.override(zoneinfo.ZoneInfo(timezone_name)):
        for language, field in PreparedExport.PRINTABLE_FIELDS.items():
            with translation.override(language):
                fragments[field] = render_to_string(
                    SECTIONS_TEMPLATE, {"sections": printable_sections(document)}
                )
    return fragments


def printable_fragment(export):
    """The prepared printable sections for the current language and time zone (the page
    inserts them), or None: an export prepared before they existed, or a client who changed
    language to one without its field or changed time zone since; the page then renders the
    sections from the body (printable_sections). `export` as prepared_export_for(access,
    printable_in=<the current language>) returns it."""
    field = PreparedExport.PRINTABLE_FIELDS.get(translation.get_language())
    if field is None or export.printable_timezone != timezone.get_current_timezone_name():
        return None
    fragment = getattr(export, field)
    # Rendered by our own template with autoescaping (printable_fragments), stored encrypted:
    # it is HTML we wrote, not text anyone typed.
    return mark_safe(fragment) if fragment else None  # noqa: S308


def _timezone_of(user):
    """The time zone the client's pages are shown in (the middleware's choice)."""
    name = user_language_and_timezone(user)[1]
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "Asia/Jakarta"  # as UserPreferencesMiddleware
    return name


def data_export_request(*, access):
    """The client asks for their export (first time or again). Refused while a preparation
    asked for less than PreparedExport.LEASE ago is still under way (a double click, a second
    tab). The task is enqueued after the commit."""
    if not access.has(Role.CLIENT):
        raise ValidationError(_("You do not have the role this needs."))
    at = now()
    with transaction.atomic():
        export, created = PreparedExport.objects.get_or_create(
            practice=access.practice, client=access.user, defaults={"requested_at": at}
        )
        if not created:
            asked = (
                PreparedExport.objects.filter(pk=export.pk)
                .filter(Q(requested_at=None) | Q(requested_at__lt=at - PreparedExport.LEASE))
                .update(requested_at=at, claimed_at=None, claim_token=None, failed_at=None)
            )
            if not asked:
                raise ValidationError(
                    _("Your export is already being prepared. We will tell you when it is ready.")
                )
        export_id = export.pk
        transaction.on_commit(lambda: _enqueue(export_id))
    return export


def _enqueue(export_id):
    try:
        tasks.data_export_prepare.delay(export_id)
    except Exception:
        # The broker is down. The row is the request: the sweep enqueues it once it is back.
        logger.warning("Broker unavailable; data export %s waits for the sweep", export_id)


def data_export_build(export_id):
    """Build one requested export (the task). Returns what happened, for the task's log."""
    at = now()
    token = uuid.uuid4()
    claimed = (
        PreparedExport.objects.filter(pk=export_id, requested_at__isnull=False)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=at - PreparedExport.LEASE))
        .update(claimed_at=at, claim_token=token)
    )
    if not claimed:
        return "not claimed"
    export = (
        PreparedExport.objects.defer("body").select_related("client", "practice").get(pk=export_id)
    )
    user, practice = export.client, export.practice
    access = gate.client_access(user, practice)
    pending = gate.collect_events()  # every access event of the build: one INSERT
    try:
        with translation.override(user.language or practice.default_language):
            body = data_export_document(user=user, practice=practice, at=at)
            label = _("Data export (prepared)")
        timezone_name = _timezone_of(user)
        fragments = printable_fragments(body, timezone_name=timezone_name)
        with transaction.atomic():
            stored = PreparedExport.objects.filter(pk=export_id, claim_token=token).update(
                body=body,
                size=len(body.encode()),
                printable_timezone=timezone_name,
                **fragments,
                prepared_at=at,
                expires_at=at + PreparedExport.EXPIRES_AFTER,
                requested_at=None,
                claimed_at=None,
                claim_token=None,
                failed_at=None,
            )
            if stored:
                path = reverse("data_export_page", kwargs={"slug": practice.slug})
                gate.record_export(access, label=label, path=path)
                export.prepared_at = at
                data_export_ready_schedule(export)
                gate.write_events(pending)
                pending = None
    except Exception as exc:
        # The class only, and not raised on to Celery (which would log its text and its
        # traceback): an exception's text could quote what was being exported. The client
        # sees the failure on the page and may ask again.
        logger.warning("data export %s failed: %s", export.code, type(exc).__name__)
        PreparedExport.objects.filter(pk=export_id, claim_token=token).update(
            requested_at=None, claimed_at=None, claim_token=None, failed_at=now()
        )
        return "failed"
    finally:
        if pending is not None:
            gate.write_events(pending)
    return "prepared" if stored else "claim lost"


def data_exports_sweep(*, at=None):
    """Beat: delete the expired exports (an expired body of a row being prepared again is
    blanked, the request kept); enqueue again the requests no worker finished within the
    lease (a lost message, a killed worker). Returns the number deleted."""
    at = at or now()
    expired = PreparedExport.objects.filter(expires_at__lte=at)
    deleted, _rows = expired.filter(requested_at=None).delete()
    blank = dict.fromkeys(PreparedExport.PRINTABLE_FIELDS.values(), "")
    expired.update(
        body="", size=0, printable_timezone="", **blank, prepared_at=None, expires_at=None
    )
    stale = (
        PreparedExport.objects.filter(requested_at__lt=at - PreparedExport.LEASE)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=at - PreparedExport.LEASE))
        .values_list("pk", flat=True)[:100]
    )
    for export_id in list(stale):
        _enqueue(export_id)
    return deleted


def data_export_discard(export):
    """An expired export the sweep has not reached yet, seen by its client: deleted now."""
    PreparedExport.objects.filter(pk=export.pk, requested_at=None, expires_at__lte=now()).delete()


def erase(*, user, practice):
    """Erasure step (settings.ERASURE_STEPS): the prepared export is the client's data."""
    PreparedExport.objects.filter(practice=practice, client=user).delete()
