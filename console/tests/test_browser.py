"""Staff in headless Chromium, the console's whole round (issue 12): sign in -> the overview (its charts drawn) ->
pending actions -> the review page, where the preview player plays the film through the protected path with no
entitlement -> approve it -> reject another with a reason, which its creator then reads in the portal -> retry a
failed transcoding job from the jobs page -> suspend a viewer who is watching, whose stream then stops -> system
health, which counted the round's requests.
Screenshots in test-artifacts/screenshots/console-*.png."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.testing.films import window_open
from core.testing.media import make_clip
from core.testing.workers import publishing_to
from transcoding import services as transcoding_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-browser-pass-1"
VIDEO = "document.querySelector('video.player-video')"


def M(label):
    return apps.get_model(label)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WANS_COUNTRY_HEADER = ""  # the live server's requests are in the default territory (PG)
    settings.PLAYBACK_HEARTBEAT_SECONDS = 2  # a stopped stream is noticed within seconds


def _wait_for(page, expression: str, *, seconds: float) -> None:
    """Poll an expression through the DevTools protocol (the site's CSP forbids the eval wait_for_function uses)."""
    for _ in range(int(seconds * 4)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def _sign_in(chromium, live_server, user, *, then: str):
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{then}")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return context, page


def test_the_console_round_review_with_preview_reject_retry_and_suspend(
    chromium, live_server, screenshots, make_user, tmp_path
):
    call_command("seed_scale", scale=0.003, seed=5, stdout=StringIO())  # figures and charts with something in them
    staff = make_user("admin", email="staff@example.com", password=PASSWORD)
    creator = make_user("creator", email="maker@example.com", password=PASSWORD)
    viewer = make_user("viewer", email="watcher@example.com", password=PASSWORD)
    Film = M("catalog.Film")
    good = Film.objects.create(title="Bilum Stories", slug="bilum-stories", creator=creator, status="in_review",
                               synopsis="Weavers of the highlands.", runtime_minutes=14, release_year=2026)
    clip = make_clip(tmp_path / "bilum.mp4", width=640, height=360, seconds=4)
    job = transcoding_services.job_create(film=good, by=creator, source_path=str(clip), enqueue=False)
    job = transcoding_services.job_run(job_id=job.pk)
    assert job.state == "completed", job.error  # real, encrypted, playable media
    window_open(film=good, staff=staff, window_type="avod")  # free to watch once published
    weak = Film.objects.create(title="Harbour Lights", slug="harbour-lights", creator=creator, status="in_review")
    stuck = Film.objects.create(title="Sepik Tides", slug="sepik-tides", creator=creator, status="draft")
    failed = M("transcoding.Job").objects.create(
        film=stuck, created_by=creator, source_path=str(clip), state="failed", attempts=1, progress=0.4,
        error="ffmpeg exited with status 1: Invalid data found when processing input", finished_at=timezone.now())

    # The overview and the pending actions
    context, page = _sign_in(chromium, live_server, staff, then="/admin/")
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
    assert page.get_by_text(f"Job {failed.pk}: Sepik Tides").count() == 1

    # The review page: the preview plays through the protected path as a staff preview session
    requests = []
    page.on("response", lambda response: requests.append((response.status, response.url)))
    page.locator(f'a[href="/admin/console/review/{good.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/admin/console/review/{good.pk}/$"))
    page.screenshot(path=screenshots / "console-review.png", full_page=True)
    page.locator("#wans-player .player-start").click()
    _wait_for(page, f"{VIDEO}.currentTime > 1.5", seconds=40)
    page.screenshot(path=screenshots / "console-review-preview.png", full_page=True)
    session = M("playback.PlaybackSession").objects.get(user=staff)
    assert (session.film_id, session.via, session.window_id) == (good.pk, "staff", None)
    assert not M("billing.Entitlement").objects.filter(user=staff).exists()
    keys = [status for status, url in requests if "/api/drm/hls-key/" in url]
    segments = [status for status, url in requests if "/protected/" in url]
    assert keys and set(keys) == {200}
    assert segments and set(segments) == {200}
    page.locator("#approve").click()
    page.wait_for_url(re.compile(r".*/admin/console/review/$"))
    page.screenshot(path=screenshots / "console-approved.png", full_page=True)
    assert "Bilum Stories is published." in page.content()

    # Reject the other with a reason
    page.locator(f'a[href="/admin/console/review/{weak.pk}/"]').click()
    page.wait_for_url(re.compile(rf".*/admin/console/review/{weak.pk}/$"))
    assert page.locator("#wans-player").count() == 0  # no media: no player
    page.fill("#reason", "Please add a synopsis and a poster.")
    page.screenshot(path=screenshots / "console-reject.png", full_page=True)
    page.locator("#reject").click()
    page.wait_for_url(re.compile(r".*/admin/console/review/$"))
    page.screenshot(path=screenshots / "console-rejected.png", full_page=True)
    good.refresh_from_db()
    weak.refresh_from_db()
    assert (good.status, weak.status) == ("published", "draft")
    assert M("catalog.FilmTransition").objects.get(film=weak).note == "Please add a synopsis and a poster."

    # The creator reads the reason in the portal
    maker_context, maker = _sign_in(chromium, live_server, creator, then="/studio/films/")
    maker.wait_for_url(re.compile(r".*/studio/films/$"))
    reason = maker.locator(".studio-reason", has_text="Staff asked")
    maker.screenshot(path=screenshots / "console-creator-sees-reason.png", full_page=True)
    assert reason.count() == 1
    said = "Staff asked for changes: Please add a synopsis and a poster."
    assert reason.inner_text() == said
    maker.goto(f"{live_server.url}/studio/films/{weak.pk}/")  # and on the film's own page
    assert said in maker.locator(".message-error").inner_text()
    maker_context.close()

    # Retry the failed job from the jobs page: it goes back to the queue (a broker nothing consumes, so it waits)
    page.goto(f"{live_server.url}/admin/console/pending/")
    page.locator(f'a[href="/admin/console/jobs/?state=failed#job-{failed.pk}"]').click()
    page.wait_for_url(re.compile(r".*/admin/console/jobs/\?state=failed#job-\d+$"))
    row = page.locator(f"#job-{failed.pk}")
    assert "Invalid data found" in row.inner_text()
    page.screenshot(path=screenshots / "console-jobs-failed.png", full_page=True)
    with publishing_to("memory://"):
        row.get_by_role("button", name="Retry").click()
        page.wait_for_selector(".messagelist")
    assert f"Job {failed.pk} is queued again." in page.locator(".messagelist").inner_text()
    page.goto(f"{live_server.url}/admin/console/jobs/")
    assert "Queued" in page.locator(f"#job-{failed.pk}").inner_text()
    page.screenshot(path=screenshots / "console-job-retried.png", full_page=True)
    failed.refresh_from_db()
    assert (failed.state, failed.error) == ("queued", "")

    # A viewer watches the published film; staff suspend them; their stream stops
    watch_context, watch = _sign_in(chromium, live_server, viewer, then=f"/watch/{good.slug}/")
    watched = []
    watch.on("response", lambda response: watched.append((response.status, response.url)))
    watch.locator(".player-start").click()
    _wait_for(watch, f"{VIDEO}.currentTime > 0.5", seconds=40)
    watch.evaluate(f"{VIDEO}.loop = true")  # a 4 s film: still playing when the suspension lands
    _wait_for(watch, "window.wansPlayer.heartbeats >= 1", seconds=15)

    page.goto(f"{live_server.url}/admin/console/people/?q=watcher")
    page.get_by_role("link", name=re.compile("watcher@example.com")).click()
    assert page.locator("#streams").inner_text().startswith("Bilum Stories")
    page.fill("#suspend-reason", "Chargeback fraud, case 8812.")
    page.locator("#suspend").click()
    page.wait_for_selector(".messagelist")
    assert page.locator(".messagelist").inner_text() == (
        "Suspended watcher@example.com: 1 stream ended, every device signed out.")
    assert page.locator("#state").inner_text() == "suspended"
    page.screenshot(path=screenshots / "console-suspended.png", full_page=True)

    watch.wait_for_selector(".player-message:not([hidden])", timeout=15_000)
    watch.screenshot(path=screenshots / "console-viewer-stopped.png", full_page=True)
    assert watch.inner_text(".player-message-text") == (
        "You were signed out, so this film stopped. Sign in again to watch.")
    assert watch.evaluate("window.wansPlayer.ended") is True
    stopped_at = watch.evaluate(f"{VIDEO}.currentTime")
    watch.wait_for_timeout(1500)
    assert watch.evaluate(f"{VIDEO}.currentTime") == stopped_at  # the picture no longer moves
    assert watch.locator(".player-start").is_hidden()
    beats = [status for status, url in watched if url.endswith("/heartbeat")]
    assert beats[-1] == 401, watched  # the heartbeat after the suspension was refused: signed out
    watch.locator(".player-message-actions").get_by_role("link", name="Sign in").click()
    watch.fill("input[name=login]", viewer.email)
    watch.fill("input[name=password]", PASSWORD)
    watch.locator("form button[type=submit]").last.click()
    watch.wait_for_selector("#error-summary-title")
    assert "/accounts/login/" in watch.url  # a suspended account cannot sign in again
    watch.screenshot(path=screenshots / "console-viewer-refused.png", full_page=True)
    watch.screenshot(path=screenshots / "console-viewer-inactive.png", full_page=True)
    stream = M("playback.PlaybackSession").objects.get(user=viewer)
    assert stream.ended_at is not None
    viewer.refresh_from_db()
    assert viewer.is_active is False
    watch_context.close()

    # System health counts the round's requests: many, none of them a 5xx
    page.locator("#header a, .breadcrumbs a").first.click()
    page.locator(".console-nav").get_by_role("link", name="System health").click()
    page.wait_for_url(re.compile(r".*/admin/console/health/$"))
    page.screenshot(path=screenshots / "console-health.png", full_page=True)
    assert int(page.locator("#requests-total").inner_text()) > 30
    assert page.locator("#requests-5xx").inner_text() == "0"
    assert page.locator("#requests-5xx-rate").get_attribute("class") == "num console-status-green"
    context.close()

    # Every decision of the round is in the audit log, with who and why
    entries = M("auditlog.LogEntry").objects.filter(actor=staff).order_by("id")
    assert [(e.additional_data["action"], e.additional_data["why"]) for e in entries] == [
        ("film_approve", ""), ("film_reject", "Please add a synopsis and a poster."), ("job_retry", ""),
        ("user_suspend", "Chargeback fraud, case 8812."),
    ]
