"""SMS delivery receipts: `POST /notifications/webhooks/sms/<provider>` (the StatusCallback / callback_url the SMS
adapters send). Thin: the provider's parser checks the signature and reads (provider message id, status), and
`services.delivery_receipt` records it on the outbox row, idempotently (a provider may post the same receipt twice,
or `sent` after `delivered`: sms_receipts.STATUS_RANK orders them)."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.exceptions import error_body
from notifications import services
from notifications.channels.sms import PNG_GATEWAY, TWILIO
from notifications.channels.sms_receipts import (
    GATEWAY_SIGNATURE_HEADER,
    BadSignature,
    InvalidReceipt,
    parse_gateway_receipt,
    parse_twilio_status,
)


def _twilio(request: HttpRequest) -> tuple[str, str]:
    # Twilio signs the URL it called: the StatusCallback we gave it, built on WANS_SITE_URL (a proxy in front may
    # have changed the scheme or host that Django sees).
    url = settings.WANS_SITE_URL.rstrip("/") + request.get_full_path()
    return parse_twilio_status(request.POST, url, request.headers.get("X-Twilio-Signature", ""))


def _png_gateway(request: HttpRequest) -> tuple[str, str]:
    return parse_gateway_receipt(request.body, request.headers.get(GATEWAY_SIGNATURE_HEADER, ""))


PARSERS: dict[str, Callable[[HttpRequest], tuple[str, str]]] = {TWILIO: _twilio, PNG_GATEWAY: _png_gateway}


@csrf_exempt  # the provider's signature is the authority, not a session
@require_POST
def sms_receipt(request: HttpRequest, provider: str) -> HttpResponse:
    parse = PARSERS.get(provider)
    if parse is None:
        raise Http404("No such SMS provider.")
    try:
        provider_id, status = parse(request)
    except BadSignature as error:
        return JsonResponse(error_body("bad_signature", str(error)), status=403)
    except InvalidReceipt as error:
        return JsonResponse(error_body("invalid_receipt", str(error)), status=400)
    services.delivery_receipt(provider=provider, provider_id=provider_id, status=status)
    return HttpResponse(status=204)
