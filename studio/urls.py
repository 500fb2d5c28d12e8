from django.urls import path

from studio.views import home

app_name = "studio"
urlpatterns = [
    path("", home.home, name="home"),
]
