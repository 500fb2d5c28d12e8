"""One-click unsubscribe tokens (django.core.signing): who, which category ("all": every non-transactional one),
which channel. Short enough for an SMS link; no expiry, as an unsubscribe link must work whenever it is clicked."""

from dataclasses import dataclass

from django.core import signing

SALT = "notifications.unsubscribe"
ALL = "all"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    category: str
    channel: str


def unsubscribe_token(*, user_id: int, category: str, channel: str) -> str:
    return signing.Signer(salt=SALT).sign(f"{user_id}.{category}.{channel}")


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """The token's content, or None if it was not signed by us (tampered, truncated)."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split(".")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return Unsubscribe(user_id=int(parts[0]), category=parts[1], channel=parts[2])
