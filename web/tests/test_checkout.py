"""Checkout and the account page on billing's services: plans in the viewer's currency, the sandbox provider,
the mobile-money waiting page, coupons, cancel and reactivate, receipts."""

import json
import re
from urllib.parse import urlparse

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import date_format

from billing import selectors as billing_selectors
from billing import services as billing_services

pytestmark = pytest.mark.django_db


def payments(user) -> list:
    return list(billing_selectors.payments_of(user=user))


def handed_to(client, start) -> str:
    """The provider page the waiting page hands the payer to (the path of its data-handoff address)."""
    waiting = urlparse(start["Location"])
    assert re.fullmatch(r"/checkout/payment/[0-9a-f-]{36}/", waiting.path) and waiting.query == "handoff=1"
    html = client.get(start["Location"]).content.decode()
    return urlparse(re.search(r'data-handoff="([^"]+)"', html).group(1)).path


def subscribe(client, **fields):
    """The plans form, confirmed on its order summary."""
    return client.post("/checkout/plans/", {"interval": "month", "provider": "sandbox", **fields, "confirm": "1"})


def test_plans_are_priced_in_the_viewers_currency(signed_in):
    html = signed_in.get("/checkout/plans/").content.decode()

    assert "PGK 35.00" in html and "PGK 55.00" in html and "PGK 75.00" in html
    assert "Sandbox (demo: no real money)" in html


def test_subscribe_with_the_sandbox_provider(signed_in, viewer_user, publish):
    film = publish("In the Library", window="svod")

    summary = signed_in.post("/checkout/plans/", {"plan": "basic", "interval": "month", "provider": "sandbox"})
    assert "Order summary" in summary.content.decode() and payments(viewer_user) == []  # nothing before confirming
    start = subscribe(signed_in, plan="basic")

    assert start.status_code == 302
    sandbox = handed_to(signed_in, start)
    assert re.fullmatch(r"/billing/sandbox/[0-9a-f-]{36}/", sandbox)
    back = signed_in.post(sandbox, {"action": "pay"})
    waiting = signed_in.get(urlparse(back["Location"]).path, follow=True)
    html = waiting.content.decode()
    assert "Paid. Welcome to Basic!" in html
    assert billing_selectors.subscription_active_for(user=viewer_user).plan.code == "basic"
    assert "Included in Basic" in signed_in.get(f"/film/{film.slug}/").content.decode()


def test_a_trial_needs_no_payment_page(signed_in, viewer_user):
    start = subscribe(signed_in, plan="standard")

    assert re.fullmatch(r"/checkout/payment/[0-9a-f-]{36}/", start["Location"])
    assert "Your trial has started" in signed_in.get(start["Location"]).content.decode()
    assert billing_selectors.subscription_active_for(user=viewer_user).status == "trialing"


def test_mobile_money_waiting_page_turns_into_access_when_the_callback_arrives(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    window_id = film.windows.get().pk

    start = signed_in.post(f"/checkout/offer/{window_id}/", {"provider": "digicel", "phone": "+675 7000 0999"})

    assert re.fullmatch(r"/checkout/payment/[0-9a-f-]{36}/", start["Location"])
    waiting = signed_in.get(start["Location"]).content.decode()
    assert "Waiting for your payment" in waiting
    assert "+67570000999" in waiting  # the phone asked to approve
    assert signed_in.get(start["Location"] + "status").json()["done"] is False

    payment = payments(viewer_user)[0]
    billing_services.sandbox_resolve(payment_id=payment.pk, outcome="paid")  # CellMoni's signed callback

    status = signed_in.get(start["Location"] + "status").json()
    payment.refresh_from_db()
    billing_keys = json.loads(json.dumps(billing_selectors.payment_status(payment=payment), cls=DjangoJSONEncoder))
    assert billing_keys["granted"] is True and billing_keys["film_id"] == film.pk
    assert status == {
        **billing_keys,  # the one status JSON carries billing's keys too
        "status": "paid", "done": True, "message": "Paid. Enjoy the film!", "redirect": start["Location"],
    }
    assert "Paid. Enjoy the film!" in signed_in.get(start["Location"]).content.decode()
    assert "Rented: yours to watch" in signed_in.get(f"/film/{film.slug}/").content.decode()


def test_a_declined_payment_says_nothing_was_charged(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "sandbox"})
    sandbox = handed_to(signed_in, start)

    back = signed_in.post(sandbox, {"action": "decline"})

    html = signed_in.get(urlparse(back["Location"]).path, follow=True).content.decode()
    assert "The payment did not go through: nothing was charged." in html
    assert "Rent PGK 15.00" in signed_in.get(f"/film/{film.slug}/").content.decode()


