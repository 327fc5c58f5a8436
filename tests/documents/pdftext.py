"""A downloaded PDF read back as people read it: pypdf's text of every page, whitespace folded."""

import io
import re

from pypdf import PdfReader


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def pdf_images(response):
    reader = PdfReader(io.BytesIO(response.content))
    return [image for page in reader.pages for image in page.images]
