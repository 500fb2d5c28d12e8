"""What a delivery channel (email, SMS, web push, in-app) is told and answers. The outbox (notifications.services)
renders a message per channel and hands it to the channel's adapter; adapters are transport only: they never read
or write the outbox, and never import notifications.services or tasks."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One rendered message for one recipient on one channel.

    `to`: the address for the channel (an email address, an E.164 phone number, a push subscription's endpoint id
    as a string, a user id for in-app). `idempotency_key`: unique per (event, user, channel); adapters pass it to
    providers that accept one. `push`: for web push, the subscription (`endpoint`, `keys` {`p256dh`, `auth`})."""

    channel: str
    to: str
    subject: str
    text: str
    idempotency_key: str
    html: str = ""
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    push: dict | None = None


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message: its id (for delivery receipts) and, for SMS, the segments billed."""

    provider_id: str = ""
    segments: int | None = None


class ChannelError(Exception):
    """The provider refused or could not be reached. `retryable`: try again later (timeouts, 429, 5xx); otherwise
    the message is dead (a bad number, an expired push subscription: `gone`=True tells the outbox to drop it)."""

    def __init__(self, message: str, *, retryable: bool, gone: bool = False):
        super().__init__(message)
        self.retryable = retryable
        self.gone = gone


class Channel(Protocol):
    name: str

    def send(self, message: Outgoing) -> Sent: ...
