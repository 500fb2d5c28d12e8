"""The interface of a rail that pays one payout at a time through an API (wallets, Stripe), and what it answers."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sent:
    """The rail took the payout. `settled`: it is paid already (a Stripe transfer lands in the connected account at
    once); otherwise a callback (or a status query) says later. `simulated_outcome`: the sandbox's decision for a
    simulated wallet ("paid" or "failed", sent later by the service that sent the payout; None: it never answers)."""

    provider_ref: str
    settled: bool = False
    simulated_outcome: str | None = None


@dataclass(frozen=True)
class RailCallback:
    """A verified rail event about one payout."""

    event_id: str
    event_type: str
    status: str  # paid or failed
    reference: str
    provider_ref: str
    amount_minor: int
    currency: str
    reason: str
    payload: dict


class DisbursementRail:
    code = ""

    def send(self, *, payout) -> Sent:
        """Ask the rail to pay `payout` (its reference is the idempotency key: sending it again is safe). Raises
        RailRefused when the rail refuses for good, RailError when the answer is unknown (retry later)."""
        raise NotImplementedError

    def status(self, *, payout) -> dict | None:
        """The rail's record of the payout ({"status": pending/paid/failed, "amount", "currency", "reason"}), or None
        if it cannot be asked."""
        return None

    def parse_callback(self, *, body: bytes, headers) -> RailCallback:
        """Verify the signature (BadSignature otherwise) and read the event."""
        raise NotImplementedError
