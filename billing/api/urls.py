from django.urls import path

from billing.api import views
from billing.providers.registry import PNG_RAIL_CODES

urlpatterns = [
    path("plans", views.PlansView.as_view(), name="api-plans"),
    path("subscriptions", views.SubscriptionStartView.as_view(), name="api-subscriptions"),
    path("subscriptions/user/<int:user_id>", views.SubscriptionsOfUserView.as_view(), name="api-subscriptions-user"),
    path("subscriptions/<int:subscription_id>", views.SubscriptionView.as_view(), name="api-subscription"),
    path(
        "subscriptions/<int:subscription_id>/reactivate",
        views.SubscriptionReactivateView.as_view(),
        name="api-subscription-reactivate",
    ),
    path("transactions", views.TransactionsView.as_view(), name="api-transactions"),
    path("transactions/png", views.PngTransactionView.as_view(), name="api-transactions-png"),
    path("transactions/<uuid:public_id>", views.TransactionStatusView.as_view(), name="api-transaction-status"),
    path("transactions/<uuid:public_id>/sandbox", views.SandboxAnswerView.as_view(), name="api-transaction-sandbox"),
    path("transactions/<int:payment_id>/refund", views.RefundView.as_view(), name="api-transaction-refund"),
    path("coupons/validate", views.CouponValidateView.as_view(), name="api-coupons-validate"),
    path("coupons/apply", views.CouponApplyView.as_view(), name="api-coupons-apply"),
    path("webhooks/stripe", views.StripeWebhookView.as_view(), name="billing-webhook-stripe"),
    # One route per rail (not a catch-all: other apps have webhooks under /api/webhooks/ too).
    *[
        path(f"webhooks/{rail}", views.PngWebhookView.as_view(), {"provider": rail}, name=f"billing-webhook-{rail}")
        for rail in PNG_RAIL_CODES
    ],
]
