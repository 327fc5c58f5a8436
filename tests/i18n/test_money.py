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
