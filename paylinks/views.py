"""The payer's "pay online" button and Midtrans's notification (the only CSRF-exempt view:
it is called by Midtrans, not by a browser, and proves itself by its signature)."""

import json
import logging

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import selectors as billing
from coaching.access import Role
from coaching.viewkit import practice_view, run_service

from . import midtrans, services

logger = logging.getLogger(__name__)


@require_POST
@practice_view(roles=[Role.CLIENT, Role.SPONSOR])
def invoice_pay_online(request, access, code):
    """The bill-to party (get_invoice_for: its own invoices only) goes to Midtrans's page."""
    cfg = midtrans.config()
    if cfg is None:
        raise Http404
    invoice = billing.get_invoice_for(access, code)
    if invoice.bill_to_id != request.user.pk:
        raise Http404  # an admin who is also a client reaches every invoice: pay only one's own
    done = run_service(
        request,
        lambda: services.payment_link_create(invoice=invoice, actor=request.user, cfg=cfg),
    )
    if done and done.value is not None:
        return redirect(done.value.redirect_url)
    return redirect("invoice_detail", slug=access.practice.slug, code=invoice.code)


@csrf_exempt
@never_cache
@require_POST
def midtrans_notification(request):
    cfg = midtrans.config()
    if cfg is None:
        raise Http404
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    order = str(payload.get("order_id", ""))[:60]
    if not midtrans.is_authentic(payload, cfg):
        logger.warning("Refused a Midtrans notification with a wrong signature (order %s)", order)
        return HttpResponse(status=403)
    try:
        payment = services.notification_receive(payload=payload)
    except services.UnknownOrder:
        logger.warning("A Midtrans notification for an unknown order %s", order)
        return HttpResponse(status=404)
    except ValidationError as exc:
        # Money may have arrived that billing would not record: the admin must look.
        logger.error(
            "A paid Midtrans order %s was not recorded: %s", order, "; ".join(exc.messages)
        )
        return JsonResponse({"recorded": False}, status=409)
    return JsonResponse({"recorded": payment is not None})
