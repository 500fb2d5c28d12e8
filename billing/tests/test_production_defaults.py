"""Production refuses the demo's unsafe defaults: a country header believed from anyone, the sandbox rail, published
or empty webhook secrets (issue 10, item 7)."""

import os
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core.checks import refuse_to_start_on_errors
from rights import selectors

ROOT = Path(__file__).resolve().parents[2]
SAFE_BILLING = {
    "BILLING_PROVIDERS_ENABLED": ["stripe", "bsp", "digicel", "vodafone", "bank"],
    "DJSTRIPE_WEBHOOK_SECRET": "whsec_live_endpoint_secret",
}
KEY_MASTER = "a-key-master-kept-outside-the-database-" + "z" * 20  # production's other start-up refusal


def _safe_rails(settings):
    settings.BILLING_PNG = {
        rail: {**config, "webhook_secret": f"{rail}-real-secret", "base_url": f"https://{rail}.example"}
        for rail, config in settings.BILLING_PNG.items()
    }
    _safe_payouts(settings)


def _safe_payouts(settings):
    """Payouts' own rails (payouts/checks.py, tested in payouts/tests/test_checks.py) set up for production."""
    settings.PAYOUTS_PNG = {
        rail: {**config, "webhook_secret": f"{rail}-payouts-secret", "base_url": f"https://payouts.{rail}.example"}
        for rail, config in settings.PAYOUTS_PNG.items()
    }
    settings.PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_endpoint_secret"


@pytest.mark.django_db
def test_outside_production_the_country_header_is_believed(rf, make_user):
    viewer = make_user("viewer")
    viewer.country = "PG"

    assert selectors.territory_for_request(request=rf.get("/", HTTP_CF_IPCOUNTRY="US"), user=viewer) == "US"


@pytest.mark.django_db
def test_in_production_the_country_header_counts_only_from_a_configured_proxy(rf, make_user, settings):
    settings.WANS_TRUST_COUNTRY_HEADER = False
    settings.WANS_COUNTRY_HEADER_PROXIES = [ip_network("10.0.0.0/8"), ip_network("2001:db8::/32")]
    viewer = make_user("viewer")
    viewer.country = "PG"

    def territory(remote_addr):
        request = rf.get("/", HTTP_CF_IPCOUNTRY="US", REMOTE_ADDR=remote_addr)
        return selectors.territory_for_request(request=request, user=viewer)

    assert territory("203.0.113.9") == "PG"  # a viewer's own header: ignored, the account's country stands
    assert territory("10.20.30.40") == "US"
    assert territory("2001:db8::1") == "US"
    assert territory("not-an-address") == "PG"
    settings.WANS_COUNTRY_HEADER_PROXIES = []
    assert territory("10.20.30.40") == "PG"
    settings.WANS_TRUST_COUNTRY_HEADER = True  # explicitly on: a CDN that is the only way in
    assert territory("203.0.113.9") == "US"


def _errors():
    return sorted(message.id for message in checks.run_checks(tags=[checks.Tags.security]) if message.is_serious())


def test_production_checks_refuse_the_sandbox_and_default_or_empty_secrets(settings):
    settings.WANS_PRODUCTION = True
    digicel = {**settings.BILLING_PNG["digicel"], "webhook_secret": ""}
    settings.BILLING_PNG = {**settings.BILLING_PNG, "digicel": digicel}
    _safe_payouts(settings)

    assert _errors() == ["billing.E001", "billing.E002", "billing.E002", "billing.E002",
                         "billing.E003", "billing.E003", "billing.E003", "billing.E004", "transcoding.E001"]
    with pytest.raises(ImproperlyConfigured, match="billing.E001"):
        refuse_to_start_on_errors()


def test_production_checks_pass_with_real_secrets_and_no_sandbox(settings):
    settings.WANS_PRODUCTION = True
    settings.TRANSCODING_KEY_MASTER = KEY_MASTER
    for name, value in SAFE_BILLING.items():
        setattr(settings, name, value)
    _safe_rails(settings)

    assert _errors() == []
    refuse_to_start_on_errors()


def test_a_rail_left_out_is_not_checked(settings):
    settings.WANS_PRODUCTION = True
    settings.TRANSCODING_KEY_MASTER = KEY_MASTER
    settings.BILLING_PROVIDERS_ENABLED = ["bank"]
    settings.PAYOUTS_RAILS_ENABLED = ["bank"]

    assert _errors() == []


def test_the_checks_say_nothing_outside_production(settings):
    assert settings.WANS_PRODUCTION is False
    assert _errors() == []


def _check_deploy(extra_env: dict) -> subprocess.CompletedProcess:
    # Production as deployed: none of the billing or platform settings of the test run, and not the async-safety
    # switch the browser tests' fixture sets for Playwright (check --deploy refuses it); the run's own folders stay.
    kept = {"WANS_VAR_DIR", "WANS_PROTECTED_ROOT"}
    dropped = ("BILLING_", "DJSTRIPE_", "PAYOUTS_", "WANS_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key in kept or not key.startswith(dropped)}
    env.update({"DJANGO_SETTINGS_MODULE": "wans.settings.production",
                "DJANGO_SECRET_KEY": "production-test-" + "k3Y9x" * 10, "DJANGO_ALLOWED_HOSTS": "wans.example",
                **extra_env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_on_the_production_settings_fails_on_the_defaults_and_passes_when_set():
    defaults = _check_deploy({})
    explicit = _check_deploy({
        "BILLING_PROVIDERS_ENABLED": "stripe,bsp,digicel,vodafone,bank",
        **{f"BILLING_{rail}_WEBHOOK_SECRET": f"{rail.lower()}-secret-from-the-rail" for rail in ("BSP", "DIGICEL",
                                                                                               "VODAFONE")},
        **{f"BILLING_{rail}_BASE_URL": f"https://{rail.lower()}.example" for rail in ("BSP", "DIGICEL", "VODAFONE")},
        "DJSTRIPE_WEBHOOK_SECRET": "whsec_from_the_stripe_dashboard",
        "TRANSCODING_KEY_MASTER": KEY_MASTER,
        **{f"PAYOUTS_{rail}_WEBHOOK_SECRET": f"{rail.lower()}-payouts-secret" for rail in ("DIGICEL", "VODAFONE")},
        **{f"PAYOUTS_{rail}_BASE_URL": f"https://payouts.{rail.lower()}.example" for rail in ("DIGICEL", "VODAFONE")},
        "PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET": "whsec_from_the_connect_endpoint",
    })

    assert defaults.returncode == 1
    for check_id in ("billing.E001", "billing.E002", "billing.E003", "billing.E004", "transcoding.E001",
                     "payouts.E001", "payouts.E002", "payouts.E003"):
        assert check_id in defaults.stderr
    assert explicit.returncode == 0, explicit.stderr
