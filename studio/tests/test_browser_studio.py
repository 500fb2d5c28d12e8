"""A filmmaker's journey through the creator portal in headless Chromium, with screenshots (issue 13): apply,
be approved, add a film, upload a short clip through the real Uppy widget (interrupted, then resumed after a page
reload from the parts the server has), watch the job finish, set windows with one overlap refused, send for review;
staff approve, a subscriber plays the film on the viewer site, the day is rolled up and the dashboard shows that view.
Then every portal page at a phone's width."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from billing import services as billing_services
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from playback import selectors as playback_selectors
from playback import services as playback_services
from rights import selectors as rights_selectors
from studio.tests.helpers import make_clip
from transcoding import selectors as transcoding_selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-browser-pass-1"
DESKTOP, PHONE = {"width": 1366, "height": 800}, {"width": 360, "height": 740}
PART = 16 * 1024


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WANS_COUNTRY_HEADER = ""
    settings.TRANSCODING_UPLOAD_PART_BYTES = PART  # a 2 s clip in several parts, so one can fail and resume


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clips") / "master.mp4", seconds=2)


def _login(chromium, viewport, live_server, user):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return context, page


def _shot(page, screenshots, name, viewport):
    page.screenshot(path=screenshots / f"studio-{name}-{viewport['width']}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name}: the page is {width}px wide"


def _wait(predicate, page, seconds=60):
    for _ in range(seconds * 4):
        if predicate():
            return
        page.wait_for_timeout(250)
    raise AssertionError("timed out")


def test_a_new_filmmaker_goes_from_applying_to_a_film_in_review(chromium, live_server, screenshots, make_user, clip):
    user = make_user("viewer", password=PASSWORD)
    staff = make_user("admin")
    context, page = _login(chromium, DESKTOP, live_server, user)

    # Apply
    page.goto(f"{live_server.url}/studio/")
    page.get_by_role("link", name="Become a creator").click()
    page.get_by_label("Name viewers see").fill("Wari Pictures")
    page.get_by_label("About you").fill("Films from Goroka.")
    page.get_by_label("Links").fill("https://wari.example")
    _shot(page, screenshots, "apply", DESKTOP)
    page.get_by_role("button", name="Apply").click()
    assert "waiting for staff" in page.locator(".studio-banner").inner_text()
    profile = accounts_selectors.creator_profile_for(user=user)
    accounts_services.creator_approve(profile=profile, by=staff)

    # A film
    page.goto(f"{live_server.url}/studio/films/new/")
    page.get_by_label("Title", exact=True).fill("Sepik River")
    page.get_by_label("Title in Tok Pisin").fill("Wara Sepik")
    page.get_by_label("Credits").fill("director: Jane Wari")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/upload/")
    film = catalog_selectors.films_of_creator(user=user).get()

    # Upload, interrupted: every part but the first fails (and is retried) until the page is reloaded
    page.route("**/api/upload/*/parts/*", lambda route: route.continue_() if route.request.url.endswith("/parts/1")
               else route.abort("internetdisconnected"))
    page.locator("#uppy input[type=file]").first.set_input_files(str(clip))
    with page.expect_response(lambda response: response.url.endswith("/parts/1") and response.ok):
        page.locator(".uppy-StatusBar-actionBtn--upload").click()
    page.wait_for_timeout(700)  # a failed part is being retried: the dashboard says so
    _shot(page, screenshots, "upload-interrupted", DESKTOP)
    assert transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk]) == {}
    page.reload()  # the network still fails until the page is gone: then it comes back
    page.unroute("**/api/upload/*/parts/*")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/api/upload/" in request.url else None)
    page.locator("#uppy input[type=file]").first.set_input_files(str(clip))
    page.locator(".uppy-StatusBar-actionBtn--upload").click()
    page.locator("#job[data-state=completed]").wait_for(timeout=180_000)
    parts = sorted(int(url.rsplit("/", 1)[1]) for url in sent if "/parts/" in url)
    part_count = -(-clip.stat().st_size // PART)
    assert parts == list(range(2, part_count + 1))  # resumed: part 1 was not sent again
    assert not any(url.endswith("/api/upload/url") for url in sent)  # the same upload, not a new one
    assert transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])[film.pk].state == "completed"
    assert page.locator("[data-job-stage]").inner_text() == "Ready to stream"
    _shot(page, screenshots, "upload-done", DESKTOP)

    # Windows: one added, one overlapping refused with the window named
    page.goto(f"{live_server.url}/studio/films/{film.pk}/windows/")
    page.get_by_label("Kind of window").select_option("svod")
    page.get_by_label("Where").first.fill("PG")
    page.get_by_label("Opens on").fill("2026-01-01")
    page.get_by_role("button", name="Add window").click()
    first = rights_selectors.windows_for_film(film_id=film.pk).get()
    page.get_by_label("Kind of window").select_option("svod")
    page.get_by_label("Where").first.fill("PACIFIC")
    page.get_by_label("Opens on").fill("2026-06-01")
    page.get_by_role("button", name="Add window").click()
    assert f"This overlaps SVOD window #{first.pk}" in page.locator(".error-summary").inner_text()
    assert rights_selectors.windows_for_film(film_id=film.pk).count() == 1
    _shot(page, screenshots, "windows-overlap", DESKTOP)

    # Send for review
    page.goto(f"{live_server.url}/studio/films/{film.pk}/")
    page.get_by_role("button", name="Send for review").click()
    assert "Sent for review" in page.locator(".messages").inner_text()
    film.refresh_from_db()
    assert film.status == "in_review"
    _shot(page, screenshots, "film-in-review", DESKTOP)

    # Staff approve (the transcoded master is its playable media); a subscriber in PG plays it on the viewer site
    film = catalog_services.film_approve(film=film, by=staff)
    assert film.status == "published"
    viewer = make_user("viewer", password=PASSWORD)
    billing_services.subscription_grant(user=viewer, plan_code="basic", by=staff, reason="browser journey")
    viewer_context, viewer_page = _login(chromium, DESKTOP, live_server, viewer)
    viewer_page.goto(f"{live_server.url}/watch/{film.slug}/")
    viewer_page.locator(".player-start").click()
    _wait(lambda: viewer_page.evaluate("document.querySelector('video.player-video').currentTime > 0.3"),
          viewer_page, seconds=40)
    _shot(viewer_page, screenshots, "viewer-plays", DESKTOP)
    viewer_context.close()
    assert playback_selectors.film_stats(film_id=film.pk)["views"] == 1

    # Tonight's roll-up, then the creator's dashboard for today shows that view
    today = timezone.now().date()
    assert playback_services.logs_rollup(today=today + timedelta(days=1)) == [today]
    page.goto(f"{live_server.url}/studio/dashboard/?start={today}&end={today}")
    assert page.locator('[data-figure="views"]').inner_text() == "1"
    assert page.locator('[data-figure="unique-viewers"]').inner_text() == "1"
    _shot(page, screenshots, "dashboard-first-view", DESKTOP)
    context.close()

    # Every page at a phone's width, without sideways scrolling
    context, page = _login(chromium, PHONE, live_server, user)
    for name, path in [("home", "/studio/"), ("films", "/studio/films/"), ("film", f"/studio/films/{film.pk}/"),
                       ("upload", f"/studio/films/{film.pk}/upload/"), ("windows", f"/studio/films/{film.pk}/windows/"),
                       ("team", "/studio/team/"), ("creator-page", "/creators/wari-pictures/")]:
        page.goto(live_server.url + path)
        _shot(page, screenshots, name, PHONE)
    context.close()


def test_a_file_that_is_not_a_film_fails_in_plain_words_with_retry(chromium, live_server, screenshots, make_user,
                                                                   tmp_path):
    user = make_user("creator", password=PASSWORD, display_name="Kina Films")
    film = catalog_services.film_create(creator=user, data={"title": "Broken Master"})
    junk = tmp_path / "broken.mp4"
    junk.write_bytes(b"\0" * 40_000)  # a name that says video, bytes that are not
    context, page = _login(chromium, PHONE, live_server, user)
    page.goto(f"{live_server.url}/studio/films/{film.pk}/upload/")
    page.locator("#uppy input[type=file]").first.set_input_files(str(junk))
    page.locator(".uppy-StatusBar-actionBtn--upload").click()
    page.locator("#job[data-state=failed]").wait_for(timeout=60_000)
    reason = page.locator("[data-job-error-text]").inner_text()
    job = transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])[film.pk]
    assert reason == job.error != ""
    assert page.locator("[data-job-retry]").get_by_role("button", name="Retry").is_visible()
    _shot(page, screenshots, "upload-failed", PHONE)
    context.close()


def test_the_upload_status_bar_fits_a_phone(chromium, live_server, screenshots, make_user, clip):
    """While parts go (and one is retried), Uppy's status bar at 360 px shows its progress, speed and time left
    and its buttons inside the screen, none squeezed over another."""
    user = make_user("creator", password=PASSWORD, display_name="Kina Films")
    film = catalog_services.film_create(creator=user, data={"title": "Phone Upload"})
    context, page = _login(chromium, PHONE, live_server, user)
    page.goto(f"{live_server.url}/studio/films/{film.pk}/upload/")
    page.route("**/api/upload/*/parts/*", lambda route: route.continue_() if route.request.url.endswith("/parts/1")
               else route.abort("internetdisconnected"))
    page.locator("#uppy input[type=file]").first.set_input_files(str(clip))
    with page.expect_response(lambda response: response.url.endswith("/parts/1") and response.ok):
        page.locator(".uppy-StatusBar-actionBtn--upload").click()
    page.wait_for_timeout(700)
    _shot(page, screenshots, "upload-progress", PHONE)
    bar = page.locator(".uppy-StatusBar").bounding_box()
    assert bar["x"] >= 0 and bar["x"] + bar["width"] <= PHONE["width"]
    boxes = [page.locator(selector).bounding_box() for selector in
             (".uppy-StatusBar-content", ".uppy-StatusBar-actions") if page.locator(selector).count()]
    for box in boxes:
        assert box["x"] >= bar["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"] + 0.5
    if len(boxes) == 2:  # side by side or stacked, never over each other
        content, actions = boxes
        beside = content["x"] + content["width"] <= actions["x"] + 0.5
        assert beside or content["y"] + content["height"] <= actions["y"] + 0.5
    context.close()
