import pytest
from django.utils import timezone

from rights import demo, selectors
from rights.models import Window, WindowType

pytestmark = pytest.mark.django_db


def test_demo_covers_every_way_to_watch_in_png_and_runs_twice_with_one_effect(film, make_film):
    films = [film] + [make_film(f"Demo {n}") for n in range(9)]

    demo.seed()
    count = Window.objects.count()
    demo.seed()

    assert Window.objects.count() == count
    assert set(Window.objects.values_list("window_type", flat=True)) == set(WindowType.values)
    answers = selectors.availability_bulk(
        film_ids=[f.pk for f in films], territory="PG", at=timezone.now(), user=None
    ).values()
    ways = {a["access"]["via"] for a in answers} | {offer["kind"] for a in answers for offer in a["offers"]}
    assert {"free", "rent", "subscribe", "buy", "ticket"} <= ways
    assert any(a["in_cinemas_until"] for a in answers)
    assert any(not a["open_windows"] and a["next_window"] for a in answers)  # coming soon
    assert any(not a["open_windows"] and not a["next_window"] for a in answers)  # not in PNG at all
    ppv = next(o for a in answers for o in a["offers"] if o["window_type"] == "ppv")
    assert ppv["event_starts_at"] > timezone.now()
