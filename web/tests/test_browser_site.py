"""What a new viewer tripped on (issue 22), in headless Chromium at a phone and a desktop size, with screenshots:
the phone header, text contrast, My List and home rows by mouse and keyboard, form errors, and the hand-off to a
payment page on a port WANS_SITE_URL does not name."""

import re
from pathlib import Path

import pytest

from billing import selectors as billing_selectors
from billing import services as billing_services
from catalog import services as catalog_services
from web.tests.test_browser import _art

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1366, "height": 800}]
IDS = ["phone", "desktop"]
PASSWORD = "a-long-browser-pass-1"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WANS_SITE_URL = "http://127.0.0.1:8000"  # the default of another port: pages must not depend on it
    settings.WANS_COUNTRY_HEADER = ""


@pytest.fixture
def films(publish, creator):
    made = {}
    for n in range(9):
        title = f"Island Story {n}" if n else "The Very Long Title of a Film From the Highlands"
        film = publish(title, window="tvod" if n % 2 else "avod", genres=["Drama"], release_year=2025,
                       tagline="A story from Papua New Guinea.")
        catalog_services.film_image_set(film=film, by=creator, kind="poster",
                                        upload=_art(title, (390, 585), ("#0f4c5c", "#e36414")))
        made[title] = film
    featured = made["Island Story 1"]
    catalog_services.film_image_set(film=featured, by=creator, kind="backdrop",
                                    upload=_art("KEY ART WITH ITS OWN WORDS", (1280, 720), ("#f4f1de", "#ffffff")))
    catalog_services.film_update(film=featured, by=publish.staff, data={"featured": True})
    return made


def _page(chromium, viewport, live_server, user=None):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    if user is not None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/")
    return context, page


