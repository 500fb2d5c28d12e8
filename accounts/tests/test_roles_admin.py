import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from accounts import services
from accounts.models import CreatorProfile, Device, Profile, User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_role_groups_exist_with_their_permissions():
    admin = Group.objects.get(name="admin")

    assert set(Group.objects.values_list("name", flat=True)) >= {"viewer", "creator", "admin", "super admin"}
    assert admin.permissions.filter(codename="change_user").exists()
    assert not Group.objects.get(name="viewer").permissions.exists()


def test_one_migrate_gives_the_admin_role_the_permissions_of_apps_listed_after_accounts():
    from accounts.roles import ROLE_PERMISSIONS

    # The test database was made by one migrate: every listed permission, billing's and catalog's included, is held.
    wanted = set(ROLE_PERMISSIONS[Role.ADMIN])
    held = {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name="admin").permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert {p.split(".")[0] for p in wanted} >= {"billing", "catalog", "accounts"}
    assert held == wanted


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CREATOR])
def test_viewers_and_creators_cannot_reach_the_admin(role):
    user = UserFactory()
    services.user_set_role(user=user, role=role)
    client = _signed_in(user)

    for path in ("/admin/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login/" in response["Location"]


def test_admin_role_reaches_the_admin_and_user_list():
    user = UserFactory()
    services.user_set_role(user=user, role=Role.ADMIN)
    client = _signed_in(user)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/?q=example").status_code == 200
    assert client.get("/admin/accounts/user/?groups__id__exact=1&is_active__exact=1").status_code == 200


def test_admin_role_cannot_delete_users():
    staff = UserFactory()
    services.user_set_role(user=staff, role=Role.ADMIN)
    victim = UserFactory()
    client = _signed_in(staff)

    response = client.post(f"/admin/accounts/user/{victim.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=victim.pk).exists()


def test_creator_role_gets_a_creator_profile():
    user = UserFactory(display_name="Ples Pictures")

    services.user_set_role(user=user, role=Role.CREATOR)

    profile = CreatorProfile.objects.get(user=user)
    assert (profile.display_name, profile.slug) == ("Ples Pictures", "ples-pictures")
    assert [g.name for g in user.groups.all()] == ["creator"]


def test_admin_action_changes_role_and_locks():
    superuser = UserFactory()
    services.user_set_role(user=superuser, role=Role.SUPER_ADMIN)
    target = UserFactory()
    Device.objects.create(user=target, device_key="target-dev-1", name="Phone")
    client = _signed_in(superuser)

    client.post("/admin/accounts/user/", {"action": "make_creator", "_selected_action": [target.pk]})
    client.post("/admin/accounts/user/", {"action": "lock_accounts", "_selected_action": [target.pk]})

    target.refresh_from_db()
    assert [g.name for g in target.groups.all()] == ["creator"]
    assert target.is_active is False
    assert not Device.objects.filter(user=target, signed_out_at__isnull=True).exists()

    client.post("/admin/accounts/user/", {"action": "unlock_accounts", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.is_active is True


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo")
    first = (
        list(User.objects.order_by("email").values_list("email", "is_staff", "is_superuser", "password")),
        list(Profile.objects.order_by("id").values_list("user__email", "name", "is_kids", "maturity_limit")),
        list(Group.objects.order_by("name").values_list("name", "user__email")),
    )

    call_command("seed_demo")

    second = (
        list(User.objects.order_by("email").values_list("email", "is_staff", "is_superuser", "password")),
        list(Profile.objects.order_by("id").values_list("user__email", "name", "is_kids", "maturity_limit")),
        list(Group.objects.order_by("name").values_list("name", "user__email")),
    )
    assert first == second
    assert [e for e, *_ in first[0]] == ["admin@wans.demo", "creator@wans.demo", "finance@wans.demo",
                                         "viewer@wans.demo"]


def test_demo_logins_work_on_the_api():
    from rest_framework.test import APIClient

    from accounts.demo import DEMO_PASSWORD

    call_command("seed_demo")
    for email in ("viewer@wans.demo", "creator@wans.demo", "admin@wans.demo"):
        response = APIClient().post("/api/auth/login", {"email": email, "password": DEMO_PASSWORD}, format="json")
        assert response.status_code == 200, email
