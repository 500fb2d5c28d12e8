"""Rights' own test data; users, published films and windows come from core.testing (the root's plugin)."""

from datetime import UTC, datetime

from django.apps import apps

T0 = datetime(2027, 1, 1, tzinfo=UTC)
TVOD = {"PGK": 1500, "USD": 499}


def window_model():
    return apps.get_model("rights", "Window")
