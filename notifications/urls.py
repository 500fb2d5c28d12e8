from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all", views.mark_all_read, name="read-all"),
    path("<int:notification_id>/read", views.mark_read, name="read"),
    path("<int:notification_id>/open", views.open_notification, name="open"),
    path("settings/", views.notification_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
