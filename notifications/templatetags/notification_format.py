"""Filters the event templates use: money in its currency, the way every page shows it."""

from django import template

from core.money import money_display

register = template.Library()


@register.filter
def money(amount_minor: int, currency: str) -> str:
    return money_display(amount_minor, currency)
