"""Checkout on billing's services: choose a plan or a one-time offer, pay with a provider, and wait for mobile
money on a page that turns into access when the callback arrives. Views parse input and call billing; no writes."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing import selectors as billing_selectors
from billing import services as billing_services
from catalog import selectors as catalog_selectors
from core.exceptions import DomainError
from core.money import money_display
from rights import selectors as rights_selectors
from web.availability import _offer_words
from web.forms import WALLETS, CheckoutForm
from web.viewer import viewer_for

RETURN_SESSION_PREFIX = "wans_checkout_return:"
POLL_MS = 3000  # how often the waiting page asks for the payment's status


def _plan_rows(viewer, billing_selectors) -> list[dict]:
    """Each offered plan with its monthly and yearly price in the viewer's currency (else billing's fallback)."""
    rows = []
    for plan in billing_selectors.plans_offered():  # prices prefetched: plan_price_for asks no query
        row = {"plan": plan, "prices": {}}
        for interval in ("month", "year"):
            price = billing_selectors.plan_price_for(plan=plan, interval=interval, territory=viewer.territory)
            if price is not None:
                row["prices"][interval] = money_display(price.amount_minor, price.currency)
        rows.append(row)
    return rows


def _return_url(request: HttpRequest) -> tuple[str, str]:
    """Where the provider sends the payer back: a one-time address that this session maps to its payment."""
    token = uuid.uuid4().hex
    return token, request.build_absolute_uri(reverse("web:checkout-return", args=[token]))


def _after_start(request: HttpRequest, token: str, payment) -> HttpResponse:
    """After a payment starts, the payer always lands on our own waiting page first: a provider's page is opened
    from there (a link the script follows), so a hand-off the browser refuses or a page that never opens shows a
    message and a way on, never a form that silently stays put."""
    request.session[RETURN_SESSION_PREFIX + token] = str(payment.public_id)
    waiting = reverse("web:checkout-payment", args=[payment.public_id])
    if payment.status == "pending" and payment.next_action == "redirect" and payment.redirect_url:
        return redirect(waiting + "?handoff=1")
    return redirect(waiting)  # paid at once (a trial, a 100 % coupon), push to the phone, bank transfer


def _place_errors(form: CheckoutForm, error: DomainError) -> None:
    """A billing refusal on the form: on the field it names, else at the top."""
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


def _start(request: HttpRequest, form: CheckoutForm, start) -> HttpResponse | None:
    """Call a billing checkout service; on a refusal put the message on the form and return None."""
    token, return_url = _return_url(request)
    try:
        payment = start(return_url=return_url)
    except DomainError as error:
        _place_errors(form, error)
        return None
    return _after_start(request, token, payment)


def _checkout_request(data: dict, viewer, return_url: str) -> billing_services.CheckoutRequest:
    """How the payer pays, from the checkout form: the rail, the viewer's territory, the coupon and the phone."""
    return billing_services.CheckoutRequest(
        provider=data["provider"], territory=viewer.territory, coupon_code=data["coupon"] or None,
        phone=data["phone"], return_url=return_url,
    )


def _prefill(request: HttpRequest) -> dict:
    """Choices carried back from a payment given up ("use another number or method")."""
    return {key: request.GET[key] for key in ("plan", "interval", "provider", "phone") if key in request.GET}


