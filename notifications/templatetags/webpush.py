"""`{% push_subscribe %}`: the card that turns web-push notifications on or off for this browser
(static/js/push-subscribe.js does the work; the page only needs the key, the addresses and the words)."""

from django import template

from notifications.channels.push import vapid_public_key

register = template.Library()


@register.inclusion_tag("notifications/_push_subscribe.html", takes_context=True)
def push_subscribe(context) -> dict:
    return {"vapid_public_key": vapid_public_key(), "csrf_token": context.get("csrf_token", "")}
