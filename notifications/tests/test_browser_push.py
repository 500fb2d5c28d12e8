"""Web push in Debian's headless Chromium: a viewer turns notifications on from the account page, the site saves the
browser's subscription, the server sends through the real adapter to a local push service that checks the VAPID
token and decrypts the payload, and the service worker shows it; then the viewer turns them off.

Headless Chromium has no push service of its own (its pushManager.subscribe answers "Registration failed -
permission denied"), so the page's PushManager is replaced by one that returns a subscription at the local push
service, with keys this test made: everything else (permission, /sw.js, the subscribe script, the API, the adapter,
the encryption, the worker's notification) is real. The decrypted message reaches the worker through the DevTools
protocol (ServiceWorker.deliverPushMessage), as a push service's would through the browser."""

import json

import pytest

from notifications.channels.base import Outgoing
from notifications.channels.push import WebPushChannel, vapid_keys_generate
from notifications.models import PushSubscription
from notifications.tests.fakes import FakePushService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "a-long-browser-pass-1"

FAKE_PUSH_MANAGER = """
(() => {
  const SUBSCRIPTION = %s;
  const state = { subscription: null, applicationServerKey: null };
  window.__fakePush = state;
  const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_")
    .replace(/=+$/, "");
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    state.applicationServerKey = b64url(key);
    state.subscription = {
      endpoint: SUBSCRIPTION.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: !!options.userVisibleOnly, applicationServerKey: key.buffer },
      toJSON: () => SUBSCRIPTION,
      unsubscribe: () => { state.subscription = null; return Promise.resolve(true); },
    };
    return Promise.resolve(state.subscription);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(state.subscription); };
})();
"""
NOTIFICATIONS = """navigator.serviceWorker.ready.then((r) => r.getNotifications())
  .then((list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url })))"""


def _wait_for(page, expression: str, *, seconds: float) -> None:
    for _ in range(int(seconds * 4)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"still false after {seconds} s: {expression}")


@pytest.fixture
def vapid(settings):
    private, public = vapid_keys_generate()
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = private
    settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = public
    settings.NOTIFICATIONS_VAPID_SUBJECT = "mailto:ops@wans.example"
    return public


def test_turn_on_web_push_receive_a_message_and_turn_it_off(chromium, live_server, make_user, vapid, settings,
                                                             monkeypatch):
    settings.WANS_SITE_URL = live_server.url
    viewer = make_user("viewer", password=PASSWORD)
    with FakePushService() as push_service:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", push_service.ca_bundle)
        browser = push_service.subscribe(vapid)
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        context.grant_permissions(["notifications"], origin=live_server.url)
        context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser.subscription))
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        registrations = []
        devtools.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(
            event["registrations"]))
        devtools.send("ServiceWorker.enable")

        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", viewer.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/account/")
        card = page.locator("[data-push]")
        toggle = card.locator("[data-push-toggle]")
        _wait_for(page, "document.querySelector('[data-push]').dataset.state === 'off'", seconds=10)
        assert card.locator("[data-push-status]").inner_text() == "Notifications are off for this browser."
        assert toggle.inner_text() == "Turn on notifications"
        card.scroll_into_view_if_needed()
        page.screenshot(path="/tmp/push-off.png")

        toggle.click()
        _wait_for(page, "document.querySelector('[data-push]').dataset.state === 'on'", seconds=15)
        assert card.locator("[data-push-status]").inner_text() == "Notifications are on for this browser."
        assert toggle.inner_text() == "Turn off notifications"
        assert toggle.get_attribute("aria-pressed") == "true"
        assert page.evaluate("window.__fakePush.applicationServerKey") == vapid  # subscribed with our VAPID key
        page.screenshot(path="/tmp/push-on.png")
        page.set_viewport_size({"width": 1366, "height": 800})
        card.scroll_into_view_if_needed()
        page.screenshot(path="/tmp/push-on-desktop.png")

        row = PushSubscription.objects.get(user=viewer)
        assert (row.endpoint, row.p256dh, row.auth) == (browser.endpoint, browser.subscription["keys"]["p256dh"],
                                                        browser.subscription["keys"]["auth"])
        assert "Chrome" in row.user_agent

        # The server's side: the real adapter, the real encryption, the push service's checks.
        sent = WebPushChannel().send(Outgoing(
            channel="push", to=str(row.pk), subject="Rental bilong yu i pinis klostu",
            text="Kokoda Dawn: 6 aua i stap yet long lukim 🎬", url=f"{live_server.url}/account/",
            idempotency_key=f"rental_ending:9:{viewer.pk}:push",
            push={"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}},
        ))
        [delivered] = push_service.delivered
        assert sent.provider_id.endswith(delivered["id"])
        assert delivered["json"] == {"title": "Rental bilong yu i pinis klostu",
                                     "body": "Kokoda Dawn: 6 aua i stap yet long lukim 🎬",
                                     "url": f"{live_server.url}/account/", "tag": f"rental_ending:9:{viewer.pk}:push"}

        # The browser's side: the decrypted message reaches the service worker, which shows it.
        worker = [r for r in registrations if not r["isDeleted"] and r["scopeURL"] == f"{live_server.url}/"][-1]
        devtools.send("ServiceWorker.deliverPushMessage", {
            "origin": live_server.url, "registrationId": worker["registrationId"],
            "data": delivered["payload"].decode()})
        _wait_for(page, f"({NOTIFICATIONS}).then((list) => list.length === 1)", seconds=10)
        assert page.evaluate(NOTIFICATIONS) == [{"title": "Rental bilong yu i pinis klostu",
                                                 "body": "Kokoda Dawn: 6 aua i stap yet long lukim 🎬",
                                                 "tag": f"rental_ending:9:{viewer.pk}:push",
                                                 "url": f"{live_server.url}/account/"}]

        toggle.click()
        _wait_for(page, "document.querySelector('[data-push]').dataset.state === 'off'", seconds=15)
        assert not PushSubscription.objects.filter(user=viewer).exists()
        signed_in = context.storage_state()
        context.close()

        # Another browser of the same person where notifications were not allowed: the card says how to allow them.
        context = chromium.new_context(viewport={"width": 360, "height": 740}, storage_state=signed_in)
        context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(browser.subscription))
        page = context.new_page()
        page.goto(f"{live_server.url}/account/")
        _wait_for(page, "document.querySelector('[data-push]').dataset.state === 'off'", seconds=10)
        page.locator("[data-push-toggle]").click()
        _wait_for(page, "document.querySelector('[data-push]').dataset.state === 'blocked'", seconds=10)
        assert page.locator("[data-push-status]").inner_text().startswith("This browser blocks notifications")
        assert page.locator("[data-push-toggle]").is_hidden()
        assert not PushSubscription.objects.exists()
        context.close()
