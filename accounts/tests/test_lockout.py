import pytest
from rest_framework.throttling import ScopedRateThrottle

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _attempt(api, email, password, ip="198.51.100.1"):
    return api.post("/api/auth/login", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip)


def test_account_locks_after_five_failures_even_from_other_ips(api, user):
    statuses = [_attempt(api, user.email, "wrong-password", ip=f"198.51.100.{n + 1}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]  # the fifth failure locks

    response = _attempt(api, user.email, PASSWORD, ip="198.51.100.99")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"


def test_ip_locks_after_five_failures_across_accounts(api):
    victims = [UserFactory() for _ in range(5)]
    bystander = UserFactory()
    statuses = [_attempt(api, victim.email, "wrong-password", ip="203.0.113.50").status_code for victim in victims]
    assert statuses == [401, 401, 401, 401, 429]

    assert _attempt(api, bystander.email, PASSWORD, ip="203.0.113.50").status_code == 429
    assert _attempt(api, bystander.email, PASSWORD, ip="203.0.113.51").status_code == 200


def test_lockout_message_does_not_reveal_whether_the_account_exists(api, user):
    for _ in range(5):
        _attempt(api, user.email, "wrong-password", ip="192.0.2.1")
        _attempt(api, "ghost@example.com", "wrong-password", ip="192.0.2.2")

    real = _attempt(api, user.email, "wrong-password", ip="192.0.2.3")
    ghost = _attempt(api, "ghost@example.com", "wrong-password", ip="192.0.2.4")

    assert real.status_code == ghost.status_code == 429
    assert real.json() == ghost.json()


def test_admin_unlock_clears_the_lockout(api, user):
    from accounts import services

    for _ in range(5):
        _attempt(api, user.email, "wrong-password", ip="192.0.2.10")
    assert _attempt(api, user.email, PASSWORD, ip="192.0.2.11").status_code == 429

    services.user_unlock(user=user)

    assert _attempt(api, user.email, PASSWORD, ip="192.0.2.12").status_code == 200


def test_auth_endpoints_are_rate_limited(api, user, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    for _ in range(3):
        assert _attempt(api, user.email, PASSWORD).status_code == 200

    response = _attempt(api, user.email, PASSWORD)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
