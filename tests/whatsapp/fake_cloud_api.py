"""A local stand-in for the WhatsApp Business Cloud API: only what leaves the machine is faked.

It listens on 127.0.0.1 (a thread running http.server) and speaks the documented request:
POST /<version>/<phone-number-id>/messages with `Authorization: Bearer <token>` and a JSON
template message; it answers {"messaging_product": "whatsapp", "contacts": [...],
"messages": [{"id": "wamid..."}]} or, for a refused message, an error object
{"error": {"message", "type", "code", "fbtrace_id"}} with a 4xx status. Every request is
recorded (path, headers, JSON body) for the tests to assert on.

It also writes the documented status webhook (entry[].changes[].value.statuses[]) and signs it
as Meta does: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(app secret, raw body).
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "test-access-token"
PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
VERSION = "v21.0"
WABA_ID = "102290129340398"


class FakeCloudApi:
    def __init__(self, *, delay=0.0):
        self.requests = []  # every POST: {"path", "authorization", "body", "status"}
        self.refuse = {}  # "to" (E.164 without "+") -> Meta error code to answer with
        self.delay = delay
        self._lock = threading.Lock()
        self._count = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer = api._answer(self.path, self.headers.get("Authorization"), raw)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- the server ------------------------------------------------------------------------

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self):
        """The settings (or environment variables) that point the product at this fake."""
        return {
            "WHATSAPP_TOKEN": TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_API_BASE": self.base_url,
            "WHATSAPP_API_VERSION": VERSION,
        }

    @staticmethod
    def _error(status, code, message):
        return status, {
            "error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEf"}
        }  # fmt: skip

    def _answer(self, path, authorization, raw):
        if self.delay:
            time.sleep(self.delay)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        record = {"path": path, "authorization": authorization, "body": body, "raw": raw}
        if path != f"/{VERSION}/{PHONE_NUMBER_ID}/messages":
            status, answer = self._error(400, 100, "Unsupported post request.")
        elif authorization != f"Bearer {TOKEN}":
            status, answer = self._error(401, 190, "Invalid OAuth access token.")
        elif (
            not isinstance(body, dict)
            or body.get("messaging_product") != "whatsapp"
            or body.get("type") != "template"
            or not body.get("template", {}).get("name")
            or not body.get("to")
        ):
            status, answer = self._error(400, 100, "Invalid parameter")
        elif body["to"] in self.refuse:
            status, answer = self._error(400, self.refuse[body["to"]], "Message undeliverable")
        else:
            with self._lock:
                self._count += 1
                wamid = f"wamid.FAKE{self._count:08d}"
            status = 200
            answer = {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            }
            record["wamid"] = wamid
        record["status"] = status
        with self._lock:
            self.requests.append(record)
        return status, answer

    # --- what the tests read ---------------------------------------------------------------

    def accepted(self):
        with self._lock:
            return [r for r in self.requests if r["status"] == 200]

    def payload_text(self):
        """Everything every request carried, as text (for canary checks)."""
        with self._lock:
            return "\n".join(r["raw"].decode(errors="replace") for r in self.requests)

    # --- status webhooks -------------------------------------------------------------------

    @staticmethod
    def status_webhook(record, status, *, timestamp=None, error_code=None):
        """The documented body of a status webhook about one accepted message."""
        item = {
            "id": record["wamid"],
            "status": status,
            "timestamp": str(int(timestamp or time.time())),
            "recipient_id": record["body"]["to"],
            "biz_opaque_callback_data": record["body"].get("biz_opaque_callback_data", ""),
        }
        if status == "failed":
            item["errors"] = [
                {"code": error_code or 131026, "title": "Message undeliverable",
                 "message": "Message undeliverable",
                 "error_data": {"details": "Message Undeliverable."}}
            ]  # fmt: skip
        else:
            item["conversation"] = {
                "id": "CONVERSATION_ID",
                "origin": {"type": "utility"},
            }
            item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "utility"}
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": WABA_ID,
                    "changes": [
                        {
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550783881",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "statuses": [item],
                            },
                            "field": "messages",
                        }
                    ],
                }
            ],
        }
        return json.dumps(payload).encode()

    @staticmethod
    def sign(body, secret=APP_SECRET):
        return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    @classmethod
    def send_webhook(cls, url, body, *, signature=None):
        """POSTs a webhook to the product over HTTP, as Meta does; returns the status code.
        signature: None signs with the app secret; a string is sent as it is (a forgery)."""
        request = urllib.request.Request(  # noqa: S310  (the test's own local server)
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": cls.sign(body) if signature is None else signature,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