def test_mobile_money_needs_a_phone_number(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")

    response = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "vodafone"})

    assert response.status_code == 200
    assert "Mobile money needs the number of the phone" in response.content.decode()
    assert payments(viewer_user) == []


def test_an_unknown_coupon_is_refused_on_the_field_and_nothing_is_recorded(signed_in, viewer_user):
    response = subscribe(signed_in, plan="basic", coupon="NOPE")

    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert payments(viewer_user) == []
    assert billing_selectors.subscription_active_for(user=viewer_user) is None


def test_offer_not_shown_here_is_404(signed_in, publish):
    film = publish("Sydney Only", window="tvod", territories="AU")

    assert signed_in.get(f"/checkout/offer/{film.windows.get().pk}/").status_code == 404


def test_offer_for_a_film_already_held_goes_back_to_the_film(signed_in, viewer_user, staff, publish):
    film = publish("Rent River", window="tvod")
    window = film.windows.get()
    billing_services.entitlement_grant(user=viewer_user, window_id=window.pk, by=staff, reason="test")

    response = signed_in.get(f"/checkout/offer/{window.pk}/")

    assert response["Location"] == f"/film/{film.slug}/"


def test_checkout_needs_sign_in(guest, publish):
    film = publish("Rent River", window="tvod")

    assert guest.get(f"/checkout/offer/{film.windows.get().pk}/").status_code == 302
    assert guest.get("/checkout/plans/").status_code == 302


def test_another_persons_payment_is_404(signed_in, make_user, publish):
    from django.test import Client

    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000999"})
    other = Client()
    other.force_login(make_user("viewer"))

    assert other.get(start["Location"]).status_code == 404
    assert other.get(start["Location"] + "status").status_code == 404


