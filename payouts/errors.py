"""Payouts' coded refusals (core.exceptions.DomainError): the API and the admin render them the same way."""

from rest_framework import status

from billing.errors import BadSignature  # noqa: F401  (re-exported: the rails sign callbacks as billing's do)
from core.exceptions import DomainError, InvalidInput, InvalidTransition  # noqa: F401  (InvalidTransition re-exported)


class PayoutsInvalid(InvalidInput):
    """Bad input found by a service: a 400 naming the fields."""


class PayoutsPermissionDenied(DomainError):
    code = "payouts_forbidden"
    message = "You are not allowed to do this with payouts."
    http_status = status.HTTP_403_FORBIDDEN


class FourEyesRequired(DomainError):
    """The person who prepared a run may not approve it: a second member of staff does."""

    code = "four_eyes_required"
    message = "Another member of staff must approve this run: whoever prepared it cannot approve it."
    http_status = status.HTTP_403_FORBIDDEN


class RunNotInState(DomainError):
    code = "run_state"
    message = "The run is not in a state that allows this."
    http_status = status.HTTP_409_CONFLICT


class NothingToPay(DomainError):
    code = "nothing_to_pay"
    message = "No payee is due a payout: no balance reaches its threshold with a verified account and no hold."
    http_status = status.HTTP_409_CONFLICT


class PayoutNotFound(DomainError):
    code = "payout_not_found"
    message = "No such payout."
    http_status = status.HTTP_404_NOT_FOUND


class CallbackMismatch(DomainError):
    """A rail's callback names no payout of that rail, or another amount or currency: nothing is recorded."""

    code = "callback_mismatch"
    message = "The callback does not match a payout."
    http_status = status.HTTP_400_BAD_REQUEST


class RailError(DomainError):
    """The rail could not be reached or answered in a way we cannot read: nothing is known to have moved, and a retry
    with the same idempotency key is safe."""

    code = "rail_error"
    message = "The payout rail could not be reached or answered unexpectedly."
    http_status = status.HTTP_502_BAD_GATEWAY


class RailRefused(DomainError):
    """The rail refused the payout for good (a closed account, an unregistered wallet, no funds): it fails and the
    money goes back to the payee's balance."""

    code = "rail_refused"
    message = "The payout rail refused the payout."
    http_status = status.HTTP_502_BAD_GATEWAY
