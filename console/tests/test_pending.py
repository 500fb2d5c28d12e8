"""Pending actions: each list from the owning app, each row linking to where it is acted on; who may see it."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from console import selectors

pytestmark = pytest.mark.django_db


def M(label):
    return apps.get_model(label)


@pytest.fixture
def waiting(make_user):
    now = timezone.now()
    creator = make_user("creator")
    review = M("catalog.Film").objects.create(title="In Review", slug="in-review", creator=creator,
                                              status="in_review")
    done = M("catalog.Film").objects.create(title="Done", slug="done", creator=creator, status="published")
    Job = M("transcoding.Job")
    failed = Job.objects.create(film=review, source_path="/x", state="failed", error="moov atom not found")
    Job.objects.create(film=done, source_path="/x", state="failed", error="old")
    Job.objects.create(film=done, source_path="/x", state="completed")  # later: the old failure is resolved
    stalled = Job.objects.create(film=done, source_path="/x", state="transcoding",
                                 heartbeat_at=now - timedelta(minutes=10))
    Job.objects.create(film=done, source_path="/x", state="transcoding", heartbeat_at=now)
    Pay = M("billing.Payment")
    viewer = make_user("viewer")
    transfer = Pay.objects.create(user=viewer, purpose="subscription", provider="bank", currency="PGK",
                                  subtotal_minor=3500, amount_minor=3500, expires_at=now + timedelta(hours=70))
    stuck = Pay.objects.create(user=viewer, purpose="subscription", provider="digicel", currency="PGK",
                               subtotal_minor=3500, amount_minor=3500, expires_at=now - timedelta(minutes=5))
    Pay.objects.create(user=viewer, purpose="subscription", provider="digicel", currency="PGK",
                       subtotal_minor=3500, amount_minor=3500, expires_at=now + timedelta(minutes=5))
    M("axes.AccessAttempt").objects.create(username="locked@example.com", ip_address="10.0.0.1", user_agent="t",
                                           failures_since_start=5, get_data="", post_data="", http_accept="",
                                           path_info="/accounts/login/")
    return {"review": review, "failed": failed, "stalled": stalled, "transfer": transfer, "stuck": stuck}


def test_pending_lists_hold_exactly_what_waits(waiting):
    lists = selectors.pending_querysets(now=timezone.now())
    assert list(lists["films"]) == [waiting["review"]]
    assert list(lists["jobs"]) == [waiting["failed"], waiting["stalled"]]
    assert list(lists["transfers"]) == [waiting["transfer"]]
    assert list(lists["stuck"]) == [waiting["stuck"]]
    assert lists["refunds"] == []
    assert [a.username for a in lists["lockouts"]] == ["locked@example.com"]
    counts = {row["key"]: row["count"] for row in selectors.pending_counts(now=timezone.now())}
    assert counts == {"films": 1, "jobs": 2, "transfers": 1, "stuck": 1, "refunds": 0, "lockouts": 1,
                      "payout_runs": 0}


def test_the_pending_page_links_each_row_to_where_it_is_acted_on(client, make_user, waiting):
    client.force_login(make_user("admin"))
    html = client.get("/admin/console/pending/").content.decode()
    assert f'href="/admin/console/review/{waiting["review"].pk}/"' in html
    assert f'href="/admin/console/jobs/?state=failed#job-{waiting["failed"].pk}"' in html
    assert f'href="/admin/console/jobs/?state={waiting["stalled"].state}#job-{waiting["stalled"].pk}"' in html
    assert 'href="/admin/billing/payment/reconcile/"' in html
    assert f'href="/admin/billing/payment/{waiting["stuck"].pk}/change/"' in html
    assert "/admin/axes/accessattempt/" in html
    assert 'id="count-jobs">2<' in html


def test_the_overview_counts_the_pending_lists(client, make_user, waiting):
    cache.clear()
    client.force_login(make_user("admin"))
    html = client.get("/admin/").content.decode()
    assert 'id="pending-films">1<' in html
    assert 'id="pending-transfers">1<' in html


def test_staff_without_the_permission_can_not_open_pending(client, make_user, waiting):
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/console/pending/").status_code == 403


def test_seed_demo_leaves_something_in_each_pending_list(settings, tmp_path):
    for dotted in ["accounts.demo.seed", "billing.demo.seed", "console.demo.seed"]:
        import_string(dotted)()
    again = import_string("console.demo.seed")()  # idempotent
    counts = {row["key"]: row["count"] for row in selectors.pending_counts(now=timezone.now())}
    assert counts["films"] == 1
    assert counts["jobs"] == 1
    assert counts["transfers"] == 1
    job = M("transcoding.Job").objects.get()
    assert job.state == "failed" and job.error
    assert len(again) == 3
