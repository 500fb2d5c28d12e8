from django.urls import path

from notifications.api import views

urlpatterns = [
    path("notifications/push-subscriptions", views.PushSubscriptionView.as_view(), name="api-push-subscriptions"),
]
