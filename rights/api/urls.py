from django.urls import path

from rights.api import views

urlpatterns = [
    path("windows", views.WindowCreateView.as_view(), name="api-windows"),
    path("windows/film/<int:film_id>", views.FilmWindowsView.as_view(), name="api-film-windows"),
    path("windows/<int:window_id>", views.WindowDetailView.as_view(), name="api-window"),
    path("availability/bulk", views.AvailabilityBulkView.as_view(), name="api-availability-bulk"),
    path("availability/upcoming/<int:film_id>", views.UpcomingView.as_view(), name="api-availability-upcoming"),
    path("availability/<int:film_id>", views.AvailabilityView.as_view(), name="api-availability"),
    path("films/<int:film_id>/release-plan", views.ReleasePlanView.as_view(), name="api-release-plan"),
]
