from django.apps import AppConfig
from django.db.models.signals import post_migrate


def plans_seed_if_none(sender, using="default", **kwargs) -> None:
    """Migration 0002 seeds the plans once; after that they are data staff edit. A database flushed empty (a
    transactional test's teardown, `manage.py flush`) gets them again, as Django's own permissions do."""
    import importlib

    from django.apps import apps

    if not apps.get_model("billing", "Plan").objects.using(using).exists():
        importlib.import_module("billing.migrations.0002_seed_plans").seed(apps, None)


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # dj-stripe passes its key on most calls, but some nested syncs (a subscription's product) retrieve without
        # one and fall back to the library's global key: give it the same key.
        import stripe
        from djstripe.settings import djstripe_settings

        from billing import checks  # noqa: F401  (registers the production checks)

        stripe.api_key = djstripe_settings.STRIPE_SECRET_KEY
        post_migrate.connect(plans_seed_if_none, sender=self)
