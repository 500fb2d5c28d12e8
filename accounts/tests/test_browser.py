"""A person signs up, confirms their email, signs in and looks at their devices, in headless Chromium."""

import re

import pytest
from django.core import mail

from accounts.models import Device, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}], ids=["phone", "desktop"]
)
def test_sign_up_confirm_and_see_devices(chromium, live_server, screenshots, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    email = f"browser-{viewport['width']}@example.com"

    page.goto(f"{live_server.url}/")
    page.screenshot(path=screenshots / f"home-{viewport['width']}.png", full_page=True)
    page.get_by_role("link", name="Join free").filter(visible=True).first.click()  # a phone's header folds it away
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", "a-long-browser-pass-1")
    page.screenshot(path=screenshots / f"signup-{viewport['width']}.png", full_page=True)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.rsplit("/accounts/confirm-email/", 1)[1])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/account/devices/")
    page.screenshot(path=screenshots / f"devices-{viewport['width']}.png", full_page=True)

    assert page.get_by_text("This device").is_visible()
    user = User.objects.get(email=email)
    assert Device.objects.filter(user=user, signed_out_at__isnull=True).count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False  # nothing sticks out sideways on a phone
    context.close()
