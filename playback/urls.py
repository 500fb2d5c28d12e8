from django.urls import path, re_path

from playback import views

app_name = "playback"

urlpatterns = [
    path("watch/<slug:slug>/", views.watch, name="watch"),
    re_path(r"^protected/(?P<path>.+)$", views.protected, name="protected"),
]
