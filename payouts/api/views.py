"""The rails' webhooks for payouts: wallet disbursement callbacks and Stripe's Connect events. Read from the raw body
(the signature covers it), answered in the one error shape; thin: a service does the work."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payouts import services
from payouts.errors import DomainError


@csrf_exempt
@require_POST
def wallet_webhook(request: HttpRequest, rail: str) -> JsonResponse:
    """POST /api/webhooks/payouts/<digicel|vodafone>: a signed disbursement callback."""
    try:
        result = services.payout_callback_handle(rail=rail, body=request.body, headers=request.headers)
    except DomainError as exc:
        return JsonResponse(exc.as_body(), status=exc.http_status)
    return JsonResponse(result)


@csrf_exempt
@require_POST
def stripe_connect_webhook(request: HttpRequest) -> JsonResponse:
    """POST /api/webhooks/stripe-connect: Stripe's Connect endpoint (account.updated), Stripe-Signature verified."""
    try:
        result = services.stripe_connect_event_apply(body=request.body,
                                                     signature=request.headers.get("Stripe-Signature"))
    except DomainError as exc:
        return JsonResponse(exc.as_body(), status=exc.http_status)
    return JsonResponse(result)
