"""One template per event renders every channel's message in the person's language and time zone.

`notifications/events/<event>.html` holds three blocks: `subject` (email subject, push title, the bell's line),
`text` (the email's body, plain text: paragraphs separated by blank lines) and `short` (SMS and push body, one or two
sentences). The email's HTML is the text's paragraphs in `notifications/email.html`, so the two parts never differ."""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import BlockNode
from django.utils import timezone, translation
from django.utils.html import strip_spaces_between_tags

from notifications.events import Event


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    short: str
    url: str  # absolute


def _blocks(template_name: str) -> dict[str, BlockNode]:
    compiled = get_template(template_name).template
    return {node.name: node for node in compiled.nodelist.get_nodes_by_type(BlockNode)}


def _squash(text: str) -> str:
    """Template whitespace out: lines stripped, at most one blank line between paragraphs."""
    paragraphs, current = [], []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.WANS_SITE_URL.rstrip("/") + url


def render_event(*, event: Event, context: dict, language: str, time_zone: str) -> Rendered:
    """The event's subject, text and short text in `language`, dates in `time_zone`. Raises KeyError for a missing
    context key the event needs."""
    missing = [key for key in event.needs if key not in context]
    if missing:
        raise KeyError(f"{event.name} needs {', '.join(missing)} in its context")
    blocks = _blocks(f"notifications/events/{event.name}.html")
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        url = absolute(event.link(context))
        values = Context({**context, "url": url, "site_url": settings.WANS_SITE_URL}, autoescape=False)
        values.template = get_template(f"notifications/events/{event.name}.html").template
        parts = {}
        for name in ("subject", "text", "short"):
            with values.render_context.push_state(values.template, isolated_context=True):
                parts[name] = _squash(blocks[name].nodelist.render(values)) if name in blocks else ""
    subject = " ".join(parts["subject"].split())[:200]
    return Rendered(subject=subject, text=parts["text"] or parts["short"], short=parts["short"] or subject, url=url)


def email_parts(*, rendered: Rendered, language: str, unsubscribe_url: str, preferences_url: str) -> tuple[str, str]:
    """(text, html) of the email: the event's text, its link, and for non-transactional mail the unsubscribe line."""
    with translation.override(language):
        context = {"rendered": rendered, "paragraphs": rendered.text.split("\n\n"),
                   "unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url}
        text = render_to_string("notifications/email.txt", context)
        html = strip_spaces_between_tags(render_to_string("notifications/email.html", context))
    return _squash(text), html
