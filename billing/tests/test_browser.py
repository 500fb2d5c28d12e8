"""A person pays through the sandbox in headless Chromium: BSP's hosted page with its one-time code, then the
waiting page; and a wallet payment declined on the phone."""

import pytest

from billing import services
from billing.models import Entitlement, Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")


def test_bsp_sandbox_payment_in_the_browser(chromium, live_server, screenshots, settings, viewer, make_window):
    settings.WANS_SITE_URL = live_server.url
    window = make_window("tvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bsp", territory="PG")
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    _sign_in(page, live_server, viewer)
    page.goto(payment.redirect_url)
    page.screenshot(path=str(screenshots / "billing-sandbox-bsp.png"), full_page=True)
    page.fill("#otp", "111111")
    page.get_by_role("button", name="Approve and pay").click()
    assert page.get_by_text("That one-time code is wrong.").is_visible()
    page.fill("#otp", "123456")
    page.get_by_role("button", name="Approve and pay").click()
    page.wait_for_url(f"**/checkout/payment/{payment.public_id}/")  # the one waiting page, the site's
    page.screenshot(path=str(screenshots / "billing-payment-paid.png"), full_page=True)
    assert page.locator("[data-payment-status]").inner_text() == "Paid"
    assert page.locator("[data-status-text]").inner_text() == "Paid. Enjoy the film!"
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    assert Entitlement.objects.get(user=viewer).kind == "rental"
    context.close()


def test_a_wallet_payment_declined_on_the_phone(chromium, live_server, settings, viewer, make_window):
    settings.WANS_SITE_URL = live_server.url
    window = make_window("pvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="vodafone",
                                               territory="PG", phone="70012999")  # never answers by itself
    context = chromium.new_context()
    page = context.new_page()
    _sign_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/billing/payments/{payment.public_id}/")  # billing's address: redirected
    page.wait_for_url(f"**/checkout/payment/{payment.public_id}/")
    assert page.locator("[data-payment-status]").inner_text() == "Pending"
    assert page.locator("[data-status-text]").inner_text() == "Waiting for your payment…"
    page.goto(payment.redirect_url)
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(f"**/checkout/payment/{payment.public_id}/")
    assert page.locator("[data-payment-status]").inner_text() == "Failed"
    assert page.locator("[data-status-text]").inner_text().startswith("M-PAiSA declined the payment")
    assert Entitlement.objects.count() == 0
    context.close()
