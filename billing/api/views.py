"""Billing's API: thin views over billing.services and billing.selectors."""

import logging

from django.db import transaction
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import selectors, services
from billing.api import serializers as s
from billing.errors import BillingPermissionDenied, DomainError, PaymentNotFound, SubscriptionNotFound
from billing.models import Payment
from core.exceptions import error_body
from rights import selectors as rights_selectors

logger = logging.getLogger(__name__)


def _territory(request) -> str:
    return rights_selectors.territory_for_request(request=request, user=request.user)


def _payment_answer(payment: Payment, code=status.HTTP_201_CREATED) -> Response:
    return Response(s.PaymentSerializer(payment).data, status=code)


class PlansView(ListAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.PlanSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.plans_offered()


class SubscriptionStartView(APIView):
    @extend_schema(request=s.SubscriptionStartSerializer, responses={201: s.PaymentSerializer})
    def post(self, request):
        data = s.SubscriptionStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payment = services.checkout_subscription_start(
            user=request.user, plan_code=v["plan"], interval=v["interval"], provider=v["provider"],
            territory=_territory(request), currency=v.get("currency"), coupon_code=v.get("coupon"),
            phone=v.get("phone", ""), return_url=v.get("return_url", ""),
        )
        return _payment_answer(payment)


class SubscriptionsOfUserView(ListAPIView):
    """A person's subscriptions (own, or anyone's for staff), paginated like every list."""

    serializer_class = s.SubscriptionSerializer

    def get_queryset(self):
        user_id = self.kwargs["user_id"]
        if not (self.request.user.is_staff or self.request.user.pk == user_id):
            raise BillingPermissionDenied("You may see only your own subscriptions.")
        return selectors.subscriptions_of(user=user_id)


def _own_subscription(request, subscription_id: int):
    subscription = selectors.subscription_get(subscription_id=subscription_id)
    if subscription is None or not (request.user.is_staff or subscription.user_id == request.user.pk):
        raise SubscriptionNotFound()
    return subscription


class SubscriptionView(APIView):
    @extend_schema(responses=s.SubscriptionSerializer)
    def delete(self, request, subscription_id: int):
        """Cancel at the end of the paid period."""
        subscription = services.subscription_cancel(
            subscription=_own_subscription(request, subscription_id), by=request.user
        )
        return Response(s.SubscriptionSerializer(subscription).data)


class SubscriptionReactivateView(APIView):
    @extend_schema(request=None, responses=s.SubscriptionSerializer)
    def post(self, request, subscription_id: int):
        subscription = services.subscription_reactivate(
            subscription=_own_subscription(request, subscription_id), by=request.user
        )
        return Response(s.SubscriptionSerializer(subscription).data)


class TransactionsView(ListAPIView):
    """GET: own payment history (staff: ?user=<id> for someone's, or everyone's). POST: a one-time purchase."""

    serializer_class = s.PaymentSerializer

    def get_queryset(self):
        if self.request.user.is_staff:
            rows = selectors.payments_of()
            user_id = self.request.query_params.get("user")
            if user_id is not None:
                if not user_id.isdigit():
                    from billing.errors import BillingInvalid

                    raise BillingInvalid(fields={"user": ["Give a user id."]})
                rows = rows.filter(user_id=int(user_id))
            return rows
        return selectors.payments_of(user=self.request.user)

    @extend_schema(request=s.PurchaseStartSerializer, responses={201: s.PaymentSerializer})
    def post(self, request):
        data = s.PurchaseStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payment = services.checkout_purchase_start(
            user=request.user, window_id=v["window_id"], provider=v["provider"], territory=_territory(request),
            currency=v.get("currency"), coupon_code=v.get("coupon"), phone=v.get("phone", ""),
            return_url=v.get("return_url", ""),
        )
        return _payment_answer(payment)


class PngTransactionView(APIView):
    @extend_schema(request=s.PngStartSerializer, responses={201: s.PaymentSerializer})
    def post(self, request):
        data = s.PngStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        common = {
            "user": request.user, "provider": v["provider"], "territory": _territory(request),
            "currency": v.get("currency"), "coupon_code": v.get("coupon"), "phone": v.get("phone", ""),
            "return_url": v.get("return_url", ""),
        }
        if "window_id" in v:
            payment = services.checkout_purchase_start(window_id=v["window_id"], **common)
        else:
            payment = services.checkout_subscription_start(plan_code=v["plan"], interval=v["interval"], **common)
        return _payment_answer(payment)


class TransactionStatusView(APIView):
    """What a waiting page polls."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, public_id):
        payment = selectors.payment_for(public_id=public_id, user=request.user)
        if payment is None:
            raise PaymentNotFound()
        return Response(selectors.payment_status(payment=payment))


class SandboxAnswerView(APIView):
    """The sandbox's hosted page as an API call, for a client without a site session: answer `pay` (BSP: with the
    one-time code `otp`) or `decline` for a pending payment on a simulated rail, with the API token. Answers the
    payment's status, as GET /api/transactions/<public_id> does."""

    @extend_schema(request=s.SandboxAnswerSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, public_id):
        payment = selectors.payment_for(public_id=public_id, user=request.user)
        if payment is None or payment.user_id != request.user.pk:
            raise PaymentNotFound()
        answer = s.SandboxAnswerSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        services.sandbox_page_answer(payment=payment, **answer.validated_data)
        payment.refresh_from_db()
        return Response(selectors.payment_status(payment=payment))