def test_billings_waiting_address_redirects_to_the_one_waiting_page(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000999"})
    public_id = payments(viewer_user)[0].public_id

    moved = signed_in.get(f"/billing/payments/{public_id}/?handoff=1")

    assert moved.status_code == 302 and moved["Location"] == f"/checkout/payment/{public_id}/?handoff=1"
    assert start["Location"] == f"/checkout/payment/{public_id}/"
    page = signed_in.get(f"/billing/payments/{public_id}/", follow=True)
    assert page.redirect_chain == [(f"/checkout/payment/{public_id}/", 302)]
    html = page.content.decode()
    assert html.count("data-status-text") == 1 and "Waiting for your payment" in html
    assert "<strong data-payment-status>Pending</strong>" in html
    assert f'data-status-url="/checkout/payment/{public_id}/status"' in html


def test_both_status_addresses_answer_the_one_status_json(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000999"})
    payment = payments(viewer_user)[0]

    site = signed_in.get(f"/checkout/payment/{payment.public_id}/status").json()
    billing = signed_in.get(f"/billing/payments/{payment.public_id}/status").json()

    assert site == billing
    billing_keys = json.loads(json.dumps(billing_selectors.payment_status(payment=payment), cls=DjangoJSONEncoder))
    assert site == {**billing_keys, "done": False, "message": "Waiting for your payment…", "redirect": None}
    assert site["status"] == "pending" and site["granted"] is False and site["next_action"] == "push"
    assert site["public_id"] == str(payment.public_id) and site["window_id"] == film.windows.get().pk


def test_another_persons_payment_is_404_at_billings_addresses_too(signed_in, viewer_user, make_user, publish):
    from django.test import Client

    film = publish("Rent River", window="tvod")
    signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000999"})
    payment = payments(viewer_user)[0]
    other = Client()
    other.force_login(make_user("viewer"))

    assert other.get(f"/billing/payments/{payment.public_id}/", follow=True).status_code == 404
    assert other.get(f"/billing/payments/{payment.public_id}/status").status_code == 404
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_a_payment_started_without_a_return_url_comes_back_to_the_one_waiting_page(viewer_user, publish, settings):
    settings.WANS_SITE_URL = "http://127.0.0.1:8000"
    film = publish("Rent River", window="tvod")

    payment = billing_services.checkout_purchase_start(
        user=viewer_user, window_id=film.windows.get().pk, provider="bsp", territory="PG"
    )

    assert payment.return_url == f"http://127.0.0.1:8000/checkout/payment/{payment.public_id}/"


# --- account ----------------------------------------------------------------------------------------------------


def test_account_shows_plan_next_bill_and_payments_with_receipts(signed_in, viewer_user):
    start = subscribe(signed_in, plan="basic")
    signed_in.post(handed_to(signed_in, start), {"action": "pay"})
    payment = payments(viewer_user)[0]

    html = signed_in.get("/account/").content.decode()

    assert "Basic" in html
    assert "Next bill: PGK 35.00 on" in html
    assert f"/account/payments/{payment.public_id}/receipt" in html
    receipt = signed_in.get(f"/account/payments/{payment.public_id}/receipt").content.decode()
    assert payment.reference in receipt
    assert "PGK 35.00" in receipt


def test_cancel_and_reactivate(signed_in, viewer_user, staff):
    billing_services.subscription_grant(user=viewer_user, plan_code="standard", by=staff, reason="test")

    subscription = billing_selectors.subscription_active_for(user=viewer_user)
    asked = signed_in.post("/account/subscription", {"action": "cancel"}).content.decode()
    assert "Cancel Standard?" in asked
    assert f"You keep watching until {date_format(subscription.current_period_end, 'j F Y')}." in asked
    assert billing_selectors.subscription_active_for(user=viewer_user).cancel_at_period_end is False  # only asked

    signed_in.post("/account/subscription", {"action": "cancel", "confirm": "yes"})
    assert billing_selectors.subscription_active_for(user=viewer_user).cancel_at_period_end is True
    assert "Cancelled: you can watch until" in signed_in.get("/account/").content.decode()

    signed_in.post("/account/subscription", {"action": "reactivate"})
    assert billing_selectors.subscription_active_for(user=viewer_user).cancel_at_period_end is False


def test_cancel_without_a_subscription_is_a_message(signed_in):
    response = signed_in.post("/account/subscription", {"action": "cancel"}, follow=True)

    assert "There is no subscription to change." in response.content.decode()


def test_receipt_of_another_account_is_404(signed_in, make_user, publish):
    from django.test import Client

    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "sandbox"})
    signed_in.post(handed_to(signed_in, start), {"action": "pay"})
    payment = payments(signed_in.profile.user)[0]
    other = Client()
    other.force_login(make_user("viewer"))

    assert other.get(f"/account/payments/{payment.public_id}/receipt").status_code == 404


def test_account_page_renders_in_a_fixed_number_of_queries(
    signed_in, viewer_user, staff, django_assert_max_num_queries
):
    billing_services.subscription_grant(user=viewer_user, plan_code="standard", by=staff, reason="test")
    signed_in.get("/account/")
    with django_assert_max_num_queries(14):
        signed_in.get("/account/")


# --- hand-off, coupons, trials and the payer's way out (issue 22, items 1, 3 and 9) -----------------------------


def billing_model(name: str):
    """Billing's rows, for set-up and checks only: staff make coupons in the admin (no service does), and these
    tests look at the redemption rows the site's checkout leaves behind."""
    from django.apps import apps

    return apps.get_model("billing", name)


def make_coupon(code="WANS10", **fields):
    return billing_model("Coupon").objects.create(code=code, **{"kind": "percent", "percent_off": 10, "for_plans": True,
                                               "for_purchases": True, "per_user_limit": 1, **fields})


