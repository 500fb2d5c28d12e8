"""Checkout on billing's services: choose a plan or a one-time offer, pay with a provider, and wait for mobile
money on a page that turns into access when the callback arrives. Views parse input and call billing; no writes."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog import selectors as catalog_selectors
from core.exceptions import DomainError
from core.money import Money
from rights import selectors as rights_selectors
from web import integrations
from web.availability import _offer_words
from web.forms import CheckoutForm
from web.viewer import viewer_for

RETURN_SESSION_PREFIX = "wans_checkout_return:"
POLL_MS = 3000  # how often the waiting page asks for the payment's status


def _billing():
    if integrations.billing_services is None or integrations.billing_selectors is None:
        raise Http404
    return integrations.billing_services, integrations.billing_selectors


def _plan_rows(viewer, billing_selectors) -> list[dict]:
    """Each offered plan with its monthly and yearly price in the viewer's currency (else USD)."""
    currency = rights_selectors.currency_for_territory(territory=viewer.territory)
    rows = []
    for plan in billing_selectors.plans_offered():
        prices = {}
        for price in plan.prices.all():  # prefetched
            prices.setdefault(price.interval, {})[price.currency] = price.amount_minor
        row = {"plan": plan, "prices": {}}
        for interval, by_currency in prices.items():
            code = currency if currency in by_currency else "USD"
            if code in by_currency:
                row["prices"][interval] = Money(by_currency[code], code).format()
        rows.append(row)
    return rows


def _return_url(request: HttpRequest) -> tuple[str, str]:
    """Where the provider sends the payer back: a one-time address that this session maps to its payment."""
    token = uuid.uuid4().hex
    return token, request.build_absolute_uri(reverse("web:checkout-return", args=[token]))


def _after_start(request: HttpRequest, token: str, payment) -> HttpResponse:
    request.session[RETURN_SESSION_PREFIX + token] = str(payment.public_id)
    waiting = reverse("web:checkout-payment", args=[payment.public_id])
    if payment.status == "paid":  # a free trial or a 100 % coupon: nothing to pay
        return redirect(waiting)
    if payment.next_action == "redirect" and payment.redirect_url:
        return HttpResponseRedirect(payment.redirect_url)  # Stripe Checkout, BSP's page, the sandbox's page
    return redirect(waiting)  # push to the phone, bank transfer: wait here