class RefundView(APIView):
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=s.RefundSerializer, responses=s.PaymentSerializer)
    def post(self, request, payment_id: int):
        data = s.RefundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_get_for(payment_id=payment_id, user=request.user)
        payment = services.payment_refund(
            payment=payment, by=request.user, reason=data.validated_data["reason"],
            manual=data.validated_data["manual"],
        )
        return _payment_answer(payment, status.HTTP_200_OK)


def _quote_answer(quote) -> dict:
    return {
        "valid": True,
        "code": quote.coupon.code if quote.coupon else None,
        "subtotal": s.money(quote.subtotal_minor, quote.currency),
        "discount": s.money(quote.discount_minor, quote.currency),
        "amount": s.money(quote.amount_minor, quote.currency),
        "duration": quote.coupon.duration if quote.coupon else None,
        "duration_months": quote.coupon.duration_months if quote.coupon else None,
    }


class CouponValidateView(APIView):
    @extend_schema(request=s.CouponCheckSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = s.CouponCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        quote = services.coupon_check(
            code=v["code"], user=request.user, territory=_territory(request), plan_code=v.get("plan"),
            interval=v["interval"], window_id=v.get("window_id"),
        )
        return Response(_quote_answer(quote))


class CouponApplyView(APIView):
    @extend_schema(request=s.CouponApplySerializer, responses=s.SubscriptionSerializer)
    def post(self, request):
        data = s.CouponApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = _own_subscription(request, data.validated_data["subscription_id"])
        subscription = services.subscription_coupon_apply(
            subscription=subscription, code=data.validated_data["code"], by=request.user
        )
        return Response(s.SubscriptionSerializer(subscription).data)


@method_decorator(csrf_exempt, name="dispatch")
class PngWebhookView(APIView):
    """POST /api/webhooks/<bsp|digicel|vodafone|sandbox>: the rail's signed callback, read from the raw body."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(request=None, responses=None)
    def post(self, request, provider: str):
        try:
            result = services.callback_handle(provider=provider, body=request.body, headers=request.headers)
        except DomainError as exc:
            return JsonResponse(exc.as_body(), status=exc.http_status)
        return JsonResponse(result)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class StripeWebhookView(View):
    """POST /api/webhooks/stripe: dj-stripe verifies the Stripe-Signature and processes the event (Event row, objects
    synced from Stripe's API), then billing applies it once (services.stripe_event_apply)."""

    def post(self, request):
        from djstripe.models import WebhookEventTrigger

        if "stripe-signature" not in request.headers:
            return JsonResponse(error_body("bad_signature", "The Stripe-Signature header is missing."), status=400)
        endpoint = services.stripe_webhook_endpoint()
        try:
            trigger = WebhookEventTrigger.from_request(request, webhook_endpoint=endpoint)
        except Exception:  # dj-stripe kept the trigger with its traceback; a non-2xx makes Stripe retry
            logger.exception("Stripe webhook processing failed")
            return JsonResponse(error_body("processing_failed", "The event could not be processed; Stripe will "
                                           "retry."), status=503)
        if not trigger.valid:
            return JsonResponse(error_body("bad_signature", "The Stripe-Signature does not verify."), status=400)
        outcome = services.stripe_event_apply(event_id=trigger.event.id, event_type=trigger.event.type,
                                              data=trigger.json_body)
        return JsonResponse({"event_id": trigger.event.id, "outcome": outcome})
