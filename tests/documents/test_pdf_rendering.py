"""coaching/pdf.py: a document reads this site's static files and data: URLs, and nothing
else. A local HTTP server counts what a rendering asks of it: nothing."""

import http.server
import threading

import pytest
from weasyprint import HTML

from coaching.pdf import BASE_URL, LocalFetcher, RefusedURL, image_data_url


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Counting.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_document_fetches_nothing_remote(server, caplog):
    html = f"""<link rel="stylesheet" href="{server}/style.css">
        <img src="{server}/logo.png"><p style="background: url('{server}/bg.png')">Hello</p>
        <img src="file:///etc/hostname">"""
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert _Counting.hits == []
    assert "refused a URL: http://127.0.0.1" in caplog.text
    assert "refused a URL: file://" in caplog.text


def test_the_server_would_have_answered(server):
    """The control for the test above: a fetcher that does not refuse reaches the server."""
    html = f'<link rel="stylesheet" href="{server}/style.css"><p>Hello</p>'
    HTML(string=html, base_url=BASE_URL).write_pdf()
    assert _Counting.hits == ["/style.css"]


def test_it_serves_the_sites_own_static_files():
    response = LocalFetcher().fetch(f"{BASE_URL}static/css/documents.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE_URL}static/../coaching/settings/base.py",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}elsewhere/file.css",
        "http://example.com/static/css/documents.css",
        "https://document.invalid/static/css/documents.css",
        "file:///etc/passwd",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        LocalFetcher().fetch(url)


def test_only_png_and_jpeg_become_data_urls():
    assert image_data_url(b"\x89PNG\r\n\x1a\nrest").startswith("data:image/png;base64,")
    assert image_data_url(b"\xff\xd8\xff\xe0rest").startswith("data:image/jpeg;base64,")
    assert image_data_url(b"<svg onload=alert(1)>") == ""
    assert image_data_url(b"") == ""
