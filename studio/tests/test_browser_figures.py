"""The creator's dashboard and a film's analytics in headless Chromium at a phone and a desktop size: the charts
are drawn (uPlot canvases), the tables behind them are there, nothing is wider than the screen, every text meets
WCAG AA contrast, and screenshots are kept in test-artifacts/screenshots/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from studio.tests.test_figures_pages import _buy, _film, _load, _rollups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1366, "height": 800}]
PASSWORD = "a-long-browser-pass-1"
CONTRAST = (Path(__file__).resolve().parents[2] / "web" / "tests" / "contrast.js").read_text().split("\n", 1)[1]


@pytest.fixture
def figures_world(make_user):
    staff = make_user("admin")
    creator = make_user("creator", password=PASSWORD)
    films = [
        _film(creator, staff, title, window="tvod")
        for title in ("Kokoda Dawn", "Sepik River Songs", "The Crocodile Prince")
    ]
    today = timezone.now().date()
    parts = []
    for offset in range(1, 31):
        day = today - timedelta(days=offset)
        for rank, film in enumerate(films):
            starts = 2 + (offset * 7 + rank * 3) % 9
            parts.append(
                _rollups(
                    film,
                    day,
                    starts=starts,
                    watched=starts * 1500.0,
                    viewers=[100 + offset, 200 + rank],
                    territory="PG" if offset % 4 else "AU",
                    device="mobile" if offset % 3 else "tv",
                    minutes=[(m, max(1, starts - m // 4)) for m in range(40)],
                )
            )
    _load(*parts)
    for n in range(6):
        _buy(make_user(), films[n % 3], timezone.now() - timedelta(days=1 + n * 4))
    return creator, films


def _signed_in(chromium, live_server, viewport, user):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_the_dashboard_and_a_films_analytics_draw_their_charts(
    chromium, live_server, screenshots, figures_world, viewport
):
    creator, films = figures_world
    context, page = _signed_in(chromium, live_server, viewport, creator)
    for name, path, charts in (
        ("dashboard", "/studio/dashboard/?period=30", 2),
        ("analytics", f"/studio/films/{films[0].pk}/analytics/?period=30", 2),
    ):
        page.goto(live_server.url + path)
        page.wait_for_selector(".chart[data-drawn] canvas")
        assert page.locator(".chart[data-drawn] canvas").count() == charts
        for box in page.locator(".chart canvas").all():
            assert box.bounding_box()["width"] >= 250
        assert page.locator("table").count() >= 4  # a table behind each chart, and the breakdowns
        page.screenshot(path=screenshots / f"studio-{name}-{viewport['width']}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name}: the page is {width}px wide"
        assert page.evaluate(CONTRAST) == [], name
    views = page.locator('[data-figure="views"]').inner_text()
    assert int(views) > 0
    context.close()
