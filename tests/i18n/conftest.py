from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    """`make test` compiles the catalogues; a bare pytest run compiles them here if stale."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        call_command(
            "compilemessages", locale=["id"], ignore_patterns=[".venv", "var"], verbosity=0
        )
        translation.trans_real._translations.clear()
        translation.trans_real._default = None
