"""The WhatsApp Business Cloud API, as far as this product uses it: one template message.

POST {WHATSAPP_API_BASE}/{WHATSAPP_API_VERSION}/{WHATSAPP_PHONE_NUMBER_ID}/messages with
`Authorization: Bearer {WHATSAPP_TOKEN}` and the JSON body Meta documents for a template
message; the answer names the message's id (a "wamid"). An error answer carries
{"error": {"code": ..., "message": ...}}. Without the settings the channel is off.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings


class ApiError(Exception):
    """The API refused the message, or could not be reached. `code` is Meta's error code
    (or "http-<status>", or the network error's class name): never content."""

    def __init__(self, code):
        super().__init__(code)
        self.code = str(code)[:120]


def enabled():
    return bool(
        settings.WHATSAPP_TOKEN
        and settings.WHATSAPP_PHONE_NUMBER_ID
        and settings.WHATSAPP_APP_SECRET
    )


def messages_url():
    base = settings.WHATSAPP_API_BASE.rstrip("/")
    return f"{base}/{settings.WHATSAPP_API_VERSION}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"


def template_body(*, to, template, language, body_parameters, url_suffix, callback_data):
    """The documented request body of a template message with body and URL-button parameters.
    `to` is E.164 without the "+"; `callback_data` comes back in every status webhook."""
    components = [
        {
            "type": "body",
            "parameters": [{"type": "text", "text": str(p)} for p in body_parameters],
        }
    ]
    if url_suffix:
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": url_suffix}],
            }
        )
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {"name": template, "language": {"code": language}, "components": components},
        "biz_opaque_callback_data": callback_data,
    }


def send(body):
    """Sends one message; returns its wamid or raises ApiError."""
    request = urllib.request.Request(  # noqa: S310  (the URL is the configured https API)
        messages_url(),
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {settings.WHATSAPP_TOKEN}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WHATSAPP_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            code = json.loads(exc.read() or b"{}").get("error", {}).get("code")
        except ValueError:
            code = None
        raise ApiError(code or f"http-{exc.code}") from None
    except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
        raise ApiError(type(exc).__name__) from None
    try:
        return str(answer["messages"][0]["id"])
    except (KeyError, IndexError, TypeError):
        raise ApiError("no-message-id") from None
