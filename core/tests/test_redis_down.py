"""/readyz names the dependency that is down (issue 25, item 4)."""

import pytest
from django.test import Client

from core.testing.redis import point_at_dead_redis

pytestmark = pytest.mark.django_db


def test_readyz_says_the_cache_and_broker_are_down_and_the_database_is_not(settings):
    point_at_dead_redis(settings)

    answer = Client().get("/readyz")

    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "cache": False, "broker": False, "storage": True
    }
    assert body["down"] == ["cache", "broker"]
    assert "6390" in body["checks"]["cache"]["error"]