def _summary(quote, viewer) -> dict:
    """The order summary's words: today, then what and when (dates in the profile's language)."""
    currency = quote.currency
    first_day = date_format(quote.first_charge_at, "j F")
    first = money_display(quote.first_charge_minor, currency)
    lines = []
    if quote.trial_days:
        lines.append(
            ngettext("Today %(amount)s: %(days)s-day free trial.", "Today %(amount)s: %(days)s-day free trial.",
                     quote.trial_days) % {"amount": money_display(0, currency), "days": quote.trial_days}
        )
        lines.append(_("Then %(amount)s on %(day)s.") % {"amount": first, "day": first_day})
    else:
        lines.append(_("Today %(amount)s.") % {"amount": first})
    if quote.discount_minor:
        lines.append(
            _("Coupon %(code)s: %(off)s off your first payment (%(price)s without it).") % {
                "code": quote.coupon_code,
                "off": money_display(quote.discount_minor, currency),
                "price": money_display(quote.price_minor, currency),
            }
        )
    every = _("month") if quote.interval == "month" else _("year")
    lines.append(
        _("After that %(amount)s a %(every)s, next on %(day)s.") % {
            "amount": money_display(quote.next_charge_minor, currency),
            "every": every,
            "day": date_format(quote.next_charge_at, "j F Y"),
        }
    )
    if quote.renews_automatically:
        lines.append(_("Your card is charged automatically on those dates. Cancel any time before."))
    else:
        lines.append(_("A wallet or bank account can't be charged automatically: we'll remind you before each "
                       "payment is due, and you pay it here."))
    return {
        "lines": lines,
        "today": money_display(quote.today_minor, currency),
        "trial_days": quote.trial_days,
        "plan_name": quote.plan_name,
    }


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    rows = _plan_rows(viewer, billing_selectors)
    current = billing_selectors.subscription_active_for(user=request.user)
    form = CheckoutForm(
        request.POST or None, plans=[(row["plan"].code, row["plan"].name) for row in rows], initial=_prefill(request)
    )
    summary = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "user": request.user,
            "plan_code": data["plan"],
            "interval": data["interval"],
            "provider": data["provider"],
            "territory": viewer.territory,
            "coupon_code": data["coupon"] or None,
        }
        if "confirm" in request.POST and "edit" not in request.POST:  # the viewer saw the summary and agreed
            response = _start(
                request,
                form,
                lambda return_url: billing_services.checkout_subscription_start(
                    user=request.user, plan_code=data["plan"], interval=data["interval"],
                    checkout=_checkout_request(data, viewer, return_url),
                ),
            )
            if response is not None:
                return response
        elif "edit" not in request.POST:
            try:
                summary = _summary(billing_services.subscription_quote(**arguments), viewer)
            except DomainError as error:
                _place_errors(form, error)
    if summary is not None:
        return render(
            request, "web/checkout_review.html", {"viewer": viewer, "form": form, "summary": summary}
        )
    return render(
        request,
        "web/checkout_plans.html",
        {"viewer": viewer, "rows": rows, "form": form, "current": current, "film_slug": request.GET.get("film", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, window_id: int) -> HttpResponse:
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
    form = CheckoutForm(request.POST or None, plans=None, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _start(
            request,
            form,
            lambda return_url: billing_services.checkout_purchase_start(
                user=request.user, window_id=window.pk,
                checkout=_checkout_request(data, viewer, return_url),
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
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest) -> HttpResponse:
    """Pay the next period of a subscription on a rail that does not renew by itself (mobile money, BSP, a bank
    transfer): where the renewal reminders link to."""
    viewer = viewer_for(request)
    subscription = billing_selectors.subscription_active_for(user=request.user)
    if subscription is None:
        messages.info(request, _("You have no subscription to renew: choose a plan."))
        return redirect("web:checkout-plans")
    if subscription.provider == "stripe":
        messages.info(request, _("Your card subscription renews by itself."))
        return redirect("web:account")
    form = CheckoutForm(request.POST or None, plans=None, initial=_prefill(request))
    form.fields["provider"].choices = [c for c in form.fields["provider"].choices if c[0] != "stripe"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _start(
            request,
            form,
            lambda return_url: billing_services.checkout_renewal_start(
                user=request.user, subscription_id=subscription.pk, provider=data["provider"], phone=data["phone"],
                return_url=return_url,
            ),
        )
        if response is not None:
            return response
    return render(request, "web/checkout_renew.html", {
        "viewer": viewer, "form": form, "subscription": subscription,
        "price": money_display(subscription.amount_minor, subscription.currency),
    })


@login_required
@require_GET
def checkout_return(request: HttpRequest, token: str) -> HttpResponse:
    public_id = request.session.get(RETURN_SESSION_PREFIX + token)
    if public_id is None:
        messages.info(request, _("Your payments are listed on your account page."))
        return redirect("web:account")
    return redirect("web:checkout-payment", public_id=public_id)


def _payment_or_404(request: HttpRequest, public_id):
    payment = billing_selectors.payment_for(public_id=public_id, user=request.user)
    if payment is None:
        raise Http404
    return payment, billing_selectors


PROVIDER_NAMES = {
    "digicel": "CellMoni", "vodafone": "M-PAiSA", "bsp": "BSP Pay", "stripe": gettext_lazy("your card")
}


def _why_not_paid(payment) -> str:
    """The reason a payment did not go through, in a payer's words."""
    name = PROVIDER_NAMES.get(payment.provider, payment.get_provider_display())
    reason = payment.failure_reason or ""
    if payment.status == "expired":
        if reason.startswith("Cancelled"):
            return _("You cancelled this payment: nothing was charged.")
        if reason.startswith("Replaced"):
            return _("You started a newer payment, so this one was stopped: nothing was charged.")
        return _("The payment was not approved in time: nothing was charged.")
    if payment.provider in WALLETS:
        return _(
            "%(wallet)s declined the payment (a wrong PIN, not enough money in the wallet, or it was refused on the "
            "phone): nothing was charged."
        ) % {"wallet": name}
    if payment.provider == "bsp":
        return _("BSP Pay declined the payment (the card or account refused it, or the code was not entered): "
                 "nothing was charged.")
    return _("The payment did not go through: nothing was charged.")


def _outcome(payment) -> dict:
    """What the waiting page says and where it leads, for the payment's state."""
    film = getattr(payment, "film", None)
    if payment.status == "paid":
        if film is not None:
            url = reverse("playback:watch", args=[film.slug])
            return {
                "done": True,
                "ok": True,
                "message": _("Paid. Enjoy the film!"),
                "next_url": url,
                "next_label": _("Play"),
            }
        plan = getattr(payment, "plan", None)
        subscription = getattr(payment, "subscription", None)
        if payment.amount_minor == 0 and subscription is not None and subscription.trial_ends_at:
            return {
                "done": True,
                "ok": True,
                "trial": True,
                "message": _("Your trial has started"),
                "detail": _("Watch %(plan)s free until %(day)s. Nothing was charged today.") % {
                    "plan": plan.name if plan else "",
                    "day": date_format(subscription.trial_ends_at, "j F Y"),
                },
                "next_url": reverse("home"),
                "next_label": _("Start watching"),
            }
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
            "message": _why_not_paid(payment),
            "next_url": _checkout_again_url(payment),
            "next_label": _("Try again"),
        }
    return {"done": False, "ok": False, "message": _("Waiting for your payment…"), "next_url": "", "next_label": ""}


def _checkout_again_url(payment, **prefill) -> str:
    """The checkout page this payment came from (the plan or the film's offer), with choices prefilled."""
    if payment.window_id:
        url = reverse("web:checkout-offer", args=[payment.window_id])
    else:
        url = reverse("web:checkout-plans")
        prefill = {"plan": getattr(payment.plan, "code", ""), "interval": payment.interval or "month", **prefill}
    query = urlencode({key: value for key, value in prefill.items() if value})
    return f"{url}?{query}" if query else url


@login_required
@require_GET
def payment(request: HttpRequest, public_id) -> HttpResponse:
    payment, billing_selectors = _payment_or_404(request, public_id)
    instructions = ""
    if payment.provider == "bank" and payment.status == "pending":
        instructions = billing_selectors.bank_transfer_instructions(payment=payment)
    pending = payment.status == "pending"
    return render(
        request,
        "web/checkout_payment.html",
        {
            "payment": payment,
            "amount": money_display(payment.amount_minor, payment.currency),
            "outcome": _outcome(payment),
            "instructions": instructions,
            "poll_ms": POLL_MS,
            "handoff": pending and payment.next_action == "redirect" and bool(payment.redirect_url),
            "autostart": request.GET.get("handoff") == "1",
            "wallet": pending and payment.provider in WALLETS,
            "provider_name": PROVIDER_NAMES.get(payment.provider, payment.get_provider_display()),
            "other_method_url": _checkout_again_url(payment),
        },
    )


@login_required
@require_POST
def payment_action(request: HttpRequest, public_id) -> HttpResponse:
    """The payer's choices on the waiting page: cancel, resend the wallet prompt, or change number or method
    (cancel this one and go back to the checkout with the choices prefilled)."""
    payment, _selectors = _payment_or_404(request, public_id)
    action = request.POST.get("action")
    waiting = reverse("web:checkout-payment", args=[payment.public_id])
    if action not in {"cancel", "resend", "change"}:
        messages.error(request, _("That did not work. Please try again."))
        return redirect(waiting)
    try:
        if action == "resend":
            billing_services.payment_prompt_resend(payment_id=payment.pk, by=request.user)
            messages.success(request, _("We asked your phone again. Approve the payment with your wallet PIN."))
            return redirect(waiting)
        payment = billing_services.payment_cancel(payment_id=payment.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(waiting)
    if payment.status == "paid":  # the approval arrived first: nothing to cancel
        messages.info(request, _("This payment was already approved."))
        return redirect(waiting)
    if action == "change":
        return redirect(_checkout_again_url(payment, provider=payment.provider, phone=payment.phone))
    messages.success(request, _("Cancelled: nothing was charged."))
    film = getattr(payment, "film", None)
    return redirect(reverse("web:film", args=[film.slug]) if film is not None else reverse("web:checkout-plans"))


@login_required
@require_GET
def payment_status(request: HttpRequest, public_id) -> JsonResponse:
    payment, billing_selectors = _payment_or_404(request, public_id)
    """The one status JSON of a payment (also at /billing/payments/<id>/status): billing's payment_status keys
    (status, next_action, amount, granted, ...) and the page's own (done, message, and where to go when done)."""
    outcome = _outcome(payment)
    return JsonResponse(
        {
            **billing_selectors.payment_status(payment=payment),
            "done": outcome["done"],
            "message": outcome["message"],
            "redirect": reverse("web:checkout-payment", args=[payment.public_id]) if outcome["done"] else None,
        }
    )
