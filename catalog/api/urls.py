from django.urls import path

from catalog.api import views

urlpatterns = [
    path("films", views.FilmListView.as_view(), name="api-films"),
    path("films/genre/<slug:genre_slug>", views.GenreFilmListView.as_view(), name="api-films-genre"),
    path("films/<str:id_or_slug>", views.FilmDetailView.as_view(), name="api-film"),
    path("films/<str:id_or_slug>/submit", views.FilmSubmitView.as_view(), name="api-film-submit"),
    path("films/<str:id_or_slug>/approve", views.FilmApproveView.as_view(), name="api-film-approve"),
    path("films/<str:id_or_slug>/reject", views.FilmRejectView.as_view(), name="api-film-reject"),
    path("films/<str:id_or_slug>/archive", views.FilmArchiveView.as_view(), name="api-film-archive"),
    path("films/<str:id_or_slug>/unarchive", views.FilmUnarchiveView.as_view(), name="api-film-unarchive"),
    path("films/<str:id_or_slug>/images", views.FilmImageView.as_view(), name="api-film-images"),
    path("genres", views.GenreListView.as_view(), name="api-genres"),
]
