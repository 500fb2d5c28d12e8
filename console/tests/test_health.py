"""System health: every dependency with its latency and a colour, workers per queue, beat, disk, programs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from console import health

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
    assert client.get("/admin/console/health/").status_code == 403
