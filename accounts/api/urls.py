from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="api-register"),
    path("auth/login", views.LoginView.as_view(), name="api-login"),
    path("auth/logout", views.LogoutView.as_view(), name="api-logout"),
    path("auth/refresh", views.RefreshView.as_view(), name="api-refresh"),
    path("auth/verify", views.VerifyView.as_view(), name="api-verify"),
    path("user/me", views.MeView.as_view(), name="api-me"),
    path("user/devices", views.DeviceListView.as_view(), name="api-devices"),
    path("user/devices/<int:device_id>", views.DeviceDetailView.as_view(), name="api-device"),
    path("creators/me", views.CreatorMeView.as_view(), name="api-creator-me"),
    path("creators/applications", views.CreatorApplicationListView.as_view(), name="api-creator-applications"),
    path("creators/<slug:slug>/approve", views.CreatorApproveView.as_view(), name="api-creator-approve"),
    path("creators/<slug:slug>/reject", views.CreatorRejectView.as_view(), name="api-creator-reject"),
    path("creators/<slug:slug>", views.CreatorPublicView.as_view(), name="api-creator"),
    path("profile", views.ProfileListView.as_view(), name="api-profiles"),
    path("profile/<int:profile_id>", views.ProfileDetailView.as_view(), name="api-profile"),
]
