"""People: search, a person's page, suspend (no sign-in, streams end, devices and so tokens signed out),
reactivate, sign out everywhere; who may."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

pytestmark = pytest.mark.django_db


def M(label):
    return apps.get_model(label)


@pytest.fixture
def viewer(make_user, settings):
    # The session below is written as a row: the database store is the one that reads it (on Redis the live slots
    # would be in Redis, which only a real session start fills).
    settings.PLAYBACK_SESSION_STORE = "db"
    user = make_user("viewer", email="kila@example.com", display_name="Kila Tau")
    M("accounts.Device").objects.create(user=user, device_key="phone", name="Phone", kind="mobile")
    film = M("catalog.Film").objects.create(title="Reef", slug="reef", creator=make_user("creator"),
                                            status="published")
    now = timezone.now()
    M("playback.PlaybackSession").objects.create(user=user, film=film, top_height=720, started_at=now,
                                                 expires_at=now + timedelta(hours=1), last_heartbeat_at=now)
    return user


def test_search_and_the_persons_page(client, make_user, viewer):
    client.force_login(make_user("admin"))
    found = client.get("/admin/console/people/?q=KILA").content.decode()
    assert f'href="/admin/console/people/{viewer.pk}/"' in found
    assert "Nobody matches." in client.get("/admin/console/people/?q=nobody-here").content.decode()
    page = client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    assert "role: viewer" in page and "Reef" in page and "Phone" in page


def test_suspend_ends_streams_signs_out_devices_and_refuses_sign_in(client, make_user, viewer):
    from django.test import Client

    theirs = Client()
    theirs.force_login(viewer)
    assert theirs.get("/account/").status_code == 200
    client.force_login(make_user("admin"))
    assert client.post(f"/admin/console/people/{viewer.pk}/", {"action": "suspend"}).status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active is False
    assert M("playback.PlaybackSession").objects.get(user=viewer).end_reason == "ended_by_viewer"
    assert not M("accounts.Device").objects.filter(user=viewer, signed_out_at__isnull=True).exists()
    assert theirs.get("/account/").status_code == 302  # their site session is over
    assert client.post(f"/admin/console/people/{viewer.pk}/", {"action": "reactivate"}).status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active is True


def test_sign_out_everywhere_keeps_the_account(client, make_user, viewer):
    client.force_login(make_user("admin"))
    client.post(f"/admin/console/people/{viewer.pk}/", {"action": "sign_out"})
    viewer.refresh_from_db()
    assert viewer.is_active is True
    assert not M("accounts.Device").objects.filter(user=viewer, signed_out_at__isnull=True).exists()


def test_staff_cannot_suspend_themselves(client, make_user):
    staff = make_user("admin")
    client.force_login(staff)
    client.post(f"/admin/console/people/{staff.pk}/", {"action": "suspend"})
    staff.refresh_from_db()
    assert staff.is_active is True


def test_staff_without_the_permission_neither_see_nor_act(client, make_user, viewer):
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/console/people/?q=kila").status_code == 403
    assert client.post(f"/admin/console/people/{viewer.pk}/", {"action": "suspend"}).status_code == 403
    viewer.refresh_from_db()
    assert viewer.is_active is True
    assert M("playback.PlaybackSession").objects.get(user=viewer).ended_at is None


def test_every_staff_action_is_in_the_audit_log_with_who_what_before_after_and_why(client, make_user, viewer):
    from auditlog.models import LogEntry

    staff = make_user("admin")
    client.force_login(staff)
    client.post(f"/admin/console/people/{viewer.pk}/", {"action": "suspend", "reason": "chargeback fraud"})
    film = M("catalog.Film").objects.create(title="Sepik", slug="sepik", creator=viewer, status="in_review")
    client.post(f"/admin/console/review/{film.pk}/", {"action": "reject", "reason": "No sound."})
    client.post(f"/admin/console/people/{viewer.pk}/", {"action": "nonsense"})  # refused: not recorded
    entries = list(LogEntry.objects.order_by("id"))
    assert [(e.actor, e.additional_data["action"], e.changes_dict, e.additional_data["why"]) for e in entries] == [
        (staff, "user_suspend", {"is_active": ["True", "False"]}, "chargeback fraud"),
        (staff, "film_reject", {"status": ["in_review", "draft"]}, "No sound."),
    ]
    assert entries[0].object_pk == str(viewer.pk)
    listing = client.get("/admin/auditlog/logentry/")
    assert listing.status_code == 200


def test_a_complimentary_grant_is_made_by_billing_and_audited(client, make_user, viewer):
    from auditlog.models import LogEntry

    staff = make_user("admin")
    client.force_login(staff)
    assert 'id="grant"' in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    response = client.post(f"/admin/console/people/{viewer.pk}/",
                           {"action": "grant", "plan": "standard", "interval": "month", "reason": "press"})
    assert response.status_code == 302
    payment = M("billing.Payment").objects.get(user=viewer)
    assert (payment.provider, payment.amount_minor, payment.status) == ("staff", 0, "paid")
    assert M("billing.Subscription").objects.get(user=viewer).grant_reason == "press"
    assert M("billing.LedgerTransaction").objects.get(payment=payment).kind == "grant"
    entry = LogEntry.objects.get()
    assert (entry.actor, entry.additional_data, entry.changes_dict) == (
        staff, {"action": "user_grant", "why": "press"},
        {"grant": ["", f"plan standard, payment {payment.reference}"]})


def test_a_grant_without_a_reason_says_so_and_grants_nothing(client, make_user, viewer):
    from auditlog.models import LogEntry

    client.force_login(make_user("admin"))
    response = client.post(f"/admin/console/people/{viewer.pk}/", {"action": "grant", "plan": "basic",
                                                                     "reason": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["reason: Say why the subscription is granted."]
    response = client.post(f"/admin/console/people/{viewer.pk}/", {"action": "grant", "window": "x1",
                                                                     "reason": "r"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["window: give the window's number."]
    assert not M("billing.Payment").objects.exists() and not LogEntry.objects.exists()


def test_staff_without_the_grant_permission_neither_see_nor_grant(client, make_user, viewer):
    from django.contrib.auth.models import Permission

    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="manage_people"))
    client.force_login(staff)
    assert 'id="grant"' not in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    response = client.post(f"/admin/console/people/{viewer.pk}/",
                           {"action": "grant", "plan": "basic", "reason": "press"})
    assert response.status_code == 403
    assert not M("billing.Subscription").objects.filter(user=viewer).exists()


def test_export_downloads_the_persons_data_as_json_and_is_audited(client, make_user, viewer):
    import json

    from auditlog.models import LogEntry

    staff = make_user("admin")
    M("accounts.Profile").objects.filter(user=viewer).delete()
    M("accounts.Profile").objects.create(user=viewer, name="Kila")
    from billing import services as billing_services

    payment = billing_services.complimentary_grant(user=viewer, by=staff, reason="press", plan_code="basic")
    client.force_login(staff)
    assert 'id="export"' in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    response = client.get(f"/admin/console/people/{viewer.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="wans-user-{viewer.pk}.json"'
    data = json.loads(response.content)
    assert sorted(data) == ["account", "devices", "entitlements", "exported_at", "payments", "profiles",
                            "sessions", "subscriptions"]
    assert (data["account"]["email"], data["account"]["display_name"]) == ("kila@example.com", "Kila Tau")
    assert [p["name"] for p in data["profiles"]] == ["Kila"]
    assert [d["name"] for d in data["devices"]] == ["Phone"]
    assert [(s["plan__code"], s["provider"]) for s in data["subscriptions"]] == [("basic", "staff")]
    assert [(p["reference"], p["amount_minor"]) for p in data["payments"]] == [(payment.reference, 0)]
    assert [e["kind"] for e in data["entitlements"]] == ["subscription"]
    assert [s["film_id"] for s in data["sessions"]] == [M("catalog.Film").objects.get(slug="reef").pk]
    assert "password" not in response.content.decode()
    assert LogEntry.objects.get(additional_data__action="user_export").actor == staff


def test_staff_without_the_export_permission_neither_see_nor_download(client, make_user, viewer):
    from django.contrib.auth.models import Permission

    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="manage_people"))
    client.force_login(staff)
    assert 'id="export"' not in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    assert client.get(f"/admin/console/people/{viewer.pk}/export/").status_code == 403


def test_erase_anonymises_the_person_keeps_payments_and_ledger_and_refuses_sign_in(client, make_user, viewer):
    from auditlog.models import LogEntry

    from billing import services as billing_services

    boss = make_user("super admin")
    M("accounts.Profile").objects.filter(user=viewer).delete()
    M("accounts.Profile").objects.create(user=viewer, name="Kila")
    payment = billing_services.complimentary_grant(user=viewer, by=boss, reason="press", plan_code="basic")
    M("billing.Payment").objects.filter(pk=payment.pk).update(phone="+67570000000")
    client.force_login(boss)
    assert 'id="erase"' in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    url = f"/admin/console/people/{viewer.pk}/"
    client.post(url, {"action": "erase", "confirm": "someone@else.com", "reason": "GDPR-17"})  # wrong email
    viewer.refresh_from_db()
    assert viewer.email == "kila@example.com" and viewer.is_active is True
    client.post(url, {"action": "erase", "confirm": "KILA@example.com", "reason": "GDPR-17"})
    viewer.refresh_from_db()
    assert (viewer.email, viewer.display_name, viewer.is_active, viewer.has_usable_password()) == (
        f"erased-{viewer.pk}@erased.invalid", "", False, False)
    assert list(M("accounts.Profile").objects.filter(user=viewer).values_list("name", flat=True)) == ["Profile 1"]
    assert list(M("accounts.Device").objects.filter(user=viewer).values_list("name", "user_agent")) == [
        ("erased", "")]
    assert not M("account.EmailAddress").objects.filter(user=viewer).exists()
    session = M("playback.PlaybackSession").objects.get(user=viewer)
    assert (session.device_name, session.ended_at is not None) == ("", True)
    payment.refresh_from_db()
    assert (payment.user_id, payment.phone, payment.amount_minor) == (viewer.pk, "", 0)
    assert M("billing.LedgerTransaction").objects.filter(payment=payment).count() == 1
    assert viewer.check_password("correct-horse-battery-9") is False
    entry = LogEntry.objects.get(additional_data__action="user_erase")
    assert (entry.actor, entry.changes_dict, entry.additional_data["why"]) == (
        boss, {"erased": ["False", "True"]}, "GDPR-17")
    assert "kila" not in str(list(LogEntry.objects.values_list("object_repr", "changes")))


def test_an_admin_without_the_erase_permission_neither_sees_nor_erases(client, make_user, viewer):
    client.force_login(make_user("admin"))
    assert 'id="erase"' not in client.get(f"/admin/console/people/{viewer.pk}/").content.decode()
    response = client.post(f"/admin/console/people/{viewer.pk}/",
                           {"action": "erase", "confirm": "kila@example.com", "reason": "x"})
    assert response.status_code == 403
    viewer.refresh_from_db()
    assert (viewer.email, viewer.is_active) == ("kila@example.com", True)
