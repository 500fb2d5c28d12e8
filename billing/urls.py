from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("sandbox/<uuid:public_id>/", views.sandbox, name="sandbox"),
    path("payments/<uuid:public_id>/", views.payment_page, name="payment"),
    path("payments/<uuid:public_id>/status", views.payment_status, name="payment-status"),
]
