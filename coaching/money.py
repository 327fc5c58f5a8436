"""Money is stored as integer minor units plus an ISO 4217 code (DESIGN.md section 1)."""

from decimal import Decimal

from django.utils import formats

# ISO 4217 exponents for the currencies a practice is likely to use; others default to 2.
EXPONENT = {"IDR": 2, "USD": 2, "SGD": 2, "MYR": 2, "EUR": 2, "AUD": 2, "JPY": 0, "KRW": 0}
SYMBOL = {"IDR": "Rp", "USD": "US$", "SGD": "S$", "MYR": "RM", "EUR": "€", "AUD": "A$"}
# Currencies shown without minor units because nobody prices coaching in sen.
WHOLE_UNITS_ONLY = {"IDR", "JPY", "KRW"}


def to_minor(amount, currency):
    """Decimal major units (e.g. 15000000) to integer minor units."""
    return int((Decimal(amount) * (10 ** EXPONENT.get(currency, 2))).to_integral_value())


def to_major(minor, currency):
    return Decimal(minor) / (10 ** EXPONENT.get(currency, 2))


def format_money(minor, currency):
    """'Rp 15.000.000' under Indonesian, 'Rp 15,000,000' under English; grouping per locale."""
    if minor is None:
        return ""
    currency = (currency or "IDR").upper()
    places = 0 if currency in WHOLE_UNITS_ONLY else EXPONENT.get(currency, 2)
    number = formats.number_format(
        to_major(minor, currency), decimal_pos=places, use_l10n=True, force_grouping=True
    )
    return f"{SYMBOL.get(currency, currency)} {number}"
