"""seed_demo's figures for creator@wans.demo: a year of views and sales, the same on the same day, added once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import selectors as account_selectors
from billing import selectors as billing_selectors
from catalog import selectors as catalog_selectors
from playback import selectors as playback_selectors
from studio.demo_figures import figures_seed

pytestmark = pytest.mark.django_db


def _figures(creator):
    today = timezone.now().date()
    film_ids = list(catalog_selectors.films_of_creator(user=creator).values_list("id", flat=True))
    views = playback_selectors.creator_playback_figures(film_ids=film_ids, start=today - timedelta(days=365), end=today)
    earned = billing_selectors.revenue_for_creator(user=creator, group_by=("currency", "model"))
    return views, earned


def test_the_demo_creator_has_a_year_of_views_and_sales(client):
    call_command("seed_demo")
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    views, earned = _figures(creator)
    assert views["views"] > 10_000 and views["unique_viewers"] > 1000 and 0 < views["completion_rate"] < 1
    assert {row["day"] for row in views["daily"] if row["views"]} == {row["day"] for row in views["daily"]}
    assert {(r["currency"], r["model"]) for r in earned} >= {("PGK", "tvod"), ("USD", "tvod"), ("PGK", "svod")}
    assert figures_seed()[0].endswith("nothing added")
    assert _figures(creator) == (views, earned)
    client.force_login(creator)
    response = client.get("/studio/dashboard/?period=90")
    assert response.status_code == 200 and response.context["figures"]["views"] > 1000
