"""The Payouts panel where another studio page shows it (the Revenue page), without that page's view knowing it."""

from django import template

from studio.views.payouts import payouts_panel as panel

register = template.Library()


@register.inclusion_tag("studio/payouts/_panel.html")
def payouts_panel(seat) -> dict:
    return panel(seat=seat)
