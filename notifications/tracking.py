"""Email providers' tracking webhooks through django-anymail (/anymail/<esp>/tracking/, verified by anymail with
the provider's signature and the shared basic-auth secret): a bounce or a complaint suppresses the address. Anymail
speaks to applications only through its `tracking` signal; the receiver hands the event to the service."""

from anymail.signals import AnymailTrackingEvent

from notifications import services
from notifications.models import Channel, Suppression

REASONS = {"bounced": Suppression.Reason.BOUNCE, "rejected": Suppression.Reason.BOUNCE,
           "complained": Suppression.Reason.COMPLAINT, "unsubscribed": Suppression.Reason.UNSUBSCRIBE}


def on_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    reason = REASONS.get(event.event_type)
    if reason is None or not event.recipient:
        return
    services.suppression_add(
        address=event.recipient, reason=reason, channel=Channel.EMAIL, provider_id=event.message_id or "",
        detail=f"{esp_name}: {event.description or event.reject_reason or event.event_type}",
    )
