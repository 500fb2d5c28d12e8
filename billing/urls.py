from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("sandbox/<uuid:public_id>/", views.sandbox, name="sandbox"),
]
