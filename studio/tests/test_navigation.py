"""The portal's navigation by role: the figure pages (dashboard, revenue, a film's analytics) are reached from the
studio's own navigation and from each film's tabs by who reads figures (the creator, an analyst), and not shown to
an editor; every studio page, the figure pages included, carries the studio's navigation and stylesheet."""

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from studio.tests.helpers import approved_creator, film_of

pytestmark = pytest.mark.django_db


def _mate(make_user, creator, role):
    mate = make_user("viewer", email=f"{role}@example.com")
    accounts_services.team_invite(creator=creator, by=creator, email=mate.email, role=role)
    return mate


def test_the_creator_reaches_the_figures_from_the_studio_nav_and_the_films_tabs(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    dashboard = client.get(reverse("studio:dashboard")).content.decode()
    assert "css/studio.css" in dashboard and "css/studio-figures.css" in dashboard
    assert f'<a href="{reverse("studio:dashboard")}" aria-current="page">Figures</a>' in dashboard
    analytics_url = reverse("studio:film-analytics", args=[film.pk])
    details = client.get(reverse("studio:film-edit", args=[film.pk])).content.decode()
    assert f'<a href="{analytics_url}">Analytics</a>' in details
    analytics = client.get(analytics_url).content.decode()
    assert f'<a href="{analytics_url}" aria-current="page">Analytics</a>' in analytics
    assert f'<a href="{reverse("studio:film-windows", args=[film.pk])}">Windows and prices</a>' in analytics


def test_an_analyst_reaches_a_films_analytics_from_the_list_and_sees_no_edit_tabs(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(_mate(make_user, creator, "analyst"))
    films = client.get(reverse("studio:films")).content.decode()
    analytics_url = reverse("studio:film-analytics", args=[film.pk])
    assert f'href="{analytics_url}" class="studio-film-title"' in films
    assert reverse("studio:dashboard") in films and reverse("studio:team") not in films
    analytics = client.get(analytics_url).content.decode()
    assert reverse("studio:film-edit", args=[film.pk]) not in analytics


def test_an_editor_is_not_shown_the_figures(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(_mate(make_user, creator, "editor"))
    page = client.get(reverse("studio:film-edit", args=[film.pk])).content.decode()
    assert reverse("studio:dashboard") not in page
    assert reverse("studio:film-analytics", args=[film.pk]) not in page
    assert client.get(reverse("studio:dashboard")).status_code == 403
