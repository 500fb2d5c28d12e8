"""Billing asks royalties a film's rights holders' share (billing.shares, BILLING_FILM_SHARE_PROVIDER): a film's
own rule from royalties, the default otherwise, or the default alone with billing's own answerer; and the films'
rules moved from billing to royalties by migration, their rows with them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from billing import selectors as billing_selectors
from royalties import services
from royalties.models import RoyaltyRule
from royalties.tests.conftest import at, month


@pytest.mark.django_db
def test_a_films_rule_sets_its_rights_holders_share_of_the_net(film, make_window, shop, creator, settings):
    services.royalty_rule_set(film_id=film.pk, holders_bps=8000)
    window = make_window("tvod")
    shop.sell(window, at=at(month(1)), fee=38)  # 80% of 1462 = 1169.6
    code = f"creator:{creator.pk}"
    assert billing_selectors.account_balances_at(codes=[code]) == {(code, "PGK"): -1170}
    settings.BILLING_FILM_SHARE_PROVIDER = "billing.shares.DefaultFilmShare"  # the setting alone: 70%
    shop.sell(window, at=at(month(1), 11), fee=38)
    assert billing_selectors.account_balances_at(codes=[code]) == {(code, "PGK"): -1170 - 1023}
    services.royalty_rule_set(film_id=film.pk, holders_bps=None)
    assert not RoyaltyRule.objects.exists()
    with pytest.raises(Exception) as refused:
        services.royalty_rule_set(film_id=film.pk, holders_bps=10001)
    assert refused.value.fields == {"holders_bps": ["Between 0 and 10000 basis points (0% to 100%)."]}


@pytest.mark.django_db(transaction=True)
def test_the_films_rules_move_from_billing_to_royalties_with_their_rows(film):
    before = [("billing", "0009_payment_territory"), ("royalties", "0001_initial")]
    after = [("billing", "0010_royaltyrule_moved_to_royalties"), ("royalties", "0003_statement_guard_split_no_overlap")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("billing", "RoyaltyRule")
    old.objects.create(film_id=film.pk, creator_percent=85)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert list(RoyaltyRule.objects.values_list("film_id", "holders_bps")) == [(film.pk, 8500)]
