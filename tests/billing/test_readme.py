"""billing/README.md carries the invoice's transition table as the code has it."""

from pathlib import Path

from django.conf import settings

from billing.transitions import INVOICE
from programs.transitions import markdown


def test_the_readme_holds_the_invoice_table_as_generated():
    readme = (Path(settings.BASE_DIR) / "billing" / "README.md").read_text()
    assert markdown(INVOICE).strip() in readme
