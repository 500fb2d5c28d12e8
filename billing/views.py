"""Billing's own page: the sandbox's hosted page (a simulated BSP Pay page with its OTP step, or a wallet's
approval prompt). A payment's waiting page is the site's (settings.BILLING_PAYMENT_PAGE); wans/urls.py keeps
/billing/payments/<id>/ as a redirect to it and its status URL on the site's status view. Thin: services do the work."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from billing import selectors, services
from billing.errors import DomainError
from billing.providers import provider_for
from billing.providers.registry import PNG_RAIL_CODES, provider_info
from billing.services.callbacks import SANDBOX_OTP
from core.money import money_display


def _payment_or_404(request, public_id):
    payment = selectors.payment_for(public_id=public_id, user=request.user)
    if payment is None:
        raise Http404
    return payment


@login_required
@require_http_methods(["GET", "POST"])
def sandbox(request, public_id):
    """The simulated provider page. POST action=pay (BSP: with the OTP) or action=decline."""
    payment = _payment_or_404(request, public_id)
    if payment.provider not in PNG_RAIL_CODES:
        raise Http404
    if not provider_for(payment.provider).simulated:  # a real rail: its own hosted page, never ours
        raise Http404
    error = ""
    if request.method == "POST" and payment.status == "pending":
        action = request.POST.get("action")
        if action in ("pay", "decline"):
            try:
                services.sandbox_page_answer(payment=payment, action=action, otp=request.POST.get("otp", ""))
            except DomainError as exc:
                error = exc.message
            else:
                target = payment.return_url
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = selectors.payment_page_path(payment=payment)
                return HttpResponseRedirect(target)
    return render(
        request,
        "billing/sandbox.html",
        {
            "payment": payment,
            "amount": money_display(payment.amount_minor, payment.currency),
            "otp": SANDBOX_OTP,
            "error": error,
            "wallet": provider_info(payment.provider).wallet,
            "payment_page": selectors.payment_page_path(payment=payment),
        },
    )

