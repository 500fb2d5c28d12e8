"""Production refuses payouts on the demo's settings: a simulated wallet, a wallet callback secret left empty, the
placeholder Connect webhook secret. A rail left out of PAYOUTS_RAILS_ENABLED is not checked."""

from django.core import checks

from payouts.checks import payout_rails_check


def test_production_refuses_simulated_wallets_and_missing_secrets(settings):
    settings.WANS_PRODUCTION = True
    assert sorted(error.id for error in payout_rails_check()) == [
        "payouts.E001", "payouts.E001", "payouts.E002", "payouts.E002", "payouts.E003"]
    assert all(error.is_serious() for error in payout_rails_check())


def test_production_passes_with_the_rails_set_up_or_left_out(settings):
    settings.WANS_PRODUCTION = True
    settings.PAYOUTS_PNG = {**settings.PAYOUTS_PNG, "digicel": {
        **settings.PAYOUTS_PNG["digicel"], "base_url": "https://disburse.cellmoni.example", "webhook_secret": "s3"}}
    settings.PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_endpoint"
    settings.PAYOUTS_RAILS_ENABLED = ["bank", "digicel", "stripe"]
    assert payout_rails_check() == []
    assert "payouts.E001" not in {m.id for m in checks.run_checks(tags=[checks.Tags.security])}


def test_nothing_is_said_outside_production(settings):
    assert settings.WANS_PRODUCTION is False
    assert payout_rails_check() == []