def _shot(page, screenshots, name, viewport):
    page.screenshot(path=screenshots / f"site-{name}-{viewport['width']}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name}: the page is {width}px wide"


# Every element with its own text: the colour against the first opaque background behind it (alpha blended), by
# WCAG's relative luminance; 4.5:1, or 3:1 for large text (24px, or 18.66px bold). Text over a photograph (the
# hero's and film page's backdrops) is measured against the scrim's colour, which is what it sits on.
CONTRAST = (Path(__file__).parent / "contrast.js").read_text().split("\n", 1)[1]  # after its comment line


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_every_text_meets_wcag_aa_contrast(chromium, live_server, screenshots, films, make_user, viewport):
    """Every text/background pair the stylesheet produces on the main pages (issue 22, item 5)."""
    viewer = make_user("viewer", password=PASSWORD)
    context, page = _page(chromium, viewport, live_server)
    failures = []
    for path in ["/", "/browse/", "/search/?q=island", f"/film/{films['Island Story 1'].slug}/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        failures += [f"{path} {line}" for line in page.evaluate(CONTRAST)]
    context.close()
    context, page = _page(chromium, viewport, live_server, viewer)
    for path in ["/", "/checkout/plans/", "/profiles/", "/my-list/", "/account/"]:
        page.goto(live_server.url + path)
        failures += [f"{path} {line}" for line in page.evaluate(CONTRAST)]
    _shot(page, screenshots, "account", viewport)
    context.close()

    assert failures == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_the_header_is_one_row_on_a_phone_with_a_menu_and_a_search_toggle(
    chromium, live_server, screenshots, films, viewport
):
    context, page = _page(chromium, viewport, live_server)
    page.goto(f"{live_server.url}/")
    height = page.locator(".site-header").bounding_box()["height"]
    _shot(page, screenshots, "home-guest", viewport)

    clipped = page.evaluate("""() => [...document.querySelectorAll('.badge-card, .card-title')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || (e.classList.contains('badge-card')
                     && e.scrollHeight > e.clientHeight + 1)).map(e => e.textContent.trim())""")
    assert clipped == []  # a card's badge and (two lines of) title are read whole on a phone too
    if viewport["width"] < 600:
        assert height <= 64
        assert not page.locator("#site-search").is_visible() and not page.locator(".site-nav").is_visible()
        page.locator(".search-toggle").click()
        assert page.evaluate("document.activeElement.id") == "site-search"
        page.keyboard.press("Escape")
        page.locator(".menu-toggle").click()
        assert page.get_by_role("link", name="Browse", exact=True).is_visible()
        assert page.locator(".account-nav").get_by_role("link", name="Join free").is_visible()
        _shot(page, screenshots, "menu-open", viewport)
    else:
        assert height <= 72
        assert page.locator("#site-search").is_visible() and not page.locator(".menu-toggle").is_visible()
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_my_list_toggles_in_place_and_keeps_the_scroll(chromium, live_server, screenshots, films, make_user, viewport):
    viewer = make_user("viewer", password=PASSWORD)
    context, page = _page(chromium, viewport, live_server, viewer)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    row = page.locator(".row").nth(1)
    button = row.locator(".list-toggle button").first
    button.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    page.wait_for_timeout(300)
    before = page.evaluate("window.scrollY")

    button.evaluate("b => b.click()")  # a tap where it is (Playwright's click would scroll first)

    page.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=button.element_handle())
    assert page.url == f"{live_server.url}/"
    assert page.evaluate("window.scrollY") == before
    assert not any("object%20HTMLInputElement" in url or "[object" in url for url in requests)
    assert any(re.search(r"/my-list/\d+/$", url) for url in requests)
    assert viewer.profiles.get().my_list_items.count() == 1
    context.close()


def test_home_rows_by_keyboard_one_tab_stop_per_card_and_arrow_keys(chromium, live_server, screenshots, films,
                                                                    make_user):
    viewport = VIEWPORTS[1]
    viewer = make_user("viewer", password=PASSWORD)
    context, page = _page(chromium, viewport, live_server, viewer)
    first_row = page.locator(".row").first
    scroller = first_row.locator(".row-scroller")
    assert first_row.locator("[data-row-next]").is_visible()  # ‹ › on a desktop where the row overflows
    first_row.locator("[data-row-next]").click()
    page.wait_for_function("s => s.scrollLeft > 100", arg=scroller.element_handle())
    _shot(page, screenshots, "rows-scrolled", viewport)
    links = first_row.locator(".card-link")
    links.first.focus()

    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.href") == links.nth(1).evaluate("a => a.href")
    page.keyboard.press("Tab")  # the card's own My List button
    assert page.evaluate("document.activeElement.closest('.list-toggle') !== null")
    page.keyboard.press("Tab")  # then the next card: two tab stops a card, nothing in between
    assert page.evaluate("document.activeElement.href") == links.nth(2).evaluate("a => a.href")
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.href") == links.last.evaluate("a => a.href")
    stops = page.evaluate("""r => [...r.querySelectorAll('a, button, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length""",
                          first_row.locator(".row-scroller").element_handle())
    assert stops == 2 * links.count()

    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_a_form_with_errors_shows_a_summary_at_the_top_with_the_focus(
    chromium, live_server, screenshots, films, make_user, viewport
):
    viewer = make_user("viewer", password=PASSWORD)
    context, page = _page(chromium, viewport, live_server, viewer)
    page.goto(f"{live_server.url}/checkout/plans/")
    page.get_by_label("CellMoni (Digicel mobile money)").check()
    page.fill("input[name=coupon]", "NOPE")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("[data-error-summary]").bounding_box()["y"] < page.locator("fieldset").first.bounding_box()["y"]
    assert "Mobile money needs the number" in page.locator("[data-error-summary]").inner_text()
    header = page.locator(".site-header").bounding_box()
    summary = page.locator("[data-error-summary]").bounding_box()
    assert summary["y"] >= header["y"] + header["height"] - 1  # in sight, not under the sticky header
    _shot(page, screenshots, "form-errors", viewport)
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_checkout_on_another_port_reaches_the_payment_page_or_says_it_did_not(
    chromium, live_server, screenshots, films, make_user, viewport
):
    """The live server's port is not WANS_SITE_URL's 8000: the sandbox page still opens (item 1); a payment page
    that never opens (here one that answers 204, so the browser stays put) is said, not silent."""
    viewer = make_user("viewer", password=PASSWORD)
    context, page = _page(chromium, viewport, live_server, viewer)
    window = films["Island Story 1"].windows.get()

    page.goto(f"{live_server.url}/checkout/offer/{window.pk}/")
    page.get_by_label("Sandbox (demo: no real money)").check()
    page.get_by_role("button", name=re.compile("Pay PGK")).click()
    page.wait_for_url(re.compile(r".*/billing/sandbox/[0-9a-f-]+/$"))
    assert page.url.startswith(live_server.url)
    _shot(page, screenshots, "sandbox", viewport)  # the sandbox badge fits the width too (item 21)
    page.get_by_role("button", name="Approve and pay").click()
    page.wait_for_url(re.compile(r".*/checkout/payment/.*"))
    assert page.locator("h1").inner_text() == "Paid. Enjoy the film!"

    other = films["Island Story 3"].windows.get()
    page.route(re.compile(r".*/billing/sandbox/.*"), lambda route: route.fulfill(status=204))
    page.goto(f"{live_server.url}/checkout/offer/{other.pk}/")
    page.get_by_label("Sandbox (demo: no real money)").check()
    page.get_by_role("button", name=re.compile("Pay PGK")).click()
    page.wait_for_selector("[data-handoff-error]:not([hidden])", timeout=15000)
    assert "The payment page did not open" in page.locator("[data-handoff-error]").inner_text()
    _shot(page, screenshots, "handoff-failed", viewport)
    page.get_by_role("button", name="Cancel payment").click()
    page.wait_for_url(re.compile(r".*/film/.*"))
    assert billing_selectors.payments_of(user=viewer).first().status == "expired"
    context.close()


def test_the_phone_search_page_has_one_search_box(chromium, live_server, screenshots, films):
    viewport = VIEWPORTS[0]
    context, page = _page(chromium, viewport, live_server)
    page.goto(f"{live_server.url}/search/?q=island")

    assert page.locator("input[type=search]").count() == 1
    assert page.locator(".search-toggle").count() == 0
    _shot(page, screenshots, "search", viewport)
    context.close()


# Every cell of the payments table: drawn (not zero width), inside the table's box, and its text not cut.
CELLS_CUT = """() => {
  const box = document.querySelector('.payments-table').closest('.table-wrap').getBoundingClientRect();
  return [...document.querySelectorAll('.payments-table td')].filter(td => {
    const r = td.getBoundingClientRect();
    return r.width === 0 || r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth
           || td.scrollWidth > td.clientWidth + 1;
  }).map(td => td.textContent.trim());
}"""


def test_the_account_pages_payments_fit_a_phone(chromium, live_server, screenshots, publish, make_user):
    """Issue 22, item 14: with payments on the account (a long film title among them), the payments table on a
    360 px phone is read whole: no sideways scroll of the page or of the table, every cell inside the screen."""
    viewer = make_user("viewer", password=PASSWORD)
    titles = ["The Very Long Title of a Film From the Highlands Beyond the Ranges", "Rent River", "Island Story"]
    for n, title in enumerate(titles):
        window = publish(title, window="tvod").windows.get()
        payment = billing_services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="sandbox",
                                                           territory="PG")
        if n < 2:
            billing_services.sandbox_resolve(payment_id=payment.pk, outcome="paid")  # the third stays pending
    viewport = VIEWPORTS[0]
    context, page = _page(chromium, viewport, live_server, viewer)
    page.goto(f"{live_server.url}/account/")

    assert page.locator(".payments-table tbody tr").count() == 3
    assert page.locator(".payments-table").get_by_text(titles[0]).is_visible()
    assert page.locator(".payments-table").get_by_text("PGK", exact=False).first.is_visible()
    _shot(page, screenshots, "account-payments", viewport)  # the page is no wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True
    assert page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.table-wrap'))") is True
    assert page.evaluate(CELLS_CUT) == []
    context.close()
