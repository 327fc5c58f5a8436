"""Django templates to PDF with WeasyPrint, reading nothing from outside the machine.

The documents (contract, certificate, invoice) are rendered from the same templates as their
pages, in the active language. Every URL WeasyPrint asks for goes through LocalFetcher: a
static file of this site is read from disk, a data: URL (the practice's logo) is decoded, and
anything else (another host, http(s), file:, ftp:) is refused and logged. So neither a template
nor a value a user typed (an address, a name) can make the server fetch a URL, and rendering
needs no network. Fonts come from the system (fontconfig; DejaVu is installed by .ci/run).

    pdf = render_pdf("documents/contract.html", context, request=request)
    return pdf_response(pdf, filename="contract.pdf")
"""

import base64
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a document ({% static %} gives "/static/...") resolve against this origin.
# ".invalid" is reserved (RFC 2606): even a fetcher that forgot to refuse it resolves nothing.
BASE_URL = "http://document.invalid/"
_HOST = urlsplit(BASE_URL).hostname


class RefusedURL(ValueError):
    """A document asked for something that is not one of this site's static files."""


def _static_path(url_path: str) -> Path | None:
    """The file behind a static URL path, or None. Dev and tests find it through the staticfiles
    finders; production (collectstatic, hashed names) in STATIC_ROOT."""
    prefix = urlsplit(settings.STATIC_URL).path
    if not url_path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(url_path[len(prefix) :]))
    if name.startswith(("..", "/")) or name in ("", "."):
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / name).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


class LocalFetcher(URLFetcher):
    """Serves this site's static files and data: URLs; refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory (urllib's DataHandler)
        path = None
        if scheme == "http" and parts.hostname == _HOST:
            path = _static_path(parts.path)
        if path is None:
            # The host only: a query string could carry anything.
            logger.warning("PDF rendering refused a URL: %s://%s", scheme, parts.hostname or "")
            raise RefusedURL(f"not a local static file: {scheme}://{parts.hostname or ''}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def image_data_url(data: bytes) -> str:
    """A PNG or JPEG (the practice's logo) as a data: URL for a document; "" for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    else:
        return ""
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The template rendered (in the active language) and laid out as a PDF."""
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher())
    return document.write_pdf()


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """A download: attachment, never stored by a browser or a proxy."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    return response
