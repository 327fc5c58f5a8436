"""Money is stored as integer minor units plus an ISO 4217 code (DESIGN.md section 1).

The minor unit is the one people actually pay in: the Rupiah's sen went out of use long ago,
so IDR is stored in whole Rupiah (exponent 0), as Bank Indonesia and every invoice write it.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

# Minor-unit exponents in practical use; a currency not listed has two.
EXPONENT = {"IDR": 0, "USD": 2, "SGD": 2, "MYR": 2, "EUR": 2, "AUD": 2, "JPY": 0, "KRW": 0}
SYMBOL = {"IDR": "Rp", "USD": "US$", "SGD": "S$", "MYR": "RM", "EUR": "€", "AUD": "A$"}

# Words people put after a number: "Rp 15 juta", "1,5 jt", "15 million", "500 ribu", "20k".
MULTIPLIERS = {
    "k": 10**3,
    "rb": 10**3,
    "ribu": 10**3,
    "thousand": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "billion": 10**9,
    "bn": 10**9,
}
_SYMBOLS = sorted({*SYMBOL.values(), *SYMBOL.keys(), "$"}, key=len, reverse=True)
_AMOUNT = re.compile(r"^(?P<number>\d[\d.,\s]*)(?P<word>[a-z]+)?\.?$")


def exponent(currency):
    return EXPONENT.get((currency or "IDR").upper(), 2)


def to_minor(amount, currency):
    """Decimal major units (e.g. 15000000) to integer minor units."""
    return int((Decimal(amount) * (10 ** exponent(currency))).to_integral_value())


def to_major(minor, currency):
    return Decimal(minor) / (10 ** exponent(currency))


def format_amount(minor, currency):
    """The number alone, grouped per language: '15.000.000' (id), '15,000,000' (en).

    Integer minor units in groups of three (every language here) are written with integer
    arithmetic; anything else goes through Django's number_format. The same text either way
    (tests/i18n/test_money.py compares them): number_format was about 15% of the billing
    report's Python, a Decimal division and a string walk per amount (#11)."""
    if minor is None:
        return ""
    places = exponent(currency)
    if isinstance(minor, int) and formats.get_format("NUMBER_GROUPING") == 3:
        whole, part = divmod(abs(minor), 10**places)
        text = f"{whole:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
        if places:
            text += formats.get_format("DECIMAL_SEPARATOR") + f"{part:0{places}d}"
        return f"-{text}" if minor < 0 else text
    return formats.number_format(
        to_major(minor, currency),
        decimal_pos=places,
        use_l10n=True,
        force_grouping=True,
    )


def format_money(minor, currency):
    """'Rp 15.000.000' under Indonesian, 'Rp 15,000,000' under English; grouping per locale."""
    if minor is None:
        return ""
    currency = (currency or "IDR").upper()
    return f"{SYMBOL.get(currency, currency)} {format_amount(minor, currency)}"


def _number(text):
    """'15.000.000', '15,000,000', '1.234,56', '1,234.56', '1,5' -> Decimal."""
    text = text.replace(" ", "")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # both: the last one is the decimal mark
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif dots + commas:
        mark = "." if dots else ","
        head, _sep, tail = text.rpartition(mark)
        # One mark followed by three digits groups thousands (15.000, 15,000); repeated, it
        # always groups (15.000.000); otherwise it is the decimal mark (1,5 juta; 99.50).
        if dots + commas > 1 or len(tail) == 3:
            if not all(len(g) == 3 for g in text.split(mark)[1:]):
                raise ValueError(text)
            text = text.replace(mark, "")
        else:
            text = f"{head}.{tail}"
    return Decimal(text)


def parse_amount(text):
    """An amount as people write it, in major units: 'Rp 15.000.000', '15000000',
    'Rp 15 juta', '1,5 jt', '15,000,000', 'US$ 1,234.56'. ValueError when it is not one."""
    text = str(text).strip().lower().removesuffix(",-").removesuffix(".-").strip()
    for symbol in _SYMBOLS:
        if text.startswith(symbol.lower()):
            text = text[len(symbol) :].strip()
            break
    match = _AMOUNT.match(text.replace("\u00a0", " ").strip())
    if not match:
        raise ValueError(text)
    word = match["word"]
    if word and word not in MULTIPLIERS:
        raise ValueError(text)
    try:
        amount = _number(match["number"].strip().rstrip(".,"))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    return amount * MULTIPLIERS.get(word, 1)


class AmountField(forms.CharField):
    """An amount typed as people write it; cleans to a Decimal in major units.

    The form turns it into minor units once it knows the currency (see `amount_to_minor`)."""

    default_error_messages = {
        "invalid": _("Write the amount as a number, for example 15.000.000 or 15000000."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(maxlength="40", inputmode="decimal")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_amount(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0 or amount >= 10**15:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


def amount_to_minor(form, field, currency):
    """In a form's clean(): the typed amount in the currency's minor units, or a field error
    when it has more decimals than the currency has (Rupiah have none)."""
    amount = form.cleaned_data.get(field)
    if amount is None:
        return None
    places = exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        form.add_error(
            field,
            _("%(currency)s has no smaller unit than %(unit)s: round the amount.")
            % {"currency": currency, "unit": format_amount(1, currency)},
        )
        return None
    form.cleaned_data[field] = to_minor(amount, currency)
    return form.cleaned_data[field]
