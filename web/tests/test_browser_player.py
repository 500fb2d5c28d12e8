"""The player as a viewer uses it (issue 22, item 7), in headless Chromium at a phone and a desktop size: focus
moves to Pause after Play, keyboard shortcuts, controls that rest while playing (and sit under the picture on a
phone), quality named by the short side, plain words instead of "Protected stream"."""

import re

import pytest

from web.tests.test_browser import _site, _wait_for, media_for, shelf  # noqa: F401  (fixtures: a transcoded film)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1366, "height": 800}]
PASSWORD = "a-long-browser-pass-1"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_the_player_by_keyboard_with_its_controls_out_of_the_way(
    chromium, live_server, screenshots, shelf, media_for, make_user, viewport  # noqa: F811
):
    media_for(shelf["Free Reef"])
    viewer = make_user("viewer", password=PASSWORD)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/watch/free-reef/")
    page.locator(".player-start").click()
    _wait_for(page, "document.querySelector('video.player-video').currentTime > 0.3", seconds=40)
    page.evaluate("document.querySelector('video.player-video').loop = true")

    assert page.evaluate("document.activeElement.classList.contains('player-toggle')")  # focus went to Pause
    assert page.locator(".player-toggle").get_attribute("aria-label") == "Pause"
    assert "Protected stream" not in page.locator(".player-status").inner_text()
    labels = page.locator(".player-quality option").all_inner_texts()
    assert labels[0] == "Auto" and all(re.fullmatch(r"\d{3,4}p", label) for label in labels[1:])
    assert max(int(label[:-1]) for label in labels[1:]) <= 720  # a 640x360 source: nothing above its short side

    page.locator("body").press("k")
    _wait_for(page, "document.querySelector('video.player-video').paused", seconds=5)
    assert page.locator(".player-toggle").get_attribute("aria-label") == "Play"
    page.locator("body").press("m")
    assert page.evaluate("document.querySelector('video.player-video').muted") is True
    page.locator("body").press("k")
    _wait_for(page, "!document.querySelector('video.player-video').paused", seconds=5)

    video = page.locator("video.player-video").bounding_box()
    bar = page.locator(".player-controls").bounding_box()
    if viewport["width"] < 600:
        assert bar["y"] >= video["y"] + video["height"] - 1  # under the picture, never over it
    else:
        page.mouse.move(video["x"] + 50, video["y"] + 50)
        page.locator("body").press("Escape")  # leave the focus where no control holds the bar up
        page.evaluate("document.activeElement.blur()")
        _wait_for(page, "document.querySelector('.player-frame').classList.contains('controls-idle')", seconds=8)
        assert "controls-idle" in page.locator(".player-frame").get_attribute("class")
        page.mouse.move(video["x"] + 80, video["y"] + 80)
        assert "controls-idle" not in page.locator(".player-frame").get_attribute("class")
    page.screenshot(path=screenshots / f"player-{viewport['width']}.png", full_page=True)
    context.close()


def test_a_portrait_rendition_is_named_by_its_short_side(chromium, live_server, publish, make_user):
    """The quality menu's labels come from the player's qualityLabel (hls.js levels and shaka tracks alike): a
    portrait clip's 720x1280 rung is 720p, as a 720p plan limit means it, never 1280p."""
    film = publish("Tall Story", window="avod")
    viewer = make_user("viewer", password=PASSWORD)
    context = chromium.new_context(viewport=VIEWPORTS[0])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", viewer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/watch/{film.slug}/")

    label = "level => window.wansPlayer.qualityLabel(level)"
    assert page.evaluate(label, {"width": 720, "height": 1280}) == "720p"
    assert page.evaluate(label, {"width": 1280, "height": 720}) == "720p"
    assert page.evaluate(label, {"width": 1080, "height": 1920}) == "1080p"
    assert page.evaluate(label, {"height": 480}) == "480p"  # a level without its width: the height it has
    context.close()
