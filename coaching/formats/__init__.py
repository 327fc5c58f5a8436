"""Locale format overrides (FORMAT_MODULE_PATH); anything not set here is Django's own."""
