"""Midtrans Snap: the one request we send and the one notification we receive.

Documented by Midtrans (docs.midtrans.com, Snap "Backend Integration" and "HTTP(S)
Notification / Webhooks"):

- Create a transaction: POST {snap}/snap/v1/transactions with HTTP Basic auth (the server
  key as user name, empty password), JSON {"transaction_details": {"order_id", "gross_amount"},
  "customer_details": {...}, "callbacks": {"finish": url}}; answer 201 {"token",
  "redirect_url"}. The customer pays on the redirect_url page, hosted by Midtrans.
- Notification: Midtrans POSTs JSON to the configured Payment Notification URL with
  order_id, status_code, gross_amount ("8325000.00"), transaction_status (settlement, capture,
  pending, deny, cancel, expire, refund), fraud_status and signature_key =
  SHA512(order_id + status_code + gross_amount + server key), hex.

Configuration from the environment (coaching/settings/base.py): MIDTRANS_SERVER_KEY (unset:
payment links are off), MIDTRANS_IS_PRODUCTION, MIDTRANS_SNAP_URL (the endpoint; tests point it
at a local server). No other module talks to Midtrans.
"""

import base64
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from urllib import error, request

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class GatewayError(Exception):
    """Midtrans did not answer, or answered something else than a transaction."""


@dataclass(frozen=True)
class Config:
    server_key: str
    snap_url: str


def config() -> Config | None:
    """The gateway's configuration, or None when payment links are off."""
    key = getattr(settings, "MIDTRANS_SERVER_KEY", "")
    if not key:
        return None
    return Config(server_key=key, snap_url=settings.MIDTRANS_SNAP_URL)


def create_transaction(cfg: Config, body: dict) -> dict:
    """POSTs a Snap transaction; returns Midtrans's answer ({"token", "redirect_url"})."""
    auth = base64.b64encode(f"{cfg.server_key}:".encode()).decode("ascii")
    req = request.Request(  # noqa: S310 (the URL is the operator's setting, https in production)
        cfg.snap_url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Basic {auth}",
        },
    )
    try:
        with request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8"))
    except (error.URLError, TimeoutError, ValueError, OSError) as exc:
        # The order id only: the body names the payer.
        logger.warning("Midtrans refused or did not answer order %s: %s", _order(body), exc)
        raise GatewayError(str(exc)) from exc
    if not isinstance(answer, dict) or not answer.get("redirect_url"):
        logger.warning("Midtrans answered without a redirect_url for order %s", _order(body))
        raise GatewayError("no redirect_url")
    return answer


def _order(body: dict) -> str:
    return str(body.get("transaction_details", {}).get("order_id", ""))


def signature(*, order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    text = f"{order_id}{status_code}{gross_amount}{server_key}"
    return hashlib.sha512(text.encode()).hexdigest()


def is_authentic(payload: dict, cfg: Config) -> bool:
    """The notification's signature_key is Midtrans's (compared in constant time)."""
    order_id, status_code, gross_amount, given = (
        payload.get(name) for name in ("order_id", "status_code", "gross_amount", "signature_key")
    )
    if not (
        isinstance(order_id, str)
        and isinstance(status_code, str)
        and isinstance(gross_amount, str)
        and isinstance(given, str)
    ):
        return False
    expected = signature(
        order_id=order_id,
        status_code=status_code,
        gross_amount=gross_amount,
        server_key=cfg.server_key,
    )
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())
