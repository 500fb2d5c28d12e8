from rest_framework import status

from core.exceptions import DomainError, InvalidInput, InvalidTransition  # noqa: F401  (InvalidTransition re-exported)


class BillingInvalid(InvalidInput):
    """Bad input found by a service: a 400 naming the field, like a serializer's."""


class UnknownPlan(BillingInvalid):
    code = "unknown_plan"
    message = "No such plan."


class WrongCurrency(BillingInvalid):
    code = "wrong_currency"
    message = "That currency is not the one charged in your territory."


class CouponRefused(BillingInvalid):
    code = "coupon_refused"
    message = "This coupon cannot be used."


class NotForSale(DomainError):
    code = "not_for_sale"
    message = "This window cannot be bought here and now."
    http_status = status.HTTP_409_CONFLICT


class AlreadyEntitled(DomainError):
    code = "already_entitled"
    message = "You already hold access through this window."
    http_status = status.HTTP_409_CONFLICT


class AlreadySubscribed(DomainError):
    code = "already_subscribed"
    message = "You already have a live subscription."
    http_status = status.HTTP_409_CONFLICT


class SoldOut(DomainError):
    code = "sold_out"
    message = "Every copy of this collector edition has been sold."
    http_status = status.HTTP_409_CONFLICT


class ProviderUnavailable(DomainError):
    code = "provider_unavailable"
    message = "This payment method is not available for this payment."
    http_status = status.HTTP_400_BAD_REQUEST


class ProviderError(DomainError):
    code = "provider_error"
    message = "The payment provider could not be reached or refused the request. Nothing was charged."
    http_status = status.HTTP_502_BAD_GATEWAY


class BadSignature(DomainError):
    code = "bad_signature"
    message = "The callback's signature does not verify."
    http_status = status.HTTP_400_BAD_REQUEST


class CallbackMismatch(DomainError):
    code = "callback_mismatch"
    message = "The callback does not match the payment it names (amount, currency or reference)."
    http_status = status.HTTP_400_BAD_REQUEST


class PaymentNotFound(DomainError):
    code = "not_found"
    message = "No such payment."
    http_status = status.HTTP_404_NOT_FOUND


class SubscriptionNotFound(DomainError):
    code = "not_found"
    message = "No such subscription."
    http_status = status.HTTP_404_NOT_FOUND


class BillingPermissionDenied(DomainError):
    code = "permission_denied"
    message = "You may not do this."
    http_status = status.HTTP_403_FORBIDDEN


class RefundNotAllowed(DomainError):
    code = "refund_not_allowed"
    message = "This payment cannot be refunded."
    http_status = status.HTTP_409_CONFLICT
