"""What billing tells people (issue 15), raised inside the transaction that makes it true: a receipt for every paid
payment, a failed or timed-out payment, the start of grace, and the beat's reminders (a renewal in 3 days, the last
day of grace, a rental ending in 6 hours), each once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from billing import services
from billing.models import Entitlement, Subscription
from core.testing.notices import notices

pytestmark = pytest.mark.django_db
WALLET = "+67570012345"


def _rent(viewer, window, **extra):
    return services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="digicel", territory="PG",
                                            phone=WALLET, **extra)


def test_a_paid_payment_sends_a_receipt_email_and_a_bell_item(viewer, make_window, django_capture_on_commit_callbacks):
    payment = _rent(viewer, make_window("tvod"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sandbox_resolve(payment_id=payment.pk, outcome="paid")
        services.sandbox_resolve(payment_id=payment.pk, outcome="paid")  # a replayed callback: no second receipt
    assert notices(viewer, "payment_receipt") == {("payment_receipt", "email"): "sent",
                                                  ("payment_receipt", "in_app"): "sent"}
    [email] = mail.outbox
    payment.refresh_from_db()
    assert email.to == [viewer.email]
    assert email.subject == "Receipt: PGK 15.00 for Kokoda Dawn"
    assert f"Order reference: {payment.reference}." in email.body
    assert f"/account/payments/{payment.public_id}/receipt" in email.body
    assert "List-Unsubscribe" not in email.extra_headers  # a receipt is transactional


def test_a_receipt_is_in_the_viewers_currency(make_user, make_window):
    american = make_user("viewer")
    payment = services.checkout_purchase_start(user=american, window_id=make_window("tvod").pk, provider="sandbox",
                                               territory="US")
    services.sandbox_resolve(payment_id=payment.pk, outcome="paid")
    from notifications import selectors

    row = selectors.notifications_of(user=american, event="payment_receipt").get(channel="in_app")
    assert row.subject == "Receipt: USD 4.99 for Kokoda Dawn"


def test_a_declined_wallet_payment_tells_the_payer(viewer, make_window):
    payment = _rent(viewer, make_window("tvod"))
    services.sandbox_resolve(payment_id=payment.pk, outcome="failed")
    assert notices(viewer, "payment_failed") == {("payment_failed", "email"): "queued",
                                                 ("payment_failed", "in_app"): "sent"}
    assert notices(viewer, "payment_receipt") == {}


def test_a_wallet_request_nobody_answered_times_out(viewer, make_window):
    payment = _rent(viewer, make_window("tvod"))
    services.payments_expire(at=payment.expires_at + timedelta(seconds=1))
    assert notices(viewer, "payment_timed_out") == {("payment_timed_out", "email"): "queued",
                                                    ("payment_timed_out", "in_app"): "sent"}
    assert notices(viewer, "payment_failed") == {}


def test_a_payment_the_payer_cancelled_tells_nobody(viewer, make_window):
    payment = _rent(viewer, make_window("tvod"))
    services.payment_cancel(payment_id=payment.pk, by=viewer)
    assert notices(viewer, "payment_failed") == {} and notices(viewer, "payment_timed_out") == {}


def _subscribed(viewer, plans) -> Subscription:
    payment = services.checkout_subscription_start(user=viewer, plan_code="basic", provider="vodafone",
                                                   territory="PG", phone=WALLET)
    services.sandbox_resolve(payment_id=payment.pk, outcome="paid")
    return Subscription.objects.get(user=viewer, status="active")


def test_a_period_ended_unpaid_starts_grace_and_says_how_to_pay(viewer, plans):
    subscription = _subscribed(viewer, plans)
    services.subscriptions_sweep(at=subscription.current_period_end + timedelta(seconds=1))
    assert notices(viewer, "renewal_failed") == {("renewal_failed", "email"): "queued",
                                                 ("renewal_failed", "in_app"): "sent"}
    from notifications import selectors

    row = selectors.notifications_of(user=viewer, event="renewal_failed").get(channel="email")
    assert row.url == "http://127.0.0.1:8000/checkout/renew/"
    assert "Pay for the next period before then to keep your plan." in row.text


def test_reminders_renewal_grace_and_rental_each_once(viewer, make_user, plans, make_window):
    at = timezone.now()
    subscription = _subscribed(viewer, plans)
    Subscription.objects.filter(pk=subscription.pk).update(current_period_end=at + timedelta(days=2))
    late = make_user("viewer")
    late_sub = _subscribed(late, plans)
    Subscription.objects.filter(pk=late_sub.pk).update(status="past_due", grace_until=at + timedelta(hours=20))
    renter = make_user("viewer")
    rental = _rent(renter, make_window("tvod"))
    services.sandbox_resolve(payment_id=rental.pk, outcome="paid")
    Entitlement.objects.filter(user=renter).update(started_at=at - timedelta(hours=43),
                                                   ends_at=at + timedelta(hours=5))
    assert services.reminders_send(at=at) == {"renewal_due": 2, "grace_ending": 2, "rental_ending": 1}
    assert services.reminders_send(at=at + timedelta(minutes=15)) == {"renewal_due": 0, "grace_ending": 0,
                                                                      "rental_ending": 0}
    assert notices(viewer, "renewal_due") == {("renewal_due", "email"): "queued", ("renewal_due", "in_app"): "sent"}
    assert notices(late, "grace_ending") == {("grace_ending", "email"): "queued", ("grace_ending", "in_app"): "sent"}
    assert notices(renter, "rental_ending") == {("rental_ending", "in_app"): "sent"}  # no phone, no push
    from notifications import selectors

    due = selectors.notifications_of(user=viewer, event="renewal_due").get(channel="email")
    assert due.url == "http://127.0.0.1:8000/checkout/renew/"
    assert "Mobile money and bank payments don't renew by themselves" in due.text


def test_the_first_play_of_a_rental_starts_its_clock_and_says_until_when(viewer, make_window):
    window = make_window("tvod")
    payment = _rent(viewer, window)
    services.sandbox_resolve(payment_id=payment.pk, outcome="paid")
    at = timezone.now()
    services.rental_start(user=viewer, window_id=window.pk, at=at)
    services.rental_start(user=viewer, window_id=window.pk, at=at + timedelta(minutes=5))  # a second play
    assert notices(viewer, "rental_started") == {("rental_started", "email"): "queued",
                                                 ("rental_started", "in_app"): "sent"}
