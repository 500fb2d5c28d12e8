from django.urls import path, re_path

from playback import views

app_name = "playback"

urlpatterns = [
    path("watch/<slug:slug>/", views.watch, name="watch"),
    re_path(
        r"^protected/(?P<expires>\d+)/(?P<depth>\d+)/(?P<signature>[A-Za-z0-9_-]+)/(?P<path>.+)$",
        views.protected,
        name="protected",
    ),
]
