"""seed_demo's royalties: creator@wans.demo's first film shared with a second payee, every month up to last month
closed from the demo's year of sales, the chains verified; a second run adds nothing."""

import pytest
from django.core.management import call_command

from accounts import selectors as account_selectors
from royalties import selectors
from royalties.demo import PRODUCER, seed
from royalties.models import SplitRuleSet, Statement, StatementRun
from royalties.tests.conftest import month

pytestmark = pytest.mark.django_db


def test_the_demo_closes_last_months_statements_with_a_second_payee(client):
    call_command("seed_demo")
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    own = selectors.payee_for_user_get(user_id=creator.pk)
    rule_set = SplitRuleSet.objects.get()
    assert sorted((share.payee.name, share.share_bps) for share in rule_set.shares.all()) == sorted(
        [(own.name, 7000), (PRODUCER, 3000)])
    assert StatementRun.objects.order_by("-period").first().period == month(1)
    last = {s.payee.name: s for s in Statement.objects.filter(period=month(1), currency="PGK")}
    assert set(last) == {own.name, PRODUCER}
    assert last[own.name].closing_minor == selectors.payee_balances(payee=own)["PGK"] > 0
    assert {row["film_id"] for row in last[PRODUCER].lines["earnings"]} == {rule_set.film_id}
    assert selectors.chains_verify().ok
    runs, statements = StatementRun.objects.count(), Statement.objects.count()
    assert seed()[0].endswith("verified") and (StatementRun.objects.count(), Statement.objects.count()) == (
        runs, statements)
    client.force_login(creator)
    page = client.get("/studio/revenue/statements/")
    assert page.status_code == 200 and len(page.context["rows"]) == statements - Statement.objects.exclude(
        payee=own).count()
