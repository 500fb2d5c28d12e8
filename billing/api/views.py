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
from billing.api import serializers
from billing.errors import BillingInvalid, BillingPermissionDenied, DomainError, PaymentNotFound, SubscriptionNotFound
from billing.models import Payment
from core.exceptions import error_body
from rights import selectors as rights_selectors

logger = logging.getLogger(__name__)


def _territory(request) -> str:
    return rights_selectors.territory_for_request(request=request, user=request.user)


def _valid(serializer_class, request) -> dict:
    form = serializer_class(data=request.data)
    form.is_valid(raise_exception=True)
    return form.validated_data


def _checkout_request(request, given: dict) -> services.CheckoutRequest:
    """How the payer pays, the part every checkout shares, from a validated body."""
    return services.CheckoutRequest(
        provider=given["provider"], territory=_territory(request), currency=given.get("currency"),
        coupon_code=given.get("coupon"), phone=given.get("phone", ""), return_url=given.get("return_url", ""),
    )


def _payment_answer(payment: Payment, code=status.HTTP_201_CREATED) -> Response:
    return Response(serializers.PaymentSerializer(payment).data, status=code)


class PlansView(ListAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.PlanSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.plans_offered()


class SubscriptionStartView(APIView):
    @extend_schema(request=serializers.SubscriptionStartSerializer, responses={201: serializers.PaymentSerializer})
    def post(self, request):
        given = _valid(serializers.SubscriptionStartSerializer, request)
        payment = services.checkout_subscription_start(
            user=request.user, plan_code=given["plan"], interval=given["interval"],
            checkout=_checkout_request(request, given),
        )
        return _payment_answer(payment)


class SubscriptionsOfUserView(ListAPIView):
    """A person's subscriptions (own, or anyone's for staff), paginated like every list."""

    serializer_class = serializers.SubscriptionSerializer

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
    @extend_schema(responses=serializers.SubscriptionSerializer)
    def delete(self, request, subscription_id: int):
        """Cancel at the end of the paid period."""
        subscription = services.subscription_cancel(
            subscription=_own_subscription(request, subscription_id), by=request.user
        )
        return Response(serializers.SubscriptionSerializer(subscription).data)


class SubscriptionReactivateView(APIView):
    @extend_schema(request=None, responses=serializers.SubscriptionSerializer)
    def post(self, request, subscription_id: int):
        subscription = services.subscription_reactivate(
            subscription=_own_subscription(request, subscription_id), by=request.user
        )
        return Response(serializers.SubscriptionSerializer(subscription).data)


class TransactionsView(ListAPIView):
    """GET: own payment history (staff: ?user=<id> for someone's, or everyone's). POST: a one-time purchase."""

    serializer_class = serializers.PaymentSerializer

    def get_queryset(self):
        if self.request.user.is_staff:
            rows = selectors.payments_of()
            user_id = self.request.query_params.get("user")
            if user_id is not None:
                if not user_id.isdigit():
                    raise BillingInvalid(fields={"user": ["Give a user id."]})
                rows = rows.filter(user_id=int(user_id))
            return rows
        return selectors.payments_of(user=self.request.user)

    @extend_schema(request=serializers.PurchaseStartSerializer, responses={201: serializers.PaymentSerializer})
    def post(self, request):
        given = _valid(serializers.PurchaseStartSerializer, request)
        payment = services.checkout_purchase_start(
            user=request.user, window_id=given["window_id"], checkout=_checkout_request(request, given)
        )
        return _payment_answer(payment)


class PngTransactionView(APIView):
    @extend_schema(request=serializers.PngStartSerializer, responses={201: serializers.PaymentSerializer})
    def post(self, request):
        given = _valid(serializers.PngStartSerializer, request)
        checkout = _checkout_request(request, given)
        if "window_id" in given:
            payment = services.checkout_purchase_start(user=request.user, window_id=given["window_id"],
                                                       checkout=checkout)
        else:
            payment = services.checkout_subscription_start(
                user=request.user, plan_code=given["plan"], interval=given["interval"], checkout=checkout
            )
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

    @extend_schema(request=serializers.SandboxAnswerSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, public_id):
        payment = selectors.payment_for(public_id=public_id, user=request.user)
        if payment is None or payment.user_id != request.user.pk:
            raise PaymentNotFound()
        answer = serializers.SandboxAnswerSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        services.sandbox_page_answer(payment=payment, **answer.validated_data)
        payment.refresh_from_db()
        return Response(selectors.payment_status(payment=payment))


class RefundView(APIView):
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=serializers.RefundSerializer, responses=serializers.PaymentSerializer)
    def post(self, request, payment_id: int):
        data = serializers.RefundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = selectors.payment_get_for(payment_id=payment_id, user=request.user)
        payment = services.payment_refund(
            payment=payment, by=request.user, reason=data.validated_data["reason"],
            manual=data.validated_data["manual"],
        )
        return _payment_answer(payment, status.HTTP_200_OK)


def _quote_answer(quote) -> dict:
    return {
        "valid": True,
        "code": quote.coupon.code if quote.coupon else None,
        "subtotal": serializers.money(quote.subtotal_minor, quote.currency),
        "discount": serializers.money(quote.discount_minor, quote.currency),
        "amount": serializers.money(quote.amount_minor, quote.currency),
        "duration": quote.coupon.duration if quote.coupon else None,
        "duration_months": quote.coupon.duration_months if quote.coupon else None,
    }


class CouponValidateView(APIView):
    @extend_schema(request=serializers.CouponCheckSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        given = _valid(serializers.CouponCheckSerializer, request)
        quote = services.coupon_preview(
            code=given["code"], user=request.user, territory=_territory(request), plan_code=given.get("plan"),
            interval=given["interval"], window_id=given.get("window_id"),
        )
        return Response(_quote_answer(quote))


class CouponApplyView(APIView):
    @extend_schema(request=serializers.CouponApplySerializer, responses=serializers.SubscriptionSerializer)
    def post(self, request):
        data = serializers.CouponApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = _own_subscription(request, data.validated_data["subscription_id"])
        subscription = services.subscription_coupon_apply(
            subscription=subscription, code=data.validated_data["code"], by=request.user
        )
        return Response(serializers.SubscriptionSerializer(subscription).data)


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
