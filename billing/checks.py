"""System checks that keep production from running on the demo's payment settings. They report under `manage.py
check` (and `check --deploy`) only when WANS_PRODUCTION is on (wans.settings.production), and wans.wsgi refuses to
serve while one fails: with the published sandbox secrets anyone could sign "paid" for their own pending payment."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from billing.providers.registry import PNG_LIVE_RAIL_CODES

PNG_RAILS = PNG_LIVE_RAIL_CODES
SANDBOX_SECRET = "{rail}-sandbox-webhook-secret"  # base.py's published default for each rail
STRIPE_PLACEHOLDER_SECRET = "whsec_wans_local_not_a_real_secret"


@register(Tags.security)
def payment_rails_check(app_configs=None, **kwargs) -> list[Error]:
    if not settings.WANS_PRODUCTION:
        return []
    enabled = set(settings.BILLING_PROVIDERS_ENABLED)
    errors = []
    if "sandbox" in enabled:
        errors.append(Error(
            "The sandbox payment method is enabled: it confirms payments without taking money.",
            hint="Leave 'sandbox' out of BILLING_PROVIDERS_ENABLED.", id="billing.E001",
        ))
    for rail in PNG_RAILS:
        if rail not in enabled:
            continue
        config = settings.BILLING_PNG[rail]
        secret = config["webhook_secret"]
        if not secret or secret == SANDBOX_SECRET.format(rail=rail):
            errors.append(Error(
                f"The {rail} rail is enabled with {'an empty' if not secret else 'the published sandbox'} webhook "
                "secret: anyone can sign its callbacks.",
                hint=f"Set BILLING_{rail.upper()}_WEBHOOK_SECRET to the secret the rail signs with, or drop "
                     f"'{rail}' from BILLING_PROVIDERS_ENABLED.", id="billing.E002",
            ))
        if not config["base_url"]:
            errors.append(Error(
                f"The {rail} rail is enabled without a base URL, so the sandbox simulates it.",
                hint=f"Set BILLING_{rail.upper()}_BASE_URL, or drop '{rail}' from BILLING_PROVIDERS_ENABLED.",
                id="billing.E003",
            ))
    if "stripe" in enabled and settings.DJSTRIPE_WEBHOOK_SECRET in ("", STRIPE_PLACEHOLDER_SECRET):
        errors.append(Error(
            "Stripe is enabled with an empty or placeholder webhook secret.",
            hint="Set DJSTRIPE_WEBHOOK_SECRET to the endpoint's whsec_… secret, or drop 'stripe' from "
                 "BILLING_PROVIDERS_ENABLED.", id="billing.E004",
        ))
    return errors