def _start(request: HttpRequest, form: CheckoutForm, start) -> HttpResponse | None:
    """Call a billing checkout service; on a refusal put the message on the form and return None."""
    token, return_url = _return_url(request)
    try:
        payment = start(return_url=return_url)
    except DomainError as error:
        fields = getattr(error, "fields", {}) or {}
        placed = False
        for name, problems in fields.items():
            target = {"coupon_code": "coupon", "phone": "phone", "provider": "provider"}.get(name, name)
            if target in form.fields:
                for problem in problems:
                    form.add_error(target, str(problem))
                placed = True
        if not placed:
            form.add_error(None, str(error.message))
        return None
    return _after_start(request, token, payment)


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    billing_services, billing_selectors = _billing()
    viewer = viewer_for(request)
    rows = _plan_rows(viewer, billing_selectors)
    current = billing_selectors.subscription_active_for(user=request.user)
    form = CheckoutForm(request.POST or None, plans=[(row["plan"].code, row["plan"].name) for row in rows])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _start(
            request,
            form,
            lambda return_url: billing_services.checkout_subscription_start(
                user=request.user,
                plan_code=data["plan"],
                interval=data["interval"],
                provider=data["provider"],
                territory=viewer.territory,
                coupon_code=data["coupon"] or None,
                phone=data["phone"],
                return_url=return_url,
            ),
        )
        if response is not None:
            return response
    return render(
        request,
        "web/checkout_plans.html",
        {"viewer": viewer, "rows": rows, "form": form, "current": current, "film_slug": request.GET.get("film", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, window_id: int) -> HttpResponse:
    billing_services, _selectors = _billing()
    viewer = viewer_for(request)
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise Http404
    visible = catalog_selectors.film_ids_viewable(
        film_ids=[window.film_id], restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
    )
    if not visible:
        raise Http404
    film = catalog_selectors.films_cards(film_ids=[window.film_id])[0]
    answer = rights_selectors.availability_for(
        film_id=film.pk, territory=viewer.territory, at=viewer.at, user=request.user
    )
    the_offer = next((o for o in answer["offers"] if o["window_id"] == window.pk and o["price"]), None)
    text = catalog_selectors.film_localized(film=film, language=viewer.language)
    if the_offer is None:
        if answer["access"]["granted"]:
            messages.info(request, _("You can already watch this film."))
        else:
            messages.error(request, _("This offer is not on sale where you are right now."))
        return redirect("web:film", slug=film.slug)
    form = CheckoutForm(request.POST or None, plans=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _start(
            request,
            form,
            lambda return_url: billing_services.checkout_purchase_start(
                user=request.user,
                window_id=window.pk,
                provider=data["provider"],
                territory=viewer.territory,
                coupon_code=data["coupon"] or None,
                phone=data["phone"],
                return_url=return_url,
            ),
        )
        if response is not None:
            return response
    sentence, _label = _offer_words(the_offer)
    return render(
        request,
        "web/checkout_offer.html",
        {"viewer": viewer, "film": film, "text": text, "offer": the_offer, "sentence": sentence, "form": form},
    )


@login_required
@require_GET
def checkout_return(request: HttpRequest, token: str) -> HttpResponse:
    public_id = request.session.get(RETURN_SESSION_PREFIX + token)
    if public_id is None:
        messages.info(request, _("Your payments are listed on your account page."))
        return redirect("web:account")
    return redirect("web:checkout-payment", public_id=public_id)


def _payment_or_404(request: HttpRequest, public_id):
    _services, billing_selectors = _billing()
    payment = billing_selectors.payment_for(public_id=public_id, user=request.user)
    if payment is None:
        raise Http404
    return payment, billing_selectors


def _outcome(payment) -> dict:
    """What the waiting page says and where it leads, for the payment's state."""
    film = getattr(payment, "film", None)
    if payment.status == "paid":
        if film is not None:
            url = integrations.watch_url(film.slug) or reverse("web:film", args=[film.slug])
            return {
                "done": True,
                "ok": True,
                "message": _("Paid. Enjoy the film!"),
                "next_url": url,
                "next_label": _("Play"),
            }
        plan = getattr(payment, "plan", None)
        return {
            "done": True,
            "ok": True,
            "message": _("Paid. Welcome to %(plan)s!") % {"plan": plan.name} if plan else _("Paid."),
            "next_url": reverse("home"),
            "next_label": _("Start watching"),
        }
    if payment.status in ("failed", "expired"):
        return {
            "done": True,
            "ok": False,
            "message": _("The payment did not go through: nothing was charged.")
            if payment.status == "failed"
            else _("The payment timed out: nothing was charged."),
            "next_url": reverse("web:film", args=[film.slug]) if film is not None else reverse("web:checkout-plans"),
            "next_label": _("Try again"),
        }
    return {"done": False, "ok": False, "message": _("Waiting for your payment…"), "next_url": "", "next_label": ""}


@login_required
@require_GET
def payment(request: HttpRequest, public_id) -> HttpResponse:
    payment, billing_selectors = _payment_or_404(request, public_id)
    instructions = ""
    if payment.provider == "bank" and payment.status == "pending":
        instructions = _(
            "Transfer %(amount)s to %(account)s (by internet banking or *131#) quoting the reference %(reference)s."
        ) % {
            "amount": Money(payment.amount_minor, payment.currency).format(),
            "account": settings.BILLING_BANK_ACCOUNT,
            "reference": payment.reference,
        }
    return render(
        request,
        "web/checkout_payment.html",
        {
            "payment": payment,
            "amount": Money(payment.amount_minor, payment.currency).format(),
            "outcome": _outcome(payment),
            "instructions": instructions,
            "poll_ms": POLL_MS,
        },
    )


@login_required
@require_GET
def payment_status(request: HttpRequest, public_id) -> JsonResponse:
    payment, billing_selectors = _payment_or_404(request, public_id)
    status = billing_selectors.payment_status(payment=payment)
    outcome = _outcome(payment)
    return JsonResponse(
        {
            "status": status["status"],
            "done": outcome["done"],
            "message": outcome["message"],
            "redirect": reverse("web:checkout-payment", args=[payment.public_id]) if outcome["done"] else None,
        }
    )
