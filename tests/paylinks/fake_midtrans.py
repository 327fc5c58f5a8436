"""A local stand-in for Midtrans, in a thread with http.server: it answers Snap's documented
"create transaction" request and sends the documented HTTP notification, signed the way
Midtrans signs it. Only what leaves the machine is faked; the app's code runs as in production."""

import base64
import hashlib
import http.server
import json
import threading
import uuid
from urllib import error, request

SERVER_KEY = "SB-Mid-server-LocalTestKey123"
SNAP_PATH = "/snap/v1/transactions"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.received.append(
            {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body}
        )
        if self.path != SNAP_PATH:
            self.send_response(404)
            self.end_headers()
            return
        token = str(uuid.uuid4())
        answer = {
            "token": token,
            "redirect_url": f"https://app.sandbox.midtrans.com/snap/v4/redirection/{token}",
        }
        payload = json.dumps(answer).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class FakeMidtrans:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.received = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def received(self):
        return self.httpd.received

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def basic_auth(server_key=SERVER_KEY):
        return "Basic " + base64.b64encode(f"{server_key}:".encode()).decode()

    @staticmethod
    def notification(
        order_id,
        *,
        transaction_status="settlement",
        gross_amount="8325000.00",
        status_code="200",
        fraud_status="accept",
        server_key=SERVER_KEY,
        signed_amount=None,
    ):
        """The documented notification body (a bank transfer settled). signed_amount: sign
        another amount than the one sent (a tampered notification)."""
        signed = f"{order_id}{status_code}{signed_amount or gross_amount}{server_key}"
        return {
            "transaction_time": "2026-11-20 10:00:00",
            "transaction_status": transaction_status,
            "transaction_id": str(uuid.uuid4()),
            "status_message": "midtrans payment notification",
            "status_code": status_code,
            "signature_key": hashlib.sha512(signed.encode()).hexdigest(),
            "settlement_time": "2026-11-20 10:15:00",
            "payment_type": "bank_transfer",
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": gross_amount,
            "fraud_status": fraud_status,
            "currency": "IDR",
            "va_numbers": [{"va_number": "12345678901", "bank": "bca"}],
        }

    def notify(self, url, body):
        """POSTs a notification to the app as Midtrans does; (status, parsed JSON or None)."""
        req = request.Request(  # noqa: S310 (the local live server)
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with request.urlopen(req, timeout=30) as response:  # noqa: S310 (local)
                return response.status, json.loads(response.read() or b"null")
        except error.HTTPError as exc:
            return exc.code, None
