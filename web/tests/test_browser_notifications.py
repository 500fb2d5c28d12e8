"""The bell in the browser (issue 15): a viewer rents a film with the sandbox wallet; when the wallet's callback
arrives, the receipt is in the bell: its count goes up without the viewer doing anything, and the list shows it."""

import re

import pytest

from billing import selectors as billing_selectors
from billing import services as billing_services
from web.tests.test_browser import IDS, PASSWORD, VIEWPORTS, _close, _shot, _wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server):
    settings.WANS_SITE_URL = live_server.url
    settings.WANS_COUNTRY_HEADER = ""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_a_rental_paid_by_the_wallet_puts_its_receipt_in_the_bell(chromium, live_server, screenshots, publish,
                                                                  make_user, viewport):
    publish("Rent River", window="tvod", genres=["Drama"], release_year=2025)
    viewer = make_user("viewer", password=PASSWORD)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    bell = page.locator("[data-bell]")
    _wait_for(page, "document.querySelector('[data-bell]').dataset.unread === '1'", seconds=10)  # the welcome
    assert bell.get_attribute("aria-label") == "Notifications: 1 unread"
    assert bell.is_visible()  # on a phone too: the bell stays in the header's row

    page.goto(f"{live_server.url}/film/rent-river/")
    page.get_by_role("link", name="Rent PGK 15.00").click()
    page.wait_for_url(re.compile(r".*/checkout/offer/\d+/$"))
    page.get_by_label("CellMoni (Digicel mobile money)").check()
    page.fill("input[name=phone]", "+675 7000 0999")  # the sandbox wallet that waits for us
    page.get_by_role("button", name="Pay PGK 15.00").click()
    page.wait_for_url(re.compile(r".*/checkout/payment/[0-9a-f-]+/$"))
    _wait_for(page, "document.querySelector('[data-bell-count]').innerText === '1'", seconds=10)

    payment = billing_selectors.payments_of(user=viewer).first()
    billing_services.sandbox_resolve(payment_id=payment.pk, outcome="paid")  # the wallet's signed callback

    _wait_for(page, "document.querySelector('[data-bell]').dataset.unread === '2'", seconds=40)
    assert page.locator("[data-bell-count]").inner_text() == "2"
    _shot(page, screenshots, "bell-after-rental", viewport)
    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    first = page.locator(".notification").first
    assert first.locator("strong").inner_text() == "Receipt: PGK 15.00 for Rent River"
    assert "unread" in first.get_attribute("class")
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    _wait_for(page, "document.querySelector('[data-bell]').dataset.unread === '0'", seconds=10)
    assert page.locator("[data-bell-count]").is_hidden()
    _close(context, page)