def test_the_sandbox_page_is_on_the_host_and_port_the_viewer_used(signed_in, viewer_user, publish, settings):
    settings.WANS_SITE_URL = "http://127.0.0.1:8000"  # a default that is not where the site runs
    settings.ALLOWED_HOSTS = ["*"]
    film = publish("Rent River", window="tvod")

    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "bsp"}, HTTP_HOST="127.0.0.1:8123")
    html = signed_in.get(start["Location"], HTTP_HOST="127.0.0.1:8123").content.decode()

    payment = payments(viewer_user)[0]
    assert f'data-handoff="http://127.0.0.1:8123/billing/sandbox/{payment.public_id}/"' in html
    assert payment.return_url.startswith("http://127.0.0.1:8123/checkout/return/")


def test_the_site_url_follows_wans_port(monkeypatch):
    import subprocess
    import sys

    code = "import django, os; django.setup(); from django.conf import settings; print(settings.WANS_SITE_URL)"
    env = {"DJANGO_SETTINGS_MODULE": "wans.settings.local", "WANS_PORT": "8123", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "http://127.0.0.1:8123"


def test_an_abandoned_checkout_does_not_use_up_the_coupon(signed_in, viewer_user, publish):
    CouponRedemption = billing_model("CouponRedemption")

    make_coupon()
    film = publish("Rent River", window="tvod")
    first = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "sandbox", "coupon": "WANS10"})
    abandoned = payments(viewer_user)[0]

    again = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "sandbox", "coupon": "wans10"})

    assert first.status_code == 302 and again.status_code == 302  # the coupon is still the viewer's to use
    abandoned.refresh_from_db()
    assert abandoned.status == "expired" and abandoned.failure_reason == "Replaced by a newer checkout."
    assert list(CouponRedemption.objects.order_by("id").values_list("status", flat=True)) == ["released", "reserved"]


def test_cancelling_a_waiting_payment_releases_its_coupon(signed_in, viewer_user, publish):
    CouponRedemption = billing_model("CouponRedemption")

    make_coupon()
    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/",
                           {"provider": "digicel", "phone": "+675 7000 0999", "coupon": "WANS10"})
    waiting = signed_in.get(start["Location"]).content.decode()
    assert "Send the prompt again" in waiting and "Use another number or method" in waiting
    assert re.search(r"We wait (29|30)\s+minutes more \(until \d\d:\d\d UTC\)", waiting)  # how long it waits

    done = signed_in.post(start["Location"] + "action", {"action": "cancel"}, follow=True)

    assert "Cancelled: nothing was charged." in done.content.decode()
    assert payments(viewer_user)[0].status == "expired"
    assert CouponRedemption.objects.get().status == "released"


def test_use_another_number_goes_back_to_the_checkout_prefilled(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    window_id = film.windows.get().pk
    start = signed_in.post(f"/checkout/offer/{window_id}/", {"provider": "digicel", "phone": "+675 7000 0999"})

    moved = signed_in.post(start["Location"] + "action", {"action": "change"})

    assert moved["Location"] == f"/checkout/offer/{window_id}/?provider=digicel&phone=%2B67570000999"
    assert 'value="+67570000999"' in signed_in.get(moved["Location"]).content.decode()
    assert payments(viewer_user)[0].status == "expired"


def test_resending_the_prompt_waits_again_and_is_not_offered_twice_at_once(signed_in, viewer_user, publish):
    from datetime import timedelta

    Payment = billing_model("Payment")

    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000999"})
    payment = payments(viewer_user)[0]

    too_soon = signed_in.post(start["Location"] + "action", {"action": "resend"}, follow=True)
    assert "The phone was asked a moment ago" in too_soon.content.decode()

    Payment.objects.filter(pk=payment.pk).update(expires_at=payment.expires_at - timedelta(minutes=5))
    signed_in.post(start["Location"] + "action", {"action": "resend"})
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert payment.expires_at > payment.created_at + timedelta(minutes=29)


def test_a_declined_wallet_payment_says_why(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "digicel", "phone": "70000000"})
    billing_services.sandbox_resolve(payment_id=payments(viewer_user)[0].pk, outcome="failed")

    html = signed_in.get(start["Location"]).content.decode()

    assert "CellMoni declined the payment (a wrong PIN, not enough money in the wallet" in html
    assert "Send the prompt again" not in html


