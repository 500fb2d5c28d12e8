"""Staff in headless Chromium: sign in -> the overview (its charts drawn) -> pending actions -> approve a film ->
reject another with a reason. Screenshots in test-artifacts/screenshots/console-*.png."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from core.testing.films import media_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-browser-pass-1"


def M(label):
    return apps.get_model(label)


def test_staff_review_films_from_the_console(chromium, live_server, screenshots, make_user):
    call_command("seed_scale", scale=0.003, seed=5, stdout=StringIO())  # figures and charts with something in them
    staff = make_user("admin", email="staff@example.com", password=PASSWORD)
    creator = make_user("creator")
    Film = M("catalog.Film")
    good = Film.objects.create(title="Bilum Stories", slug="bilum-stories", creator=creator, status="in_review",
                               synopsis="Weavers of the highlands.", runtime_minutes=14, release_year=2026)
    media_rows(good)  # a film is published only with playable media
    weak = Film.objects.create(title="Harbour Lights", slug="harbour-lights", creator=creator, status="in_review")
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.wait_for_selector(".console-chart canvas")
    page.screenshot(path=screenshots / "console-overview.png", full_page=True)
    assert page.locator(".console-chart canvas").count() == 4
    assert page.locator("#users-total").inner_text() == str(M("accounts.User").objects.count())
    assert page.locator("#pending-films").inner_text() == "3"  # the two here and seed_scale's

    page.locator(".console-nav").get_by_role("link", name="Pending actions").click()
    page.wait_for_url(re.compile(r".*/admin/console/pending/$"))
    page.screenshot(path=screenshots / "console-pending.png", full_page=True)
    assert page.locator("#count-films").inner_text() == "3"

    page.locator(f'a[href="/admin/console/review/{good.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/admin/console/review/{good.pk}/$"))
    page.screenshot(path=screenshots / "console-review.png", full_page=True)
    page.locator("#approve").click()
    page.wait_for_url(re.compile(r".*/admin/console/review/$"))
    page.screenshot(path=screenshots / "console-approved.png", full_page=True)
    assert "Bilum Stories is published." in page.content()

    page.locator(f'a[href="/admin/console/review/{weak.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/admin/console/review/{weak.pk}/$"))
    page.fill("#reason", "Please add a synopsis and a poster.")
    page.screenshot(path=screenshots / "console-reject.png", full_page=True)
    page.locator("#reject").click()
    page.wait_for_url(re.compile(r".*/admin/console/review/$"))
    page.screenshot(path=screenshots / "console-rejected.png", full_page=True)

    good.refresh_from_db()
    weak.refresh_from_db()
    assert (good.status, weak.status) == ("published", "draft")
    assert M("catalog.FilmTransition").objects.get(film=weak).note == "Please add a synopsis and a poster."
    context.close()
