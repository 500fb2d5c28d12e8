"""The watch page in headless Chromium: sign in, play an encrypted film for a few seconds; the time advances, the
AES-128 key was fetched from the session's key endpoint, and a heartbeat reached the server."""

import pytest

from playback.models import EventKind, PlaybackEvent

PASSWORD = "correct-horse-battery-9"  # noqa: S105  (make_user's test password)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_subscriber_plays_an_encrypted_film_with_heartbeats(
    chromium, screenshots, live_server, settings, viewer, film, svod, media, subscribe
):
    settings.PLAYBACK_HEARTBEAT_SECONDS = 2
    subscribe(viewer, "standard")
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval, which our CSP forbids
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    requests = []
    page.on("response", lambda response: requests.append((response.status, response.url)))
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/watch/{film.slug}/")
    page.click(".player-start")

    page.wait_for_function("document.querySelector('.player-video').currentTime > 2.5", timeout=30_000)
    page.wait_for_function("window.wansPlayer.heartbeats >= 1", timeout=15_000)
    page.screenshot(path=str(screenshots / "playback-watch.png"))

    keys = [(status, url) for status, url in requests if "/api/drm/hls-key/" in url]
    assert keys and all(status == 200 for status, _ in keys), requests
    segments = [status for status, url in requests if "/protected/" in url]
    assert segments and set(segments) == {200}
    assert PlaybackEvent.objects.filter(kind=EventKind.HEARTBEAT, session__user=viewer).exists()
    qualities = page.eval_on_selector_all("#player-quality option", "options => options.map(o => o.textContent)")
    assert qualities == ["Auto", "720p", "480p", "360p", "240p"]
    # (the browser's own favicon probe may 404: that is the site's, not the player's)
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
    ours = [url for status, url in requests if status >= 400 and ("/api/" in url or "/protected/" in url)]
    assert ours == []
    # the scrub bar shows the trickplay tile for where the pointer is
    box = page.locator(".player-seek").bounding_box()
    before = page.evaluate("() => window.wansPlayer.tokens.media")  # renewed by the heartbeats since the start
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    page.wait_for_selector(".player-trick:not([hidden])")
    background = page.eval_on_selector(".player-trick-image", "e => e.style.backgroundImage")
    after = page.evaluate("() => window.wansPlayer.tokens.media")
    assert "/protected/" in background
    page.screenshot(path=str(screenshots / "playback-trickplay.png"))
    # the player applies the newest media token to what it fetches, not the one the VTT track was served with
    sprites = next(scope for scope in before if scope.endswith("/sprites/"))
    applied = background.split("?t=", 1)[1].split('"', 1)[0]
    assert applied in (before[sprites], after[sprites])

    # the CENC DASH with shaka-player and the ClearKey license endpoint (the standard plan has a second stream)
    requests.clear()
    page.goto(f"{live_server.url}/watch/{film.slug}/?engine=dash")
    page.click(".player-start")
    page.wait_for_function("document.querySelector('.player-video').readyState >= 2", timeout=30_000)
    page.evaluate("() => { document.querySelector('.player-video').currentTime = 0; }")  # not the resume point
    page.wait_for_function("document.querySelector('.player-video').currentTime > 1.5", timeout=30_000)
    licenses = [(status, url) for status, url in requests if "/api/drm/clearkey/" in url]
    assert licenses and all(status == 200 for status, _ in licenses), requests
    page.screenshot(path=str(screenshots / "playback-dash-clearkey.png"))
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_viewer_without_access_is_shown_the_way_to_get_it_instead_of_play(
    chromium, screenshots, live_server, viewer, film, svod, media
):
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/watch/{film.slug}/")
    page.click(".player-start")

    page.wait_for_selector(".player-message:not([hidden])")
    assert page.inner_text(".player-message-text") == "To watch this film, choose one of these:"
    assert page.locator(".player-message-actions a").all_inner_texts() == ["Subscribe"]
    assert page.locator(".player-start").is_hidden()  # nothing to press but the way forward
    page.screenshot(path=str(screenshots / "playback-refused-360.png"))
    assert not PlaybackEvent.objects.filter(session__user=viewer).exists()
    context.close()