def test_the_order_summary_shows_the_trial_then_the_first_charge_with_the_coupon(signed_in, viewer_user):
    from django.utils import timezone
    from django.utils.formats import date_format

    make_coupon()
    html = signed_in.post("/checkout/plans/", {"plan": "standard", "interval": "month", "provider": "digicel",
                                               "phone": "70000999", "coupon": "WANS10"}).content.decode()

    trial_end = date_format(timezone.now() + timezone.timedelta(days=7), "j F")
    assert "Today PGK 0.00: 7-day free trial." in html
    assert f"Then PGK 49.50 on {trial_end}." in html
    assert "Coupon WANS10: PGK 5.50 off your first payment (PGK 55.00 without it)." in html
    assert "After that PGK 55.00 a month" in html
    assert "can&#x27;t be charged automatically: we&#x27;ll remind you" in html
    assert "Start my free trial" in html
    assert payments(viewer_user) == []


def test_a_first_payment_coupon_waits_for_the_first_charged_payment_after_the_trial(signed_in, viewer_user):
    make_coupon()
    start = subscribe(signed_in, plan="standard", provider="digicel", phone="70000999", coupon="WANS10")

    html = signed_in.get(start["Location"]).content.decode()
    assert "Your trial has started" in html and "Nothing was charged today." in html
    subscription = billing_selectors.subscription_active_for(user=viewer_user)
    assert subscription.status == "trialing" and subscription.coupon.code == "WANS10"
    assert subscription.coupon_payments_left == 1

    renewal = billing_services.checkout_renewal_start(user=viewer_user, subscription_id=subscription.pk,
                                                      provider="digicel", phone="70000999")
    assert (renewal.subtotal_minor, renewal.discount_minor, renewal.amount_minor) == (5500, 550, 4950)
    billing_services.sandbox_resolve(payment_id=renewal.pk, outcome="paid")
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.coupon_payments_left == 0


def test_account_lists_rentals_with_their_clock_and_a_device_seen_now(signed_in, viewer_user, staff, publish):
    from django.utils import timezone

    from billing.services import rental_start

    waiting = publish("Rent River", window="tvod")
    running = publish("Night Market", window="tvod")
    for film in (waiting, running):
        billing_services.entitlement_grant(user=viewer_user, window_id=film.windows.get().pk, by=staff, reason="t")
    rental_start(user=viewer_user, window_id=running.windows.get().pk, at=timezone.now())

    html = signed_in.get("/account/").content.decode()

    clock = r"Night Market</strong>\s*<p class=\"muted rental-clock\">(1\s+day,\s+23\s+hours|2\s+days) left to watch"
    assert re.search(clock, html)
    assert re.search(r"Rent River</strong>\s*<p class=\"muted rental-clock\">Not started: press Play by \d+ \w+", html)
    assert "Active now" in html and "0\xa0minutes" not in html and "0 minutes" not in html


def test_the_renewal_page_pays_the_next_period_on_a_png_rail(signed_in, viewer_user):
    """Where the renewal reminders link to: the rails without automatic renewal (no card), the period's price, no
    coupon field; paying starts a renewal payment of the subscription and hands over to the one waiting page."""
    assert signed_in.get("/checkout/renew/")["Location"] == "/checkout/plans/"  # nothing to renew yet
    subscribe(signed_in, plan="standard", provider="digicel", phone="70000999")
    subscription = billing_selectors.subscription_active_for(user=viewer_user)
    before = payments(viewer_user)  # the trial's zero-amount payment

    html = signed_in.get("/checkout/renew/").content.decode()
    providers = re.findall(r'name="provider" value="([^"]+)"', html)
    assert "digicel" in providers and "stripe" not in providers
    assert 'name="coupon"' not in html and "Pay PGK 55.00" in html

    refused = signed_in.post("/checkout/renew/", {"provider": "digicel", "phone": ""})
    assert refused.status_code == 200 and payments(viewer_user) == before
    start = signed_in.post("/checkout/renew/", {"provider": "digicel", "phone": "70000999"})
    assert re.fullmatch(r"/checkout/payment/[0-9a-f-]{36}/", start["Location"])
    (renewal,) = [payment for payment in payments(viewer_user) if payment not in before]
    assert (renewal.subscription_id, renewal.amount_minor, renewal.currency, renewal.phone) == (
        subscription.pk, 5500, "PGK", "70000999")
