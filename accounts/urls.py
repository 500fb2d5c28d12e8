from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/sign-out", views.device_sign_out, name="device-sign-out"),
]
