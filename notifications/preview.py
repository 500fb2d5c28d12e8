"""The admin's preview of every event's messages (email text and HTML, SMS, push, the bell) in each language, from
the event's sample context: what a person would receive, without sending anything."""

from django.urls import reverse

from notifications import events, rendering
from notifications.models import Channel
from notifications.outbox import unsubscribe_url

PREVIEW_USER_ID = 0  # the unsubscribe link of a preview names nobody


def preview(*, event_name: str, language: str, time_zone: str = "Pacific/Port_Moresby") -> dict:
    event = events.event_get(event_name)
    rendered = rendering.render_event(event=event, context=event.sample, language=language, time_zone=time_zone)
    transactional = events.is_transactional(event.category)
    text, html = rendering.email_parts(
        rendered=rendered, language=language,
        unsubscribe_url="" if transactional else unsubscribe_url(user_id=PREVIEW_USER_ID, category=event.category,
                                                                 channel=Channel.EMAIL),
        preferences_url=rendering.absolute(reverse("notifications:settings")),
    )
    return {"event": event, "language": language, "rendered": rendered, "email_text": text, "email_html": html,
            "transactional": transactional, "channels": event.channels}
