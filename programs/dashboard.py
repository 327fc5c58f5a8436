"""Lifecycle panels on the role dashboards: what waits, and for whom."""

from collections import Counter

from django.db.models import BooleanField, ExpressionWrapper, Q, prefetch_related_objects
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from coaching.access import Role
from coaching.accounts.models import Practice
from coaching.queries import counts_by, counts_in_one_query
from coaching.templatetags.rowurls import row_url_maker
from sessions.selectors import client_panel

from .access import (
    contracts_for,
    contracts_in_chemistry,
    programs_for,
    programs_of_client,
    proposals_for,
)
from .models import ChemistryMeeting, Contract, ContractAcceptance, Program, Proposal
from .selectors import coach_programs, sponsor_programs


def _admin_counts(access):
    # Each reach built once (#11: once per count, a third of the time spent building this
    # dashboard's counts query); proposals and programs read once each for their stages'
    # counts (counts_by; #11: filtered, compiled and read once per stage).
    programs = counts_by(programs_for(access), "status", ["active", "paused", "graduated"])
    return {
        **counts_by(proposals_for(access), "status", ["draft", "sent", "accepted"]),
        # Only the stages the panel shows (#11: draft contracts were counted and never shown).
        "contract_sent": contracts_for(access).filter(status="sent"),
        "chemistry": contracts_in_chemistry(access),
        **{f"program_{s}": count for s, count in programs.items()},
    }


def counts_wanted(access, role):
    """The pipeline panel's numbers, read with the other panels' (coaching.dashboards); for a
    client, whether any contract waits for them: the rows are read only then (#11: a query on
    every client dashboard, for nothing on most days)."""
    if role in (Role.ADMIN, Role.SCHEDULER):
        return _admin_counts(access)
    if role == Role.CLIENT:
        return {"client_contracts": _client_contracts_query(access)}
    if role == Role.COACH:  # chemistry meetings to hold or to record: read only if any
        return {"chemistry_meetings": _coach_meetings(access)}
    return {}


def rows_wanted(access, role):
    """The proposals waiting for the client, read in the dashboard's counts query (#11: read
    in a query of their own when a count said some wait, the dashboard asked one query more on
    the days one did)."""
    if role == Role.CLIENT:
        return {"proposals_waiting": _proposal_rows(_client_proposals(access))}
    return {}


def _proposal_rows(proposals):
    """What the waiting panel shows of a proposal (its link, its answer-by date)."""
    return proposals.values("code", "expires_on", "created_at")


def _admin(access, counts=None):
    if counts is None:
        counts = counts_in_one_query(
            Practice.objects.filter(pk=access.practice.pk), _admin_counts(access)
        )
    return {
        "template": "programs/_panel_pipeline.html",
        "stages": [
            (Proposal.Status.DRAFT.label, counts["draft"]),
            (Proposal.Status.SENT.label, counts["sent"]),
            (Proposal.Status.ACCEPTED.label, counts["accepted"]),
            (_("Contract waiting for acceptance"), counts["contract_sent"]),
            (_("Chemistry"), counts["chemistry"]),
            (_("Active"), counts["program_active"]),
            (_("Paused"), counts["program_paused"]),
            (_("Graduated"), counts["program_graduated"]),
        ],
    }


def _proposals_waiting(access, role):
    user = access.user
    field = "client_response" if role == Role.CLIENT else "sponsor_response"
    waiting = {"status": Proposal.Status.SENT, field: ""}
    if access.roles == {role}:
        # The reach of a client (or sponsor) and nothing else is the proposals made to them:
        # the same rows without the rule a second time (#11: built and compiled twice).
        return proposals_for(access).filter(**waiting).defer("need")
    person = Q(client=user) if role == Role.CLIENT else Q(sponsor=user)
    if role == Role.CLIENT:
        person |= Q(client=None, client_email=user.email.lower())
    return proposals_for(access).filter(person, **waiting).defer("need")


def _client_proposals(access):
    return _proposals_waiting(access, Role.CLIENT)


def _waiting_for_me(access, role, counts=None):
    party = (
        ContractAcceptance.Party.CLIENT if role == Role.CLIENT else ContractAcceptance.Party.SPONSOR
    )
    if counts is not None:  # read with the other panels' numbers (rows_wanted), newest first
        proposals = sorted(counts["proposals_waiting"], key=lambda p: p["created_at"], reverse=True)
    else:
        proposals = list(_proposals_waiting(access, role))
    if role == Role.CLIENT:
        sent = [c for c in _client_contracts(access) if c.status == Contract.Status.SENT]
        prefetch_related_objects(sent, "versions__acceptances")
    else:
        sent = contracts_for(access).filter(sponsor=access.user, status=Contract.Status.SENT)
        sent = sent.prefetch_related("versions__acceptances")
    contracts = []
    for contract in sent:
        current = max(contract.versions.all(), key=lambda v: v.number)
        if all(a.party != party for a in current.acceptances.all()):
            contracts.append(contract)
    return {
        "template": "programs/_panel_waiting.html",
        "proposals": proposals,
        "contracts": contracts,
    }


def _client_contracts_query(access):
    waiting = Q(status=Contract.Status.SENT) | Q(program__isnull=True)
    if access.roles != {Role.CLIENT}:  # a client only: their reach is their contracts (#11)
        waiting &= Q(client_id=access.user.pk)
    return contracts_for(access).filter(waiting)


