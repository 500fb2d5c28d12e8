"""System checks that keep production from paying out on the demo's settings (reported when WANS_PRODUCTION is on;
wans.wsgi and the worker refuse to start while one fails): a simulated wallet would pay nobody, and a callback
signed with an empty secret, or a Connect webhook with the placeholder one, could be forged by anyone ("failed" would
put money already paid back on a balance, to be paid again)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from payouts.rails.registry import WALLET_RAILS

CONNECT_PLACEHOLDER = "whsec_wans_connect_local_not_a_real_secret"


@register(Tags.security)
def payout_rails_check(app_configs=None, **kwargs) -> list[Error]:
    if not settings.WANS_PRODUCTION:
        return []
    enabled = set(settings.PAYOUTS_RAILS_ENABLED)
    errors = []
    for rail in WALLET_RAILS:
        if rail not in enabled:
            continue
        config = settings.PAYOUTS_PNG[rail]
        if not config["base_url"]:
            errors.append(Error(
                f"The {rail} payout rail is enabled without a base URL, so the sandbox simulates it.",
                hint=f"Set PAYOUTS_{rail.upper()}_BASE_URL, or drop '{rail}' from PAYOUTS_RAILS_ENABLED.",
                id="payouts.E001"))
        if not config["webhook_secret"]:
            errors.append(Error(
                f"The {rail} payout rail has no webhook secret: anyone could sign its disbursement callbacks.",
                hint=f"Set PAYOUTS_{rail.upper()}_WEBHOOK_SECRET, or drop '{rail}' from PAYOUTS_RAILS_ENABLED.",
                id="payouts.E002"))
    if "stripe" in enabled and settings.PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET in ("", CONNECT_PLACEHOLDER):
        errors.append(Error(
            "Stripe Connect payouts are enabled with an empty or placeholder Connect webhook secret.",
            hint="Set PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET to the Connect endpoint's whsec_… secret, or drop "
                 "'stripe' from PAYOUTS_RAILS_ENABLED.", id="payouts.E003"))
    return errors
