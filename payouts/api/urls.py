from django.urls import path

from payouts.api import views
from payouts.rails.registry import WALLET_RAILS

urlpatterns = [
    path("webhooks/stripe-connect", views.stripe_connect_webhook, name="payouts-webhook-stripe-connect"),
    # One route per wallet (billing's /api/webhooks/<rail> are the same rails' payment callbacks).
    *[
        path(f"webhooks/payouts/{rail}", views.wallet_webhook, {"rail": rail}, name=f"payouts-webhook-{rail}")
        for rail in WALLET_RAILS
    ],
]
