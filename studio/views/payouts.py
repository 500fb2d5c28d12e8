"""The creator's payouts (the Revenue page's "Payouts"): what they are owed per currency and why it is or is not paid
in the next run, the next payout date, their payout history, and the payout account form (the creator's own seat
only; changing the account holds payouts for 48 hours and emails them). Read from payouts' and royalties' selectors;
written through their services. A payout of another payee answers 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError
from core.forms import form_error
from payouts import selectors as payouts_selectors
from payouts import services as payouts_services
from royalties import selectors as royalties_selectors
from royalties import services as royalties_services
from studio.access import Seat, seat_required
from studio.payout_forms import PayoutAccountForm
from studio.views.figures import money

STATES = {
    "pending": gettext_lazy("In a run awaiting approval"),
    "sent": gettext_lazy("Sent, awaiting confirmation"),
    "paid": gettext_lazy("Paid"),
    "failed": gettext_lazy("Failed: back on your balance"),
    "returned": gettext_lazy("Returned by the bank: back on your balance"),
    "cancelled": gettext_lazy("Cancelled: still on your balance"),
}
RAILS = {"bank": gettext_lazy("Bank transfer"), "digicel": "CellMoni", "vodafone": "M-PAiSA", "stripe": "Stripe"}


def _payee(seat: Seat):
    return royalties_selectors.payee_for_user_get(user_id=seat.creator.pk)


def _row(payout) -> dict:
    return {"payout": payout, "amount": money(payout.amount_minor, payout.currency),
            "state": STATES.get(payout.state, payout.state), "rail": RAILS.get(payout.rail, payout.rail)}


def payouts_panel(*, seat: Seat) -> dict:
    """What the Payouts panel shows (this page and the Revenue page's section)."""
    payee = _payee(seat)
    now = timezone.now()
    if payee is None:
        return {"payee": None, "next_date": payouts_selectors.next_payout_date(today=now.date())}
    summary = payouts_selectors.payee_summary(payee_id=payee.pk, now=now)
    balances = [{"line": line, "owed": money(line.owed_minor, line.currency),
                 "threshold": money(line.threshold_minor, line.currency) if line.threshold_minor else None}
                for line in summary["balances"]]
    return {"payee": payee, **summary, "balances": balances}


@seat_required(figures=True)
def payouts(request: HttpRequest, seat: Seat) -> HttpResponse:
    panel = payouts_panel(seat=seat)
    history = []
    if panel["payee"] is not None:
        history = [_row(p) for p in payouts_selectors.payouts_of_payee(payee_id=panel["payee"].pk)[:100]]
    return render(request, "studio/payouts/payouts.html", {**panel, "history": history,
                                                          "owner": seat.role == "owner"})


@seat_required(figures=True)
def payout_detail(request: HttpRequest, seat: Seat, payout_id: int) -> HttpResponse:
    payee = _payee(seat)
    payout = payouts_selectors.payout_of_payee(payee_id=payee.pk, payout_id=payout_id) if payee else None
    if payout is None:
        raise Http404
    moves = [{"to": STATES.get(t.to_state, t.to_state), "at": t.at} for t in payout.transitions.all()]
    return render(request, "studio/payouts/detail.html", {**_row(payout), "moves": moves})


@seat_required(owner=True)
@require_http_methods(["GET", "POST"])
def payout_account(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = PayoutAccountForm(request.POST or None)
    payee = _payee(seat)
    current = payouts_selectors.active_account_for(payee_id=payee.pk) if payee else None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payee = payee or royalties_services.payee_for_user(user=seat.creator)
        try:
            if data["kind"] == "stripe":
                _account, url = payouts_services.payee_account_stripe_start(
                    payee=payee, by=request.user, country=data["country"],
                    refresh_url=request.build_absolute_uri(reverse("studio:payouts-stripe-refresh")),
                    return_url=request.build_absolute_uri(reverse("studio:payouts")))
                return redirect(url)
            payouts_services.payee_account_set(
                payee=payee, by=request.user, kind=data["kind"], bank=data["bank"], branch_code=data["branch_code"],
                account_number=data["account_number"], account_name=data["account_name"], wallet=data["wallet"],
                msisdn=data["msisdn"])
        except DomainError as error:
            form_error(form, error)
            status = error.http_status if error.http_status >= 500 else 400
        else:
            if current is not None:
                messages.success(request, _("Your payout account is changed. For your safety, payouts are held for "
                                            "48 hours, and we emailed you about it."))
            else:
                messages.success(request, _("Your payout account is saved. Staff verify it before the first payout."))
            return redirect("studio:payouts")
    elif form.errors:
        status = 400
    return render(request, "studio/payouts/account.html", {"form": form, "current": current}, status=status)


@seat_required(owner=True)
def payout_stripe_refresh(request: HttpRequest, seat: Seat) -> HttpResponse:
    """Stripe's refresh_url: the onboarding link expired or was used; make a new one for the active Stripe account."""
    payee = _payee(seat)
    account = payouts_selectors.active_account_for(payee_id=payee.pk) if payee else None
    if account is None or account.kind != "stripe":
        raise Http404
    try:
        url = payouts_services.payee_account_stripe_link(
            account=account, by=request.user,
            refresh_url=request.build_absolute_uri(reverse("studio:payouts-stripe-refresh")),
            return_url=request.build_absolute_uri(reverse("studio:payouts")))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("studio:payouts")
    return redirect(url)
