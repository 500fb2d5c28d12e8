"""The one interface every payment provider implements, and the HMAC signature our PNG rails use."""

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from billing.errors import BadSignature


@dataclass(frozen=True)
class Initiated:
    """What starting a payment gave: the provider's id for it, and what the payer does next: `redirect` (to
    `redirect_url`, a hosted page), `push` (approve on the phone; we wait on our page) or `bank_transfer` (quote the
    reference in a transfer)."""

    provider_ref: str
    next_action: str
    redirect_url: str = ""
    # The sandbox's decision for a simulated wallet ("paid" or "failed", sent after a delay by the service that
    # handed the payment over); None: no simulated answer follows (a real rail, a page the payer answers, silence).
    simulated_outcome: str | None = None


@dataclass(frozen=True)
class Callback:
    """A verified provider event about one payment."""

    event_id: str
    event_type: str
    status: str  # paid, failed or expired
    reference: str
    provider_ref: str
    amount_minor: int
    currency: str
    fee_minor: int | None
    payload: dict


class PaymentProvider:
    code = ""
    refunds = False  # can we refund through the provider's API?

    def initiate(self, *, payment) -> Initiated:
        raise NotImplementedError

    def status(self, *, payment) -> dict | None:
        """The provider's record of the payment ({"status": paid/failed/expired/pending, "amount", "currency",
        "fee"}), or None if it cannot be asked."""
        return None

    def parse_callback(self, *, body: bytes, headers) -> Callback:
        """Verify the signature (BadSignature otherwise) and read the event."""
        raise NotImplementedError

    def refund(self, *, payment) -> str:
        """Refund the whole payment through the provider; returns the provider's refund id."""
        raise NotImplementedError


def hmac_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`, the scheme Stripe uses, for our PNG rails too."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # unix seconds: 12 digits reach the year 33658
_SIGNATURE = re.compile(r"[0-9a-f]{64}")  # hex SHA-256
MAX_HEADER_CHARS = 2048  # a header carries a timestamp and a few signatures (during a secret's rotation)


def hmac_verify(*, header: str | None, secret: str, body: bytes, tolerance: int = 300) -> None:
    """Raise BadSignature unless one v1 signature matches and the timestamp is within `tolerance` seconds.
    The header is parsed defensively: an over-long header, a timestamp that is not a short run of digits (which
    would overflow the clock arithmetic) or a signature that is not 64 hex digits is a BadSignature (400), never a
    500."""
    if not header:
        raise BadSignature("The callback carries no signature.")
    if len(header) > MAX_HEADER_CHARS:
        raise BadSignature("The signature header is too long.")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value.strip())
    raw_timestamp = parts.get("t", [""])[0]
    if not _TIMESTAMP.fullmatch(raw_timestamp):
        raise BadSignature("The signature has no valid timestamp.")
    timestamp = int(raw_timestamp)
    if abs(int(time.time()) - timestamp) > tolerance:
        raise BadSignature("The signature's timestamp is too old or in the future (replay refused).")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    candidates = [value.lower() for value in parts.get("v1", []) if _SIGNATURE.fullmatch(value.lower())]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise BadSignature()
