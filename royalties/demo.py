"""Royalties' demo: creator@wans.demo's first published film is shared with a second payee (a producer without an
account, 30% of every model from the start of its year of sales), and every month up to last month is closed as the
beat's close would (allocated, stated, chained), so the portal's Statements and the admin's statements and chain
check show a year of real figures from the demo's sales (studio.demo_figures). Runs after billing's and studio's
seeders; a second run adds nothing (the rule set exists, closed months stay closed)."""

from datetime import timedelta

from django.utils import timezone

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from royalties import selectors, services
from royalties.models import SplitRuleSet

PRODUCER = "Sepik River Productions"
PRODUCER_EMAIL = "producer@wans.demo"


def seed() -> list[str]:
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    if creator is None:
        return ["royalties: no creator@wans.demo, no statements"]
    film = catalog_selectors.films_of_creator(user=creator).filter(status="published").order_by("id").first()
    if film is None:
        return ["royalties: creator@wans.demo has no published film"]
    said = []
    if not SplitRuleSet.objects.filter(film_id=film.pk).exists():
        own = services.payee_for_user(user=creator)
        producer = services.payee_create(name=PRODUCER, email=PRODUCER_EMAIL, country="PG", currency="PGK")
        start = (timezone.now() - timedelta(days=400)).date().replace(day=1)
        services.split_rule_set_create(
            film_id=film.pk, shares=[(own.pk, 7000), (producer.pk, 3000)], valid_from=start,
            note="demo: the producer's 30%",
        )
        said.append(f"{film.title} split 70:30 with {PRODUCER}")
    closed = services.statements_close_due(after_hours=0)  # last month too, even in the 1st's first hours
    said.append(f"closed {len(closed)} months ({closed[0]} to {closed[-1]})" if closed else "no month to close")
    report = selectors.chains_verify()
    said.append(f"{report.statements} statements in {report.payees} chains, {'verified' if report.ok else 'BROKEN'}")
    return ["royalties: " + "; ".join(said)]
