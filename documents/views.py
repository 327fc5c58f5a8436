"""PDF downloads, each through the same gate as its page: whoever may read the page may
download it, nobody else (404 outside the practice's reach, 403 for a wrong role)."""

from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from billing import selectors as billing
from coaching.access import Role
from coaching.pdf import image_data_url, pdf_response, render_pdf
from coaching.viewkit import practice_view
from ethics import access as gate
from programs import selectors
from programs.access import get_contract_for, get_program_for
from programs.models import Program
from sessions import scheduling

CONTRACT_PARTIES = [Role.ADMIN, Role.CLIENT, Role.SPONSOR]
# As billing's invoice page: the admin, and the bill-to party its own (others 404).
INVOICE_READERS = [Role.ADMIN, Role.CLIENT, Role.SPONSOR]


def _letterhead(access):
    practice = access.practice
    return {"practice": practice, "logo_url": image_data_url(bytes(practice.logo or b""))}


def _filename(access, kind, code):
    return f"{access.practice.slug}-{kind}-{str(code)[:8]}.pdf"


@practice_view(roles=CONTRACT_PARTIES)
def contract_pdf(request, access, code):
    contract = get_contract_for(access, code)
    context = {
        **selectors.contract_page(contract=contract, reader=request.user),
        **_letterhead(access),
        "access": access,
        "document": True,
        "title": _("Coaching contract"),
    }
    pdf = render_pdf("documents/contract.html", context, request=request)
    return pdf_response(pdf, filename=_filename(access, "contract", contract.code))


@practice_view(roles=[Role.ADMIN, Role.COACH, Role.CLIENT])
def certificate_pdf(request, access, code):
    program = get_program_for(access, code)
    if program.status != Program.Status.GRADUATED:
        raise Http404
    outcomes = None
    # The objectives and how far each was reached are the client's: on the certificate only
    # when the client asks for them, as the client; read through the gate.
    asks = request.GET.get("outcomes") == "1"
    if asks and access.is_client and program.client_id == access.user.pk:
        content = gate.program_content_for(access, program, reviews=True)
        objectives = content["objectives"] if content else []
        outcomes = [o for o in objectives if hasattr(o, "review")]
    context = {
        **_letterhead(access),
        "access": access,
        "document": True,
        "program": program,
        "held": program.sessions.filter(status="held").count(),
        "hours": scheduling.coaching_hours(program),
        "outcomes": outcomes,
        "title": _("Certificate of completion"),
    }
    pdf = render_pdf("documents/certificate.html", context, request=request)
    return pdf_response(pdf, filename=_filename(access, "certificate", program.code))


@practice_view(roles=INVOICE_READERS)
def invoice_pdf(request, access, code):
    invoice = billing.get_invoice_for(access, code)
    context = {
        **_letterhead(access),
        "access": access,
        "document": True,
        "invoice": invoice,
        "title": _("Invoice"),
    }
    pdf = render_pdf("documents/invoice.html", context, request=request)
    name = invoice.display_number or f"draft-{str(invoice.code)[:8]}"
    return pdf_response(pdf, filename=f"{access.practice.slug}-invoice-{slugify(name)}.pdf")
