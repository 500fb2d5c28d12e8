"""The staff's daily digest of pending actions (issue 15): to each active staff member who may see the pending list,
once a day, and only when something waits."""

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from console.digest import staff_digest_send
from core.testing.notices import notices
from notifications import selectors as notification_selectors

pytestmark = pytest.mark.django_db


def test_the_digest_lists_what_waits_once_a_day(make_user, django_capture_on_commit_callbacks):
    admin, viewer = make_user("admin"), make_user("viewer")
    creator = make_user("creator")
    apps.get_model("catalog.Film").objects.create(title="In Review", slug="in-review", creator=creator,
                                                  status="in_review")
    now = timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digest_send(now=now) == 1
    assert staff_digest_send(now=now) == 0
    assert notices(admin, "staff_digest") == {("staff_digest", "email"): "sent"}
    assert notices(viewer, "staff_digest") == {}
    [email] = mail.outbox
    assert email.subject == "1 thing waits for staff"
    assert "Films awaiting review: 1" in email.body
    row = notification_selectors.notifications_of(user=admin, event="staff_digest").get()
    assert row.url == "http://127.0.0.1:8000/admin/"


def test_no_digest_when_nothing_waits(make_user):
    admin = make_user("admin")
    assert staff_digest_send() == 0
    assert notices(admin, "staff_digest") == {}
