from django.utils import translation

from coaching.money import format_money, to_minor


def test_idr_shows_without_minor_units_in_indonesian_grouping():
    with translation.override("id"):
        assert format_money(to_minor(15_000_000, "IDR"), "IDR") == "Rp 15.000.000"


def test_idr_groups_with_commas_in_english():
    with translation.override("en"):
        assert format_money(to_minor(15_000_000, "IDR"), "IDR") == "Rp 15,000,000"


def test_usd_keeps_cents():
    with translation.override("en"):
        assert format_money(123456, "USD") == "US$ 1,234.56"


def test_amounts_read_the_same_as_djangos_number_format_in_both_languages():
    """format_amount writes integer amounts itself (#11); the text a user reads must stay
    what Django's number_format writes, for every sign, size and exponent."""
    from decimal import Decimal

    from django.utils import formats

    from coaching.money import EXPONENT, format_amount

    values = [
        0,
        1,
        -1,
        5,
        -5,
        9,
        10,
        99,
        100,
        101,
        999,
        1000,
        1001,
        -1000,
        12345,
        99999,
        100000,
        123456,
        999999,
        1000000,
        -1234567,
        15_000_000,
        987654321,
        10**12 + 7,
    ]
    for language in ("id", "en"):
        with translation.override(language):
            for currency in [*EXPONENT, "XYZ", None]:
                places = EXPONENT.get((currency or "IDR").upper(), 2)
                for minor in values:
                    expected = formats.number_format(
                        Decimal(minor) / (10**places),
                        decimal_pos=places,
                        use_l10n=True,
                        force_grouping=True,
                    )
                    assert format_amount(minor, currency) == expected, (language, currency, minor)
    with translation.override("id"):
        assert format_amount(-123456, "USD") == "-1.234,56"
        assert format_amount(Decimal("1500000"), "IDR") == "1.500.000"  # not an int: Django's path
