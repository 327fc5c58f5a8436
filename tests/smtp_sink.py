"""A real SMTP server on loopback for the fault tests: it accepts every message and keeps it,
or (hang=True) accepts the connection and then never says a word, as a stuck server does.

Python's smtpd is deprecated (gone in 3.12) and aiosmtpd is not a dependency: the little of
RFC 5321 that Django's SMTP backend speaks (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) is
answered here in a thread per connection.
"""

import re
import socket
import socketserver
import threading
import time

MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]+>)", re.MULTILINE | re.IGNORECASE)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 120

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        sink = self.server.sink
        sink.connections += 1
        if sink.hang:
            # Say nothing until the client gives up (or the sink stops).
            sink.stopped.wait(self.timeout)
            return
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == b"DATA":
                self.reply("354 go ahead")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk)
                sink.accept(b"".join(data))
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, *, hang=False):
        self.hang = hang
        self.messages = []
        self.connections = 0
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()

    def accept(self, data):
        with self._lock:
            self.messages.append(data)

    def message_ids(self):
        with self._lock:
            found = [MESSAGE_ID.search(m) for m in self.messages]
        return [m.group(1).decode() for m in found if m]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout, interval=0.5, message="a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
