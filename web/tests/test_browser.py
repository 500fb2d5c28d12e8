"""The viewer's flows in headless Chromium (Debian's), at a phone and a desktop size, with screenshots:
sign up -> choose profile -> browse -> film page -> subscribe with the sandbox provider -> play, and the
mobile-money waiting page turning into access when the wallet's callback arrives."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from billing import selectors as billing_selectors
from billing import services as billing_services
from catalog import services as catalog_services
from core.testing.media import make_clip

# serialized_rollback: each test gets back the plans billing seeds in a data migration (a flush removes them).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1366, "height": 800}]
IDS = ["phone", "desktop"]
PASSWORD = "a-long-browser-pass-1"


@pytest.fixture(autouse=True)
def _site(settings, live_server, protected_storage_tmp):
    settings.WANS_SITE_URL = live_server.url  # the sandbox's hosted page and return addresses point here
    settings.WANS_COUNTRY_HEADER = ""  # the account's country (PG) decides the territory
    settings.TRANSCODING_PRESET = "superfast"
    settings.TRANSCODING_SEGMENT_SECONDS = 2
    settings.TRANSCODING_THUMBNAILS = 2


def _art(title: str, size: tuple[int, int], colours: tuple[str, str]) -> SimpleUploadedFile:
    image = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(image)
    for y in range(0, size[1], 8):
        draw.rectangle([0, y, size[0], y + 4], fill=colours[1] if (y // 8) % 3 == 0 else colours[0])
    draw.text((size[0] // 10, size[1] * 3 // 4), title.upper(), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{title}.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def shelf(publish, creator):
    """A few films with posters and backdrops: one in the subscription, one to rent, one free, one coming."""
    films = {}
    specs = [
        ("Kokoda Dawn", "svod", ("#0f4c5c", "#e36414"), ["Drama"]),
        ("Rent River", "tvod", ("#3a0ca3", "#f72585"), ["Drama"]),
        ("Free Reef", "avod", ("#1b4332", "#95d5b2"), ["Documentary"]),
        ("Coming Canoe", "svod", ("#7f5539", "#ddb892"), ["Family"]),
    ]
    for title, window, colours, genres in specs:
        film = publish(
            title,
            window=window,
            start_days=30 if title.startswith("Coming") else -1,
            genres=genres,
            tagline=f"{title}: a story from Papua New Guinea.",
            synopsis="People of Papua New Guinea through one unforgettable season.",
            runtime_minutes=95,
            release_year=2025,
        )
        for kind, size in (("poster", (780, 1170)), ("backdrop", (1280, 720))):
            catalog_services.film_image_set(film=film, by=creator, kind=kind, upload=_art(title, size, colours))
        films[title] = film
    catalog_services.film_update(film=films["Kokoda Dawn"], by=publish.staff, data={"featured": True})
    return films


@pytest.fixture
def media_for(creator, tmp_path):
    """Transcode a 4 s clip for a film, for real (so that Play plays)."""
    from transcoding import services as transcoding_services

    def make(film):
        clip = make_clip(tmp_path / "clip.mp4", width=640, height=360, seconds=4)
        job = transcoding_services.job_create(film=film, by=creator, source_path=str(clip), enqueue=False)
        job = transcoding_services.job_run(job_id=job.pk)
        assert job.state == "completed", job.error

    return make


def _wait_for(page, expression: str, *, seconds: float) -> None:
    """Poll an expression through the DevTools protocol (the site's CSP forbids the eval wait_for_function uses)."""
    from playwright.sync_api import Error

    for _ in range(int(seconds * 4)):
        try:
            if page.evaluate(expression):
                return
        except Error:  # the page is navigating (the waiting page reloads itself when the payment settles)
            pass
        page.wait_for_timeout(250)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def _close(context, page) -> None:
    """Leave the page first, so that the player's last requests (session stop) finish before the database is
    flushed for the next test, then close."""
    page.goto("about:blank")
    page.wait_for_timeout(1000)
    context.close()


def _no_sideways_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True


UNLABELLED = """[...document.querySelectorAll('img:not([alt])')].map(e => e.outerHTML.slice(0, 80)).concat(
  [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')]
    .filter(e => !e.getAttribute('aria-label') && !(e.id && document.querySelector('label[for="' + e.id + '"]'))
                 && !e.closest('label'))
    .map(e => e.outerHTML.slice(0, 80)))"""


def _shot(page, screenshots, name: str, viewport: dict) -> None:
    page.screenshot(path=screenshots / f"web-{name}-{viewport['width']}.png", full_page=True)
    _no_sideways_overflow(page)
    assert page.evaluate(UNLABELLED) == []  # every image has alt text, every control a label


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_sign_up_choose_profile_browse_subscribe_and_play(
    chromium, live_server, screenshots, shelf, media_for, viewport
):
    media_for(shelf["Kokoda Dawn"])
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    email = f"web-{viewport['width']}@example.com"

    page.goto(f"{live_server.url}/")
    _shot(page, screenshots, "home-guest", viewport)
    assert page.locator("#hero-title").inner_text() == "Kokoda Dawn"
    page.get_by_role("link", name="Join free").filter(visible=True).first.click()  # a phone's header folds it away
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.rsplit("/accounts/confirm-email/", 1)[1])
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(f"{live_server.url}/")  # one profile: nobody to ask "Who's watching?"
    _shot(page, screenshots, "home", viewport)

    if page.locator(".menu-toggle").is_visible():  # a phone: the header's menu holds the navigation
        page.locator(".menu-toggle").click()
    page.get_by_role("link", name="Browse", exact=True).click()
    page.wait_for_url(re.compile(r".*/browse/$"))
    _shot(page, screenshots, "browse", viewport)
    page.locator(".card-link", has_text="Kokoda Dawn").first.click()
    page.wait_for_url(re.compile(r".*/film/kokoda-dawn/$"))
    _shot(page, screenshots, "film", viewport)
    assert page.locator(".availability-main").inner_text() == "Included in a subscription"

    page.get_by_role("link", name="Subscribe").click()
    page.wait_for_url(re.compile(r".*/checkout/plans/.*"))
    page.locator("label.plan", has_text="Basic").click()
    page.get_by_label("Sandbox (demo: no real money)").check()
    _shot(page, screenshots, "plans", viewport)
    page.get_by_role("button", name="Continue to payment").click()
    assert page.locator(".order-summary").is_visible()  # what is paid, and when, before paying
    _shot(page, screenshots, "order-summary", viewport)
    page.get_by_role("button", name="Pay PGK 35.00").click()
    page.wait_for_url(re.compile(r".*/billing/sandbox/.*"))  # handed on from our waiting page
    page.get_by_role("button", name="Approve and pay").click()
    page.wait_for_url(re.compile(r".*/checkout/payment/.*"))
    assert page.locator("h1").inner_text() == "Paid. Welcome to Basic!"
    _shot(page, screenshots, "paid", viewport)

    page.goto(f"{live_server.url}/film/kokoda-dawn/")
    assert page.locator(".availability-main").inner_text() == "Included in Basic"
    page.locator("a.action-play").click()
    page.wait_for_url(re.compile(r".*/watch/kokoda-dawn/$"))
    page.locator(".player-start").click()
    _wait_for(page, "document.querySelector('video.player-video').currentTime > 0.5", seconds=40)
    _shot(page, screenshots, "playing", viewport)

    from accounts import selectors as account_selectors

    user = account_selectors.user_by_email(email=email)
    assert billing_selectors.subscription_active_for(user=user).plan.code == "basic"
    _close(context, page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_mobile_money_waiting_page_turns_into_access(chromium, live_server, screenshots, shelf, make_user, viewport):
    viewer = make_user("viewer", password=PASSWORD)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")  # one profile: chosen without asking
    if page.locator(".search-toggle").is_visible():  # a phone: the search box opens from the header's button
        page.locator(".search-toggle").click()
    page.fill("#site-search", "rent rivr")  # as you type, forgiving the typo on either database
    page.locator('.suggest-list a[href="/film/rent-river/"]').click()
    page.wait_for_url(re.compile(r".*/film/rent-river/$"))
    page.get_by_role("link", name="Rent PGK 15.00").click()
    page.wait_for_url(re.compile(r".*/checkout/offer/\d+/$"))
    page.get_by_label("CellMoni (Digicel mobile money)").check()
    page.fill("input[name=phone]", "+675 7000 0999")  # the sandbox wallet that waits for us
    _shot(page, screenshots, "offer", viewport)
    page.get_by_role("button", name="Pay PGK 15.00").click()
    page.wait_for_url(re.compile(r".*/checkout/payment/[0-9a-f-]+/$"))
    assert "Waiting for your payment" in page.locator("h1").inner_text()
    _shot(page, screenshots, "waiting", viewport)

    payment = billing_selectors.payments_of(user=viewer).first()
    billing_services.sandbox_resolve(payment_id=payment.pk, outcome="paid")  # the wallet's signed callback

    _wait_for(page, "document.querySelector('h1').innerText.includes('Enjoy the film')", seconds=20)
    _shot(page, screenshots, "waiting-paid", viewport)
    assert page.get_by_role("link", name=re.compile("Play")).is_visible()
    page.goto(f"{live_server.url}/film/rent-river/")
    assert page.locator(".availability-main").inner_text() == "Rented: yours to watch"
    _close(context, page)