def _client_contracts(access, counts=None):
    """The client's contracts that can show on their dashboard: sent (waiting for them) or
    still without a program (their chemistry meetings), in one query read once per request
    by both panels (#11); none read when the dashboard's counts found none."""
    if "client_contracts" not in access.reads:
        if counts is not None and not counts["client_contracts"]:
            access.reads["client_contracts"] = []
        else:
            access.reads["client_contracts"] = list(
                _client_contracts_query(access).annotate(
                    without_program=ExpressionWrapper(
                        Q(program__isnull=True), output_field=BooleanField()
                    )
                )
            )
    return access.reads["client_contracts"]


def _coach_meetings(access):
    return ChemistryMeeting.objects.filter(
        contract__practice=access.practice,
        coach=access.user,
        status__in=["scheduled", "held"],
    )


def _programs(access, role, counts=None):
    if role == Role.CLIENT:  # the sessions panel lists them too: one read (#11)
        programs = programs_of_client(access)
        # Their sessions held and booked, counted from the sessions panel's read of them
        # all (#11: a join and GROUP BY of their own).
        for item in client_panel(access=access):
            item["program"].held, item["program"].booked = item["held"], item["booked"]
    elif role == Role.COACH:  # "near graduation" reads them too: one read (#11)
        coach_panel = _coach_panel(access)
        programs = coach_panel["rows"]
    else:  # the sponsor's: the attendance table reads them too, one read (#11)
        programs = sorted(sponsor_programs(access=access), key=lambda p: p.created_at, reverse=True)
    meetings = []
    # The coach's meetings, read only when the dashboard's counts found some (#11).
    if role == Role.COACH and (counts is None or counts["chemistry_meetings"]):
        meetings = list(
            _coach_meetings(access)
            .select_related("contract__client")
            .defer("client_note", "coach_note")
        )
    if role == Role.CLIENT:
        # The meetings of the client's contracts still without a program (read with the
        # waiting ones): no query when there are none.
        unplaced = [c for c in _client_contracts(access) if c.without_program]
        meetings = []
        if unplaced:
            meetings = list(
                ChemistryMeeting.objects.filter(
                    contract__in=unplaced, status__in=["scheduled", "held"]
                )
                .select_related("coach", "contract")
                .defer("client_note", "coach_note")
            )
    panel = {
        "template": "programs/_panel_programs.html",
        "role": role,
        "programs": programs,
        "meetings": meetings,
    }
    if role == Role.COACH:
        panel["total"] = coach_panel["total"]
        panel["by_status"] = coach_panel["by_status"]
    return panel


COACH_PANEL_ROWS = 10  # the coach's programs on the dashboard; the rest on their list page


def _coach_panel(access):
    """The coach's programs panel: the first COACH_PANEL_ROWS of their programs, those still
    running first, soonest next session first (#11: the bench's coach had every program
    listed), with the number of each status and a link to the paged list of them all
    (programs.views.coach_program_list). From the one read of selectors.coach_programs,
    which "near graduation" shares."""
    programs = coach_programs(access=access)
    labels = dict(Program.Status.choices)
    counts = Counter(p["status"] for p in programs)
    running = (Program.Status.ACTIVE, Program.Status.PAUSED)
    # Newest first already; a stable sort keeps that order among equals.
    ordered = sorted(
        programs,
        key=lambda p: (p["status"] not in running, p["next_at"] is None, p["next_at"] or 0),
    )
    # "2 held of 6 booked" translated once, not by a {% blocktranslate %} per row (#11), as
    # the tag gave it (the values escaped).
    held = gettext("%(held)s held of %(booked)s booked")
    detail = row_url_maker("program_detail", access.practice.slug)
    sessions = row_url_maker("coach_program", access.practice.slug)
    rows = [
        {
            **p,
            # "Active · 2 held of 6 booked": one template variable, not two (#11).
            "summary_label": mark_safe(  # noqa: S308 # as the tag, the values escaped
                f"{conditional_escape(labels.get(p['status'], p['status']))} · "
                + held % {name: conditional_escape(p[name]) for name in ("held", "booked")}
            ),
            # As {% row_url %} gave them, without resolving its three arguments per link (#11).
            "detail_url": detail(p["code"]),
            "sessions_url": sessions(p["code"]),
        }
        for p in ordered[:COACH_PANEL_ROWS]
    ]
    return {
        "rows": rows,
        "total": len(programs),
        "by_status": [(label, counts[value]) for value, label in labels.items() if counts[value]],
    }


def panels(access, role, counts=None):
    if role in (Role.ADMIN, Role.SCHEDULER):
        return [_admin(access, counts)]
    result = []
    if role == Role.CLIENT and counts is not None:
        _client_contracts(access, counts)  # none read if none were counted
    if role in (Role.CLIENT, Role.SPONSOR):
        panel = _waiting_for_me(access, role, counts if role == Role.CLIENT else None)
        if panel["proposals"] or panel["contracts"]:
            result.append(panel)
    panel = _programs(access, role, counts if role == Role.COACH else None)
    if panel["programs"] or panel["meetings"]:
        result.append(panel)
    return result
