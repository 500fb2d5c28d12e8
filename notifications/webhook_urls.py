from django.urls import path

from notifications import webhooks

urlpatterns = [
    path("sms/<str:provider>", webhooks.sms_receipt, name="notifications-sms-receipt"),
]
