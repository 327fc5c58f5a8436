from django import template

from coaching.money import format_money

register = template.Library()


@register.filter
def money(minor, currency):
    """{{ contract.price_minor|money:contract.currency }} -> 'Rp 15.000.000'."""
    return format_money(minor, currency)
