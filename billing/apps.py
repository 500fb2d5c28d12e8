from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # dj-stripe passes its key on most calls, but some nested syncs (a subscription's product) retrieve without
        # one and fall back to the library's global key: give it the same key.
        import stripe
        from djstripe.settings import djstripe_settings

        stripe.api_key = djstripe_settings.STRIPE_SECRET_KEY
