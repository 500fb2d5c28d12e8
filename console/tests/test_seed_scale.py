"""seed_scale at a small scale: the figures, the ledger's balance, determinism and idempotence."""

from io import StringIO

import pytest
from django.core.management import call_command

from billing import selectors as billing_selectors
from console.scale import DOMAIN, figures_for

pytestmark = pytest.mark.django_db

SCALE = 0.004


def _seed(seed: int = 7) -> str:
    out = StringIO()
    call_command("seed_scale", scale=SCALE, seed=seed, stdout=out)
    return out.getvalue()


def _counts():
    from django.apps import apps

    def n(label, **filters):
        return apps.get_model(label).objects.filter(**filters).count()

    return {
        "users": n("accounts.User", email__endswith=f"@{DOMAIN}"),
        "films": n("catalog.Film", slug__startswith="scale-"),
        "live subscriptions": n("billing.Subscription", status__in=["trialing", "active"]),
        "sessions": n("playback.PlaybackSession"),
        "payments": n("billing.Payment"),
        "ledger transactions": n("billing.LedgerTransaction"),
        "job states": set(apps.get_model("transcoding.Job").objects.values_list("state", flat=True)),
    }


def test_seed_scale_writes_the_seeds_figures_times_the_scale():
    figures = figures_for(SCALE)
    output = _seed()
    counts = _counts()
    assert figures == {"users": 184, "films": 5, "subscriptions": 50, "sessions": 625, "usd_minor": 93_800,
                       "creators": 1, "live_sessions": 1, "rentals": 12}
    assert counts["users"] == 184
    assert counts["films"] == 5
    assert counts["live subscriptions"] == 50
    assert counts["sessions"] == 625
    assert counts["ledger transactions"] == counts["payments"]
    assert counts["job states"] == {"queued", "probing", "transcoding", "packaging", "uploading", "completed",
                                    "failed", "cancelled"}
    assert "seed_scale took" in output


def test_the_ledger_balances_after_seed_scale():
    _seed()
    from django.apps import apps
    from django.db.models import Sum

    assert billing_selectors.ledger_unbalanced() == []
    entries = apps.get_model("billing.LedgerEntry").objects
    assert entries.count() >= 3 * apps.get_model("billing.LedgerTransaction").objects.count()
    by_currency = dict(entries.values_list("currency").annotate(total=Sum("amount_minor")))
    assert set(by_currency.values()) == {0}


def test_seed_scale_paid_about_the_seeds_year_of_payments():
    from django.apps import apps

    _seed()
    rates = {r.currency: r.rate for r in apps.get_model("billing.ExchangeRate").objects.all()}
    paid = sum(int(rates[p.currency] * p.amount_minor) for p in apps.get_model("billing.Payment").objects.all())
    # Within a month's payment of one subscriber of the figure (the budget is filled whole payments at a time).
    assert 93_800 - 2_000 <= paid <= 93_800 + 2_000


def test_seed_scale_is_idempotent():
    _seed()
    before = _counts()
    output = _seed()
    assert _counts() == before
    assert "already seeded (184 users" in output


def test_seed_scale_is_deterministic_for_a_seed():
    from django.apps import apps

    def snapshot():
        Payment = apps.get_model("billing.Payment")
        return (
            list(apps.get_model("accounts.User").objects.order_by("email").values_list("email", "display_name",
                                                                                        "country")),
            sorted(Payment.objects.values_list("reference", "currency", "amount_minor", "provider")),
            sorted(str(u) for u in apps.get_model("playback.PlaybackSession").objects.values_list("id", flat=True)),
        )

    _seed(seed=11)
    first = snapshot()
    for label in ["playback.PlaybackSession", "billing.LedgerEntry", "billing.LedgerTransaction",
                  "billing.Entitlement", "billing.Payment", "billing.Subscription", "billing.LedgerAccount",
                  "playback.PlaybackDaily", "playback.RolledDay"]:
        apps.get_model(label).objects.all().delete()
    for label in ["transcoding.Job", "rights.Window", "catalog.Film", "accounts.User"]:
        apps.get_model(label).objects.all().delete()
    _seed(seed=11)
    assert snapshot() == first
