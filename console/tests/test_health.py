"""System health: every dependency with its latency and a colour, workers per queue, beat, disk, programs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from console import health
from core import request_stats

pytestmark = pytest.mark.django_db


def test_health_checks_each_dependency_and_says_why(client, make_user):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=60, period="seconds")
    PeriodicTask.objects.create(name="fresh", task="x", interval=every, last_run_at=timezone.now())
    PeriodicTask.objects.create(name="late", task="y", interval=every,
                                last_run_at=timezone.now() - timedelta(minutes=10))
    PeriodicTask.objects.create(name="never", task="z", interval=every)
    checks = {(c.group, c.name): c for c in health.system_health(now=timezone.now())}
    assert checks[("Dependencies", "database")].status in {"green", "amber"}
    assert checks[("Dependencies", "database")].detail.endswith(" ms")
    assert {name for group, name in checks if group == "Celery workers"} == {"default", "billing", "transcoding"}
    assert checks[("Celery workers", "transcoding")].status == "red"  # no worker runs during the tests
    assert checks[("Beat", "fresh")].status == "green"
    assert checks[("Beat", "late")].status == "red"
    assert checks[("Beat", "never")].status == "red"
    assert checks[("Programs", "ffmpeg")].status == "green"
    assert {name for group, name in checks if group == "Disk"} == {"media", "uploads", "transcode work"}
    client.force_login(make_user("admin"))
    html = client.get("/admin/console/health/").content.decode()
    assert "green under 100 ms" in html
    assert 'id="worst">red<' in html


def test_staff_without_the_permission_do_not_see_health(client, make_user):
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    request_stats.request_record(method="GET", path="/secret/", status=500, duration_ms=1, at=timezone.now())
    answer = client.get("/admin/console/health/")
    assert answer.status_code == 403
    assert "/secret/" not in answer.content.decode()


def _requests(now, *, total: int, errors: int, slow: int) -> None:
    """`total` requests five minutes ago: the first `errors` answered 500, the next `slow` took 1.5 s."""
    for n in range(total):
        status = 500 if n < errors else 200
        ms = 1500.0 if errors <= n < errors + slow else 12.0
        request_stats.request_record(method="GET", path=f"/films/{n}/", status=status, duration_ms=ms,
                                     at=now - timedelta(minutes=5, seconds=n % 30))


def test_the_last_hours_5xx_and_slow_requests_with_their_colours(client, make_user, settings):
    settings.WANS_SLOW_REQUEST_MS = 1000
    now = timezone.now()
    _requests(now, total=200, errors=3, slow=45)  # 1.5% of 5xx: amber (1% to 5%); 22.5% slow: red (20% and over)

    rows = {c.name: c for c in health.requests(request_stats.request_stats(now=now))}
    assert rows["5xx in the last 60 min"].status == "amber"
    assert rows["5xx in the last 60 min"].detail.startswith("3 of 200 (1.50%)")
    assert rows["slower than 1000 ms in the last 60 min"].status == "red"
    assert rows["slower than 1000 ms in the last 60 min"].detail.startswith("45 of 200 (22.50%)")

    client.force_login(make_user("admin"))
    html = client.get("/admin/console/health/").content.decode()
    assert '<td class="num" id="requests-total">200</td>' in html
    assert '<td class="num" id="requests-5xx">3</td>' in html
    assert '<td class="num console-status-amber" id="requests-5xx-rate">1.50%</td>' in html
    assert '<td class="num" id="requests-slow">45</td>' in html
    assert '<td class="num console-status-red" id="requests-slow-rate">22.50%</td>' in html
    assert "green under 1%, amber from 1%, red from 5%" in html
    assert "slower than 1000 ms: green under 5%, amber from 5%, red from 20%" in html
    assert html.count("<code>/films/") == 20  # the latest offenders, as many as are kept
    assert "<code>/films/47/</code>" in html  # the last slow one (request 47 of the 200)

    settings.WANS_HEALTH_5XX_RED_PERCENT = 1  # the thresholds are settings
    settings.WANS_HEALTH_SLOW_RED_PERCENT = 25
    again = client.get("/admin/console/health/").content.decode()
    assert '<td class="num console-status-red" id="requests-5xx-rate">' in again
    assert '<td class="num console-status-amber" id="requests-slow-rate">' in again
    assert '<td class="num" id="requests-total">201</td>' in again  # the first page view is counted now


def test_a_quiet_hour_is_green_and_says_so(client, make_user):
    client.force_login(make_user("admin"))
    html = client.get("/admin/console/health/").content.decode()
    assert '<td class="num" id="requests-total">0</td>' in html
    assert '<td class="num console-status-green" id="requests-5xx-rate">—</td>' in html
    assert '<p id="offenders">None in the last hour.</p>' in html


def test_share_colours_at_their_edges():
    status = health._share_status
    assert [status(0, 0, amber=1, red=5), status(0, 100, amber=1, red=5), status(1, 101, amber=1, red=5),
            status(1, 100, amber=1, red=5), status(4, 100, amber=1, red=5), status(5, 100, amber=1, red=5)] == [
        "green", "green", "green", "amber", "amber", "red"]
