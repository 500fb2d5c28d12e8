"""Checkout and the account page on billing's services: plans in the viewer's currency, the sandbox provider,
the mobile-money waiting page, coupons, cancel and reactivate, receipts."""

import re
from urllib.parse import urlparse

import pytest

from billing import selectors as billing_selectors
from billing import services as billing_services

pytestmark = pytest.mark.django_db


def payments(user) -> list:
    return list(billing_selectors.payments_of(user=user))


def test_plans_are_priced_in_the_viewers_currency(signed_in):
    html = signed_in.get("/checkout/plans/").content.decode()

    assert "PGK 35.00" in html and "PGK 55.00" in html and "PGK 75.00" in html
    assert "Sandbox (demo: no real money)" in html


def test_subscribe_with_the_sandbox_provider(signed_in, viewer_user, publish):
    film = publish("In the Library", window="svod")

    start = signed_in.post("/checkout/plans/", {"plan": "basic", "interval": "month", "provider": "sandbox"})

    assert start.status_code == 302
    sandbox = urlparse(start["Location"]).path
    assert re.fullmatch(r"/billing/sandbox/[0-9a-f-]{36}/", sandbox)
    back = signed_in.post(sandbox, {"action": "pay"})
    waiting = signed_in.get(urlparse(back["Location"]).path, follow=True)
    html = waiting.content.decode()
    assert "Paid. Welcome to Basic!" in html
    assert billing_selectors.subscription_active_for(user=viewer_user).plan.code == "basic"
    assert "Included in Basic" in signed_in.get(f"/film/{film.slug}/").content.decode()


def test_a_trial_needs_no_payment_page(signed_in, viewer_user):
    start = signed_in.post("/checkout/plans/", {"plan": "standard", "interval": "month", "provider": "sandbox"})

    assert re.fullmatch(r"/checkout/payment/[0-9a-f-]{36}/", start["Location"])
    assert "Welcome to Standard" in signed_in.get(start["Location"]).content.decode()
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
    assert status == {"status": "paid", "done": True, "message": "Paid. Enjoy the film!", "redirect": start["Location"]}
    assert "Paid. Enjoy the film!" in signed_in.get(start["Location"]).content.decode()
    assert "Rented: yours to watch" in signed_in.get(f"/film/{film.slug}/").content.decode()


def test_a_declined_payment_says_nothing_was_charged(signed_in, viewer_user, publish):
    film = publish("Rent River", window="tvod")
    start = signed_in.post(f"/checkout/offer/{film.windows.get().pk}/", {"provider": "sandbox"})
    sandbox = urlparse(start["Location"]).path

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
    response = signed_in.post(
        "/checkout/plans/", {"plan": "basic", "interval": "month", "provider": "sandbox", "coupon": "NOPE"}
    )

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


# --- account ----------------------------------------------------------------------------------------------------


def test_account_shows_plan_next_bill_and_payments_with_receipts(signed_in, viewer_user):
    start = signed_in.post("/checkout/plans/", {"plan": "basic", "interval": "month", "provider": "sandbox"})
    signed_in.post(urlparse(start["Location"]).path, {"action": "pay"})
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

    signed_in.post("/account/subscription", {"action": "cancel"})
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
    signed_in.post(urlparse(start["Location"]).path, {"action": "pay"})
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
